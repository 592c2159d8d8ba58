/// The event bus: decoded events in, recommendations out, per session, in
/// timestamp order. No I/O: feed it in memory, collect what it emits.
///
/// ```text
///   InputEvent ──► session (reorder buffer, by t) ──► ChannelPlugin ──► Evidence
///                                                                          │
///   OutputAdapter ◄── Recommendation ◄── ResponsePolicy ◄── FusionStage ◄──┘
/// ```
///
/// Events flow one way. Each session has its own reorder buffer, plugin
/// states (per source), fusion state and policy state; sessions never share
/// anything, so interleaving streams cannot change any session's output.
///
/// ```swift
/// var bus = CueBus(channels: ChannelRegistry())
/// bus.push(.cue(Cue(t: 0, channel: "affect", value: ["valence": -0.6])))
/// bus.finish()
/// let lines = bus.drain()      // [Recommendation]
/// ```
public struct CueBus<Fusion: FusionStage, Policy: ResponsePolicy>: Sendable {
    public let channels: ChannelRegistry
    public let fusion: Fusion
    public let policy: Policy
    public let configuration: BusConfiguration

    /// Open sessions: name -> slot in `store`. One hash lookup per event; the
    /// session itself is moved out of its slot and back, never copied.
    private var sessions: [String: Int] = [:]
    private var store: [Session?] = []
    private var freeSlots: [Int] = []
    /// The snapshot of the event being applied, rebuilt in place for every event of every
    /// session, so its arrays keep their storage (one for the bus, not one per session).
    private var fused = FusedState()
    private var nextSessionOrder = 0
    private var arrivals = 0
    /// Emitted and not yet drained, in emission order.
    private var outbox: [Recommendation] = []
    /// Plugin warnings not yet drained: (line, message).
    private var warningOutbox: [(line: Int, message: String)] = []
    public private(set) var counts = Counts()

    public struct Counts: Sendable, Hashable {
        /// Events applied (cues and controls).
        public var applied = 0
        /// Events applied at the session's clock because they arrived too late to be put in order.
        public var late = 0
        public var sessionsOpened = 0
        public var sessionsClosed = 0
        public var emitted = 0
    }

    public init(channels: ChannelRegistry, fusion: Fusion, policy: Policy, configuration: BusConfiguration = .init()) {
        self.channels = channels
        self.fusion = fusion
        self.policy = policy
        self.configuration = configuration
    }

    /// Sessions currently open.
    public var openSessions: Int { sessions.count }

    /// Takes one event. Recommendations it causes are collected for ``drain()``.
    @_specialize(where Fusion == KalmanFusion, Policy == ScoringPolicy)
    public mutating func push(_ event: InputEvent) {
        let name = event.session
        let slot: Int
        if let i = sessions[name] {
            slot = i
        } else {
            slot = freeSlots.popLast() ?? { store.append(nil); return store.count - 1 }()
            store[slot] = openSession()
            sessions[name] = slot
        }
        var session = store[slot].take()!
        arrivals += 1
        let pending = Pending(event: event, arrival: arrivals)
        if event.t < session.clock {
            // Too late to put in order: apply now, at the session's clock, and say so.
            counts.late += 1
            apply(pending, late: true, to: &session, name: name)
        } else {
            session.insert(pending)
            session.maxSeen = max(session.maxSeen, event.t)
            let horizon = session.maxSeen - configuration.maxLateness
            while let first = session.pending.first, first.event.t <= horizon {
                session.pending.removeFirst()
                apply(first, late: false, to: &session, name: name)
            }
        }
        if case .control(let c) = event, c.kind == .end {
            close(&session, name: name)
            sessions[name] = nil
            freeSlots.append(slot)
        } else {
            store[slot] = consume session
        }
    }

    /// End of input: applies everything still buffered, session by session in
    /// the order sessions first appeared, and closes them.
    public mutating func finish() {
        for name in openSessionNames { finish(session: name) }
    }

    /// The open sessions, in the order they first appeared (the order ``finish()`` closes them in).
    public var openSessionNames: [String] {
        sessions.sorted { store[$0.value]!.order < store[$1.value]!.order }.map(\.key)
    }

    /// Applies what one session still has buffered and closes it, as if its
    /// input had ended. Nothing happens for a session that is not open.
    @_specialize(where Fusion == KalmanFusion, Policy == ScoringPolicy)
    public mutating func finish(session name: String) {
        guard let slot = sessions.removeValue(forKey: name), var session = store[slot].take() else { return }
        close(&session, name: name)
        freeSlots.append(slot)
    }

