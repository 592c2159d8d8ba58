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
    /// Wire protocol limits.
    public var limits = WireLimits()
    public init() {}
}
