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

                Examples:
                  attune run Examples/streams/two-rooms.jsonl
                  producer | attune run --emit every --rejects bad.jsonl
                  attune run --config my-weights.json --strict < session.jsonl

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

        @Flag(help: "Stop at the first bad line with exit status 65.")
        var strict = false

        @Option(help: ArgumentHelp("Write each rejected line, verbatim, with its line number and reason, as JSON lines.", valueName: "file"))
        var rejects: String?

        @Flag(name: .customLong("line-buffered"), help: "Flush output after every line, even to a file. (To a pipe or terminal, output is always flushed before Attune waits for input.)")
        var lineBuffered = false

        // Exec plugins (--plugin NAME=COMMAND, --plugin-timeout): see PluginOptions.swift.
        @OptionGroup var pluginOptions: PluginOptions

        func validate() throws {
            if let m = maxLateness, !(m >= 0 && m.isFinite) {
                throw ValidationError("--max-lateness must be a number >= 0")
            }
        }

        func run() throws {
            var configuration = try loadConfiguration(config)
            if let emit { configuration.bus.emit = emit }
            if let maxLateness { configuration.bus.maxLateness = maxLateness }
            let plugins = try pluginOptions.start()
            defer { plugins.shutdown() }
            let code = try runEngine(configuration: configuration, channels: plugins.registering(into: .standard(configuration)), plugins: plugins)
            if code != 0 { throw ExitCode(code) }
        }

        func runEngine(configuration: AttuneConfiguration, channels: ChannelRegistry, plugins: ExecPluginSet = .init()) throws -> Int32 {
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

            let stdout = ByteSink(.fileDescriptor(1))
            let liveOutput = !isRegularFile(1)
            var adapter = JSONLinesAdapter(sink: stdout)
            Signals.install()

            var reader = LineReader(fd: inputFD, maxLine: configuration.bus.limits.maxLineBytes)
            var strictFailure = false
            // --plugin: a failed plugin's channel is disabled; under --strict the run stops (exit 69).
            var pluginFailure = plugins.report() && strict

            func emitPending() throws {
                try engine.drain { try adapter.write($0) }
                for w in engine.drainWarnings() { printError("attune: line \(w.line): \(w.message)") }
                if plugins.report() && strict { pluginFailure = true }
                if lineBuffered { try stdout.flush() }
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
                    idle: { if liveOutput { try stdout.flush() } }
                ) { piece in
                    if strictFailure || pluginFailure { return }
                    switch piece {
                    case .line(let bytes):
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
                try stdout.flush()
            } catch let e as ByteSink.WriteError where e.isBrokenPipe {
                // The reader went away (`attune run | head -1`): nothing more to do, nothing to complain about.
                return 0
            }
            printError("attune: \(engine.counts.summary)")
            for line in plugins.summaryLines { printError("attune: \(line)") }
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
