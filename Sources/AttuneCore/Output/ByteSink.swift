#if canImport(Glibc)
import Glibc
#endif

/// Where output bytes go: a file descriptor behind a 64 KiB buffer, or memory.
///
/// A class because it is an I/O resource: several adapters may share stdout,
/// and the buffer must be flushed exactly once in order.
public final class ByteSink {
    public enum Target {
        case fileDescriptor(Int32)
        case memory
    }

    /// Writing failed: the reader went away (EPIPE) or the disk is full.
    public struct WriteError: Error, CustomStringConvertible, Hashable {
        public var errno: Int32
        public var isBrokenPipe: Bool { errno == EPIPE }
        public var description: String { String(cString: strerror(errno)) }
    }

    public let target: Target
    private var buffer: [UInt8] = []
    private let capacity: Int
    /// Everything written, for `.memory` sinks.
    public private(set) var written: [UInt8] = []

    public init(_ target: Target, capacity: Int = 64 * 1024) {
        self.target = target
        self.capacity = capacity
        buffer.reserveCapacity(capacity)
    }

    /// An in-memory sink, for tests.
    public static func memory() -> ByteSink { ByteSink(.memory) }

    public func write(_ bytes: [UInt8]) throws(WriteError) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= capacity { try flush() }
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws(WriteError) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= capacity { try flush() }
    }

    public func write(_ text: String) throws(WriteError) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= capacity { try flush() }
    }

    public func flush() throws(WriteError) {
        guard !buffer.isEmpty else { return }
        switch target {
        case .memory:
            written.append(contentsOf: buffer)
        case .fileDescriptor(let fd):
            var offset = 0
            let ok: Bool = buffer.withUnsafeBytes { raw in
                while offset < raw.count {
                    let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                    if n < 0 {
                        if errno == EINTR { continue }
                        return false
                    }
                    offset += n
                }
                return true
            }
            if !ok {
                let code = errno
                buffer.removeAll(keepingCapacity: true)
                throw WriteError(errno: code)
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// The text written so far to a memory sink (after a flush).
    public var text: String { String(decoding: written, as: UTF8.self) }
}
