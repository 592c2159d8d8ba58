// The C API (Protocols/attune.h), exported with @_cdecl. Every function checks its
// pointers and reports problems as status codes; nothing here may trap on input.
import Attune
#if canImport(Glibc)
import Glibc
#endif

private let ATTUNE_OK: Int32 = 0
private let ATTUNE_REJECTED: Int32 = 1
private let ATTUNE_ERR_ARGUMENT: Int32 = -1
private let ATTUNE_ERR_FINISHED: Int32 = -2
private let ATTUNE_ERR_MEMORY: Int32 = -3

/// What an `attune_engine_t *` points to. A class, so the C side holds one stable pointer.
final class CEngine {
    var engine: StandardEngine
    var finished = false
    /// The last `attune_read` buffer (engine-owned, NUL-terminated).
    var readBuffer: UnsafeMutablePointer<CChar>?
    var errorBuffer: UnsafeMutablePointer<CChar>?
    /// Recommendation lines not read yet, as bytes.
    var pending: [UInt8] = []
    var pendingLines = 0

    init(engine: StandardEngine) { self.engine = engine }

    deinit {
        free(readBuffer)
        free(errorBuffer)
    }

    func setError(_ message: String) {
        free(errorBuffer)
        errorBuffer = strdup(message)
    }

    func collect() {
        engine.drain { r in
            pending.append(contentsOf: r.jsonLine.utf8)
            pending.append(0x0A)
            pendingLines += 1
        }
        _ = engine.drainWarnings()
    }
}

private func unwrap(_ pointer: OpaquePointer?) -> CEngine? {
    guard let pointer else { return nil }
    return Unmanaged<CEngine>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue()
}

@_cdecl("attune_protocol_version")
public func attune_protocol_version() -> Int32 { 1 }

@_cdecl("attune_engine_new")
public func attune_engine_new(_ config: UnsafePointer<CChar>?, _ error: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> OpaquePointer? {
    error?.pointee = nil
    var configuration = AttuneConfiguration()
    if let config {
        do {
            configuration = try AttuneConfiguration.load(overrides: String(cString: config))
        } catch let e {
            error?.pointee = strdup(e.description)
            return nil
        }
    }
    let box = CEngine(engine: StandardEngine(configuration: configuration))
    return OpaquePointer(Unmanaged.passRetained(box).toOpaque())
}

@_cdecl("attune_push_line")
public func attune_push_line(_ pointer: OpaquePointer?, _ line: UnsafePointer<CChar>?, _ length: Int) -> Int32 {
    guard let e = unwrap(pointer) else { return ATTUNE_ERR_ARGUMENT }
    guard line != nil || length == 0 else {
        e.setError("line is NULL")
        return ATTUNE_ERR_ARGUMENT
    }
    guard !e.finished else {
        e.setError("the engine is finished; create a new one")
        return ATTUNE_ERR_FINISHED
    }
    var count = length
    if count > 0, let line, line[count - 1] == 0x0A { count -= 1 }
    let bytes = UnsafeRawBufferPointer(start: line.map(UnsafeRawPointer.init), count: count)
    let result = e.engine.ingest(line: bytes)
    e.collect()
    switch result {
    case .success:
        e.setError("")
        return ATTUNE_OK
    case .failure(let problem):
        e.setError(problem.description)
        return ATTUNE_REJECTED
    }
}

@_cdecl("attune_read")
public func attune_read(_ pointer: OpaquePointer?, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ length: UnsafeMutablePointer<Int>?) -> Int32 {
    guard let e = unwrap(pointer) else { return ATTUNE_ERR_ARGUMENT }
    guard let out, let length else {
        e.setError("out or len is NULL")
        return ATTUNE_ERR_ARGUMENT
    }
    e.collect()
    free(e.readBuffer)
    e.readBuffer = nil
    guard let buffer = malloc(e.pending.count + 1)?.assumingMemoryBound(to: CChar.self) else {
        e.setError("out of memory")
        return ATTUNE_ERR_MEMORY
    }
    e.pending.withUnsafeBytes { raw in
        if let base = raw.baseAddress { memcpy(buffer, base, raw.count) }
    }
    buffer[e.pending.count] = 0
    e.readBuffer = buffer
    out.pointee = buffer
    length.pointee = e.pending.count
    let lines = e.pendingLines
    e.pending.removeAll(keepingCapacity: true)
    e.pendingLines = 0
    e.setError("")
    return Int32(clamping: lines)
}

@_cdecl("attune_counts")
public func attune_counts(_ pointer: OpaquePointer?, _ out: UnsafeMutableRawPointer?) -> Int32 {
    guard let e = unwrap(pointer), let out else { return ATTUNE_ERR_ARGUMENT }
    let c = e.engine.counts
    // attune_counts_t: eight uint64_t fields in this order.
    let fields = [c.read, c.accepted, c.rejected, c.blank, c.late, c.sessions, c.emitted, c.warnings]
    for (i, v) in fields.enumerated() {
        out.storeBytes(of: UInt64(max(0, v)), toByteOffset: i * 8, as: UInt64.self)
    }
    return ATTUNE_OK
}

private let noEngineMessage: StaticString = "no engine (NULL)"
private let emptyMessage: StaticString = ""

@_cdecl("attune_last_error")
public func attune_last_error(_ pointer: OpaquePointer?) -> UnsafePointer<CChar>? {
    guard let e = unwrap(pointer) else {
        return UnsafeRawPointer(noEngineMessage.utf8Start).assumingMemoryBound(to: CChar.self)
    }
    if let b = e.errorBuffer { return UnsafePointer(b) }
    return UnsafeRawPointer(emptyMessage.utf8Start).assumingMemoryBound(to: CChar.self)
}

@_cdecl("attune_engine_finish")
public func attune_engine_finish(_ pointer: OpaquePointer?) -> Int32 {
    guard let e = unwrap(pointer) else { return ATTUNE_ERR_ARGUMENT }
    if !e.finished {
        e.finished = true
        e.engine.finish()
        e.collect()
    }
    e.setError("")
    return ATTUNE_OK
}

@_cdecl("attune_engine_free")
public func attune_engine_free(_ pointer: OpaquePointer?) {
    guard let pointer else { return }
    Unmanaged<CEngine>.fromOpaque(UnsafeRawPointer(pointer)).release()
}

@_cdecl("attune_free")
public func attune_free(_ pointer: UnsafeMutableRawPointer?) {
    free(pointer)
}
