import AttuneCore
#if canImport(Glibc)
import Glibc
#endif

/// One out-of-process channel plugin: a child process started with
/// `/bin/sh -c COMMAND` that answers each cue of its channel with one line of
/// evidence (Protocols/exec-plugin.md).
///
/// ```swift
/// let physio = ExecPlugin(channel: "physio", command: "python3 Examples/python/physio_plugin.py")
/// physio.start()                                   // spawn + handshake; a failure disables the channel
/// var channels = ChannelRegistry.standard
/// channels.register(physio.channel)
/// var engine = StandardEngine(channels: channels)
/// ...
/// for failure in physio.drainFailures() { print("attune: \(failure)") }
/// physio.shutdown()
/// ```
///
/// Failures (a crash, no reply within `replyTimeout`, a reply that breaks the
/// protocol) never throw and never hang: the child is killed (SIGKILL to its
/// process group) and reaped, the failure is recorded once for
/// ``drainFailures()``, and the channel is *disabled*: from then on
/// ``ExecChannel/validate(_:)`` rejects its cues (so the engine counts them as
/// rejected, with the reason) and cues already queued get no evidence and a
/// warning. The other channels go on as before.
///
/// This is a class with `@unchecked Sendable` because the registry and the bus
/// need a `Sendable` plugin, but it owns file descriptors and a child process,
/// which are shared mutable state. It is safe as used: an engine is driven by
/// one thread at a time and only that thread calls into its plugins; do not
/// share one `ExecPlugin` between engines on different threads.
public final class ExecPlugin: @unchecked Sendable {
    /// Timeouts and limits.
    public struct Options: Sendable, Hashable {
        /// Seconds to wait for each reply (and to write each cue).
        public var replyTimeout: Double = 2
        /// Seconds to wait for the handshake after starting.
        public var handshakeTimeout: Double = 2
        /// Seconds a plugin gets to exit by itself after its input is closed, before SIGKILL.
        public var exitTimeout: Double = 2
        /// The longest reply line accepted, in bytes.
        public var maxReplyBytes: Int = 1 << 20
        /// Where the child's standard error goes: Attune's own (2) by default, so a
        /// chatty plugin can never block on a pipe nobody reads.
        public var stderrDescriptor: Int32 = 2
        public init() {}
    }

    /// What happened to the plugin so far.
    public struct Counts: Sendable, Hashable {
        /// Cues written to the plugin.
        public var sent = 0
        /// Valid evidence lines read back.
        public var replies = 0
        /// 0 or 1: a failure disables the plugin for the rest of the run.
        public var failures = 0
        /// Cues rejected because the channel was disabled.
        public var rejected = 0
        /// Cues that were already accepted when the channel was disabled, applied with no evidence.
        public var skipped = 0
    }

    /// The channel it handles.
    public let channelName: String
    /// The shell command, as given.
    public let command: String
    public let options: Options

    public private(set) var counts = Counts()
    /// The handshake, once read.
    public private(set) var handshake: ExecWire.Handshake?
    /// Why the channel is disabled, or nil while it works.
    public private(set) var disabledReason: String?

    /// The child's process id while it runs (0 before start and after it is reaped).
    public private(set) var pid: pid_t = 0
    private var toChild: Int32 = -1
    private var fromChild: Int32 = -1
    private var buffer: [UInt8] = []
    private var pendingFailures: [ExecPluginFailure] = []
    private var started = false

    public init(channel: String, command: String, options: Options = .init()) {
        self.channelName = channel
        self.command = command
        self.options = options
    }

    deinit { shutdown() }

    /// The channel plugin to register: `channels.register(plugin.channel)`.
    public var channel: ExecChannel { ExecChannel(process: self) }

    /// Whether the plugin is running and answering.
    public var isEnabled: Bool { started && disabledReason == nil }

    /// Failures not reported yet (at most one per plugin), for the caller to print.
    public func drainFailures() -> [ExecPluginFailure] {
        defer { pendingFailures.removeAll() }
        return pendingFailures
    }

