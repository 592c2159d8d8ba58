/// The bus plus line decoding and bookkeeping: what the CLI, the C API and
/// embedding code drive. Every line handed in is accounted for:
/// `read == accepted + rejected`, always.
///
/// ```swift
/// var engine = Engine(bus: CueBus(channels: .standard))
/// _ = engine.ingest(line: #"{"t":1,"channel":"text","value":{"text":"leave me alone"}}"#)
/// engine.finish()
/// for r in engine.drain() { print(r.jsonLine) }
/// ```
public struct Engine<Fusion: FusionStage, Policy: ResponsePolicy> {
    public private(set) var bus: CueBus<Fusion, Policy>
    private let decoder: LineDecoder
    private var warningGate = WarningGate()
    /// Pass every plugin warning on, repeats included and uncapped, for a caller that merges
    /// several engines' warnings and puts them through one ``WarningGate`` itself (`attune run
    /// --threads`). ``RunCounts/warnings`` counts them either way.
    public var forwardsAllWarnings = false
    private var newWarnings: [(line: Int, message: String)] = []
    public private(set) var counts = RunCounts()

    public init(bus: CueBus<Fusion, Policy>) {
        self.bus = bus
        self.decoder = LineDecoder(channels: bus.channels, limits: bus.configuration.limits)
    }

    /// Decodes and pushes one input line (without its newline). The line
    /// number is the count of lines handed in so far.
    @discardableResult
    @_specialize(where Fusion == KalmanFusion, Policy == ScoringPolicy)
    public mutating func ingest(line bytes: UnsafeRawBufferPointer) -> Result<Void, LineError> {
        counts.read += 1
        // The last applied cue's member array goes back to the decoder for this line's `value`.
        if bus.spareMembers.capacity > 0 { swap(&decoder.spareMembers, &bus.spareMembers) }
        switch decoder.decode(bytes, line: counts.read) {
        case .success(let event):
            accept(event)
            return .success(())
        case .failure(let error):
            reject(error)
            return .failure(error)
        }
    }

    /// Takes a line decoded elsewhere (on another thread, by another ``LineDecoder``),
    /// counted like ``ingest(line:)``. The line number is the one the decoder was given.
    @discardableResult
    @_specialize(where Fusion == KalmanFusion, Policy == ScoringPolicy)
    public mutating func accept(decoded: Result<InputEvent, LineError>) -> Result<Void, LineError> {
        counts.read += 1
        switch decoded {
        case .success(let event):
            accept(event)
            return .success(())
        case .failure(let error):
            reject(error)
            return .failure(error)
        }
    }

    /// Sharded use (see ``CueBus/push(_:arrival:)``): like ``accept(decoded:)``, with the
    /// event's position among all the engines' accepted events. Idle sessions are closed
    /// by ``closeIdleSession(at:)``, not here.
    @discardableResult
    @_specialize(where Fusion == KalmanFusion, Policy == ScoringPolicy)
    public mutating func accept(decoded: Result<InputEvent, LineError>, arrival: Int) -> Result<Void, LineError> {
        counts.read += 1
        switch decoded {
        case .success(let event):
            counts.accepted += 1
            bus.push(event, arrival: arrival)
            collectWarnings()
            syncBusCounts()
            return .success(())
        case .failure(let error):
            reject(error)
            return .failure(error)
        }
    }

    /// Sharded use: closes the oldest idle session at input position `arrival`, if any
    /// (see ``CueBus/closeIdleSession(at:)``); returns the arrival number of its last event.
    @_specialize(where Fusion == KalmanFusion, Policy == ScoringPolicy)
    @discardableResult
    public mutating func closeIdleSession(at arrival: Int) -> Int? {
        guard let closed = bus.closeIdleSession(at: arrival) else { return nil }
        collectWarnings()
        syncBusCounts()
        return closed
    }

    @discardableResult
    public mutating func ingest(line: String) -> Result<Void, LineError> {
        var line = line
        return line.withUTF8 { ingest(line: UnsafeRawBufferPointer($0)) }
    }

    /// A line too long to hold: counted and rejected without its bytes.
    public mutating func rejectOverlongLine(length: Int) -> LineError {
        counts.read += 1
        let error = LineError.overlong(line: counts.read, length: length, limit: decoder.limits.maxLineBytes)
        reject(error)
        return error
    }

    /// Pushes a cue built in code; it is validated like a decoded line.
    @discardableResult
    public mutating func push(_ cue: Cue) -> Result<Void, LineError> {
        counts.read += 1
        var cue = cue
        if cue.line == 0 { cue.line = counts.read }
        guard let index = bus.channels.index(of: cue.channel) else {
            let e = LineError(line: cue.line, kind: .unknownChannel, message: "unknown channel \"\(clip(cue.channel))\"")
            reject(e)
            return .failure(e)
        }
        guard cue.t.isFinite, cue.t >= 0 else {
            let e = LineError(line: cue.line, kind: .invalidField, message: "t: must be a finite number >= 0")
            reject(e)
            return .failure(e)
        }
        if let problem = bus.channels.entries[index].validate(cue.value) {
            let e = LineError(line: cue.line, kind: .invalidValue, message: "\(cue.channel): \(problem)")
            reject(e)
            return .failure(e)
        }
        accept(.cue(cue))
        return .success(())
    }

