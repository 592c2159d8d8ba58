import CJSONC

/// A control line: `{"t": 12.0, "session": "s1", "control": "end"}`.
public struct Control: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// Close the session: apply what is queued, emit, free its state.
        case end
        /// Advance the session's clock with no cue (estimates decay, an
        /// `--emit every` run prints the state at that time).
        case tick
    }
    public var t: Double
    public var session: String
    public var kind: Kind
    public var line: Int

    public init(t: Double, session: String = "default", kind: Kind, line: Int = 0) {
        self.t = t
        self.session = session
        self.kind = kind
        self.line = line
    }
}

/// One decoded input line.
public enum InputEvent: Sendable, Hashable {
    case cue(Cue)
    case control(Control)

    public var t: Double {
        switch self {
        case .cue(let c): return c.t
        case .control(let c): return c.t
        }
    }
    public var session: String {
        switch self {
        case .cue(let c): return c.session
        case .control(let c): return c.session
        }
    }
    public var line: Int {
        switch self {
        case .cue(let c): return c.line
        case .control(let c): return c.line
        }
    }
}

/// Why a line was rejected. `message` is what follows `attune: line N: `.
public struct LineError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        case blank, tooLong, malformed, invalidField, unknownChannel, invalidValue
    }
    public var line: Int
    public var kind: Kind
    public var message: String
    public var description: String { "line \(line): \(message)" }

    /// A line over the length limit, known by its length only.
    public static func overlong(line: Int, length: Int, limit: Int) -> LineError {
        LineError(line: line, kind: .tooLong, message: "line is \(length) bytes, over the \(limit)-byte limit")
    }
}

/// Wire protocol v1 limits that decoding enforces.
public struct WireLimits: Sendable, Hashable, Codable {
    /// Longest accepted line in bytes, without its newline.
    public var maxLineBytes: Int = 1 << 20
    /// Longest accepted session id in bytes (per-session state must stay small).
    public var maxSessionBytes: Int = 256
    /// Longest accepted channel name in bytes.
    public var maxChannelBytes: Int = 64
    /// Deepest JSON nesting accepted.
    public var maxDepth: Int = 16
    public init() {}
}

/// Turns one input line into an ``InputEvent``, or a ``LineError`` naming what is wrong.
///
/// Stateless apart from its reused json-c tokener, so one decoder per thread
/// can decode lines in parallel. Not Sendable: json-c's tokener stays with its owner.
public final class LineDecoder {
    private let parser: JSONCParser
    private let channels: ChannelRegistry
    public let limits: WireLimits

    public init(channels: ChannelRegistry, limits: WireLimits = WireLimits()) {
        self.channels = channels
        self.limits = limits
        self.parser = JSONCParser(depth: Int32(clamping: limits.maxDepth))
    }