    /// The recommendations emitted since the last drain, in order.
    public mutating func drain() -> [Recommendation] {
        defer { outbox.removeAll(keepingCapacity: true) }
        return outbox
    }

    /// Calls `body` for each recommendation emitted since the last drain, without copying the array.
    @_specialize(where Fusion == KalmanFusion, Policy == ScoringPolicy)
    public mutating func drain(_ body: (Recommendation) throws -> Void) rethrows {
        defer { outbox.removeAll(keepingCapacity: true) }
        for r in outbox { try body(r) }
    }

    /// Plugin warnings since the last call: (input line, message).
    public mutating func drainWarnings() -> [(line: Int, message: String)] {
        defer { warningOutbox.removeAll(keepingCapacity: true) }
        return warningOutbox
    }

    // MARK: - Per session

    private struct Pending: Sendable {
        var event: InputEvent
        var arrival: Int
    }

    private struct Session: Sendable {
        var order: Int
        var clock = -Double.infinity
        var maxSeen = -Double.infinity
        /// Sorted by (t, arrival): ties keep arrival order.
        var pending: [Pending] = []
        /// Plugin states: index = source.rawValue * channelCount + channel index; created on first use.
        var slots: [(any ChannelSlot)?]
        var fusion: Fusion.State
        var policy: Policy.State
        /// With `emit: final`, the last recommendation (0 or 1; an array keeps the session small otherwise).
        var last: [Recommendation] = []

        mutating func insert(_ p: Pending) {
            // Mostly in order: scan from the back.
            var i = pending.count
            while i > 0, pending[i - 1].event.t > p.event.t { i -= 1 }
            pending.insert(p, at: i)
        }
    }

    private mutating func openSession() -> Session {
        counts.sessionsOpened += 1
        nextSessionOrder += 1
        return Session(order: nextSessionOrder,
                       slots: Array(repeating: nil, count: channels.entries.count * Source.allCases.count),
                       fusion: fusion.makeState(), policy: policy.makeState())
    }

    private mutating func close(_ session: inout Session, name: String) {
        while !session.pending.isEmpty {
            let p = session.pending.removeFirst()
            apply(p, late: false, to: &session, name: name)
        }
        if configuration.emit == .final, let last = session.last.last {
            emit(last)
        }
        counts.sessionsClosed += 1
    }

    private mutating func apply(_ p: Pending, late: Bool, to session: inout Session, name: String) {
        let t = max(p.event.t, session.clock)
        if t > session.clock || session.clock == -.infinity {
            fusion.advance(&session.fusion, to: t)
            session.clock = t
        }
        var eventName = "tick"
        var source: Source?
        switch p.event {
        case .cue(var cue):
            cue.t = t
            guard let index = channels.index(of: cue.channel) else { return }
            let slot = Int(cue.source.rawValue) * channels.entries.count + index
            if session.slots[slot] == nil { session.slots[slot] = channels.entries[index].makeSlot() }
            let evidence = session.slots[slot]!.evidence(from: cue)
            for message in evidence.warnings { warningOutbox.append((cue.line, message)) }
            fusion.apply(evidence, of: cue, channel: ChannelInfo(name: cue.channel, index: index), to: &session.fusion)
            eventName = cue.channel
            source = cue.source
        case .control(let c):
            eventName = c.kind.rawValue
        }
        counts.applied += 1
        fusion.snapshot(session.fusion, into: &fused)
        let decision = policy.decide(fused, state: &session.policy)
        let r = Recommendation(t: t, session: name, line: p.event.line, event: eventName, source: source,
                               late: late, decision: decision, state: fused)
        switch configuration.emit {
        case .every: emit(r)
        case .change: if decision.changed { emit(r) }
        case .final:
            session.last.removeAll(keepingCapacity: true)
            session.last.append(r)
        }
    }

    private mutating func emit(_ r: Recommendation) {
        counts.emitted += 1
        outbox.append(r)
    }
}

extension CueBus where Fusion == KalmanFusion, Policy == ScoringPolicy {
    /// A bus with the default fusion stage and policy.
    public init(channels: ChannelRegistry, fusion: FusionConfiguration = .init(),
                policy: PolicyConfiguration = .init(), configuration: BusConfiguration = .init()) {
        self.init(channels: channels, fusion: KalmanFusion(configuration: fusion),
                  policy: ScoringPolicy(configuration: policy), configuration: configuration)
    }
}
