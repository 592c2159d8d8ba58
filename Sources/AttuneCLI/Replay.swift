import ArgumentParser
import Attune
#if canImport(Glibc)
import Glibc
#endif

extension AttuneCommand {
    struct Replay: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "replay",
            abstract: "Play a recorded cue stream through the engine at the pace of its timestamps.",
            usage: "attune replay [--speed <x>] <file> [--emit <when>] [--config <file>] [--format <format>] [--output <format:path> ...] [other run options]",
            discussion: """
                For demos and for testing live consumers: each line is handed to the engine when its \
                time comes, in real time or --speed times faster, measured on the monotonic clock from \
                the first line. What is written is byte for byte what attune run writes for the same \
                file and options; only the timing differs. Output is flushed before each wait, so a \
                consumer on a pipe sees every recommendation as soon as it is made.

                Pacing follows the largest t seen so far: a line earlier than one already played goes \
                at once. Sessions share one timeline, as recorded. Lines that are not valid go at once \
                (and are reported as by run).

                Takes every option of attune run (--emit, --config, --format, --output, --rejects...).

                Examples:
                  attune replay session.jsonl                      real time, JSON lines
                  attune replay --speed 10 --format tty s.jsonl    ten times faster, readable
                  attune replay session.jsonl | my-consumer        test a live consumer
                """
        )

        @Option(help: ArgumentHelp("How many times faster than real time (default 1; 0.5 is half speed).", valueName: "x"))
        var speed: Double = 1

        @OptionGroup var options: Run

        func validate() throws {
            guard speed > 0, speed.isFinite else { throw ValidationError("--speed must be a number > 0") }
            guard let file = options.file, file != "-" else {
                throw ValidationError("replay needs a FILE (a recording); for standard input use attune run")
            }
        }

        func run() throws {
            var configuration = try loadConfiguration(options.config)
            if let emit = options.emit { configuration.bus.emit = emit }
            if let maxLateness = options.maxLateness { configuration.bus.maxLateness = maxLateness }
            let channels = try standardChannels(configuration, lexicon: options.lexicon)
            // Its own decoder: reading a line's t must not touch the engine's line accounting.
            let decoder = LineDecoder(channels: channels, limits: configuration.bus.limits)
            var pacer = Pacer(speed: speed)
            let code = try options.runEngine(configuration: configuration, channels: channels) { bytes, flush in
                guard case .success(let event) = decoder.decode(bytes, line: 0) else { return }
                let wait = pacer.delay(before: event.t, now: monotonicSeconds())
                guard wait > 0 else { return }
                try flush()
                sleepInterruptibly(wait)
            }
            if code != 0 { throw ExitCode(code) }
        }
    }
}

func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Sleeps in slices of at most 100 ms so SIGINT/SIGTERM stop a long wait promptly.
func sleepInterruptibly(_ seconds: Double) {
    let deadline = monotonicSeconds() + seconds
    while Signals.received == 0 {
        let left = deadline - monotonicSeconds()
        if left <= 0 { return }
        let slice = min(left, 0.1)
        var ts = timespec(tv_sec: Int(slice), tv_nsec: Int((slice - Double(Int(slice))) * 1e9))
        nanosleep(&ts, nil)
    }
}
