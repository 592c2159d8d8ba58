/// What the listener's utterance did, as a response to the other person.
/// The first four match the recommended modes; `advice` is neutral; the
/// rest are the common ways a response misses.
/// `Protocols/feedback.md` describes each with examples.
public enum ResponseKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// Asking: open ("what happened?") or closed ("are you ok?").
    case question
    /// Naming or mirroring the other's feeling: "it sounds like you feel...", "that must have been hard".
    case reflection
    /// Reassurance or presence: "I'm here", "it's going to be okay".
    case comfort
    /// Offering room: "take your time", "we can talk later".
    case space
    /// Advice after the feeling was acknowledged: no longer too early.
    case advice
    /// Minimising or brushing off: "just forget it", "it's not a big deal".
    case dismissing
    /// Advice before the feeling is acknowledged: "you should...", "why don't you just...".
    case fixing
    /// Turning the conversation to the listener: "that happened to me too...".
    case redirecting
    /// Cheerful words while the other is distressed.
    case mismatchedTone = "mismatched_tone"
    /// Nothing recognisable as a response (a backchannel, small talk): not scored.
    case other

    /// The kinds that miss whatever the recommendation was.
    public var isMisattuned: Bool {
        switch self {
        case .dismissing, .fixing, .redirecting, .mismatchedTone: return true
        default: return false
        }
    }

    /// The recommended mode this kind carries out, if any.
    public var mode: Mode? {
        switch self {
        case .question: return .question
        case .reflection: return .reflect
        case .comfort: return .comfort
        case .space: return .space
        default: return nil
        }
    }

    /// Order used to break ties and to pick the misattuned kind that is named.
    static let precedence: [ResponseKind] = [
        .dismissing, .mismatchedTone, .redirecting, .fixing, .reflection, .comfort, .space, .question, .advice, .other,
    ]
}

/// How well a response met the moment.
public enum ResponseScore: String, Sendable, Hashable, CaseIterable, Codable, Comparable {
    case missed
    case partly
    case attuned

    var rank: Int {
        switch self {
        case .missed: return 0
        case .partly: return 1
        case .attuned: return 2
        }
    }

    public static func < (a: ResponseScore, b: ResponseScore) -> Bool { a.rank < b.rank }
}

/// One response cue found in an utterance, as a channel reports it.
///
/// The contract between a response classifier (the text channel's, or any
/// channel plugin's) and the feedback tracker is a tag named
/// `response:<kind>/<subkind>` on the evidence of a listener (`source: self`)
/// cue; the tag's strength and reason travel with it. The bus takes these tags
/// out before fusion, so they never show among the listener's affect tags.
/// `<kind>` is a ``ResponseKind`` raw value or `cheerful` (a tone marker the
/// tracker turns into `mismatched_tone` or shared joy, depending on the other's state).
public struct ResponseCue: Sendable, Hashable {
    public static let tagPrefix = "response:"
    /// The tone marker kind: cheerful words.
    public static let cheerful = "cheerful"

    public var kind: String
    public var subkind: String
    public var strength: Double
    /// `reflection: "it must be very difficult"`.
    public var reason: String

    public init(kind: String, subkind: String, strength: Double = 1, reason: String = "") {
        self.kind = kind
        self.subkind = subkind
        self.strength = strength
        self.reason = reason
    }

    /// The tag name carrying this cue.
    public var tagName: String { ResponseCue.tagPrefix + kind + (subkind.isEmpty ? "" : "/" + subkind) }

    /// The cue a tag carries, or nil when the tag is not a response tag.
    public init?(tag: CueTag) {
        guard tag.name.hasPrefix(ResponseCue.tagPrefix) else { return nil }
        let body = tag.name.dropFirst(ResponseCue.tagPrefix.count)
        if let slash = body.firstIndex(of: "/") {
            kind = String(body[..<slash])
            subkind = String(body[body.index(after: slash)...])
        } else {
            kind = String(body)
            subkind = ""
        }
        strength = tag.strength
        reason = tag.reason
    }

    /// The tag for this cue.
    public var tag: CueTag { CueTag(tagName, strength: strength, reason: reason) }
}

/// A listener response, classified and scored; the `response` object of the output line.
public struct ScoredResponse: Sendable, Hashable {
    public var kind: ResponseKind
    /// A finer label from the classifier (`open`, `closed`, `naming`, `minimising`...), or empty.
    public var subkind: String
    /// Nil when the response is not scored (`other`).
    public var score: ResponseScore?
    /// The recommended mode in force when the response began (nil: no recommendation yet).
    public var recommended: Mode?
    /// Why, in words a person can read, most important first.
    public var reasons: [String]
    /// Other response cues in the same utterance (`comfort/presence`), in text order.
    public var also: [String]

