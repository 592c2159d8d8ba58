import CJSONC
import Glibc

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

    public init(line: Int, kind: Kind, message: String) {
        self.line = line
        self.kind = kind
        self.message = message
    }

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
/// Stateless apart from its reused json-c tokener and a cache of strings it has made
/// (session ids, object keys), so one decoder per thread can decode lines in parallel.
/// Not Sendable: json-c's tokener and the cache stay with their owner.
public final class LineDecoder {
    private let parser: JSONCParser
    private let channels: ChannelRegistry
    public let limits: WireLimits
    /// The registered channel names' bytes, in registry order: a wire name is matched
    /// byte for byte before any String is made for it.
    private let channelBytes: [[UInt8]]
    private let strings = StringCache()
    /// A member array the engine hands back once the cue that held it has been applied
    /// (``CueBus/spareMembers``): the next `value` object is built in it instead of a new one.
    var spareMembers: [JSONObject.Member] = []

    public init(channels: ChannelRegistry, limits: WireLimits = WireLimits()) {
        self.channels = channels
        self.limits = limits
        self.parser = JSONCParser(depth: Int32(clamping: limits.maxDepth))
        self.channelBytes = channels.entries.map { Array($0.name.utf8) }
    }

    /// A top-level member the protocol knows: whether it was there, and its json-c value
    /// (NULL for JSON null, as `json_object_object_get_ex` reports it).
    private struct Field {
        var present = false
        var object: OpaquePointer? = nil
        mutating func set(_ o: OpaquePointer?) { present = true; object = o }
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
        // Nearly every line is ASCII without NUL, which one word-at-a-time pass shows
        // (counting the keys as written on the way); only the others pay for the exact
        // checks, in the same order as ever, so with the same message.
        let scan = scanLine(bytes)
        if !scan.isPlainASCII {
            if let nul = firstNUL(bytes) {
                return fail(.malformed, "NUL byte at byte \(nul + 1)")
            }
            // json-c's own check lets overlong forms (C0 AF for "/") and UTF-8-encoded
            // surrogates through, which later decode to U+FFFD: the text would change silently.
            if let bad = firstInvalidUTF8(bytes) {
                return fail(.malformed, "invalid UTF-8 at byte \(bad + 1)")
            }
        }
        let object: OpaquePointer
        switch parser.parse(bytes, plainASCII: scan.isPlainASCII) {
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

        // One walk over the members: note the fields the protocol knows, copy `value`
        // into Swift (counting its keys and noting non-finite numbers on the way), and
        // count the keys json-c kept in the rest of the tree.
        var t = Field(), session = Field(), control = Field(), source = Field(), channel = Field(), valueField = Field()
        var keptKeys = Int(attune_object_count(object))
        var value = JSONValue.null
        var sawNonFinite = false
        var entry = attune_object_first(object)
        while let e = entry {
            let key = attune_entry_key(e)!
            let v = attune_entry_value(e)
            switch UInt8(bitPattern: key[0]) {
            case UInt8(ascii: "t") where key[1] == 0: t.set(v)
            case UInt8(ascii: "s") where cStringEquals(key, "session"): session.set(v)
            case UInt8(ascii: "s") where cStringEquals(key, "source"): source.set(v)
            case UInt8(ascii: "c") where cStringEquals(key, "channel"): channel.set(v)
            case UInt8(ascii: "c") where cStringEquals(key, "control"): control.set(v)
            case UInt8(ascii: "v") where cStringEquals(key, "value"):
                valueField.set(v)
                if let v, json_object_get_type(v) == json_type_object {
                    value = makeTopObject(v, keys: &keptKeys, nonFinite: &sawNonFinite)
                } else {
                    value = makeValue(v, keys: &keptKeys, nonFinite: &sawNonFinite)
                }
                entry = attune_entry_next(e)
                continue
            default: break
            }
            if let v, json_object_get_type(v) == json_type_object || json_object_get_type(v) == json_type_array {
                keptKeys += jsoncKeyCount(v)
            }
            entry = attune_entry_next(e)
        }
        // json-c silently keeps the last of duplicate keys, other readers keep the first:
        // a line that means different things to different readers is rejected.
        let writtenKeys = scan.hasBackslash ? writtenKeyCount(bytes) : scan.colons
        if writtenKeys != keptKeys {
            return fail(.malformed, duplicateKeyMessage(bytes))
        }

        // t
        guard t.present else {
            return fail(.invalidField, "missing \"t\" (seconds on the session's clock)")
        }
        let type = json_object_get_type(t.object)
        guard type == json_type_double || type == json_type_int else {
            return fail(.invalidField, "t: expected a number, got \(jsoncTypeName(t.object))")
        }
        let time = json_object_get_double(t.object)
        guard time.isFinite else { return fail(.invalidField, "t: not a finite number") }
        guard time >= 0 else { return fail(.invalidField, "t: must be >= 0, got \(formatForMessage(time))") }

        // session
        var sessionName = "default"
        if session.present {
            guard let f = session.object, json_object_get_type(f) == json_type_string else {
                return fail(.invalidField, "session: expected a string, got \(jsoncTypeName(session.object))")
            }
            let n = Int(json_object_get_string_len(f))
            guard n > 0 else { return fail(.invalidField, "session: must not be empty") }
            guard n <= limits.maxSessionBytes else {
                return fail(.invalidField, "session: \(n) bytes, over the \(limits.maxSessionBytes)-byte limit")
            }
            sessionName = strings.string(stringBytes(f), count: n)
        }

        // control lines
        if control.present {
            guard let f = control.object, json_object_get_type(f) == json_type_string else {
                return fail(.invalidField, "control: expected a string, got \(jsoncTypeName(control.object))")
            }
            let kind: Control.Kind
            if jsoncString(f, equals: "end") {
                kind = .end
            } else if jsoncString(f, equals: "tick") {
                kind = .tick
            } else {
                let name = String(jsonc: f)
                guard let k = Control.Kind(rawValue: name) else {
                    return fail(.invalidField, "control: unknown control \"\(clip(name))\" (known: end, tick)")
                }
                kind = k
            }
            if channel.present {
                return fail(.invalidField, "a line has either \"control\" or \"channel\", not both")
            }
            return .success(.control(Control(t: time, session: sessionName, kind: kind, line: line)))
        }

        // source
        var sourceKind = Source.other
        if source.present {
            guard let f = source.object, json_object_get_type(f) == json_type_string else {
                return fail(.invalidField, "source: expected a string, got \(jsoncTypeName(source.object))")
            }
            if jsoncString(f, equals: "other") {
                sourceKind = .other
            } else if jsoncString(f, equals: "self") {
                sourceKind = .listener
            } else {
                let name = String(jsonc: f)
                guard let s = Source(wireName: name) else {
                    return fail(.invalidField, "source: expected \"other\" or \"self\", got \"\(clip(name))\"")
                }
                sourceKind = s
            }
        }

        // channel
        guard channel.present else {
            return fail(.invalidField, "missing \"channel\" (or \"control\")")
        }
        guard let cf = channel.object, json_object_get_type(cf) == json_type_string else {
            return fail(.invalidField, "channel: expected a string, got \(jsoncTypeName(channel.object))")
        }
        let channelLength = Int(json_object_get_string_len(cf))
        guard channelLength <= limits.maxChannelBytes else {
            return fail(.unknownChannel, "channel: name longer than \(limits.maxChannelBytes) bytes")
        }
        let index: Int
        let channelName: String
        if let i = registeredChannel(stringBytes(cf), count: channelLength) {
            // The registered name has exactly these bytes: the same String the wire makes.
            index = i
            channelName = channels.entries[i].name
        } else {
            // Not byte-equal to a name: String comparison may still match (canonically
            // equivalent spellings), as it always has.
            channelName = String(jsonc: cf)
            guard let i = channels.index(of: channelName) else {
                return fail(.unknownChannel, "unknown channel \"\(clip(channelName))\" (known: \(channels.names.sorted().joined(separator: ", ")))")
            }
            index = i
        }

        // value
        guard valueField.present else {
            return fail(.invalidField, "missing \"value\"")
        }
        // json-c reads NaN and Infinity (even in strict mode) and 1e400 as infinity;
        // none is a JSON number a plugin should see.
        if sawNonFinite, let path = nonFinitePath(value, "value") {
            return fail(.invalidValue, "\(path): not a finite number (NaN, Infinity and out-of-range numbers such as 1e400 are not accepted)")
        }
        if let problem = channels.entries[index].validate(value) {
            return fail(.invalidValue, "\(channelName): \(problem)")
        }
        return .success(.cue(Cue(t: time, session: sessionName, source: sourceKind, channel: channelName, value: value, line: line)))
    }

