#if canImport(Glibc)
import Glibc
#endif

/// Reads a file descriptor in 1 MiB chunks and hands out lines as byte
/// buffers (no `readLine()`, no String per line). A line split across chunks
/// is stitched in a carry buffer; a line over `maxLine` bytes is skipped as it
/// streams past and reported by length only, so a 100 MB line costs no memory.
struct LineReader {
    enum Piece {
        case line(UnsafeRawBufferPointer)
        case overlong(Int)
    }

    enum End: Equatable {
        case endOfInput
        case interrupted
        case readError(Int32)
    }

    let fd: Int32
    let maxLine: Int
    private var chunk: [UInt8]
    private var carry: [UInt8] = []
    private var carryOverlong = false
    private var carryLength = 0

    init(fd: Int32, maxLine: Int, chunkSize: Int = 1 << 20) {
        self.fd = fd
        self.maxLine = maxLine
        self.chunk = [UInt8](repeating: 0, count: chunkSize)
    }

    /// Calls `body` for every line until end of input, `stop()` returning true
    /// (checked before each read), or a read error. `idle` runs after each
    /// chunk, before a read that may block: the moment to flush output.
    mutating func run(stop: () -> Bool, idle: () throws -> Void, _ body: (Piece) throws -> Void) rethrows -> End {
        while true {
            if stop() { return .interrupted }
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return .readError(errno)
            }
            if n == 0 {
                if carryOverlong {
                    try body(.overlong(carryLength))
                } else if !carry.isEmpty {
                    try carry.withUnsafeBytes { try body(.line($0)) }
                }
                carry.removeAll()
                carryOverlong = false
                carryLength = 0
                return .endOfInput
            }
            try chunk.withUnsafeBytes { raw in
                let base = raw.baseAddress!
                var start = 0
                while start < n {
                    guard let nl = memchr(base + start, 0x0A, n - start) else {
                        stash(UnsafeRawBufferPointer(start: base + start, count: n - start))
                        break
                    }
                    let end = base.distance(to: UnsafeRawPointer(nl))
                    let piece = UnsafeRawBufferPointer(start: base + start, count: end - start)
                    if carryOverlong || !carry.isEmpty {
                        stash(piece)
                        if carryOverlong {
                            try body(.overlong(carryLength))
                        } else {
                            try carry.withUnsafeBytes { try body(.line($0)) }
                        }
                        carry.removeAll(keepingCapacity: carry.capacity <= 4 << 20)
                        carryOverlong = false
                        carryLength = 0
                    } else if piece.count > maxLine {
                        try body(.overlong(piece.count))
                    } else {
                        try body(.line(piece))
                    }
                    start = end + 1
                }
            }
            try idle()
        }
    }

    private mutating func stash(_ bytes: UnsafeRawBufferPointer) {
        carryLength += bytes.count
        if carryOverlong { return }
        if carryLength > maxLine {
            carryOverlong = true
            carry.removeAll()
            return
        }
        carry.append(contentsOf: bytes)
    }
}
