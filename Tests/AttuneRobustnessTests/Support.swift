import Foundation
import Glibc
import Testing

/// The repository root, from this file's path.
let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The `attune` binary built alongside this test bundle (or `ATTUNE_BIN`).
func attuneBinary() throws -> String {
    if let path = ProcessInfo.processInfo.environment["ATTUNE_BIN"] { return path }
    let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    var dir = exe.deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = dir.appendingPathComponent("attune")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate.path }
        dir = dir.deletingLastPathComponent()
    }
    throw Failure("attune binary not found near \(exe.path); build first or set ATTUNE_BIN")
}

struct Failure: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// A child `attune` process started with posix_spawn, so the test can send it signals, feed
/// its stdin at its own pace, read its stdout slowly or not at all, and measure its peak RSS.
///
/// Peak RSS comes from sampling `VmHWM` in /proc/PID/status every 2 ms, not from wait4's
/// `ru_maxrss`: posix_spawn uses vfork, and at exec the kernel folds the high-water mark of
/// the old address space (the test process's, often 100 MB and more) into the child's maxrss.
final class Child: @unchecked Sendable {
    enum Output { case pipe, devNull }

    let pid: pid_t
    private(set) var stdinFD: Int32
    private(set) var stdoutFD: Int32
    let stderrFD: Int32
    private let lock = NSLock()
    private var errBytes: [UInt8] = []
    private var errDone = false
    private var peakKB = 0
    private var reaped = false

