import ArgumentParser
import Attune
import AttuneExec
#if canImport(Glibc)
import Glibc
#endif

extension AttuneCommand {
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the engine on a JSON-lines cue stream.",
            discussion: """
                Reads wire protocol v1 lines (one JSON object per line, see Protocols/wire-protocol.md) \
                from FILE or standard input and writes one JSON object per recommendation to standard \
                output. Sessions are independent; events are applied per session in timestamp order.

                Every input line is accounted for: each bad line gets one message on standard error \
                (attune: line N: what is wrong) and is skipped; at exit a summary line reports lines \
                read, accepted, rejected and late, and the number of sessions.

                Output formats (--format F, or --output F:PATH, repeatable; PATH - is standard output; \
                see Protocols/output-formats.md):
                  jsonl      protocol v1 JSON lines (default)
                  csv        one flat row per recommendation, with a header: for pandas or R
                  tty        a readable line per mode change, coloured on a terminal (NO_COLOR=1 turns colour off)
                  emotionml  a W3C EmotionML 1.0 document

                Examples:
                  attune run Examples/streams/two-rooms.jsonl
                  producer | attune run --emit every --rejects bad.jsonl
                  attune run --config my-weights.json --strict < session.jsonl
                  attune run --format tty session.jsonl
                  attune run --emit every --output jsonl:- --output csv:run.csv --output emotionml:run.emotionml.xml s.jsonl

                Exit status: 0 done; 65 a bad line under --strict; 69 a --plugin failed under --strict; 130/143 stopped by SIGINT/SIGTERM \
                (after flushing what was processed and printing the summary).
                """
        )

        @Argument(help: "Input file; standard input when absent or '-'.")
        var file: String?

        @Option(help: ArgumentHelp("When to write a recommendation: every (one per input event), change (when the mode changes), final (one per session at its end).", valueName: "when"))
        var emit: EmitPolicy?

        @Option(name: .customLong("max-lateness"), help: ArgumentHelp("Seconds an event may arrive out of order and still be applied in order (default 0.5). Later events are applied at the session's clock and counted as late.", valueName: "seconds"))
        var maxLateness: Double?

        @Option(help: ArgumentHelp("A JSON file overriding any part of the configuration (see attune config --print-defaults).", valueName: "file"))
        var config: String?

        @Option(help: ArgumentHelp(ArgumentHelpText.lexicon, valueName: "file"))
        var lexicon: String?

        @Flag(help: "Stop at the first bad line with exit status 65.")
        var strict = false

        @Option(help: ArgumentHelp("Write each rejected line, verbatim, with its line number and reason, as JSON lines.", valueName: "file"))
        var rejects: String?

        @Flag(name: .customLong("feedback-summary"), help: "After the run summary, print each session's listener-response totals on standard error: share of attuned responses, ruptures, repairs, mean time to repair.")
        var feedbackSummary = false

        @Flag(name: .customLong("line-buffered"), help: "Flush output after every line, even to a file. (To a pipe or terminal, output is always flushed before Attune waits for input.)")
        var lineBuffered = false

        // Exec plugins (--plugin NAME=COMMAND, --plugin-timeout): see PluginOptions.swift.
        @OptionGroup var pluginOptions: PluginOptions

        @Option(help: ArgumentHelp("Threads decoding and applying lines (default: the number of cores). Output is the same for any number; sessions are spread over the threads, each session's events stay in order. With --plugin, one thread (a plugin is one process).", valueName: "n"))
        var threads: Int?

        @OptionGroup var output: OutputOptions

        func validate() throws {
            if let m = maxLateness, !(m >= 0 && m.isFinite) {
                throw ValidationError("--max-lateness must be a number >= 0")
            }
            if let threads, !(1...256).contains(threads) {
                throw ValidationError("--threads must be 1...256")
            }
        }

        /// `--threads`, or the number of online cores.
        var threadCount: Int { threads ?? max(1, min(64, sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

        func run() throws {
            var configuration = try loadConfiguration(config)
            if let emit { configuration.bus.emit = emit }
            if let maxLateness { configuration.bus.maxLateness = maxLateness }
            let plugins = try pluginOptions.start()
            defer { plugins.shutdown() }
            let userLexicon = try loadLexicon(lexicon)
            let channels = plugins.registering(into: .standard(configuration, lexicon: userLexicon))
            // Exec plugins are processes with one pipe each: they cannot be shared by several
            // threads or copied per thread, so with --plugin the run takes one thread.
            let code = try runEngine(configuration: configuration, channels: channels, plugins: plugins,
                                     makeChannels: plugins.plugins.isEmpty ? { .standard($0, lexicon: userLexicon) } : nil,
                                     threads: plugins.plugins.isEmpty ? threadCount : 1)
            if code != 0 { throw ExitCode(code) }
        }

        /// `pace` (for `attune replay`) sees each line before it is ingested and may wait; it gets
        /// a function that flushes the outputs, to call before waiting. `plugins`: the --plugin
        /// processes, whose failures are reported as they happen. `threads` above 1 runs on
        /// that many threads (see `runParallel`), each with its own registry from `makeChannels`
        /// when given (each a copy of `channels`, which must then hold no shared process).
        func runEngine(configuration: AttuneConfiguration, channels: ChannelRegistry,
                       pace: ((UnsafeRawBufferPointer, _ flush: () throws -> Void) throws -> Void)? = nil,
                       plugins: ExecPluginSet = .init(),
                       makeChannels: ((AttuneConfiguration) -> ChannelRegistry)? = nil,
                       threads: Int = 1) throws -> Int32 {
            var engine = StandardEngine(configuration: configuration, channels: channels)
            let inputFD: Int32
            if let file, file != "-" {
                inputFD = open(file, O_RDONLY)
                guard inputFD >= 0 else { throw CLIError("cannot open \(file): \(String(cString: strerror(errno)))") }
            } else {
                inputFD = 0
            }
            defer { if inputFD != 0 { close(inputFD) } }
            let rejectSink = try rejects.map { ByteSink(.fileDescriptor(try openForWriting($0))) }
            defer { if let rejectSink { try? rejectSink.flush(); if case .fileDescriptor(let fd) = rejectSink.target { close(fd) } } }

            let outputs = try Outputs(output.targets(), settings: OutputSettings(priorSD: configuration.fusion.priorSD))
            defer { outputs.close() }
            Signals.install()
            if pace == nil && threads > 1 && plugins.plugins.isEmpty {
                return try runParallel(threads: threads, configuration: configuration, channels: channels, makeChannels: makeChannels,
                                       inputFD: inputFD, rejectSink: rejectSink, outputs: outputs)
            }
            var adapter = outputs.adapter

            var reader = LineReader(fd: inputFD, maxLine: configuration.bus.limits.maxLineBytes)
            var strictFailure = false
            // --plugin: a failed plugin's channel is disabled; under --strict the run stops (exit 69).
            var pluginFailure = plugins.report() && strict

            func emitPending() throws {
                try engine.drain { try adapter.write($0) }
                for w in engine.drainWarnings() { printError("attune: line \(w.line): \(w.message)") }
                if plugins.report() && strict { pluginFailure = true }
                if lineBuffered { try outputs.flushAll() }
            }

            func handle(_ result: Result<Void, LineError>, bytes: UnsafeRawBufferPointer?) throws {
                if case .failure(let error) = result {
                    if error.kind != .blank { printError("attune: line \(error.line): \(error.message)") }
                    if let rejectSink { try rejectSink.write(rejectRecord(error, bytes: bytes)) }
                    if strict { strictFailure = true }
                }
                try emitPending()
            }

            let end: LineReader.End
            do {
                end = try reader.run(
                    stop: { Signals.received != 0 || strictFailure || pluginFailure },
                    idle: { try outputs.flushLive() }
                ) { piece in
                    if strictFailure || pluginFailure { return }
                    switch piece {
                    case .line(let bytes):
                        if let pace {
                            try pace(bytes) { try emitPending(); try outputs.flushAll() }
                            if Signals.received != 0 { return }
                        }
                        try handle(engine.ingest(line: bytes), bytes: bytes)
                    case .overlong(let length):
                        try handle(.failure(engine.rejectOverlongLine(length: length)), bytes: nil)
                    }
                }
                // Accepted events still in reorder buffers are applied even when stopping
                // early (--strict, a signal): what was accepted is never dropped.
                engine.finish()
                try emitPending()
                try adapter.finish(engine.counts)
                try outputs.flushAll()
            } catch let e as ByteSink.WriteError where e.isBrokenPipe {
                // The reader went away (`attune run | head -1`): nothing more to do, nothing to complain about.
                return 0
            }
            printError("attune: \(engine.counts.summary)")
            for line in plugins.summaryLines { printError("attune: \(line)") }
            if feedbackSummary {
                for f in engine.bus.feedbackTotals {
                    printError("attune: feedback: session \(f.session): \(f.totals.summary)")
                }
                // robustness: totals are kept for the first sessions only (bounded memory)
                if engine.bus.feedbackTotalsOmitted > 0 {
                    printError("attune: feedback: \(engine.bus.feedbackTotalsOmitted) more sessions not listed")
                }
            }
            if case .readError(let code) = end {
                printError("attune: reading input failed: \(String(cString: strerror(code)))")
                return 74
            }
            if Signals.received == SIGINT { return 130 }
            if Signals.received == SIGTERM { return 143 }
            if strictFailure { return 65 }
            if pluginFailure { return 69 }
            return 0
        }
    }
}

/// One `--rejects` record: `{"line":N,"reason":"...","text":"<the line>"}`. A line that is not
/// valid UTF-8 is carried as `"base64"` instead of `"text"`, so it is kept byte for byte.
func rejectRecord(_ error: LineError, bytes: UnsafeRawBufferPointer?) -> [UInt8] {
    var out: [UInt8] = []
    out.append(contentsOf: "{\"line\":\(error.line),\"reason\":".utf8)
    out.append(contentsOf: JSONValue.string(error.message).jsonText.utf8)
    if let bytes {
        if let text = String(validating: bytes, as: UTF8.self) {
            out.append(contentsOf: ",\"text\":".utf8)
            out.append(contentsOf: JSONValue.string(text).jsonText.utf8)
        } else {
            out.append(contentsOf: ",\"base64\":\"".utf8)
            out.append(contentsOf: base64(bytes))
            out.append(UInt8(ascii: "\""))
        }
    } else {
        out.append(contentsOf: ",\"text\":null,\"omitted\":\"over the line length limit\"".utf8)
    }
    out.append(contentsOf: "}\n".utf8)
    return out
}

func base64(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
    let table = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    var out: [UInt8] = []
    var i = 0
    while i + 2 < bytes.count {
        let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
        out += [table[Int(n >> 18 & 63)], table[Int(n >> 12 & 63)], table[Int(n >> 6 & 63)], table[Int(n & 63)]]
        i += 3
    }
    let rest = bytes.count - i
    if rest == 1 {
        let n = UInt32(bytes[i]) << 16
        out += [table[Int(n >> 18 & 63)], table[Int(n >> 12 & 63)], UInt8(ascii: "="), UInt8(ascii: "=")]
    } else if rest == 2 {
        let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
        out += [table[Int(n >> 18 & 63)], table[Int(n >> 12 & 63)], table[Int(n >> 6 & 63)], UInt8(ascii: "=")]
    }
    return out
}

func loadConfiguration(_ path: String?) throws -> AttuneConfiguration {
    guard let path else { return AttuneConfiguration() }
    let text = try readWholeFile(path)
    do {
        return try AttuneConfiguration.load(overrides: text)
    } catch {
        throw CLIError("\(path): \(error)")
    }
}

extension EmitPolicy: ExpressibleByArgument {}
extension OutputFormat: ExpressibleByArgument {}

/// `--format` and `--output`, shared by run and replay.
struct OutputOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Output format on standard output: jsonl (default), csv, tty, emotionml. Shorthand for --output FORMAT:-.", valueName: "format"))
    var format: OutputFormat?

    @Option(name: .customLong("output"), help: ArgumentHelp("Write FORMAT to PATH (- is standard output); repeat for several outputs, at most one on standard output. E.g. --output jsonl:- --output csv:run.csv", valueName: "format:path"))
    var outputs: [String] = []

    func targets() throws -> [OutputTarget] {
        do {
            var targets = try outputs.map { try OutputTarget(parsing: $0) }
            if let format { targets.insert(OutputTarget(format: format), at: 0) }
            if targets.isEmpty { targets = [OutputTarget(format: .jsonl)] }
            try OutputTarget.check(targets)
            return targets
        } catch let e as OutputTargetError {
            throw ValidationError(e.message)
        }
    }

    func validate() throws { _ = try targets() }
}

