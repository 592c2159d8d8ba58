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
