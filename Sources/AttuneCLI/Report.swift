import ArgumentParser
import Attune
#if canImport(Glibc)
import Glibc
#endif

extension AttuneCommand {
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Render a cue stream as a self-contained HTML report, one chart per session.",
            discussion: """
                Runs the cue stream (wire protocol v1 input, the file you would give attune run) \
                through the engine with --emit every and draws, per session: valence and arousal over \
                time for the other person and for you (self), each with a ±1 sd band; spans of mixed \
                signals (incongruence) shaded; the recommended mode as a coloured ribbon; one lane of \
                markers per channel, the cue itself (the words, the posture, the voice summary) shown on \
                hover; and tables: time in each mode, mode switches, mean affect, synchrony, cues per \
                channel, and every mode change with its reasons.

                The file is one HTML page with inline SVG and CSS: no scripts, no network, fine to \
                mail or attach. It needs the cue stream, not attune run's output: the output lacks the \
                cues themselves. Bad lines are reported on standard error and skipped, as by run.

                Examples:
                  attune report session.jsonl -o report.html
                  attune report two-rooms.jsonl --session room-2 -o room-2.html
                  attune report --config my-weights.json session.jsonl -o tuned.html
                """
        )

        @Argument(help: "The cue stream ('-' for standard input).")
        var file: String

        @Option(name: .shortAndLong, help: ArgumentHelp("Where to write the HTML ('-' for standard output).", valueName: "file"))
        var output: String

        @Option(help: ArgumentHelp("Only this session (default: every session, in order of appearance).", valueName: "name"))
        var session: String?

        @Option(name: .customLong("incongruence-threshold"), help: ArgumentHelp("Shade spans where incongruence is at least this (0...1, default 0.4).", valueName: "x"))
        var incongruenceThreshold: Double = 0.4

        @Option(help: ArgumentHelp("A configuration override file, as for attune run.", valueName: "file"))
        var config: String?

        @Option(help: ArgumentHelp(ArgumentHelpText.lexicon, valueName: "file"))
        var lexicon: String?

        func validate() throws {
            guard incongruenceThreshold >= 0, incongruenceThreshold <= 1 else {
                throw ValidationError("--incongruence-threshold must be in 0...1")
            }
        }

        func run() throws {
            var configuration = try loadConfiguration(config)
            configuration.bus.emit = .every
            let channels = try standardChannels(configuration, lexicon: lexicon)
            let decoder = LineDecoder(channels: channels, limits: configuration.bus.limits)
            var bus = StandardBus(configuration: configuration, channels: channels)
            var collector = ReportCollector()
            var seen: [String] = []
            var seenSet: Set<String> = []

            let fd: Int32 = file == "-" ? 0 : open(file, O_RDONLY)
            guard fd >= 0 else { throw CLIError("cannot open \(file): \(String(cString: strerror(errno)))") }
            defer { if fd != 0 { close(fd) } }
            var reader = LineReader(fd: fd, maxLine: configuration.bus.limits.maxLineBytes)
            var number = 0
            var bad = 0
            var looksLikeOutput = false
            var outputLine = 0
            let end = reader.run(stop: { looksLikeOutput }, idle: {}) { piece in
                number += 1
                if looksLikeOutput { return }
                guard case .line(let bytes) = piece else {
                    printError("attune: line \(number): over the line length limit")
                    bad += 1
                    return
                }
                switch decoder.decode(bytes, line: number) {
                case .success(let event):
                    if seenSet.insert(event.session).inserted { seen.append(event.session) }
                    if let session, event.session != session { return }
                    if case .cue(let cue) = event { collector.add(cue) }
                    bus.push(event)
                    bus.drain { collector.add($0) }
                case .failure(let e):
                    if e.kind == .blank { return }
                    if e.kind == .invalidField, isOutputLine(bytes) {
                        looksLikeOutput = true
                        outputLine = number
                        return
                    }
                    printError("attune: line \(e.line): \(e.message)")
                    bad += 1
                }
            }
            if looksLikeOutput {
                throw CLIError("\(file) line \(outputLine) looks like attune run output (it has \"mode\" and \"scores\"); report needs the cue stream that went into run")
            }
            if case .readError(let code) = end { throw CLIError("reading \(file) failed: \(String(cString: strerror(code)))") }
            bus.finish()
            bus.drain { collector.add($0) }
            if let session, !seenSet.contains(session) {
                throw CLIError("no session \"\(session)\" in \(file) (sessions: \(seen.joined(separator: ", ")))")
            }

            let html = HTMLReport.render(collector.sessions, options: ReportOptions(
                incongruenceThreshold: incongruenceThreshold, source: file == "-" ? "standard input" : baseName(file)))
            let outFD = output == "-" ? 1 : try openForWriting(output)
            defer { if outFD != 1 { close(outFD) } }
            let sink = ByteSink(.fileDescriptor(outFD))
            try sink.write(html)
            try sink.flush()
            if output != "-" {
                let sessions = collector.sessions.count
                printError("attune: wrote \(output): \(sessions) session\(sessions == 1 ? "" : "s"), \(number) lines read\(bad > 0 ? ", \(bad) bad lines skipped" : "")")
            }
        }
    }
}

/// An output line has no "channel" but has "mode" and "scores"; a quick byte search is enough
/// to give the better message.
private func isOutputLine(_ bytes: UnsafeRawBufferPointer) -> Bool {
    let text = String(decoding: bytes, as: UTF8.self)
    return text.contains("\"mode\"") && text.contains("\"scores\"")
}

private func baseName(_ path: String) -> String {
    path.split(separator: "/").last.map(String.init) ?? path
}
