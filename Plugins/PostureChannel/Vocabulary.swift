import AttuneCore

extension PostureChannel {
    /// Tag for an open, unguarded body (the opposite of ``Tag/closed``).
    public static let opennessTag = Tag.openness
    /// Tag for a head shake: disagreement or refusal, a weak negative.
    public static let disagreementTag = Tag.disagreement

    /// Vocabulary v1: the built-in labels, in the order of the doc table.
    ///
    /// The numbers are judgement, not measurement: body language is ambiguous
    /// (a lean back can be ease or distance, a frown can be thought or
    /// displeasure), so variances are high and single cues stay weak; only
    /// crying is read as strongly negative. Change any of it through
    /// `extraLabels` in the configuration.
    public static let vocabularyV1: [LabelMeaning] = [
        // Orientation and distance: approach vs. withdrawal.
        LabelMeaning("facing", meaning: "body oriented toward the listener",
                     approach: 0.4, openness: 0.3, valence: 0.1),
        LabelMeaning("turned_away", meaning: "body turned away from the listener: pulling back, may want space",
                     approach: -0.7, openness: -0.4, valence: -0.2, distress: 0.1),
        LabelMeaning("lean_forward", meaning: "leaning in: interest, wanting contact",
                     approach: 0.6, openness: 0.4, valence: 0.1, arousal: 0.2,
                     tags: [TagWeight(Tag.engagement, 0.4)]),
        LabelMeaning("lean_back", meaning: "leaning back: ease, or taking distance",
                     approach: -0.3, openness: -0.1, arousal: -0.2, variance: 0.4),
        LabelMeaning("moving_closer", meaning: "closing the distance to the listener",
                     approach: 0.8, openness: 0.4, valence: 0.2, arousal: 0.1, variance: 0.3),
        LabelMeaning("moving_away", meaning: "increasing the distance: withdrawal, a reason for space",
                     approach: -0.8, openness: -0.3, valence: -0.2, arousal: 0.1, distress: 0.1, variance: 0.3),
        // Arms and trunk: openness, mood.
        LabelMeaning("arms_open", meaning: "open arms, uncovered trunk: receptive",
                     approach: 0.3, openness: 0.7, valence: 0.2),
        LabelMeaning("arms_crossed", meaning: "arms crossed: guarded, closed (or just cold)",
                     approach: -0.2, openness: -0.6, valence: -0.15, variance: 0.4),
        LabelMeaning("upright", meaning: "upright posture: alert, composed",
                     approach: 0.1, openness: 0.2, valence: 0.1, arousal: 0.1, variance: 0.4),
        LabelMeaning("slumped", meaning: "slumped: low energy, low mood",
                     approach: -0.1, openness: -0.2, valence: -0.4, arousal: -0.4, distress: 0.4, variance: 0.3,
                     tags: [TagWeight(Tag.sadness, 0.4)]),
        LabelMeaning("head_down", meaning: "head hanging down: sadness, defeat or shame",
                     approach: -0.2, openness: -0.2, valence: -0.4, arousal: -0.3, distress: 0.4, variance: 0.3,
                     tags: [TagWeight(Tag.sadness, 0.4), TagWeight(Tag.shame, 0.2)]),
        LabelMeaning("lying_down", meaning: "lying down: rest, exhaustion or collapse",
                     approach: -0.2, valence: -0.1, arousal: -0.5, distress: 0.1, variance: 0.45),
        // Gaze and head.
        LabelMeaning("gaze_contact", meaning: "looking at the listener: attention, openness",
                     approach: 0.5, openness: 0.4, valence: 0.1,
                     tags: [TagWeight(Tag.engagement, 0.4)]),
        LabelMeaning("gaze_averted", meaning: "looking away: a weak withdrawal cue; could be shame or thinking",
                     approach: -0.3, openness: -0.1, valence: -0.1, variance: 0.45),
        LabelMeaning("nodding", meaning: "nodding: following, agreeing",
                     approach: 0.3, openness: 0.3, valence: 0.15, arousal: 0.1, variance: 0.4,
                     tags: [TagWeight(Tag.engagement, 0.6)]),
        LabelMeaning("head_shake", meaning: "shaking the head: disagreement, refusal (a weak negative)",
                     approach: -0.1, openness: -0.2, valence: -0.25, arousal: 0.1, variance: 0.4,
                     tags: [TagWeight(PostureChannel.disagreementTag, 0.5)]),
        // Movement: arousal, anxiety.
        LabelMeaning("fidgeting", meaning: "small restless movements: nervousness, anxiety or impatience",
                     valence: -0.15, arousal: 0.4, distress: 0.2,
                     tags: [TagWeight(Tag.restless, 0.6)]),
        LabelMeaning("restless", meaning: "shifting, pacing: agitation, anxiety",
                     valence: -0.2, arousal: 0.5, distress: 0.3,
                     tags: [TagWeight(Tag.restless, 0.8)]),
        LabelMeaning("still", meaning: "not moving: calm, or frozen",
                     arousal: -0.3, variance: 0.45),
        LabelMeaning("self_touch", meaning: "touching face, neck or arms: self-soothing under stress",
                     approach: -0.1, openness: -0.2, valence: -0.2, arousal: 0.2, distress: 0.3, variance: 0.4,
                     tags: [TagWeight(Tag.fear, 0.2)]),
        LabelMeaning("tense", meaning: "tense muscles, raised shoulders: stress, fear or suppressed anger",
                     openness: -0.3, valence: -0.3, arousal: 0.5, distress: 0.4,
                     tags: [TagWeight(Tag.fear, 0.3), TagWeight(Tag.anger, 0.2)]),
        // Face and tears.
        LabelMeaning("crying", meaning: "crying, tears: strong distress, a call for comfort",
                     valence: -0.8, arousal: 0.3, distress: 0.9, variance: 0.15,
                     tags: [TagWeight(Tag.crying, 0.9), TagWeight(Tag.sadness, 0.7)], halfLife: 60),
        LabelMeaning("smiling", meaning: "smiling: joy, warmth (sometimes politeness or masking)",
                     approach: 0.3, openness: 0.4, valence: 0.6, arousal: 0.1, variance: 0.25,
                     tags: [TagWeight(Tag.joy, 0.6), TagWeight(Tag.engagement, 0.3)]),
        LabelMeaning("laughing", meaning: "laughing: joy, high energy (sometimes nervous)",
                     approach: 0.3, openness: 0.5, valence: 0.7, arousal: 0.6, variance: 0.25,
                     tags: [TagWeight(Tag.joy, 0.8), TagWeight(Tag.engagement, 0.4)]),
        LabelMeaning("frowning", meaning: "frowning: displeasure, worry or anger (or concentration)",
                     approach: -0.1, openness: -0.2, valence: -0.45, arousal: 0.2, distress: 0.2,
                     tags: [TagWeight(Tag.anger, 0.3), TagWeight(Tag.sadness, 0.2)]),
    ]
}
