/// Every number the policy uses; `"policy"` in the configuration file.
///
/// Scores are linear and therefore auditable: for each mode,
/// `score = bias + Σ weight[feature][mode] · feature`, where the features are
/// the other person's tag levels (0...1) and these state features (0...1):
///
/// | feature | meaning |
/// |---|---|
/// | `negative_valence` | max(0, −valence) of the other person |
/// | `positive_valence` | max(0, valence) |
/// | `high_arousal`, `low_arousal` | max(0, ±arousal) |
/// | `expressed_emotion` | coverage · abs(valence): a clear, well-evidenced feeling |
/// | `low_coverage` | 1 − coverage: little evidence so far, or only stale evidence |
/// | `incongruence` | channels disagree, or words deny what the body shows |
/// | `other_flooded` | the other person is flooded (high arousal, negative) |
/// | `self_flooded` | the listener is flooded |
/// | `self_talk_share` | how far the listener's share of recent words exceeds half (0 at ≤ 50 %, 1 at 100 %) |
///
/// and the serve-and-return features, from the listener's own last responses
/// (see ``ServeAndReturn``; each is 1 when it happens and halves every `serveAndReturn.halfLife` seconds):
///
/// | feature | meaning |
/// |---|---|
/// | `answered_question` | the listener asked, and the other has answered (spoken since) |
/// | `question_run` | questions in a row: 0 for one, 0.5 for two, 1 for three or more |
/// | `comfort_given` | the listener just gave comfort |
public struct PolicyConfiguration: Codable, Sendable, Equatable {
    /// A starting score per mode. Checking in is the safe default when nothing is known.
    public var bias = ModeScores(question: 0.2)
    /// Feature or tag name -> how much one unit of it adds to each mode.
    public var weights: [String: ModeScores] = PolicyConfiguration.defaultWeights
    /// Seconds a mode stays before an ordinary switch (no flicker).
    public var minDwell: Double = 1.5
    /// An ordinary switch needs the new mode to lead the current one by this much.
    public var switchMargin: Double = 0.15
    /// A lead this large is strong new evidence: switch at once, dwell or not.
    public var strongMargin: Double = 0.6
    /// So is a leading mode whose score rose by this much with the event just applied
    /// (the words that came 0.8 s after the posture): a jump is news, a drift is not.
    public var strongEvidence: Double = 0.6
    /// Tags that switch at once when they arrive at least this strong (an explicit request for space).
    public var immediateTags: [String] = ["space_request", "risk"]
    public var immediateLevel: Double = 0.4
    /// The tag that raises the `risk` flag, and the level above which the flag stays up.
    public var riskTag: String = "risk"
    public var riskLevel: Double = 0.2
    /// Softmax temperature turning score margins into confidence.
    public var temperature: Double = 0.5
    /// How much low coverage discounts confidence: confidence · (1 − penalty · (1 − coverage)).
    public var uncertaintyPenalty: Double = 0.4
    /// Reasons listed in `because`.
    public var maxReasons: Int = 3
    /// How the listener's own last responses feed the features `answered_question`, `question_run`, `comfort_given`.
    public var serveAndReturn = ServeAndReturn()

    public init() {}

    /// Serve and return: attuned listeners take their own last move into account.
    /// After a question has been answered, reflecting what was heard usually comes
    /// next; three questions in a row feel like an interrogation; comfort that was
    /// just given need not be repeated at once. The features' weights are in `weights`.
    public struct ServeAndReturn: Codable, Sendable, Equatable {
        /// Seconds in which each feature halves (from the answer, the last question, the comfort).
        public var halfLife: Double = 12
        /// Questions in a row at which `question_run` reaches 1 (it is 0 for a single question).
        public var questionRunFull: Int = 3
        /// Off: the three features stay 0.
        public var enabled: Bool = true
        public init() {}
    }

    public static let defaultWeights: [String: ModeScores] = [
        // Needs, from words
        "space_request": ModeScores(comfort: -0.5, space: 3.0, question: -0.3, reflect: -0.5),
        "connection_bid": ModeScores(comfort: 1.2, space: -1.0, reflect: 0.4),
        "denial": ModeScores(comfort: -0.5, question: 1.2, reflect: -0.5),
        "uncertainty": ModeScores(question: 1.2),
        "clipped": ModeScores(space: 0.3, question: 0.5),
        "hostility": ModeScores(comfort: -0.3, space: 1.5, reflect: -0.2),
        "risk": ModeScores(comfort: 1.5, question: 1.0),
        // Emotions
        "sadness": ModeScores(comfort: 1.0, reflect: 0.6),
        "loneliness": ModeScores(comfort: 1.0, reflect: 0.5),
        "fear": ModeScores(comfort: 1.0, reflect: 0.6),
        "shame": ModeScores(comfort: 0.9, reflect: 0.5),
        "anger": ModeScores(comfort: 0.1, reflect: 1.0),
        "joy": ModeScores(reflect: 1.3),
        "surprise": ModeScores(reflect: 0.6),
        // Voice
        "flat_low_energy": ModeScores(comfort: 0.3, question: 0.6),
        "tense_or_shaky": ModeScores(comfort: 0.3, question: 0.3),
        "agitated": ModeScores(space: 0.2, reflect: 0.2),
        // Body
        "crying": ModeScores(comfort: 2.0, reflect: 0.3),
        "withdrawal": ModeScores(comfort: -0.2, space: 1.2, reflect: -0.3),
        "approach": ModeScores(comfort: 0.5, space: -0.6, reflect: 0.5),
        "openness": ModeScores(comfort: 0.2, space: -0.3, reflect: 0.2),
        "closed": ModeScores(space: 0.5, reflect: -0.2),
        "distress": ModeScores(comfort: 0.7, question: 0.2),
        "restless": ModeScores(comfort: 0.3, question: 0.2),
        "engagement": ModeScores(comfort: 0.2, space: -0.3, reflect: 0.4),
        "disagreement": ModeScores(question: 0.3),
        // State features
        "negative_valence": ModeScores(comfort: 0.8, reflect: 0.3),
        "positive_valence": ModeScores(reflect: 0.8),
        "expressed_emotion": ModeScores(comfort: 0.3, reflect: 0.8),
        "low_coverage": ModeScores(question: 1.0),
        "incongruence": ModeScores(comfort: -1.0, question: 2.0, reflect: -1.0),
        "other_flooded": ModeScores(space: 1.5),
        "self_flooded": ModeScores(space: 3.0),
        "self_talk_share": ModeScores(question: 0.5),
        // Serve and return
        "answered_question": ModeScores(question: -0.4, reflect: 0.8),
        "question_run": ModeScores(question: -1.2, reflect: 0.3),
        "comfort_given": ModeScores(comfort: -0.6),
    ]
}
