extension Recommendation {
    /// A recommendation built in code: for adapter tests and for feeding adapters
    /// from another engine. (Its own argument order: the memberwise initializer is internal.)
    public init(_ decision: Decision, state: FusedState, session: String, t: Double, event: String,
                source: Source? = nil, line: Int = 0, late: Bool = false) {
        self.init(t: t, session: session, line: line, event: event, source: source, late: late, decision: decision, state: state)
    }
}
