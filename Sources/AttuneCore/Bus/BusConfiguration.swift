/// When the bus writes a recommendation.
public enum EmitPolicy: String, Sendable, Hashable, Codable, CaseIterable {
    /// One line per accepted input event, after it is applied.
    case every
    /// Only when a session's recommended mode changes (the first decision counts as a change). The default:
    /// what a live listener needs, and a tenth of the output.
    case change
    /// One line per session, when it ends (an `end` control line, or end of input).
    case final
}

/// The bus's own settings; `"bus"` in the configuration file.
public struct BusConfiguration: Codable, Sendable, Equatable {
    /// Seconds an event may arrive behind the newest event of its session and
    /// still be applied in timestamp order. Events are held this long (in
    /// session time) in a reorder buffer, so it is also the added latency.
    public var maxLateness: Double = 0.5
    public var emit: EmitPolicy = .change
    /// Close a session that has had none of the last `idleEvents` events the bus
    /// took (all sessions counted; rejected lines do not count), as if it had sent
    /// `end`. Counted in events, not seconds, because sessions have their own clocks:
    /// input order is the one clock they share, so eviction is deterministic. It bounds
    /// memory: at most `idleEvents` sessions are open at once. 0 keeps sessions open
    /// until `end` or end of input.
    public var idleEvents: Int = 100_000
    /// Most events one session holds in its reorder buffer. When full, the oldest is
    /// applied early (a stream stuck at one timestamp cannot grow memory).
    public var maxBuffered: Int = 4096
    /// Wire protocol limits.
    public var limits = WireLimits()
    public init() {}
}
