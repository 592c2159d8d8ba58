/// Whose cue it is: the person being attuned to, or the listener.
public enum Source: UInt8, Sendable, Hashable, CaseIterable {
    /// The person being attuned to (`"source": "other"`, the default).
    case other = 0
    /// The listener, the person using Attune (`"source": "self"`).
    case listener = 1

    /// The name on the wire: `"other"` or `"self"`.
    public var wireName: String { self == .other ? "other" : "self" }

    public init?(wireName: String) {
        switch wireName {
        case "other": self = .other
        case "self": self = .listener
        default: return nil
        }
    }
}

/// One timestamped observation of a person on one channel: an input line of
/// wire protocol v1 after decoding.
public struct Cue: Sendable, Hashable {
    /// Seconds on the session's own clock (finite, >= 0).
    public var t: Double
    /// The session it belongs to; sessions never share state.
    public var session: String
    public var source: Source
    /// `text`, `voice`, `posture`, `affect`, or a custom plugin's name.
    public var channel: String
    /// The channel-specific payload, as sent.
    public var value: JSONValue
    /// The input line it came from (1-based), or 0 when fed in code.
    public var line: Int

    public init(t: Double, session: String = "default", source: Source = .other,
                channel: String, value: JSONValue, line: Int = 0) {
        self.t = t
        self.session = session
        self.source = source
        self.channel = channel
        self.value = value
        self.line = line
    }
}