    /// Convenience for tests and embedding: decode a line given as a String.
    public func decode(_ line: String, number: Int = 1) -> Result<InputEvent, LineError> {
        var line = line
        return line.withUTF8 { decode(UnsafeRawBufferPointer($0), line: number) }
    }

    /// A deep copy of a json-c value, as ``JSONValue/init(jsonc:)`` makes it, with keys
    /// and short strings from the cache. Adds the keys of every object in it to `keys`
    /// and sets `nonFinite` when a number is NaN or infinite.
    private func makeValue(_ object: OpaquePointer?, keys: inout Int, nonFinite: inout Bool) -> JSONValue {
        guard let object else { return .null }
        switch json_object_get_type(object) {
        case json_type_null: return .null
        case json_type_boolean: return .bool(json_object_get_boolean(object) != 0)
        case json_type_int: return .number(Double(json_object_get_int64(object)))
        case json_type_double:
            let x = json_object_get_double(object)
            if !x.isFinite { nonFinite = true }
            return .number(x)
        case json_type_string:
            return .string(strings.string(stringBytes(object), count: Int(json_object_get_string_len(object))))
        case json_type_array:
            let n = json_object_array_length(object)
            var items: [JSONValue] = []
            items.reserveCapacity(n)
            for i in 0..<n { items.append(makeValue(json_object_array_get_idx(object, i), keys: &keys, nonFinite: &nonFinite)) }
            return .array(items)
        case json_type_object:
            var members: [JSONObject.Member] = []
            appendMembers(of: object, to: &members, keys: &keys, nonFinite: &nonFinite)
            return .object(JSONObject(members))
        default: return .null
        }
    }