    /// Decodes `bytes` (one line without its `\n`), numbered `line` (1-based).
    public func decode(_ bytes: UnsafeRawBufferPointer, line: Int) -> Result<InputEvent, LineError> {
        func fail(_ kind: LineError.Kind, _ message: String) -> Result<InputEvent, LineError> {
            .failure(LineError(line: line, kind: kind, message: message))
        }
        if bytes.count > limits.maxLineBytes {
            return fail(.tooLong, "line is \(bytes.count) bytes, over the \(limits.maxLineBytes)-byte limit")
        }
        var allBlank = true
        for b in bytes where b != 0x20 && b != 0x09 {
            allBlank = false
            break
        }
        if allBlank { return fail(.blank, "blank line") }
        if bytes[bytes.count - 1] == 0x0D {
            return fail(.malformed, "line ends with CR LF (a Windows line ending); convert the file to LF endings, e.g. with dos2unix")
        }
        if let nul = bytes.firstIndex(of: 0) {
            return fail(.malformed, "NUL byte at byte \(nul + 1)")
        }
        // json-c's own check lets overlong forms (C0 AF for "/") and UTF-8-encoded
        // surrogates through, which later decode to U+FFFD: the text would change silently.
        if let bad = firstInvalidUTF8(bytes) {
            return fail(.malformed, "invalid UTF-8 at byte \(bad + 1)")
        }
        let object: OpaquePointer
        switch parser.parse(bytes) {
        case .success(let o): object = o
        case .failure(let e):
            if case .syntax(let what, let offset) = e, what.lowercased().contains("utf-8") || what.lowercased().contains("utf8") {
                return fail(.malformed, "invalid UTF-8 at byte \(offset + 1)")
            }
            return fail(.malformed, e.description)
        }
        defer { json_object_put(object) }
        guard json_object_get_type(object) == json_type_object else {
            return fail(.malformed, "expected a JSON object, got \(jsoncTypeName(object))")
        }
        // json-c silently keeps the last of duplicate keys, other readers keep the first:
        // a line that means different things to different readers is rejected.
        if writtenKeyCount(bytes) != jsoncKeyCount(object) {
            return fail(.malformed, duplicateKeyMessage(bytes))
        }

        // t
        var field: OpaquePointer?
        guard json_object_object_get_ex(object, "t", &field) != 0 else {
            return fail(.invalidField, "missing \"t\" (seconds on the session's clock)")
        }
        let type = json_object_get_type(field)
        guard type == json_type_double || type == json_type_int else {
            return fail(.invalidField, "t: expected a number, got \(jsoncTypeName(field))")
        }
        let t = json_object_get_double(field)
        guard t.isFinite else { return fail(.invalidField, "t: not a finite number") }
        guard t >= 0 else { return fail(.invalidField, "t: must be >= 0, got \(formatForMessage(t))") }

        // session
        var session = "default"
        if json_object_object_get_ex(object, "session", &field) != 0 {
            guard let f = field, json_object_get_type(f) == json_type_string else {
                return fail(.invalidField, "session: expected a string, got \(jsoncTypeName(field))")
            }
            let n = Int(json_object_get_string_len(f))
            guard n > 0 else { return fail(.invalidField, "session: must not be empty") }
            guard n <= limits.maxSessionBytes else {
                return fail(.invalidField, "session: \(n) bytes, over the \(limits.maxSessionBytes)-byte limit")
            }
            session = String(jsonc: f)
        }

        // control lines
        if json_object_object_get_ex(object, "control", &field) != 0 {
            guard let f = field, json_object_get_type(f) == json_type_string else {
                return fail(.invalidField, "control: expected a string, got \(jsoncTypeName(field))")
            }
            let name = String(jsonc: f)
            guard let kind = Control.Kind(rawValue: name) else {
                return fail(.invalidField, "control: unknown control \"\(clip(name))\" (known: end, tick)")
            }
            if json_object_object_get_ex(object, "channel", nil) != 0 {
                return fail(.invalidField, "a line has either \"control\" or \"channel\", not both")
            }
            return .success(.control(Control(t: t, session: session, kind: kind, line: line)))
        }

        // source
        var source = Source.other
        if json_object_object_get_ex(object, "source", &field) != 0 {
            guard let f = field, json_object_get_type(f) == json_type_string else {
                return fail(.invalidField, "source: expected a string, got \(jsoncTypeName(field))")
            }
            let name = String(jsonc: f)
            guard let s = Source(wireName: name) else {
                return fail(.invalidField, "source: expected \"other\" or \"self\", got \"\(clip(name))\"")
            }
            source = s
        }

        // channel
        guard json_object_object_get_ex(object, "channel", &field) != 0 else {
            return fail(.invalidField, "missing \"channel\" (or \"control\")")
        }
        guard let cf = field, json_object_get_type(cf) == json_type_string else {
            return fail(.invalidField, "channel: expected a string, got \(jsoncTypeName(field))")
        }
        guard Int(json_object_get_string_len(cf)) <= limits.maxChannelBytes else {
            return fail(.unknownChannel, "channel: name longer than \(limits.maxChannelBytes) bytes")
        }
        let channel = String(jsonc: cf)
        guard let index = channels.index(of: channel) else {
            return fail(.unknownChannel, "unknown channel \"\(clip(channel))\" (known: \(channels.names.sorted().joined(separator: ", ")))")
        }

        // value
        guard json_object_object_get_ex(object, "value", &field) != 0 else {
            return fail(.invalidField, "missing \"value\"")
        }
        let value = JSONValue(jsonc: field)
        // json-c reads NaN and Infinity (even in strict mode) and 1e400 as infinity;
        // none is a JSON number a plugin should see.
        if let path = nonFinitePath(value, "value") {
            return fail(.invalidValue, "\(path): not a finite number (NaN, Infinity and out-of-range numbers such as 1e400 are not accepted)")
        }
        if let problem = channels.entries[index].validate(value) {
            return fail(.invalidValue, "\(channel): \(problem)")
        }
        return .success(.cue(Cue(t: t, session: session, source: source, channel: channel, value: value, line: line)))
    }

    /// Convenience for tests and embedding: decode a line given as a String.
    public func decode(_ line: String, number: Int = 1) -> Result<InputEvent, LineError> {
        var line = line
        return line.withUTF8 { decode(UnsafeRawBufferPointer($0), line: number) }
    }
}

/// Keeps user-supplied strings in error messages short.
func clip(_ s: String, _ max: Int = 40) -> String {
    s.utf8.count <= max ? s : String(s.prefix(max)) + "…"
}

