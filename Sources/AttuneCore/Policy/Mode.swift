/// The four ways to respond.
public enum Mode: String, Sendable, Hashable, CaseIterable, Codable {
    /// Soothe, reassure, be present: distress with openness or a bid for connection.
    case comfort
    /// Give room: an explicit request, withdrawal, or flooding on either side.
    case space
    /// Check in ("it seems like you're feeling... is that right?"): uncertainty,
    /// mixed signals, or too little evidence to assume.
    case question
    /// Mirror it back ("that sounds really frustrating"): a clearly expressed emotion.
    case reflect
}

/// One number per mode (scores, or a feature's weights).
public struct ModeScores: Sendable, Hashable, Codable {
    public var comfort: Double = 0
    public var space: Double = 0
    public var question: Double = 0
    public var reflect: Double = 0

    public init(comfort: Double = 0, space: Double = 0, question: Double = 0, reflect: Double = 0) {
        self.comfort = comfort
        self.space = space
        self.question = question
        self.reflect = reflect
    }

    public subscript(mode: Mode) -> Double {
        get {
            switch mode {
            case .comfort: return comfort
            case .space: return space
            case .question: return question
            case .reflect: return reflect
            }
        }
        set {
            switch mode {
            case .comfort: comfort = newValue
            case .space: space = newValue
            case .question: question = newValue
            case .reflect: reflect = newValue
            }
        }
    }

    // Absent modes decode as 0, so a configuration can say {"space": 3} alone.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        comfort = try c.decodeIfPresent(Double.self, forKey: .comfort) ?? 0
        space = try c.decodeIfPresent(Double.self, forKey: .space) ?? 0
        question = try c.decodeIfPresent(Double.self, forKey: .question) ?? 0
        reflect = try c.decodeIfPresent(Double.self, forKey: .reflect) ?? 0
    }
}

/// One reason behind a recommendation: which cue, from which channel, how much it weighed.
public struct Reason: Sendable, Hashable {
    /// The channel the cue came from, or `fusion` for a property of the fused state
    /// (incongruence, coverage), or `self` for the listener's state.
    public var channel: String
    /// The tag or state feature: `space_request`, `incongruence`, `low_coverage`...
    public var cue: String
    /// Its contribution to the chosen mode's score.
    public var weight: Double
    /// A sentence a person can read: `text: asked for space: "leave me alone"`.
    public var text: String

    public init(channel: String, cue: String, weight: Double, text: String) {
        self.channel = channel
        self.cue = cue
        self.weight = weight
        self.text = text
    }
}

/// The policy's answer for one moment.
public struct Decision: Sendable, Hashable {
    public var mode: Mode
    /// 0...1: the margin over the other modes, discounted by how uncertain the state is.
    public var confidence: Double
    public var scores: ModeScores
    /// Hopelessness or self-harm language was seen and has not faded: space is ruled out.
    public var risk: Bool
    /// The reasons, strongest first. Written out when read: most decisions are
    /// never printed (`--emit change`), so their words are never built.
    public var because: [Reason] {
        get {
            switch reasons {
            case .written(let r): return r
            case .deferred(let d): return d.reasons
            }
        }
        set { reasons = .written(newValue) }
    }
    /// The mode differs from the previous decision's.
    public var changed: Bool

    /// The reasons are still to be worked out (the JSON writer then writes them directly).
    var hasDeferredReasons: Bool {
        if case .deferred = reasons { return true }
        return false
    }

    /// The reasons still to be worked out, written as the members of the output's `because`
    /// array (see ``DeferredReasons/writeJSON(into:scratch:)``); nothing when they were written out.
    /// A method, not a getter returning them: that copy of their state snapshot (every array
    /// in it retained and released) cost several hundred instructions a line.
    func writeDeferredReasons(into w: inout RawWriter, scratch: inout [RankedReason]) {
        if case .deferred(let d) = reasons { d.writeJSON(into: &w, scratch: &scratch) }
    }

    private enum Reasons: Sendable {
        case written([Reason])
        case deferred(DeferredReasons)
    }
    private var reasons: Reasons

    public init(mode: Mode, confidence: Double, scores: ModeScores, risk: Bool, because: [Reason], changed: Bool) {
        self.mode = mode
        self.confidence = confidence
        self.scores = scores
        self.risk = risk
        self.reasons = .written(because)
        self.changed = changed
    }

    init(mode: Mode, confidence: Double, scores: ModeScores, risk: Bool, deferred: DeferredReasons, changed: Bool) {
        self.mode = mode
        self.confidence = confidence
        self.scores = scores
        self.risk = risk
        self.reasons = .deferred(deferred)
        self.changed = changed
    }

    public static func == (a: Decision, b: Decision) -> Bool {
        a.mode == b.mode && a.confidence == b.confidence && a.scores == b.scores && a.risk == b.risk
            && a.changed == b.changed && a.because == b.because
    }

    public func hash(into h: inout Hasher) {
        h.combine(mode)
        h.combine(confidence)
        h.combine(scores)
        h.combine(risk)
        h.combine(changed)
        h.combine(because)
    }
}

/// Turns the fused state into a recommended mode. One `State` per session
/// (the current mode and when it began, for hysteresis).
public protocol ResponsePolicy: Sendable {
    associatedtype State: Sendable
    func makeState() -> State
    func decide(_ fused: FusedState, state: inout State) -> Decision
}