    public init(kind: ResponseKind, subkind: String = "", score: ResponseScore?, recommended: Mode?,
                reasons: [String] = [], also: [String] = []) {
        self.kind = kind
        self.subkind = subkind
        self.score = score
        self.recommended = recommended
        self.reasons = reasons
        self.also = also
    }
}

/// A missed response followed, within `feedback.ruptureWindow`, by the other's
/// withdrawal or rising distress. Reported on the line of the event that showed it.
public struct Rupture: Sendable, Hashable {
    /// The input line and time of the missed response.
    public var responseLine: Int
    public var responseT: Double
    /// When the withdrawal or rising distress showed.
    public var t: Double
    public var reason: String

    public init(responseLine: Int, responseT: Double, t: Double, reason: String) {
        self.responseLine = responseLine
        self.responseT = responseT
        self.t = t
        self.reason = reason
    }
}

/// A later attuned response after which the other's distress eased or engagement
/// returned, closing the open ruptures. Reported on the line that showed it.
public struct Repair: Sendable, Hashable {
    /// The attuned response that repaired.
    public var responseLine: Int
    public var responseT: Double
    /// When the earliest rupture it closes showed.
    public var ruptureT: Double
    /// When the easing or returning engagement showed.
    public var t: Double
    /// `t - ruptureT`: seconds from rupture to repair.
    public var timeToRepair: Double { t - ruptureT }
    /// Ruptures this repair closes.
    public var closes: Int
    public var reason: String

    public init(responseLine: Int, responseT: Double, ruptureT: Double, t: Double, closes: Int, reason: String) {
        self.responseLine = responseLine
        self.responseT = responseT
        self.ruptureT = ruptureT
        self.t = t
        self.closes = closes
        self.reason = reason
    }
}

/// The listener's recent responses, as the policy sees them (serve and return).
/// Filled in by the bus from the feedback tracker; times are session seconds.
public struct ResponseHistory: Sendable, Hashable {
    /// The last scored-or-not response's kind (nil before the listener said anything recognisable).
    public var lastKind: ResponseKind?
    public var lastT: Double = 0
    /// Questions in a row, counting the last response (0 when it was not a question).
    /// Backchannels (`other`) neither count nor break the run.
    public var questionRun: Int = 0
    /// When the other spoke after the listener's last question (nil: not answered yet, or the last response was no question).
    public var answeredAt: Double?
    /// When the listener last gave comfort.
    public var lastComfortT: Double?

    public init() {}
}

/// One session's feedback totals.
public struct FeedbackTotals: Sendable, Hashable {
    public var responses = 0
    public var attuned = 0
    public var partly = 0
    public var missed = 0
    /// Responses with no recognisable kind (`other`).
    public var unscored = 0
    public var ruptures = 0
    public var repairs = 0
    /// Ruptures closed by a repair.
    public var repairedRuptures = 0
    /// Sum of the repairs' times to repair.
    public var repairTime = 0.0

    public init() {}

    public var scored: Int { attuned + partly + missed }
    /// Attuned / scored; nil with nothing scored.
    public var attunedShare: Double? { scored > 0 ? Double(attuned) / Double(scored) : nil }
    public var meanTimeToRepair: Double? { repairs > 0 ? repairTime / Double(repairs) : nil }

    public mutating func count(_ r: ScoredResponse) {
        responses += 1
        switch r.score {
        case .attuned?: attuned += 1
        case .partly?: partly += 1
        case .missed?: missed += 1
        case nil: unscored += 1
        }
    }

    public mutating func count(_ repair: Repair) {
        repairs += 1
        repairedRuptures += repair.closes
        repairTime += repair.timeToRepair
    }

    /// `3 responses: 2 attuned (67 %), 0 partly, 1 missed; 1 rupture, 1 repair (mean time to repair 4.5 s)`.
    public var summary: String {
        var s = "\(responses) response\(responses == 1 ? "" : "s")"
        if scored > 0 {
            s += ": \(attuned) attuned (\(Int(((attunedShare ?? 0) * 100).rounded())) %), \(partly) partly, \(missed) missed"
        }
        if unscored > 0 { s += ", \(unscored) unscored" }
        s += "; \(ruptures) rupture\(ruptures == 1 ? "" : "s"), \(repairs) repair\(repairs == 1 ? "" : "s")"
        if let m = meanTimeToRepair { s += " (mean time to repair \(rounded2(m)) s)" }
        return s
    }
}

/// A closed session's feedback totals.
public struct SessionFeedback: Sendable, Hashable {
    public var session: String
    public var totals: FeedbackTotals
    public init(session: String, totals: FeedbackTotals) {
        self.session = session
        self.totals = totals
    }
}