// MARK: - Duplicate keys and non-finite numbers

/// Keys as written: every `:` outside a string is a key separator in JSON that parsed.
func writtenKeyCount(_ bytes: UnsafeRawBufferPointer) -> Int {
    var n = 0
    var inString = false
    var escaped = false
    for b in bytes {
        if inString {
            if escaped { escaped = false } else if b == 0x5C { escaped = true } else if b == 0x22 { inString = false }
        } else if b == 0x22 {
            inString = true
        } else if b == 0x3A {
            n += 1
        }
    }
    return n
}

/// Keys json-c kept, over the whole tree (it keeps one of each duplicate).
func jsoncKeyCount(_ object: OpaquePointer?) -> Int {
    guard let object else { return 0 }
    switch json_object_get_type(object) {
    case json_type_object:
        var n = Int(json_object_object_length(object))
        var it = json_object_iter_begin(object)
        var end = json_object_iter_end(object)
        while json_object_iter_equal(&it, &end) == 0 {
            n += jsoncKeyCount(json_object_iter_peek_value(&it))
            json_object_iter_next(&it)
        }
        return n
    case json_type_array:
        var n = 0
        for i in 0..<json_object_array_length(object) { n += jsoncKeyCount(json_object_array_get_idx(object, i)) }
        return n
    default:
        return 0
    }
}

/// Names the first key written twice in one object (only called once a duplicate is known to exist).
func duplicateKeyMessage(_ bytes: UnsafeRawBufferPointer) -> String {
    var frames: [[ArraySlice<UInt8>]] = []
    var inString = false
    var escaped = false
    var start = 0
    var lastString: Range<Int> = 0..<0
    let all = Array(bytes)
    for (i, b) in all.enumerated() {
        if inString {
            if escaped { escaped = false } else if b == 0x5C { escaped = true } else if b == 0x22 { inString = false; lastString = start..<i }
            continue
        }
        switch b {
        case 0x22: inString = true; start = i + 1
        case 0x7B: frames.append([])
        case 0x7D: if !frames.isEmpty { frames.removeLast() }
        case 0x3A:
            guard !frames.isEmpty else { continue }
            let key = all[lastString]
            if frames[frames.count - 1].contains(where: { $0.elementsEqual(key) }) {
                return "duplicate key \"\(clip(String(decoding: key, as: UTF8.self)))\""
            }
            frames[frames.count - 1].append(key)
        default: break
        }
    }
    // Same key spelled with different escapes (`"t"` and `"\u0074"`).
    return "duplicate key (one key written twice, with different escapes)"
}

/// The path of the first number that is not finite, if any.
func nonFinitePath(_ value: JSONValue, _ path: String) -> String? {
    switch value {
    case .number(let x): return x.isFinite ? nil : path
    case .array(let items):
        for (i, item) in items.enumerated() { if let p = nonFinitePath(item, "\(path)[\(i)]") { return p } }
        return nil
    case .object(let o):
        for m in o.members { if let p = nonFinitePath(m.value, path + "." + clip(m.key)) { return p } }
        return nil
    default: return nil
    }
}

/// The offset of the first byte that is not well-formed UTF-8 (RFC 3629: no overlong
/// forms, no surrogates, nothing above U+10FFFF), or nil.
func firstInvalidUTF8(_ bytes: UnsafeRawBufferPointer) -> Int? {
    let n = bytes.count
    var i = 0
    while i < n {
        // ASCII runs, 8 bytes at a time.
        while i + 8 <= n, bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 { i += 8 }
        guard i < n else { return nil }
        let b = bytes[i]
        if b < 0x80 { i += 1; continue }
        func cont(_ k: Int, _ lo: UInt8 = 0x80, _ hi: UInt8 = 0xBF) -> Bool {
            i + k < n && bytes[i + k] >= lo && bytes[i + k] <= hi
        }
        switch b {
        case 0xC2...0xDF:
            guard cont(1) else { return i }
            i += 2
        case 0xE0:
            guard cont(1, 0xA0), cont(2) else { return i }
            i += 3
        case 0xE1...0xEC, 0xEE...0xEF:
            guard cont(1), cont(2) else { return i }
            i += 3
        case 0xED:
            guard cont(1, 0x80, 0x9F), cont(2) else { return i }
            i += 3
        case 0xF0:
            guard cont(1, 0x90), cont(2), cont(3) else { return i }
            i += 4
        case 0xF1...0xF3:
            guard cont(1), cont(2), cont(3) else { return i }
            i += 4
        case 0xF4:
            guard cont(1, 0x80, 0x8F), cont(2), cont(3) else { return i }
            i += 4
        default:
            return i
        }
    }
    return nil
}