    /// `inheritSignalMask`: start the child with the spawning thread's signal mask (test
    /// threads block most signals) instead of a clean one, as a careless supervisor would.
    init(_ arguments: [String], stdout: Output = .pipe, stdinFile: String? = nil, inheritSignalMask: Bool = false) throws {
        // The test process must survive writing to a child that has exited.
        signal(SIGPIPE, SIG_IGN)
        var inPipe: [Int32] = [0, 0], outPipe: [Int32] = [0, 0], errPipe: [Int32] = [0, 0]
        // O_CLOEXEC: tests run in parallel; another child must not inherit our pipe ends
        // (a stray copy of a write end would keep EOF from ever arriving).
        // (pipe2 is not visible from Swift; the window between pipe and fcntl is tiny.)
        for i in 0..<3 {
            var fds: [Int32] = [0, 0]
            guard pipe(&fds) == 0 else { throw Failure("pipe failed") }
            for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            if i == 0 { inPipe = fds } else if i == 1 { outPipe = fds } else { errPipe = fds }
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let stdinFile {
            posix_spawn_file_actions_addopen(&actions, 0, stdinFile, O_RDONLY, 0)
        } else {
            posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
        }
        switch stdout {
        case .pipe: posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        case .devNull: posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        let path = try attuneBinary()
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t(), defaults = sigset_t()
        sigemptyset(&empty)
        sigemptyset(&defaults)
        for s in [SIGPIPE, SIGINT, SIGTERM] { sigaddset(&defaults, s) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        if inheritSignalMask {
            posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF))
        } else {
            posix_spawnattr_setsigmask(&attributes, &empty)
            posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        }
        let rc = posix_spawn(&pid, path, &actions, &attributes, argv, environ)
        close(inPipe[0]); close(outPipe[1]); close(errPipe[1])
        guard rc == 0 else { throw Failure("posix_spawn failed: \(rc)") }
        self.pid = pid
        stdinFD = inPipe[1]
        if stdinFile != nil { close(stdinFD); stdinFD = -1 }
        if stdout == .devNull { close(outPipe[0]); stdoutFD = -1 } else { stdoutFD = outPipe[0] }
        stderrFD = errPipe[0]
        let t = Thread { [self] in
            var buf = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = buf.withUnsafeMutableBytes { read(stderrFD, $0.baseAddress!, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                lock.lock(); errBytes += buf[0..<n]; lock.unlock()
            }
            lock.lock(); errDone = true; lock.unlock()
        }
        t.start()
        let monitor = Thread { [self] in
            while true {
                lock.lock(); let done = reaped; lock.unlock()
                if done { break }
                guard let hwm = status("VmHWM") else { break }  // exited (a zombie has no memory)
                lock.lock(); peakKB = max(peakKB, hwm); lock.unlock()
                usleep(2000)
            }
        }
        monitor.start()
    }

    /// A `kB` field of /proc/PID/status.
    private func status(_ field: String) -> Int? {
        guard let s = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in s.split(separator: "\n") where line.hasPrefix(field + ":") {
            return Int(line.split(separator: " ").dropFirst().first ?? "")
        }
        return nil
    }

    /// Writes all of `bytes` to the child's stdin; false once the child stopped reading (EPIPE).
    @discardableResult
    func write(_ bytes: [UInt8]) -> Bool {
        lock.lock(); let stdinFD = self.stdinFD; lock.unlock()
        guard stdinFD >= 0 else { return false }
        return bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(stdinFD, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 { if errno == EINTR { continue }; return false }
                offset += n
            }
            return true
        }
    }

    func write(_ text: String) { write(Array(text.utf8)) }

    /// Called from the writer thread and from `wait()`: the lock keeps it to one close.
    func closeStdin() {
        lock.lock(); defer { lock.unlock() }
        if stdinFD >= 0 { close(stdinFD); stdinFD = -1 }
    }

    func closeStdout() {
        if stdoutFD >= 0 { close(stdoutFD); stdoutFD = -1 }
    }

    /// The stdout read end (for tests that read at their own pace).
    var stdoutDescriptor: Int32 { stdoutFD }

    /// Reads stdout until `count` newline-terminated lines arrived (or EOF, or `timeout`).
    func readLines(_ count: Int, timeout: Double = 60) -> [String] {
        var data: [UInt8] = []
        var lines = 0
        let deadline = Date().addingTimeInterval(timeout)
        var buf = [UInt8](repeating: 0, count: 65536)
        while lines < count, Date() < deadline {
            var p = pollfd(fd: stdoutFD, events: Int16(POLLIN), revents: 0)
            if poll(&p, 1, 100) <= 0 { continue }
            let n = buf.withUnsafeMutableBytes { read(stdoutFD, $0.baseAddress!, $0.count) }
            if n <= 0 { break }
            data += buf[0..<n]
            lines += buf[0..<n].lazy.filter { $0 == 0x0A }.count
        }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// Everything left on stdout, until EOF (or `timeout` seconds).
    func readToEnd(timeout: Double = 180) -> [UInt8] {
        var data: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            var p = pollfd(fd: stdoutFD, events: Int16(POLLIN), revents: 0)
            if poll(&p, 1, 100) == 0 { continue }
            let n = buf.withUnsafeMutableBytes { read(stdoutFD, $0.baseAddress!, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            data += buf[0..<n]
        }
        return data
    }

    /// The child's resident set size now, from /proc (kB).
    func currentRSSKB() -> Int? { status("VmRSS") }

    func send(_ signal: Int32) { kill(pid, signal) }

    /// Waits for exit. `status` is the exit code, or 1000 + signal if the child was killed
    /// (after `timeout` seconds the test kills it: a hang fails the test, not the suite).
    func wait(timeout: Double = 180) -> (status: Int32, maxRSSKB: Int, stderr: String) {
        var status: Int32 = 0
        var usage = rusage()
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            // WNOWAIT: leave the zombie (and its pid) in place until the monitor is done with /proc.
            var info = siginfo_t()
            let r0 = waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT)
            if r0 == 0 && info._sifields._kill.si_pid == pid {
                // One last look at the zombie's /proc entry is pointless (its memory is gone);
                // the monitor's samples up to 2 ms before exit are the peak.
                lock.lock(); reaped = true; lock.unlock()
                while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
                break
            }
            let r = r0 < 0 && errno != EINTR ? -1 : 0
            if r == pid || (r < 0 && errno != EINTR) { break }
            if Date() > deadline { kill(pid, SIGKILL) }
            usleep(2000)
        }
        closeStdin()
        while true {
            lock.lock(); let done = errDone; lock.unlock()
            if done { break }
            usleep(1000)
        }
        close(stderrFD)
        closeStdout()
        // Killed by a signal: 1000 + signal, so it cannot pass for an exit status of 128 + signal.
        let code: Int32 = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 1000 + (status & 0x7F)
        lock.lock(); defer { lock.unlock() }
        return (code, peakKB, String(decoding: errBytes, as: UTF8.self))
    }
}

struct RunResult {
    var status: Int32
    var stdout: [UInt8]
    var stderr: String
    var maxRSSKB: Int
    var lines: [String] { String(decoding: stdout, as: UTF8.self).split(separator: "\n").map(String.init) }
    /// The summary numbers, from `attune: N lines read, A accepted, R rejected ...`.
    var summary: Summary? { Summary(stderr) }
}

struct Summary: Equatable {
    var read: Int, accepted: Int, rejected: Int, late: Int, sessions: Int, recommendations: Int
    init(read: Int, accepted: Int, rejected: Int, late: Int, sessions: Int, recommendations: Int) {
        (self.read, self.accepted, self.rejected, self.late, self.sessions, self.recommendations) =
            (read, accepted, rejected, late, sessions, recommendations)
    }
    init?(_ stderr: String) {
        guard let line = stderr.split(separator: "\n").last(where: { $0.contains(" lines read, ") }) else { return nil }
        func number(before word: String) -> Int? {
            guard let r = line.range(of: " " + word) else { return nil }
            let head = line[..<r.lowerBound]
            return Int(head.split(whereSeparator: { $0 == " " || $0 == "(" }).last ?? "")
        }
        guard let read = number(before: "lines read"), let accepted = number(before: "accepted"),
              let rejected = number(before: "rejected"), let late = number(before: "late") else { return nil }
        let sessions = number(before: "sessions") ?? number(before: "session") ?? -1
        let recs = number(before: "recommendations") ?? number(before: "recommendation") ?? -1
        self.init(read: read, accepted: accepted, rejected: rejected, late: late, sessions: sessions, recommendations: recs)
    }
}

/// Runs `attune` to completion with `input` fed from a writer thread (so huge inputs stream).
func attune(_ arguments: [String], stdout: Child.Output = .pipe,
            input: @escaping @Sendable (Child) -> Void) throws -> RunResult {
    let child = try Child(arguments, stdout: stdout)
    let writer = Thread {
        input(child)
        child.closeStdin()
    }
    writer.start()
    let out = stdout == .pipe ? child.readToEnd() : []
    let (status, rss, err) = child.wait()
    while writer.isExecuting { usleep(1000) }
    return RunResult(status: status, stdout: out, stderr: err, maxRSSKB: rss)
}

func attune(_ arguments: [String], bytes: [UInt8]) throws -> RunResult {
    try attune(arguments) { $0.write(bytes) }
}

func attune(_ arguments: [String], text: String) throws -> RunResult {
    try attune(arguments, bytes: Array(text.utf8))
}

/// A configuration file with `json` in it, for `--config`.
func configFile(_ json: String) throws -> String {
    let path = NSTemporaryDirectory() + "attune-robust-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).json"
    try json.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

/// An `affect` line (the cheapest channel), for volume tests.
func affectLine(t: Double, session: String, valence: Double = -0.4) -> String {
    #"{"t":\#(t),"session":"\#(session)","channel":"affect","value":{"valence":\#(valence),"arousal":0.3}}"#
}

/// The stderr lines that are not the summary.
func messages(_ stderr: String) -> [String] {
    stderr.split(separator: "\n").map(String.init).filter { !$0.contains(" lines read, ") }
}

/// No sign of a crash report in stderr.
func noCrashReport(_ stderr: String) -> Bool {
    !stderr.contains("Program crashed") && !stderr.contains("Fatal error") && !stderr.contains("Backtrace")
        && !stderr.contains("Thread 0") && !stderr.contains("Illegal instruction")
}

/// A counter shared between a writer thread and the test.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    var value: Int { lock.lock(); defer { lock.unlock() }; return n }
    func set(_ v: Int) { lock.lock(); n = v; lock.unlock() }
}
