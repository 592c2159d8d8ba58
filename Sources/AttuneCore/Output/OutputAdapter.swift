/// An output adapter writes recommendations somewhere, in some format. The
/// last stage of the bus; one required method.
///
/// ```swift
/// struct CountingAdapter: OutputAdapter {
///     var modes: [Mode: Int] = [:]
///     mutating func write(_ r: Recommendation) throws { modes[r.mode, default: 0] += 1 }
/// }
/// ```
public protocol OutputAdapter {
    mutating func write(_ recommendation: Recommendation) throws
    /// End of the run: write a footer, close a document. Default: nothing.
    mutating func finish(_ counts: RunCounts) throws
}

extension OutputAdapter {
    public mutating func finish(_ counts: RunCounts) throws {}
}

/// Protocol v1 JSON-lines: one object per recommendation (see `Protocols/wire-protocol.md`).
public struct JSONLinesAdapter: OutputAdapter {
    public let sink: ByteSink
    private var line = JSONBytes(capacity: 2048)

    public init(sink: ByteSink) { self.sink = sink }

    public mutating func write(_ recommendation: Recommendation) throws {
        line.bytes.removeAll(keepingCapacity: true)
        recommendation.writeJSON(into: &line)
        line.byte(0x0A)
        try sink.write(line.bytes)
    }
}

/// Collects recommendations in memory, for tests and embedding.
public struct CollectingAdapter: OutputAdapter {
    public private(set) var recommendations: [Recommendation] = []
    public init() {}
    public mutating func write(_ recommendation: Recommendation) throws { recommendations.append(recommendation) }
}
