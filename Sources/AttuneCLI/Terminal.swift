#if canImport(Glibc)
import Glibc
#endif

/// Writes a line to stderr unbuffered (diagnostics must not wait behind output).
func printError(_ message: String) {
    var line = message
    line += "\n"
    line.withUTF8 { buf in
        var offset = 0
        while offset < buf.count {
            let n = write(2, buf.baseAddress! + offset, buf.count - offset)
            if n <= 0 { if n < 0 && errno == EINTR { continue }; return }
            offset += n
        }
    }
}

/// The signal that asked us to stop, if any. A signal handler can only touch
/// plain memory, so this one flag is process-global by necessity; it is only
/// read by the run loop.
nonisolated(unsafe) private var receivedSignal: sig_atomic_t = 0

enum Signals {
    /// SIGINT/SIGTERM set the flag and interrupt a blocking read (no SA_RESTART);
    /// SIGPIPE is ignored so a closed stdout shows up as EPIPE, handled quietly.
    static func install() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { signal in receivedSignal = signal }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGINT, &action, nil)
        sigaction(SIGTERM, &action, nil)
        signal(SIGPIPE, SIG_IGN)
        // A blocked mask survives exec: a parent (a supervisor, a test runner's thread)
        // that blocks SIGTERM would otherwise leave Attune deaf to it.
        var stopSignals = sigset_t()
        sigemptyset(&stopSignals)
        sigaddset(&stopSignals, SIGINT)
        sigaddset(&stopSignals, SIGTERM)
        sigprocmask(SIG_UNBLOCK, &stopSignals, nil)
    }

    static var received: Int32 { receivedSignal }
}

/// Whether a file descriptor is a regular file (output then goes in large blocks).
func isRegularFile(_ fd: Int32) -> Bool {
    var st = stat()
    return fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
}

func readWholeFile(_ path: String) throws -> String {
    guard let f = fopen(path, "rb") else {
        throw CLIError("cannot open \(path): \(String(cString: strerror(errno)))")
    }
    defer { fclose(f) }
    var bytes: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = buf.withUnsafeMutableBytes { fread($0.baseAddress!, 1, $0.count, f) }
        if n <= 0 { break }
        bytes.append(contentsOf: buf[0..<n])
    }
    if ferror(f) != 0 { throw CLIError("cannot read \(path)") }
    return String(decoding: bytes, as: UTF8.self)
}

func openForWriting(_ path: String) throws -> Int32 {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { throw CLIError("cannot write \(path): \(String(cString: strerror(errno)))") }
    return fd
}

struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