    /// Closes one session as if its input had ended (see ``CueBus/finish(session:)``).
    @_specialize(where Fusion == KalmanFusion, Policy == ScoringPolicy)
    public mutating func finish(session: String) {
        bus.finish(session: session)
        collectWarnings()
        syncBusCounts()
    }

    /// End of input: flush every session.
    @_specialize(where Fusion == KalmanFusion, Policy == ScoringPolicy)
    public mutating func finish() {
        bus.finish()
        collectWarnings()
        syncBusCounts()
    }

    public mutating func drain() -> [Recommendation] { bus.drain() }

    @_specialize(where Fusion == KalmanFusion, Policy == ScoringPolicy)
    public mutating func drain(_ body: (Recommendation) throws -> Void) rethrows { try bus.drain(body) }

    /// Plugin warnings not reported before (each distinct message once per run).
    @_specialize(where Fusion == KalmanFusion, Policy == ScoringPolicy)
    public mutating func drainWarnings() -> [(line: Int, message: String)] {
        defer { newWarnings.removeAll(keepingCapacity: true) }
        return newWarnings
    }

    private mutating func accept(_ event: InputEvent) {
        counts.accepted += 1
        bus.push(event)
        collectWarnings()
        syncBusCounts()
    }

    private mutating func reject(_ error: LineError) {
        counts.rejected += 1
        if error.kind == .blank { counts.blank += 1 }
    }

    /// Distinct warning messages remembered (see ``WarningGate``).
    public static var maxDistinctWarnings: Int { WarningGate.maxDistinct }

    private mutating func collectWarnings() {
        for w in bus.drainWarnings() {
            counts.warnings += 1
            if forwardsAllWarnings {
                newWarnings.append(w)
            } else if let shown = warningGate.admit(w) {
                newWarnings.append(shown)
            }
        }
    }

    private mutating func syncBusCounts() {
        counts.late = bus.counts.late
        counts.sessions = bus.counts.sessionsOpened
        counts.idleClosed = bus.counts.sessionsEvicted
        counts.emitted = bus.counts.emitted
    }
}

/// A run's bookkeeping. `read == accepted + rejected` always holds.
public struct RunCounts: Sendable, Hashable {
    public var read = 0
    public var accepted = 0
    public var rejected = 0
    /// Of the rejected lines, how many were blank.
    public var blank = 0
    /// Of the accepted events, how many arrived too late to be put in order (applied at the session clock).
    public var late = 0
    /// Sessions seen.
    public var sessions = 0
    /// Recommendations written.
    public var emitted = 0
    /// Sessions closed for being idle (see ``BusConfiguration/idleEvents``); a session that
    /// comes back after that starts afresh and is counted in `sessions` again.
    public var idleClosed = 0
    /// Plugin warnings (each distinct message is printed once; this counts all).
    public var warnings = 0

    public init() {}

    /// The one-line summary printed at exit.
    public var summary: String {
        "\(read) lines read, \(accepted) accepted, \(rejected) rejected"
            + (blank > 0 ? " (\(blank) blank)" : "")
            + ", \(late) late, \(sessions) session\(sessions == 1 ? "" : "s"), \(emitted) recommendation\(emitted == 1 ? "" : "s")"
            + (idleClosed > 0 ? ", \(idleClosed) closed idle" : "")
            + (warnings > 0 ? ", \(warnings) warning\(warnings == 1 ? "" : "s")" : "")
    }
}

/// Which plugin warnings are printed: each distinct message once, and at most
/// ``maxDistinct`` distinct ones. Beyond that, new messages are counted but not printed:
/// hostile input (a million distinct unknown labels) must not grow memory or flood standard error.
public struct WarningGate: Sendable {
    public static var maxDistinct: Int { 1000 }
    /// Printed once, in place of the first warning over the cap.
    public static var cappedMessage: String {
        "more than \(maxDistinct) distinct warnings; further ones are counted, not printed"
    }

    private var seen: Set<String> = []
    private var capped = false

    public init() {}

    /// What to print for this warning, if anything.
    public mutating func admit(_ w: (line: Int, message: String)) -> (line: Int, message: String)? {
        if seen.count >= Self.maxDistinct {
            if capped { return nil }
            capped = true
            return (w.line, Self.cappedMessage)
        }
        return seen.insert(w.message).inserted ? w : nil
    }
}