    /// Starts the child and reads its handshake. Returns false (and records a
    /// failure) if it cannot start, does not shake hands in time, or does not handle the channel.
    @discardableResult
    public func start() -> Bool {
        guard !started else { return isEnabled }
        started = true
        var input: [Int32] = [-1, -1]
        // A socket for the child's stdin, so writes can use MSG_NOSIGNAL: a dead
        // plugin must give EPIPE, not kill an embedding process that has not ignored SIGPIPE.
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &input) == 0 else {
            fail("cannot create a socket: \(String(cString: strerror(errno)))")
            return false
        }
        var output: [Int32] = [-1, -1]
        // A socket for its stdout too: SOCK_CLOEXEC is atomic, so a plugin started at the
        // same moment on another thread (tests, several engines) cannot inherit our end
        // and keep it open, which would hide this plugin's exit (no EOF).
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &output) == 0 else {
            close(input[0]); close(input[1])
            fail("cannot create a socket: \(String(cString: strerror(errno)))")
            return false
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, input[1], 0)
        posix_spawn_file_actions_adddup2(&actions, output[1], 1)
        if options.stderrDescriptor != 2 { posix_spawn_file_actions_adddup2(&actions, options.stderrDescriptor, 2) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Its own process group: Ctrl-C reaches Attune only (which then closes the
        // plugin's input cleanly), and a timeout can kill a shell and its children at once.
        // Default signal dispositions: an ignored SIGPIPE would otherwise be inherited.
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        posix_spawnattr_setpgroup(&attributes, 0)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for s in [SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT] { sigaddset(&defaults, s) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var noMask = sigset_t()
        sigemptyset(&noMask)
        posix_spawnattr_setsigmask(&attributes, &noMask)

        let argv: [UnsafeMutablePointer<CChar>?] = [strdup("sh"), strdup("-c"), strdup(command), nil]
        defer { for a in argv { free(a) } }
        var child: pid_t = 0
        let rc = posix_spawn(&child, "/bin/sh", &actions, &attributes, argv, environ)
        close(input[1])
        close(output[1])
        guard rc == 0 else {
            close(input[0]); close(output[0])
            fail("cannot start /bin/sh: \(String(cString: strerror(rc)))")
            return false
        }
        pid = child
        toChild = input[0]
        fromChild = output[0]
        _ = fcntl(toChild, F_SETFL, fcntl(toChild, F_GETFL) | O_NONBLOCK)
        _ = fcntl(fromChild, F_SETFL, fcntl(fromChild, F_GETFL) | O_NONBLOCK)

        switch readLine(timeout: options.handshakeTimeout) {
        case .line(let text):
            switch ExecWire.parseHandshake(text, channel: channelName) {
            case .success(let h):
                handshake = h
                return true
            case .failure(let e):
                fail(e.message)
            }
        case .timeout:
            fail("no handshake within \(seconds(options.handshakeTimeout))")
        case .endOfFile:
            fail("\(exitDescription()) before its handshake")
        case .tooLong:
            fail("handshake line over \(options.maxReplyBytes) bytes")
        case .error(let code):
            fail("reading its handshake failed: \(String(cString: strerror(code)))")
        }
        return false
    }

    /// Sends one cue and reads its evidence. Never blocks longer than `replyTimeout` twice
    /// (writing, then reading); a failure disables the plugin and returns no evidence.
    public func evidence(for cue: Cue) -> Evidence {
        if !started { start() }
        guard disabledReason == nil else {
            counts.skipped += 1
            return Evidence(warnings: ["channel \(channelName) is disabled (plugin failed); its cues are ignored"])
        }
        var line = Array(ExecWire.cueLine(cue).utf8)
        line.append(0x0A)
        counts.sent += 1
        let deadline = Deadline(seconds: options.replyTimeout)
        if let problem = writeAll(line, deadline: deadline) {
            fail(problem, line: cue.line)
            return .none
        }
        switch readLine(timeout: deadline.remaining) {
        case .line(let text):
            switch ExecWire.parseReply(text) {
            case .success(let evidence):
                counts.replies += 1
                return evidence
            case .failure(let e):
                fail("bad reply: \(e.message)", line: cue.line)
            }
        case .timeout:
            fail("no reply within \(seconds(options.replyTimeout))", line: cue.line)
        case .endOfFile:
            fail("\(exitDescription()) before replying", line: cue.line)
        case .tooLong:
            fail("reply line over \(options.maxReplyBytes) bytes", line: cue.line)
        case .error(let code):
            fail("reading its reply failed: \(String(cString: strerror(code)))", line: cue.line)
        }
        return .none
    }

    /// The reason a cue of this channel is rejected (the channel is disabled), or nil.
    func rejection() -> String? {
        guard let disabledReason else { return nil }
        counts.rejected += 1
        return "channel disabled: \(disabledReason)"
    }

    /// Closes the plugin's input, gives it `exitTimeout` to exit, then kills it; always reaps it. Idempotent.
    public func shutdown() {
        if toChild >= 0 { close(toChild); toChild = -1 }
        if pid > 0 {
            let deadline = Deadline(seconds: options.exitTimeout)
            var status: Int32 = 0
            while waitpid(pid, &status, WNOHANG) == 0 {
                if deadline.remaining <= 0 {
                    kill(-pid, SIGKILL)
                    kill(pid, SIGKILL)
                    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                    break
                }
                _ = poll(nil, 0, 5)
            }
            pid = 0
        }
        if fromChild >= 0 { close(fromChild); fromChild = -1 }
    }

    /// A one-line account for the run summary: `plugin physio: 120 replies, 0 failures`.
    public var summary: String {
        var s = "plugin \(channelName): \(counts.replies) repl\(counts.replies == 1 ? "y" : "ies"), \(counts.failures) failure\(counts.failures == 1 ? "" : "s")"
        if counts.rejected > 0 { s += ", \(counts.rejected) cue\(counts.rejected == 1 ? "" : "s") rejected (channel disabled)" }
        if counts.skipped > 0 { s += ", \(counts.skipped) cue\(counts.skipped == 1 ? "" : "s") without evidence" }
        return s
    }

    // MARK: - Private

    private func fail(_ message: String, line: Int? = nil) {
        guard disabledReason == nil else { return }
        disabledReason = message
        counts.failures += 1
        pendingFailures.append(ExecPluginFailure(channel: channelName, command: command, line: line, message: message))
        terminate()
    }

    /// Kills the child's whole process group and reaps the child, so no zombie is left behind.
    private func terminate() {
        if toChild >= 0 { close(toChild); toChild = -1 }
        if fromChild >= 0 { close(fromChild); fromChild = -1 }
        guard pid > 0 else { return }
        kill(-pid, SIGKILL)
        kill(pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        pid = 0
    }

    /// After the plugin closed its output: how it ended, waiting briefly for it to exit.
    private func exitDescription(stillRunning: String = "closed its output") -> String {
        guard pid > 0 else { return "exited" }
        var status: Int32 = 0
        let deadline = Deadline(seconds: 0.5)
        while true {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid {
                pid = 0
                let signal = status & 0x7f
                if signal == 0 { return "exited with status \((status >> 8) & 0xff)" }
                return "was killed by signal \(signal)\(signalName(signal))"
            }
            if r < 0 && errno != EINTR { return stillRunning }
            if deadline.remaining <= 0 { return stillRunning }
            _ = poll(nil, 0, 5)
        }
    }

    private enum LineResult {
        case line(String)
        case timeout
        case endOfFile
        case tooLong
        case error(Int32)
    }

    private func readLine(timeout: Double) -> LineResult {
        let deadline = Deadline(seconds: timeout)
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            if let nl = buffer.firstIndex(of: 0x0A) {
                var lineBytes = buffer[..<nl]
                if lineBytes.last == 0x0D { lineBytes = lineBytes.dropLast() }
                let text = String(decoding: lineBytes, as: UTF8.self)
                buffer.removeSubrange(...nl)
                return .line(text)
            }
            if buffer.count > options.maxReplyBytes { return .tooLong }
            let remaining = deadline.remaining
            if remaining <= 0 { return .timeout }
            var p = pollfd(fd: fromChild, events: Int16(POLLIN), revents: 0)
            let ready = poll(&p, 1, Int32(min(remaining * 1000 + 1, 3_600_000)))
            if ready < 0 {
                if errno == EINTR { continue }
                return .error(errno)
            }
            if ready == 0 { continue }
            let n = chunk.withUnsafeMutableBytes { read(fromChild, $0.baseAddress!, $0.count) }
            if n > 0 {
                buffer.append(contentsOf: chunk[0..<n])
            } else if n == 0 {
                return .endOfFile
            } else if errno != EINTR && errno != EAGAIN {
                return .error(errno)
            }
        }
    }

    /// Writes all of `bytes` before the deadline; the problem, or nil.
    private func writeAll(_ bytes: [UInt8], deadline: Deadline) -> String? {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { send(toChild, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if n >= 0 { offset += n; continue }
            if errno == EINTR { continue }
            if errno == EPIPE || errno == ECONNRESET { return exitDescription(stillRunning: "closed its input") }
            guard errno == EAGAIN || errno == EWOULDBLOCK else { return "writing a cue failed: \(String(cString: strerror(errno)))" }
            let remaining = deadline.remaining
            if remaining <= 0 { return "did not read its input within \(seconds(options.replyTimeout))" }
            var p = pollfd(fd: toChild, events: Int16(POLLOUT), revents: 0)
            _ = poll(&p, 1, Int32(min(remaining * 1000 + 1, 3_600_000)))
        }
        return nil
    }

    private func seconds(_ x: Double) -> String {
        x == x.rounded() ? "\(Int(x)) s" : "\(x) s"
    }
}

/// A plugin failure, for the caller to print:
/// `plugin physio (./p.py): no reply within 2 s (cue at line 12); channel physio disabled`.
public struct ExecPluginFailure: Sendable, Hashable, CustomStringConvertible {
    public var channel: String
    public var command: String
    /// The input line of the cue it failed on, if it failed on one.
    public var line: Int?
    public var message: String

    public var description: String {
        "plugin \(channel) (\(clip(command, 60))): \(message)" + (line.map { " (cue at line \($0))" } ?? "")
            + "; channel \(channel) disabled"
    }
}

/// A monotonic deadline: timeouts must not jump with the wall clock.
struct Deadline {
    private let end: Double
    init(seconds: Double) { end = Deadline.now() + seconds }
    var remaining: Double { end - Deadline.now() }
    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}

private func signalName(_ s: Int32) -> String {
    switch s {
    case SIGKILL: return " (SIGKILL)"
    case SIGSEGV: return " (SIGSEGV)"
    case SIGABRT: return " (SIGABRT)"
    case SIGTERM: return " (SIGTERM)"
    case SIGINT: return " (SIGINT)"
    case SIGPIPE: return " (SIGPIPE)"
    case SIGBUS: return " (SIGBUS)"
    default: return ""
    }
}
