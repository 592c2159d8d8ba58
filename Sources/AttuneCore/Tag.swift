/// The standard cue-tag names. Channels may emit others; the policy weighs a
/// tag only if the configuration gives it weights (`policy.tags`).
///
/// Grouped by what they say about the person:
public enum Tag {
    // MARK: - Needs, from words
    /// An explicit request for room: "leave me alone", "can we talk later".
    public static let spaceRequest = "space_request"
    /// A bid for connection or support: "can we talk?", "stay with me".
    public static let connectionBid = "connection_bid"
    /// Denying or minimising: "I'm fine", "it doesn't bother me", "whatever".
    public static let denial = "denial"
    /// Not knowing: "I don't know", "not sure", "it's complicated".
    public static let uncertainty = "uncertainty"
    /// A very short answer ("ok.", "fine").
    public static let clipped = "clipped"
    /// The person asked a question.
    public static let question = "question"
    /// Hopelessness or self-harm language. Raises the `risk` flag and rules out space.
    public static let risk = "risk"
    /// Blame or attack aimed at the listener: "you always...", "stop!".
    public static let hostility = "hostility"

    // MARK: - Emotions (any channel)
    public static let anger = "anger"
    public static let sadness = "sadness"
    public static let fear = "fear"
    public static let joy = "joy"
    public static let shame = "shame"
    public static let loneliness = "loneliness"
    public static let surprise = "surprise"

    // MARK: - Voice
    /// Quiet, slow, monotone, long pauses, relative to the speaker's baseline.
    public static let flatLowEnergy = "flat_low_energy"
    /// Jitter and shimmer up: a tense or shaky voice.
    public static let tenseOrShaky = "tense_or_shaky"
    /// Louder, faster, higher and more variable pitch than the speaker's baseline.
    public static let agitated = "agitated"

    // MARK: - Body
    public static let crying = "crying"
    /// Turning or moving away, averting gaze: pulling back from the listener.
    public static let withdrawal = "withdrawal"
    /// Leaning in, moving closer, facing, gaze contact: open to the listener.
    public static let approach = "approach"
    /// Arms crossed and similar: closed, guarded.
    public static let closed = "closed"
    /// Slumped, head down, self-touch, tense: visible distress or low mood.
    public static let distress = "distress"
    /// Fidgeting, restlessness.
    public static let restless = "restless"
    /// Nodding, smiling at, laughing with: engaged with the listener.
    public static let engagement = "engagement"
    /// An open, unguarded body (the opposite of `closed`).
    public static let openness = "openness"
    /// A head shake: disagreement or refusal, a weak negative.
    public static let disagreement = "disagreement"

    /// The standard names in a fixed order, each numbered by its position: a
    /// tag whose name is one of them carries the number (`TagLevel.standardIndex`),
    /// so the policy and the feedback tracker find its weights and membership by
    /// index instead of by name on every event (each tag of each event was a
    /// name lookup, a few percent of a run).
    ///
    /// Why an index can stand for the name: every name here is lowercase ASCII
    /// letters and `_`, and no string that is not byte for byte one of them is
    /// equal to it under String's canonical equivalence (no non-ASCII scalar
    /// decomposes to a lowercase letter or `_`; `TagTests` checks both). So two
    /// names are equal exactly when their indexes are, whenever one of them is
    /// standard; only two non-standard names need comparing as Strings.
    static let standard: [String] = [
        spaceRequest, connectionBid, denial, uncertainty, clipped, question, risk, hostility,
        anger, sadness, fear, joy, shame, loneliness, surprise,
        flatLowEnergy, tenseOrShaky, agitated,
        crying, withdrawal, approach, closed, distress, restless, engagement, openness, disagreement,
    ]

    /// Position in ``standard`` by exact bytes, built once.
    private static let standardIndexes = NameTable(standard.enumerated().map { ($0.element, Int32($0.offset)) })

    /// `name`'s position in ``standard``, or -1: exact bytes (see ``standard`` for why that
    /// is the same answer as String equality).
    static func standardIndex(of name: String) -> Int32 {
        standardIndexes[name] ?? -1
    }
}
