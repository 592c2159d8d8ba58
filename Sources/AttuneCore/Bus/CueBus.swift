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
    /// Scores the listener's responses and tracks ruptures and repairs, per session.
    public let feedback: FeedbackTracker

    /// Open sessions: name -> slot in `store`. One hash lookup per event; the
    /// session itself is moved out of its slot and back, never copied.
    private var sessions: [String: Int] = [:]
    private var store: [Session?] = []
    private var freeSlots: [Int] = []
    /// The snapshot of the event being applied, rebuilt in place for every event of every
    /// session, so its arrays keep their storage (one for the bus, not one per session).
    private var fused = FusedState()
    /// The same, for the states a listener response is scored against (`prior`) and a watched cue of
    /// the other is compared with (`before`): rebuilt in place too, not allocated afresh each time.
    private var priorScratch = FusedState()
    private var beforeScratch = FusedState()
    /// The evidence plugins write each cue's into (see ``ChannelPlugin/evidence(from:state:into:)``).
    private var evidenceScratch = Evidence()
    /// The member array of the last applied cue's `value` object, for the engine to hand back to
    /// its decoder (``LineDecoder/spareMembers``): a cue waits in the reorder buffer after it is
    /// decoded, so only once it has been applied is its array free for another line.
    var spareMembers: [JSONObject.Member] = []
    private var arrivals = 0
    /// (session, arrival) of every event within the last `idleEvents`, oldest first,
    /// from `idleHead` on: the eviction candidates, in a deterministic order.
    private var idleQueue: [(name: String, arrival: Int)] = []
    private var idleHead = 0
    /// Emitted and not yet drained, in emission order.
    private var outbox = Outbox()
    /// Plugin warnings not yet drained: (line, message).
    private var warningOutbox: [(line: Int, message: String)] = []
    public private(set) var counts = Counts()
    /// Feedback totals of the sessions closed so far, in the order they closed.
    public private(set) var feedbackTotals: [SessionFeedback] = []
    /// At most this many totals are kept: per-run memory must not grow with every session
    /// ever seen (a million one-line sessions kept ~100 MB of totals). Later ones are only counted.
    public static var maxFeedbackTotals: Int { 10_000 }
    /// Closed sessions whose totals were not kept (beyond ``maxFeedbackTotals``).
    public private(set) var feedbackTotalsOmitted = 0

    public struct Counts: Sendable, Hashable {
        /// Events applied (cues and controls).
        public var applied = 0
        /// Events applied at the session's clock because they arrived too late to be put in order.
        public var late = 0
        public var sessionsOpened = 0
        public var sessionsClosed = 0
        /// Of the closed sessions, how many were closed for being idle (``BusConfiguration/idleEvents``).
        public var sessionsEvicted = 0
        public var emitted = 0
    }

    public init(channels: ChannelRegistry, fusion: Fusion, policy: Policy, configuration: BusConfiguration = .init(),
                feedback: FeedbackConfiguration = .init()) {
        self.channels = channels
        self.fusion = fusion
        self.policy = policy
        self.configuration = configuration
        self.feedback = FeedbackTracker(configuration: feedback)
    }

    /// Sessions currently open.
    public var openSessions: Int { sessions.count }

    /// Takes one event. Recommendations it causes are collected for ``drain()``.
    @_specialize(where Fusion == KalmanFusion, Policy == ScoringPolicy)
    public mutating func push(_ event: InputEvent) {
        arrivals += 1
        if pushNumbered(event), configuration.idleEvents > 0 { closeIdleSessions() }
    }

    /// Takes one event numbered by the caller, for several buses sharing one input
    /// (sessions sharded over threads): `arrival` is the event's position among all
    /// the buses' events, increasing. Idle sessions are not closed here: the caller
    /// calls ``closeIdleSession(at:)`` after every event of the input (any bus's,
    /// except `end`), as ``push(_:)`` does, so every bus closes the same sessions at
    /// the same input positions as one bus taking the whole input would.
    @_specialize(where Fusion == KalmanFusion, Policy == ScoringPolicy)
    public mutating func push(_ event: InputEvent, arrival: Int) {
        arrivals = arrival
        pushNumbered(event)
    }

    /// Closes the oldest session whose last event is `idleEvents` events old at input
    /// position `arrival` (see ``push(_:arrival:)``), if there is one, and returns the
    /// arrival number of that last event (the order one bus would close them in).
    @_specialize(where Fusion == KalmanFusion, Policy == ScoringPolicy)
    @discardableResult
    public mutating func closeIdleSession(at arrival: Int) -> Int? {
        arrivals = max(arrivals, arrival)
        guard configuration.idleEvents > 0 else { return nil }
        let limit = arrivals - configuration.idleEvents
        defer {
            if idleHead >= 1024, idleHead * 2 >= idleQueue.count {
                idleQueue.removeFirst(idleHead)
                idleHead = 0
            }
        }
        while idleHead < idleQueue.count, idleQueue[idleHead].arrival <= limit {
            let (name, last) = idleQueue[idleHead]
            idleHead += 1
            // A later event of the same session left a newer entry: this one is stale.
            guard let slot = sessions[name], store[slot]?.lastArrival == last else { continue }
            finish(session: name)
            counts.sessionsEvicted += 1
            return last
        }
        return nil
    }

    /// Applies or buffers an event numbered `arrivals`. Returns false for `end` (the session closed).
    @discardableResult
    private mutating func pushNumbered(_ event: InputEvent) -> Bool {
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
        if event.t < session.clock {
            // Too late to put in order: apply now, at the session's clock, and say so.
            counts.late += 1
            apply(event, late: true, to: &session, name: name)
        } else {
            session.maxSeen = max(session.maxSeen, event.t)
            session.pending.insert(event)
            let horizon = session.maxSeen - configuration.maxLateness
            while let first = session.pending.firstT,
                  first <= horizon || session.pending.count > max(configuration.maxBuffered, 1) {
                apply(session.pending.takeFirst(), late: false, to: &session, name: name)
            }
        }
        session.lastArrival = arrivals
        if case .control(let c) = event, c.kind == .end {
            close(&session, name: name)
            sessions[name] = nil
            freeSlots.append(slot)
            return false
        }
        store[slot] = consume session
        if configuration.idleEvents > 0 { idleQueue.append((name, arrivals)) }
        return true
    }

    /// Closes the sessions whose last event is `idleEvents` events old, oldest first.
    private mutating func closeIdleSessions() {
        while closeIdleSession(at: arrivals) != nil {}
    }

    /// End of input: applies everything still buffered, session by session in
    /// the order sessions first appeared, and closes them.
    public mutating func finish() {
        for (_, name) in openSessionsInOrder { finish(session: name) }
    }

    /// The open sessions, in the order they first appeared (the order ``finish()`` closes
    /// them in), each with the arrival number of the event that opened it.
    public var openSessionsInOrder: [(order: Int, name: String)] {
        // Sort (order, name) pairs, not the sessions: sorting the sessions themselves
        // would copy every session's state at once (peak memory doubled at end of input).
        sessions.map { (store[$0.value]!.order, $0.key) }.sorted { $0.0 < $1.0 }
    }

    /// The open sessions' names, in the order they first appeared.
    public var openSessionNames: [String] { openSessionsInOrder.map(\.name) }

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
        var all: [Recommendation] = []
        all.reserveCapacity(outbox.count)
        drain { all.append($0) }
        return all
    }

    /// Calls `body` for each recommendation emitted since the last drain, in order. Each is moved
    /// out of the outbox to `body` and destroyed after it, never copied. If `body` throws, the rest
    /// are dropped (as the output they were for has failed).
    @_specialize(where Fusion == KalmanFusion, Policy == ScoringPolicy)
    public mutating func drain(_ body: (Recommendation) throws -> Void) rethrows {
        defer { outbox.clear() }
        while let r = outbox.takeNext() { try body(r) }
    }

    /// Plugin warnings since the last call: (input line, message).
    @_specialize(where Fusion == KalmanFusion, Policy == ScoringPolicy)
    public mutating func drainWarnings() -> [(line: Int, message: String)] {
        defer { warningOutbox.removeAll(keepingCapacity: true) }
        return warningOutbox
    }

    // MARK: - Per session

    private struct Session: Sendable {
        var order: Int
        var clock = -Double.infinity
        var maxSeen = -Double.infinity
        /// Arrival number of the session's latest event (for idle eviction).
        var lastArrival = 0
        /// Sorted by t; ties keep arrival order (insertion scans from the back past later times only).
        var pending = ReorderBuffer()
        /// Plugin states: index = source.rawValue * channelCount + channel index; created on first use.
        var slots: [(any ChannelSlot)?]
        var fusion: Fusion.State
        var policy: Policy.State
        var feedback: FeedbackTracker.State
        /// With `emit: final`, the last recommendation (0 or 1; an array keeps the session small otherwise).
        var last: [Recommendation] = []
        /// The latest decision, without its reasons: what a listener response is scored against
        /// (with the fused state it was made from, which is worked out again when needed).
        var lastDecision: DecisionSummary?
    }

    /// What a listener response is scored against, kept small (a ``Decision`` carries its state for its reasons).
    private struct DecisionSummary: Sendable {
        var mode: Mode
        var confidence: Double
        var scores: ModeScores
        var risk: Bool
        var changed: Bool
        var decision: Decision {
            Decision(mode: mode, confidence: confidence, scores: scores, risk: risk, because: [], changed: changed)
        }
    }

    /// Emitted recommendations waiting to be drained, in slots they are moved into and out of:
    /// reading them out of an array copied each one (every array and String of its state retained
    /// and released again), and emptying the array went through the generic `replaceSubrange`
    /// (about 1,800 instructions a line with `--emit every`).
    private struct Outbox: Sendable {
        private var slots: [Recommendation?] = []
        /// Slots in use, and the next one to take.
        private(set) var count = 0
        private var head = 0

        mutating func append(_ r: consuming Recommendation) {
            if count < slots.count { slots[count] = consume r } else { slots.append(consume r) }
            count += 1
        }

        /// The oldest recommendation not yet taken, moved out of its slot.
        mutating func takeNext() -> Recommendation? {
            guard head < count else { return nil }
            head += 1
            return slots[head - 1].take()
        }

        /// Empties the outbox, dropping what was not taken; the slots stay for the next events.
        mutating func clear() {
            for i in head..<count { slots[i] = nil }
            count = 0
            head = 0
        }
    }

    /// Events sorted by (t, arrival) behind a head index: taking the first is O(1)
    /// (`Array.removeFirst` is O(n), quadratic on a full buffer). Taken events are moved out of
    /// their slots, not copied (a copy retains every String and value of the cue, and the
    /// buffer's own was destroyed later).
    private struct ReorderBuffer: Sendable {
        private var items: [InputEvent?] = []
        private var head = 0

        var count: Int { items.count - head }
        var isEmpty: Bool { head == items.count }
        /// The first event's timestamp, if any.
        var firstT: Double? { head < items.count ? items[head].unsafelyUnwrapped.t : nil }

        mutating func insert(_ event: InputEvent) {
            // Mostly in order: scan from the back. Stopping at an equal time keeps arrival order.
            var i = items.count
            while i > head, items[i - 1].unsafelyUnwrapped.t > event.t { i -= 1 }
            items.insert(event, at: i)
        }

        /// Moves the first event out. The buffer must not be empty.
        mutating func takeFirst() -> InputEvent {
            let taken = items[head].take().unsafelyUnwrapped
            head += 1
            if head == items.count {
                items.removeAll(keepingCapacity: items.capacity <= 64)
                head = 0
            } else if items.count - head <= 8 || (head >= 64 && head * 2 >= items.count) {
                // In the usual state of one or two events waiting, move them to the front at once,
                // so a session's buffer stays a few slots long (behind a head index alone it grew
                // to 127 slots, ~14 kB a session when taken events were kept in them).
                items.removeFirst(head)
                head = 0
            }
            return taken
        }
    }

    private mutating func openSession() -> Session {
        counts.sessionsOpened += 1
        return Session(order: arrivals,
                       slots: Array(repeating: nil, count: channels.entries.count * Source.allCases.count),
                       fusion: fusion.makeState(), policy: policy.makeState(), feedback: feedback.makeState())
    }

    private mutating func close(_ session: inout Session, name: String) {
        while !session.pending.isEmpty {
            apply(session.pending.takeFirst(), late: false, to: &session, name: name)
        }
        if configuration.emit == .final, let last = session.last.last {
            emit(last)
        }
        if feedbackTotals.count < Self.maxFeedbackTotals {
            feedbackTotals.append(SessionFeedback(session: name, totals: session.feedback.totals))
        } else {
            feedbackTotalsOmitted += 1
        }
        counts.sessionsClosed += 1
    }

    /// Consuming: the event's cue is moved into the plugin call, not copied.
    private mutating func apply(_ event: consuming InputEvent, late: Bool, to session: inout Session, name: String) {
        // A listener utterance is scored against the last decision and the state it was made from.
        // That state is the snapshot of the fusion state as it is now, before time moves on (nothing
        // changes it between events): worked out here, for these cues only, instead of keeping a
        // copy per event (which would also defeat the in-place snapshot).
        var hasPrior = false
        if session.lastDecision != nil, case .cue(let cue) = event, cue.source == .listener,
           feedback.configuration.utteranceChannels.contains(cue.channel) {
            Self.snapshot(fusion, session.fusion, into: &priorScratch)
            hasPrior = true
        }
        let t = max(event.t, session.clock)
        let line = event.line
        if t > session.clock || session.clock == -.infinity {
            fusion.advance(&session.fusion, to: t)
            session.clock = t
        }
        var eventName = "tick"
        var source: Source?
        var response: ScoredResponse?
        var hasBefore = false
        switch consume event {
        case .cue(var cue):
            cue.t = t
            guard let index = channels.index(of: cue.channel) else { return }
            let slot = Int(cue.source.rawValue) * channels.entries.count + index
            if session.slots[slot] == nil { session.slots[slot] = channels.entries[index].makeSlot() }
            // Into the bus's reused evidence (moved out and back): its tag array's storage is kept
            // from cue to cue, so a plugin that appends into it allocates none. It is reset before
            // it goes back, below, so it arrives empty.
            var evidence = Evidence()
            swap(&evidence, &evidenceScratch)
            session.slots[slot]!.evidence(from: cue, into: &evidence)
            for message in evidence.warnings { warningOutbox.append((cue.line, message)) }
            // Response cues describe the listener's move, not anyone's affect: they go to the tracker, not to fusion.
            var responseCues: [ResponseCue] = []
            if evidence.tags.contains(where: { $0.name.hasPrefix(ResponseCue.tagPrefix) }) {
                evidence.tags.removeAll { tag in
                    guard let rc = ResponseCue(tag: tag) else { return false }
                    responseCues.append(rc)
                    return true
                }
            }
            if cue.source == .listener, feedback.configuration.utteranceChannels.contains(cue.channel) {
                response = feedback.score(cues: responseCues, valence: evidence.valence?.value, t: t, line: cue.line,
                                          decision: session.lastDecision?.decision, prior: hasPrior ? priorScratch : nil,
                                          state: &session.feedback)
            }
            if cue.source == .other && session.feedback.isWatching {
                Self.snapshot(fusion, session.fusion, into: &beforeScratch)
                hasBefore = true
            }
            fusion.apply(evidence, of: cue, channel: ChannelInfo(name: cue.channel, index: index), to: &session.fusion)
            evidence.reset()   // this cue's reasons released now, not at the next cue
            swap(&evidence, &evidenceScratch)
            eventName = cue.channel
            source = cue.source
            Self.recycle(&cue, into: &spareMembers)
        case .control(let c):
            eventName = c.kind.rawValue
        }
        counts.applied += 1
        fusion.snapshot(session.fusion, into: &fused)
        // Not `before ?? fused`: that makes a copy of the whole snapshot (every array retained) per event.
        let seen: (rupture: Rupture?, repair: Repair?)
        if hasBefore {
            seen = feedback.observe(before: beforeScratch, after: fused, source: source, channel: eventName, state: &session.feedback)
        } else {
            seen = feedback.observe(before: fused, after: fused, source: source, channel: eventName, state: &session.feedback)
        }
        fused.responses = session.feedback.history
        let decision = policy.decide(fused, state: &session.policy)
        session.lastDecision = DecisionSummary(mode: decision.mode, confidence: decision.confidence, scores: decision.scores,
                                               risk: decision.risk, changed: decision.changed)
        let news = feedback.configuration.emitResponses && (response != nil || seen.rupture != nil || seen.repair != nil)
        let keep: Bool
        switch configuration.emit {
        case .every, .final: keep = true
        case .change: keep = decision.changed || news
        }
        // Built only when it is kept: a recommendation copies the whole snapshot (every array
        // retained), and under `--emit change` most events keep none. The decision moves in
        // (its deferred reasons hold a snapshot of their own).
        guard keep else { return }
        // A `let` built whole: a `var` filled in afterwards was copied into the outbox.
        let r = Recommendation(t: t, session: name, line: line, event: eventName, source: source,
                               late: late, decision: consume decision, state: fused,
                               response: response, rupture: seen.rupture, repair: seen.repair)
        if configuration.emit == .final {
            session.last.removeAll(keepingCapacity: true)
            session.last.append(r)
        } else {
            emit(r)
        }
    }

    /// `out = fusion.snapshot(state)`, reusing `out`'s storage. The fusion stage writes every field
    /// but `responses`, which a fresh snapshot has empty. Static, not a method: a method of the bus
    /// called with one of the bus's own scratch snapshots `inout` made the compiler copy the whole
    /// bus first (every array in it retained), so the scratch's arrays were shared, and copied, as
    /// they were rewritten.
    private static func snapshot(_ fusion: Fusion, _ state: Fusion.State, into out: inout FusedState) {
        fusion.snapshot(state, into: &out)
        out.responses = ResponseHistory()
    }

    /// Moves an applied cue's `value` member array into `spare` (the cue is done with).
    private static func recycle(_ cue: inout Cue, into spare: inout [JSONObject.Member]) {
        guard case .object = cue.value else { return }
        var value = JSONValue.null
        swap(&value, &cue.value)
        if case .object(let object) = consume value { spare = object.members }
    }

    /// Consuming: the recommendation moves into the outbox instead of being copied (every
    /// array and String in its state retained) and the original destroyed.
    private mutating func emit(_ r: consuming Recommendation) {
        counts.emitted += 1
        outbox.append(r)
    }
}

extension CueBus where Fusion == KalmanFusion, Policy == ScoringPolicy {
    /// A bus with the default fusion stage and policy.
    public init(channels: ChannelRegistry, fusion: FusionConfiguration = .init(),
                policy: PolicyConfiguration = .init(), configuration: BusConfiguration = .init(),
                feedback: FeedbackConfiguration = .init()) {
        self.init(channels: channels, fusion: KalmanFusion(configuration: fusion),
                  policy: ScoringPolicy(configuration: policy), configuration: configuration, feedback: feedback)
    }
}