    /// ``makeValue(_:keys:nonFinite:)`` of a line's top-level `value` object, built in
    /// ``spareMembers`` when there is one of about the right size: the cue may wait in a reorder
    /// buffer, and room for more than two members it does not use is memory per waiting cue
    /// (with room for 2n + 8, a session's state grew by 4 %).
    private func makeTopObject(_ object: OpaquePointer, keys: inout Int, nonFinite: inout Bool) -> JSONValue {
        let n = Int(attune_object_count(object))
        var members: [JSONObject.Member] = []
        swap(&members, &spareMembers)
        if members.capacity < n || members.capacity > n + 2 {
            members = []
        } else {
            // Element by element: `removeAll(keepingCapacity:)` takes the generic `replaceSubrange`.
            while !members.isEmpty { members.removeLast() }
        }
        appendMembers(of: object, to: &members, keys: &keys, nonFinite: &nonFinite)
        return .object(JSONObject(members))
    }

    /// Appends a json-c object's members, in json-c's order, to `members`.
    @inline(__always)
    private func appendMembers(of object: OpaquePointer, to members: inout [JSONObject.Member],
                               keys: inout Int, nonFinite: inout Bool) {
        let n = Int(attune_object_count(object))
        keys += n
        members.reserveCapacity(members.count + n)
        var entry = attune_object_first(object)
        while let e = entry {
            // Keys are C strings in json-c (cut at a NUL), as `String(cString:)` read them.
            let k = UnsafeRawPointer(attune_entry_key(e)!).assumingMemoryBound(to: UInt8.self)
            let key = strings.string(k, count: strlen(k))
            members.append(.init(key: key, value: makeValue(attune_entry_value(e), keys: &keys, nonFinite: &nonFinite)))
            entry = attune_entry_next(e)
        }
    }