/// The open outputs of a run: one sink and adapter per target, fed through one fan-out.
final class Outputs {
    private(set) var adapter: FanOutAdapter
    private var sinks: [ByteSink] = []
    private var liveSinks: [ByteSink] = []
    private var ownedFDs: [Int32] = []
    /// The sink, when the only output is JSON lines: then lines rendered elsewhere
    /// (on worker threads) can be written as bytes, the same bytes the adapter would write.
    private(set) var soleJSONLinesSink: ByteSink?

    init(_ targets: [OutputTarget], settings: OutputSettings) throws {
        var adapters: [any OutputAdapter] = []
        for target in targets {
            let fd = target.isStandardOutput ? 1 : try openForWriting(target.path)
            if fd != 1 { ownedFDs.append(fd) }
            let sink = ByteSink(.fileDescriptor(fd))
            sinks.append(sink)
            // A pipe or terminal reader is watching: flush before waiting for input.
            if !isRegularFile(fd) { liveSinks.append(sink) }
            var s = settings
            s.color = target.format == .tty && fd == 1 && isatty(1) == 1 && !noColor()
            adapters.append(target.format.makeAdapter(sink: sink, settings: s))
        }
        adapter = FanOutAdapter(adapters)
        if targets.count == 1, targets[0].format == .jsonl { soleJSONLinesSink = sinks[0] }
    }

    func flushLive() throws { for s in liveSinks { try s.flush() } }
    func flushAll() throws { for s in sinks { try s.flush() } }

    func close() {
        for fd in ownedFDs { Glibc.close(fd) }
        ownedFDs.removeAll()
    }
}

/// https://no-color.org: present and not empty turns colour off.
func noColor() -> Bool {
    guard let v = getenv("NO_COLOR") else { return false }
    return v.pointee != 0
}
