import ArgumentParser
import Attune

extension AttuneCommand {
    struct Analyze: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run one channel alone and print what it makes of each input line.",
            discussion: """
                The quickest way to see what a channel makes of your data. For text, each input line \
                is one utterance (plain text) and each output line is the full analysis: valence and \
                arousal with their variances, the seven emotion categories with the words behind them, \
                tags with strength and a reason quoting the input, and every matched word with the \
                rules that fired (negation, intensifiers, contrast...). For other channels, input is \
                wire protocol v1 JSON lines (lines of other channels are skipped) and each output line \
                is the evidence: valence and arousal readings (value and sd), tags, warnings. Plugin \
                state carries over from line to line (per session and source), as in a run, so voice \
                baselines warm up.

                Examples:
                  attune analyze text < utterances.txt
                  attune analyze voice < session.jsonl
                """
        )

        @Argument(help: "The channel: text, voice, posture, affect.")
        var channel: String

        @Option(help: ArgumentHelp("A configuration override file.", valueName: "file"))
        var config: String?

        @Option(help: ArgumentHelp(ArgumentHelpText.lexicon, valueName: "file"))
        var lexicon: String?

        func run() throws {
            let configuration = try loadConfiguration(config)
            if channel == "text" {
                try analyzeText(configuration: configuration, lexicon: lexicon)
            } else {
                try analyzeChannel(channel, configuration: configuration, channels: try standardChannels(configuration, lexicon: lexicon))
            }
        }
    }
}

func analyzeChannel(_ channel: String, configuration: AttuneConfiguration, channels: ChannelRegistry) throws {
    guard var probe = channels.probe(channel) else {
        throw ValidationError("unknown channel \"\(channel)\" (known: \(channels.names.sorted().joined(separator: ", ")))")
    }
    let decoder = LineDecoder(channels: channels, limits: configuration.bus.limits)
    let out = ByteSink(.fileDescriptor(1))
    let live = !isRegularFile(1)
    var reader = LineReader(fd: 0, maxLine: configuration.bus.limits.maxLineBytes)
    var number = 0
    var bad = 0
    do {
        _ = try reader.run(stop: { false }, idle: { if live { try out.flush() } }) { piece in
            number += 1
            guard case .line(let bytes) = piece else {
                printError("attune: line \(number): over the line length limit")
                bad += 1
                return
            }
            let cue: Cue
            if channel == "text" {
                // Plain text: one utterance per line.
                var text = String(decoding: bytes, as: UTF8.self)
                if text.hasSuffix("\r") { text.removeLast() }
                cue = Cue(t: Double(number), channel: "text", value: ["text": .string(text)], line: number)
            } else {
                switch decoder.decode(bytes, line: number) {
                case .success(.cue(let c)) where c.channel == channel: cue = c
                case .success: return
                case .failure(let e):
                    if e.kind != .blank { printError("attune: \(e)"); bad += 1 }
                    return
                }
            }
            do {
                let evidence = try probe.evidence(for: cue)
                var o = evidence.json.object ?? JSONObject()
                o.members.insert(.init(key: "line", value: .number(Double(number))), at: 0)
                if channel == "text" { o.members.insert(.init(key: "text", value: cue.value["text"] ?? .null), at: 1) }
                try out.write(JSONValue.object(o).jsonText + "\n")
            } catch let e as LineError {
                printError("attune: \(e)")
                bad += 1
            }
        }
        try out.flush()
    } catch let e as ByteSink.WriteError where e.isBrokenPipe {
        return
    }
    if bad > 0 { throw ExitCode(65) }
}

/// `attune analyze text`: one utterance per line, the text channel's full analysis per line.
func analyzeText(configuration: AttuneConfiguration, lexicon path: String?) throws {
    var userLexicon = UserLexicon.empty
    if let path {
        do { userLexicon = try TextChannel.parseLexiconTSV(try readWholeFile(path)) } catch { throw CLIError("\(path): \(error)") }
    }
    let channel = TextChannel(configuration: configuration.channels.text, lexicon: userLexicon)
    let out = ByteSink(.fileDescriptor(1))
    let live = !isRegularFile(1)
    var reader = LineReader(fd: 0, maxLine: configuration.bus.limits.maxLineBytes)
    var number = 0
    do {
        _ = try reader.run(stop: { false }, idle: { if live { try out.flush() } }) { piece in
            number += 1
            guard case .line(let bytes) = piece else {
                printError("attune: line \(number): over the line length limit")
                return
            }
            var text = String(decoding: bytes, as: UTF8.self)
            if text.hasSuffix("\r") { text.removeLast() }
            var o = channel.analyze(text).json.object ?? JSONObject()
            o.members.insert(.init(key: "line", value: .number(Double(number))), at: 0)
            if o["text"] == nil { o.members.insert(.init(key: "text", value: .string(text)), at: 1) }
            try out.write(JSONValue.object(o).jsonText + "\n")
        }
        try out.flush()
    } catch let e as ByteSink.WriteError where e.isBrokenPipe {
        return
    }
}