    /// The registry index of the channel whose name is exactly these bytes, if any.
    private func registeredChannel(_ p: UnsafePointer<UInt8>, count: Int) -> Int? {
        for i in channelBytes.indices {
            let matches = channelBytes[i].withUnsafeBufferPointer { name in
                name.count == count && (count == 0 || memcmp(name.baseAddress!, p, count) == 0)
            }
            if matches { return i }
        }
        return nil
    }
}

/// A json-c string object's bytes (`json_object_get_string_len` of them; may hold NUL).
@inline(__always)
private func stringBytes(_ object: OpaquePointer) -> UnsafePointer<UInt8> {
    UnsafeRawPointer(json_object_get_string(object)!).assumingMemoryBound(to: UInt8.self)
}

/// Whether a json-c string object holds exactly the bytes of `literal`.
@inline(__always)
private func jsoncString(_ object: OpaquePointer, equals literal: StaticString) -> Bool {
    let n = literal.utf8CodeUnitCount
    return Int(json_object_get_string_len(object)) == n && memcmp(stringBytes(object), literal.utf8Start, n) == 0
}

/// Whether the C string `p` is exactly `literal`. Stops at the first difference, so it
/// never reads past `p`'s terminator.
@inline(__always)
private func cStringEquals(_ p: UnsafePointer<CChar>, _ literal: StaticString) -> Bool {
    let q = literal.utf8Start
    let n = literal.utf8CodeUnitCount
    for i in 0..<n where UInt8(bitPattern: p[i]) != q[i] { return false }
    return p[n] == 0
}

/// Keeps user-supplied strings in error messages short.
func clip(_ s: String, _ max: Int = 40) -> String {
    s.utf8.count <= max ? s : String(s.prefix(max)) + "…"
}

// MARK: - Duplicate keys and non-finite numbers

/// Keys as written: every `:` outside a string is a key separator in JSON that parsed.
/// (``scanLine(_:)`` counts the same eight bytes at a time when there is no backslash.)
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

/// What one word-at-a-time pass over a line shows.
struct LineScan {
    /// No byte is NUL and none is above 0x7F: neither the NUL nor the UTF-8 check can find anything.
    var isPlainASCII: Bool
    /// A backslash somewhere: then `colons` is not to be trusted (an escaped quote).
    var hasBackslash: Bool
    /// Colons outside strings, counting every quote as opening or closing one: the
    /// keys as written once the line parsed, if it has no backslash.
    var colons: Int
}

private let lanes: UInt64 = 0x0101_0101_0101_0101

/// 0x80 in each byte of `w` equal to `byte`, 0 elsewhere (exact, no borrow between bytes).
@inline(__always)
private func equalBytes(_ w: UInt64, _ byte: UInt8) -> UInt64 {
    let t = w ^ (lanes &* UInt64(byte))
    return ~(((t & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | t) & 0x8080_8080_8080_8080
}

/// Scans a line for NUL, non-ASCII bytes, backslashes and the colons outside strings:
/// sixteen bytes at a time with SSE2 (the C shim), else ``scanLineWords(_:)``.
func scanLine(_ bytes: UnsafeRawBufferPointer) -> LineScan {
    var out = attune_line_scan()
    if let base = bytes.baseAddress,
       attune_scan_line(base.assumingMemoryBound(to: UInt8.self), bytes.count, &out) != 0 {
        return LineScan(isPlainASCII: out.plain_ascii != 0, hasBackslash: out.has_backslash != 0, colons: out.colons)
    }
    return scanLineWords(bytes)
}

/// ``scanLine(_:)`` eight bytes at a time in plain Swift (the string mask is the running
/// parity of the quotes seen: a prefix XOR over the word's byte lanes, carried from word to word).
func scanLineWords(_ bytes: UnsafeRawBufferPointer) -> LineScan {
    var state = ScanState()
    let n = bytes.count
    var i = 0
    while i &+ 8 <= n {
        state.add(bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self))
        i &+= 8
    }
    if i < n {
        // The tail, padded with spaces (not NUL, not above 0x7F, not a quote or a colon).
        var tail: UInt64 = lanes &* 0x20
        withUnsafeMutableBytes(of: &tail) { $0.baseAddress!.copyMemory(from: bytes.baseAddress! + i, byteCount: n &- i) }
        state.add(tail)
    }
    return LineScan(isPlainASCII: state.flags & 0x8080_8080_8080_8080 == 0,
                    hasBackslash: state.backslashes & 0x8080_8080_8080_8080 != 0, colons: state.colons)
}

private struct ScanState {
    /// High bits: some byte was above 0x7F or zero.
    var flags: UInt64 = 0
    /// High bits: some byte was a backslash (or a borrow from one: only "any" counts).
    var backslashes: UInt64 = 0
    var colons = 0
    /// All ones while inside a string at a word boundary.
    var inString: UInt64 = 0

    @inline(__always)
    mutating func add(_ w: UInt64) {
        // Bytes above 0x7F set their high bit in w; a zero byte borrows in w - 1…
        // (w | (w - 1…) has a high bit set exactly when some byte is zero or above 0x7F).
        flags |= w | (w &- lanes)
        let b = w ^ (lanes &* 0x5C)
        backslashes |= (b &- lanes) & ~b
        var strings = equalBytes(w, 0x22)
        strings ^= strings &<< 8
        strings ^= strings &<< 16
        strings ^= strings &<< 32
        strings ^= inString
        let outside = equalBytes(w, 0x3A) & ~strings
        // One bit per colon, at bit 7 of its byte: add up the bytes.
        colons &+= Int(truncatingIfNeeded: ((outside &>> 7) &* lanes) &>> 56)
        inString = 0 &- (strings &>> 63)
    }
}

/// The offset of the first NUL byte, or nil.
func firstNUL(_ bytes: UnsafeRawBufferPointer) -> Int? {
    guard let base = bytes.baseAddress else { return nil }
    let p = base.assumingMemoryBound(to: UInt8.self)
    for i in 0..<bytes.count where p[i] == 0 { return i }
    return nil
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
