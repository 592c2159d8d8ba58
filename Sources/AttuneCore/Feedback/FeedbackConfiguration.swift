/// Every number and rule of response scoring and rupture/repair tracking;
/// `"feedback"` in the configuration file. `Protocols/feedback.md` documents every key.
public struct FeedbackConfiguration: Codable, Sendable, Equatable {
    /// Per recommended mode, per response kind (or `kind/subkind`, which wins over `kind`):
    /// how well that response meets that recommendation. A kind not listed scores `partly`;
    /// `other` is never scored.
    public var scoring: [String: [String: ResponseScore]] = FeedbackConfiguration.defaultScoring
    /// A `partly` response is `attuned` when its own mode scored within this much of the
    /// recommended mode: the recommendation was a close call, and the response is the runner-up.
    public var nearMargin: Double = 0.4
    /// The listener's utterances come from these channels: each `self` cue on them gets a `response`.
    public var utteranceChannels: [String] = ["text"]
    /// The other "answers" (speaks after a question) on these channels.
    public var answerChannels: [String] = ["text"]
    /// Under `bus.emit: change`, also write the lines that carry a response, a rupture or a repair.
    public var emitResponses: Bool = true

    // MARK: the other's distress
    /// Tags counting as visible distress; the other's distress is max(−valence, the strongest of these).
    public var distressTags: [String] = ["crying", "distress", "sadness", "fear", "anger", "shame", "loneliness",
                                         "tense_or_shaky", "flat_low_energy"]
    /// The other is distressed at or above this distress.
    public var distressedLevel: Double = 0.3
    /// The other is in good spirits at or above this valence (cheerful words are then shared joy).
    public var positiveValence: Double = 0.25

    // MARK: tone and timing of the listener's own words
    /// The listener's utterance counts as cheerful at or above this valence (from its own evidence),
    /// even without a cheerful cue phrase.
    public var cheerfulValence: Double = 0.45
    /// Seconds a reflection or comfort counts as acknowledging the feeling: advice within it is `advice`, not `fixing`.
    public var acknowledgementWindow: Double = 60
    /// The question that makes this many in a row scores at most `partly` (an interrogation).
    public var interrogationRun: Int = 3
    /// Comfort again within this many seconds of the last comfort scores at most `partly`.
    public var repeatComfortWithin: Double = 8

    // MARK: ruptures
    /// Seconds after a missed response in which withdrawal or rising distress makes it a rupture.
    public var ruptureWindow: Double = 20
    /// Tags that mean pulling away from the listener.
    public var withdrawalTags: [String] = ["withdrawal", "space_request", "clipped", "hostility", "closed"]
    /// A withdrawal tag rising by at least this much (through the other's own cues) is withdrawal.
    public var withdrawalRise: Double = 0.3
    /// The other's distress rising by at least this much, summed over their cues in the window, is rising distress.
    public var distressRise: Double = 0.15

    // MARK: repairs
    /// Seconds after an attuned response in which easing or returning engagement makes it a repair.
    public var repairWindow: Double = 20
    /// Distress falling by at least this much, summed over the other's cues in the window, is easing.
    public var distressEase: Double = 0.1
    /// Tags that mean engagement with the listener.
    public var engagementTags: [String] = ["approach", "engagement", "connection_bid", "openness"]
    /// An engagement tag rising by at least this much is returning engagement.
    public var engagementRise: Double = 0.3

    public init() {}

    public static let defaultScoring: [String: [String: ResponseScore]] = [
        "comfort": [
            "comfort": .attuned, "reflection": .partly, "question": .partly, "space": .missed, "advice": .partly,
            "dismissing": .missed, "fixing": .missed, "redirecting": .missed, "mismatched_tone": .missed,
        ],
        "reflect": [
            "reflection": .attuned, "comfort": .partly, "question": .partly, "question/closed": .partly,
            "space": .partly, "advice": .partly,
            "dismissing": .missed, "fixing": .missed, "redirecting": .missed, "mismatched_tone": .missed,
        ],
        "question": [
            "question": .attuned, "reflection": .partly, "comfort": .partly, "space": .partly, "advice": .partly,
            "dismissing": .missed, "fixing": .missed, "redirecting": .missed, "mismatched_tone": .missed,
        ],
        "space": [
            "space": .attuned, "comfort": .partly, "reflection": .partly, "question": .missed, "advice": .missed,
            "dismissing": .missed, "fixing": .missed, "redirecting": .missed, "mismatched_tone": .missed,
        ],
    ]

    /// The configured score of `kind/subkind`, else of `kind`, under `mode`; `partly` when unlisted.
    public func score(_ kind: ResponseKind, subkind: String, under mode: Mode) -> ResponseScore {
        let table = scoring[mode.rawValue]
        if !subkind.isEmpty, let s = table?[kind.rawValue + "/" + subkind] { return s }
        return table?[kind.rawValue] ?? (kind.isMisattuned ? .missed : .partly)
    }
}
