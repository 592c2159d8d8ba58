import ArgumentParser
import Attune
#if canImport(Glibc)
import Glibc
#endif

extension AttuneCommand {
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check cue streams against wire protocol v1 and each channel's value format.",
            discussion: """
                Reads each FILE ('-' is standard input) line by line, exactly as attune run would decode \
                it (the same decoder, the same channel validators, the same limits), and prints one \
                message per bad line:

                  FILE:LINE: problem

                then a summary per file and, for several files, a total. Blank lines are reported: \
                attune run skips them silently but counts them as rejected, so a clean file has none. \
                Streams in 1 MiB chunks and keeps nothing per line, so multi-gigabyte recordings are fine.

                Examples:
                  attune validate session.jsonl
                  attune validate recordings/*.jsonl
                  producer | attune validate -

                Exit status: 0 every line is valid; 65 at least one bad line; 66 a file could not be read.
                """
        )

        @Argument(help: "Files to check ('-' for standard input).")
        var files: [String] = []

        @Option(help: ArgumentHelp("A configuration override file (its channel settings and wire limits apply).", valueName: "file"))
        var config: String?

        @Flag(name: .shortAndLong, help: "Print only the summaries.")
        var quiet = false

        func validate() throws {
            if files.isEmpty { throw ValidationError("give at least one FILE ('-' for standard input)") }
        }

        func run() throws {
            do {
                try check()
            } catch let e as ByteSink.WriteError where e.isBrokenPipe {
                return
            }
        }

        private func check() throws {
            let configuration = try loadConfiguration(config)
            let decoder = LineDecoder(channels: .standard(configuration), limits: configuration.bus.limits)
            // Problem lines are the command's result: standard output, buffered (a broken recording can have millions).
            let out = ByteSink(.fileDescriptor(1))
            // A closed pipe (`attune validate big.jsonl | head`) shows up as EPIPE, handled quietly below.
            signal(SIGPIPE, SIG_IGN)
            func report(_ file: String, _ line: Int, _ message: String) throws {
                try out.write(file)
                try out.write(":\(line): ")
                try out.write(message)
                try out.write("\n")
            }
            var total = (lines: 0, bad: 0)
            var unreadable = false
            for file in files {
                let fd: Int32 = file == "-" ? 0 : open(file, O_RDONLY)
                guard fd >= 0 else {
                    try out.flush()
                    printError("\(file): cannot open: \(String(cString: strerror(errno)))")
                    unreadable = true
                    continue
                }
                defer { if fd != 0 { close(fd) } }
                let name = file == "-" ? "<stdin>" : file
                var lines = 0
                var bad = 0
                var reader = LineReader(fd: fd, maxLine: configuration.bus.limits.maxLineBytes)
                let end = try reader.run(stop: { false }, idle: {}) { piece in
                    lines += 1
                    switch piece {
                    case .line(let bytes):
                        if case .failure(let e) = decoder.decode(bytes, line: lines) {
                            bad += 1
                            if !quiet { try report(name, lines, e.message) }
                        }
                    case .overlong(let length):
                        bad += 1
                        if !quiet { try report(name, lines, "line is \(length) bytes, over the \(configuration.bus.limits.maxLineBytes)-byte limit") }
                    }
                }
                if case .readError(let code) = end {
                    try out.flush()
                    printError("\(name): reading failed after line \(lines): \(String(cString: strerror(code)))")
                    unreadable = true
                }
                try out.write("\(name): \(lines) line\(lines == 1 ? "" : "s"), \(bad == 0 ? "all valid" : "\(bad) bad")\n")
                total.lines += lines
                total.bad += bad
            }
            if files.count > 1 {
                try out.write("total: \(files.count) files, \(total.lines) lines, \(total.bad == 0 ? "all valid" : "\(total.bad) bad")\n")
            }
            try out.flush()
            if unreadable { throw ExitCode(66) }
            if total.bad > 0 { throw ExitCode(65) }
        }
    }
}

