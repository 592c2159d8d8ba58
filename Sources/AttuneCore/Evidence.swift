/// A noisy reading of one affect dimension: a value and its variance.
///
/// Valence and arousal live on -1...1. The variance is the plugin's honest
/// uncertainty about this one reading (before channel reliability and the
/// cue's own confidence are applied by the fusion stage); 0.04 means "about
/// ±0.2", 0.25 means "about ±0.5, barely informative".
public struct Reading: Sendable, Hashable {
    public var value: Double
    public var variance: Double
    public init(_ value: Double, variance: Double) {
        self.value = value
        self.variance = variance
    }
}

/// A named cue a channel noticed ("asked for space", "crying", "flat, low
/// energy voice"), with a strength in 0...1 and a short reason a person can
/// read. Tags are what a recommendation's `because` is made of.
public struct CueTag: Sendable, Hashable {
    /// A tag name; the standard ones are in ``Tag``. The policy's weights are
    /// keyed by it, so custom plugins can add their own and weigh them in the configuration.
    public var name: String
    /// 0...1: how sure and how strong.
    public var strength: Double
    /// Short and concrete, quoting the input where it can: `asked for space: "leave me alone"`.
    /// Without the channel name: a recommendation's reason reads `<channel>: <reason>`.
    public var reason: String
    /// For interval annotations: the tag holds at full strength until this
    /// session time, then decays. Nil for point cues, which start decaying at once.
    public var holdUntil: Double?
    /// Overrides the fusion stage's half-life for this tag, in seconds (nil: use the configured one).
    public var halfLife: Double?

    public init(_ name: String, strength: Double, reason: String, holdUntil: Double? = nil, halfLife: Double? = nil) {
        self.name = name
        self.strength = strength
        self.reason = reason
        self.holdUntil = holdUntil
        self.halfLife = halfLife
    }
}

/// What a channel plugin makes of one cue.
public struct Evidence: Sendable, Hashable {
    /// -1 (very unpleasant) ... 1 (very pleasant), or nil when this cue says nothing about it.
    public var valence: Reading?
    /// -1 (very calm, low energy) ... 1 (very activated), or nil.
    public var arousal: Reading?
    /// 0...1: how much this cue as a whole should count (a posture annotator's confidence, say).
    /// The fusion stage scales the readings' weight by it; tag strengths are
    /// taken as given, so a plugin folds confidence into them itself.
    public var confidence: Double
    public var tags: [CueTag]
    /// Problems worth telling the user about without rejecting the cue
    /// ("unknown voice feature 'foo' ignored"). The engine prints each distinct
    /// message once per run and counts them.
    public var warnings: [String]

    public init(valence: Reading? = nil, arousal: Reading? = nil, confidence: Double = 1,
                tags: [CueTag] = [], warnings: [String] = []) {
        self.valence = valence
        self.arousal = arousal
        self.confidence = confidence
        self.tags = tags
        self.warnings = warnings
    }

    /// Evidence that says nothing (an empty utterance, an expired label).
    public static let none = Evidence()

    /// Back to ``none``, keeping the arrays' storage for the next cue. Element by element:
    /// `removeAll(keepingCapacity:)` goes through the generic `replaceSubrange` (hundreds of
    /// instructions, even for an empty array), and a cue makes a few tags at most.
    public mutating func reset() {
        valence = nil
        arousal = nil
        confidence = 1
        while !tags.isEmpty { tags.removeLast() }
        while !warnings.isEmpty { warnings.removeLast() }
    }
}
