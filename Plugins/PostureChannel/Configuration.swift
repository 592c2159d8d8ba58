import AttuneCore

// MARK: - Configuration

extension PostureChannel {
    /// Every number the posture channel uses (`channels.posture.<key>` in the
    /// global configuration). Documented in `Protocols/channels/posture.md`.
    ///
    /// Decoding is forgiving: a missing key keeps its default, so a
    /// configuration can say just `{"aliases": {"looking_away": "gaze_averted"}}`.
    /// Encoding is deterministic: arrays keep their order and `aliases` is
    /// written in sorted key order.
    ///
    /// ```swift
    /// var config = PostureChannel.Configuration()
    /// config.extraLabels = [LabelMeaning("hugging_self", valence: -0.3, distress: 0.4)]
    /// config.aliases["looking_away"] = "gaze_averted"
    /// let posture = PostureChannel(configuration: config)
    /// ```
    public struct Configuration: Codable, Sendable, Equatable {
        /// Seconds for a label's tags to fade to half strength: from `t` for a
        /// point label, from `end` for an interval. A label's own `halfLife` wins.
        public var halfLife: Double = 30
        /// The confidence of a cue that gives none.
        public var defaultConfidence: Double = 1
        /// The vocabulary. Defaults to ``PostureChannel/vocabularyV1``; replace
        /// it to start from scratch.
        public var labels: [LabelMeaning] = PostureChannel.vocabularyV1
        /// Added after `labels`; an entry with the same label replaces the one in
        /// `labels`, so one label can be changed without restating the table.
        public var extraLabels: [LabelMeaning] = []
        /// Another pipeline's label → a label of the vocabulary (`"looking_away": "gaze_averted"`).
        /// Both sides are matched like labels (case-insensitive, `-`/space as `_`);
        /// a label of the vocabulary wins over an alias of the same name.
        public var aliases: [String: String] = PostureChannel.defaultAliases

        public init() {}

        enum CodingKeys: String, CodingKey {
            case halfLife, defaultConfidence, labels, extraLabels, aliases
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            halfLife = try c.decodeIfPresent(Double.self, forKey: .halfLife) ?? halfLife
            defaultConfidence = try c.decodeIfPresent(Double.self, forKey: .defaultConfidence) ?? defaultConfidence
            labels = try c.decodeIfPresent([LabelMeaning].self, forKey: .labels) ?? labels
            extraLabels = try c.decodeIfPresent([LabelMeaning].self, forKey: .extraLabels) ?? extraLabels
            aliases = try c.decodeIfPresent([String: String].self, forKey: .aliases) ?? aliases
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(halfLife, forKey: .halfLife)
            try c.encode(defaultConfidence, forKey: .defaultConfidence)
            try c.encode(labels, forKey: .labels)
            try c.encode(extraLabels, forKey: .extraLabels)
            // Dictionary's own encode iterates in per-process order; sort for byte-stable output.
            var a = c.nestedContainer(keyedBy: AnyKey.self, forKey: .aliases)
            for key in aliases.keys.sorted() {
                try a.encode(aliases[key]!, forKey: AnyKey(key))
            }
        }
    }

    /// Aliases for names common in other pipelines, on by default.
    public static let defaultAliases: [String: String] = [
        "looking_away": "gaze_averted",
        "eye_contact": "gaze_contact",
        "leaning_forward": "lean_forward",
        "leaning_back": "lean_back",
        "arms_folded": "arms_crossed",
        "shaking_head": "head_shake",
        "tearful": "crying",
    ]
}

private struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ s: String) { stringValue = s }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

// MARK: - LabelMeaning

/// What one posture label means, along five documented axes, and what it emits.
///
/// The axes become tags, so the table in the docs is the behaviour:
/// `approach` > 0 → `approach`, < 0 → `withdrawal`; `openness` > 0 → `openness`,
/// < 0 → `closed`; `distress` > 0 → `distress`; each with strength |axis|.
/// `tags` adds named tags (`crying`, `joy`, ...). `valence`/`arousal`, when set,
/// become Readings with `variance`. Every strength is then multiplied by the cue's confidence.
public struct LabelMeaning: Codable, Sendable, Equatable {
    /// The label, as matched (lower case, `_` between words).
    public var label: String
    /// One line for people: what the label usually means and what else it could mean.
    public var meaning: String
    /// -1 withdrawal ... 1 approach, toward the listener.
    public var approach: Double
    /// -1 closed, guarded ... 1 open.
    public var openness: Double
    /// -1...1, or nil when the label says nothing about valence.
    public var valence: Double?
    /// -1...1, or nil when the label says nothing about arousal.
    public var arousal: Double?
    /// 0...1: visible distress.
    public var distress: Double
    /// Variance of both readings. Body language is ambiguous: 0.3 is "about ±0.55".
    public var variance: Double
    /// Further tags, in emission order.
    public var tags: [TagWeight]
    /// Overrides ``PostureChannel/Configuration/halfLife`` for this label, in seconds.
    public var halfLife: Double?

    public init(_ label: String, meaning: String = "", approach: Double = 0, openness: Double = 0,
                valence: Double? = nil, arousal: Double? = nil, distress: Double = 0,
                variance: Double = 0.35, tags: [TagWeight] = [], halfLife: Double? = nil) {
        self.label = label
        self.meaning = meaning
        self.approach = approach
        self.openness = openness
        self.valence = valence
        self.arousal = arousal
        self.distress = distress
        self.variance = variance
        self.tags = tags
        self.halfLife = halfLife
    }

    enum CodingKeys: String, CodingKey {
        case label, meaning, approach, openness, valence, arousal, distress, variance, tags, halfLife
    }

    /// Only `label` is required; the rest default as in ``init(_:meaning:approach:openness:valence:arousal:distress:variance:tags:halfLife:)``.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(try c.decode(String.self, forKey: .label))
        meaning = try c.decodeIfPresent(String.self, forKey: .meaning) ?? meaning
        approach = try c.decodeIfPresent(Double.self, forKey: .approach) ?? approach
        openness = try c.decodeIfPresent(Double.self, forKey: .openness) ?? openness
        valence = try c.decodeIfPresent(Double.self, forKey: .valence)
        arousal = try c.decodeIfPresent(Double.self, forKey: .arousal)
        distress = try c.decodeIfPresent(Double.self, forKey: .distress) ?? distress
        variance = try c.decodeIfPresent(Double.self, forKey: .variance) ?? variance
        tags = try c.decodeIfPresent([TagWeight].self, forKey: .tags) ?? tags
        halfLife = try c.decodeIfPresent(Double.self, forKey: .halfLife)
    }
}

/// A tag a label emits, at a strength in 0...1 before the cue's confidence.
public struct TagWeight: Codable, Sendable, Equatable {
    public var name: String
    public var strength: Double
    public init(_ name: String, _ strength: Double) {
        self.name = name
        self.strength = strength
    }
}
