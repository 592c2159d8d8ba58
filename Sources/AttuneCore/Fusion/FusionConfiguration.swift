/// Every number the fusion stage uses. Documented key by key in
/// `Protocols/configuration.md`; overridable from `--config FILE` under `"fusion"`.
public struct FusionConfiguration: Codable, Sendable, Equatable {
    /// The person's neutral baseline that estimates relax toward between cues.
    public var baselineValence: Double = 0
    public var baselineArousal: Double = 0
    /// Seconds for a deviation from baseline to halve with no new cues.
    /// 90 s: a sad remark two minutes ago still counts; ten minutes ago it does not.
    public var valenceHalfLife: Double = 90
    /// Arousal settles faster than mood.
    public var arousalHalfLife: Double = 45
    /// Standard deviation of the state with no evidence at all (the OU process's
    /// stationary spread): uncertainty grows back to this between cues.
    public var priorSD: Double = 0.5
    /// How far each channel's readings are trusted (multiplies precision).
    /// Words are the most specific cue about valence; prosody and posture are ambiguous.
    public var channelReliability: [String: Double] = [
        "affect": 0.8, "posture": 0.7, "text": 1.0, "voice": 0.6,
    ]
    /// Reliability of a channel not listed above (custom plugins).
    public var defaultReliability: Double = 0.7
    /// Seconds for a cue tag's strength to halve once it stops being held.
    public var tagHalfLife: Double = 45
    /// Per-tag half-lives. Risk language must stay in view for a long time;
    /// a clipped reply or a question matters only for the next moments.
    public var tagHalfLives: [String: Double] = [
        "risk": 1800, "space_request": 180, "connection_bid": 120, "crying": 60,
        "clipped": 20, "question": 15, "uncertainty": 60, "denial": 60,
    ]
    /// A fresh tag of strength s weakens the tags it supersedes by the factor
    /// (1 − s): coming back to talk resolves an earlier request for space,
    /// turning away undoes leaning in. Keyed by the arriving tag.
    public var supersedes: [String: [String]] = [
        "approach": ["withdrawal"],
        "connection_bid": ["space_request", "withdrawal"],
        "space_request": ["connection_bid", "approach"],
        "withdrawal": ["approach"],
    ]
    /// Tags weaker than this are forgotten (keeps per-session state small).
    public var tagFloor: Double = 0.02
    /// Channels whose readings are words; the rest are non-verbal. Incongruence
    /// between what is said and how it is shown is what matters most.
    public var verbalChannels: [String] = ["text"]
    /// Seconds for a channel's last valence reading to halve in weight when
    /// channels are compared for disagreement.
    public var incongruenceHalfLife: Double = 20
    /// Two channels disagree when their valence readings differ by more than
    /// their uncertainties explain: z = |v1 − v2| / √(R1 + R2), with R each
    /// reading's effective variance. Incongruence starts at z = `incongruenceOnset`
    /// and is full (1.0) at z = `incongruenceFull`.
    public var incongruenceOnset: Double = 1.0
    public var incongruenceFull: Double = 3.0
    /// Tags that deny or minimise, and tags that show distress non-verbally:
    /// the first while the second is present is incongruence ("I'm fine", crying).
    public var denialTags: [String] = ["denial"]
    public var nonverbalDistressTags: [String] = ["crying", "distress", "flat_low_energy", "tense_or_shaky"]
    /// Flooding: arousal above `arousalThreshold` (reaching full at +`arousalRange`)
    /// together with valence below 0 (full at -`valenceRange`), or these tags.
    public var flooding = Flooding()
    /// Seconds for talk-share word counts to halve ("how much of the recent talk is the listener's").
    public var talkShareHalfLife: Double = 60
    /// Recent words (both people, decayed) needed before talk share is taken at full weight;
    /// "hello, how are you?" is not yet a conversation to dominate.
    public var talkShareMinWords: Double = 20
    /// Seconds for the synchrony statistics (arousal correlation, posture mirroring) to halve.
    public var syncHalfLife: Double = 30
    /// Seconds between samples of the two arousal tracks for their correlation.
    public var syncSampleInterval: Double = 1

    public struct Flooding: Codable, Sendable, Equatable {
        public var arousalThreshold: Double = 0.35
        public var arousalRange: Double = 0.35
        public var valenceRange: Double = 0.5
        /// Tag name -> how much it alone says "flooded" (0...1).
        public var tags: [String: Double] = ["agitated": 0.4, "hostility": 0.5]
        public init() {}
    }

    public init() {}
}
