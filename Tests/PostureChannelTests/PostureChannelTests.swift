import AttuneCore
import AttuneTestKit
@testable import PostureChannel
import Testing

// MARK: - Helpers

private func cue(_ value: JSONValue, t: Double = 10) -> Cue {
    Cue(t: t, channel: "posture", value: value)
}

private func run(_ value: JSONValue, t: Double = 10, _ plugin: PostureChannel = PostureChannel(configuration: .init())) -> Evidence {
    var state = plugin.makeState()
    return plugin.evidence(from: cue(value, t: t), state: &state)
}

private func strength(_ e: Evidence, _ tag: String) -> Double {
    e.tags.first { $0.name == tag }?.strength ?? 0
}

// MARK: - Evidence into the bus's reused value

/// The bus calls `evidence(from:state:into:)` with one `Evidence` it empties between cues
/// (storage kept); it must give what `evidence(from:state:)` gives, cue after cue.
@Test func evidenceIntoAReusedValueMatchesTheReturnedOne() throws {
    let plugin = PostureChannel(configuration: .init())
    let values: [JSONValue] = [
        ["label": "crying", "confidence": 0.9],
        ["label": "slumped", "end": 14.5],
        ["label": "Arms folded"],                        // an alias: "(as ...)" in the reason
        ["label": "leaning forward", "end": 2],          // ends before it starts: a warning
        ["label": "juggling"],                           // unknown: a warning, the first time
        ["label": "juggling"],                           // and silence the second
        ["label": "upright", "confidence": 0.4],
        ["label": "crying", "confidence": 0.9],
    ]
    let reused = try PluginRun.evidenceIntoReusedValue(plugin, for: values)
    #expect(reused == (try PluginRun.evidence(plugin, for: values)))
    let tagged = reused.filter { !$0.tags.isEmpty }.count, warned = reused.filter { !$0.warnings.isEmpty }.count
    #expect(tagged >= 5)
    #expect(warned == 2)
}

// MARK: - Vocabulary directions

/// The direction each v1 label must have, written from the brief, not copied from the table.
struct Direction: Sendable, CustomStringConvertible {
    enum Sign: Sendable { case positive, negative, silent }
    var label: String
    var valence: Sign
    var arousal: Sign
    /// Tags that must be present, with a minimum strength (at confidence 1).
    var atLeast: [(String, Double)] = []
    /// Tags that must be absent or at most this strong.
    var atMost: [(String, Double)] = []
    var description: String { label }
}

private let directions: [Direction] = [
    .init(label: "facing", valence: .positive, arousal: .silent, atLeast: [(Tag.approach, 0.3)], atMost: [(Tag.withdrawal, 0)]),
    .init(label: "turned_away", valence: .negative, arousal: .silent, atLeast: [(Tag.withdrawal, 0.5)], atMost: [(Tag.approach, 0)]),
    .init(label: "lean_forward", valence: .positive, arousal: .positive, atLeast: [(Tag.approach, 0.5), ("openness", 0.2)]),
    .init(label: "lean_back", valence: .silent, arousal: .negative, atLeast: [(Tag.withdrawal, 0.1)], atMost: [(Tag.withdrawal, 0.4)]),
    .init(label: "moving_closer", valence: .positive, arousal: .positive, atLeast: [(Tag.approach, 0.6)]),
    .init(label: "moving_away", valence: .negative, arousal: .positive, atLeast: [(Tag.withdrawal, 0.6)]),
    .init(label: "arms_open", valence: .positive, arousal: .silent, atLeast: [("openness", 0.5)], atMost: [(Tag.closed, 0)]),
    .init(label: "arms_crossed", valence: .negative, arousal: .silent, atLeast: [(Tag.closed, 0.5)], atMost: [("openness", 0)]),
    .init(label: "upright", valence: .positive, arousal: .positive, atMost: [(Tag.distress, 0)]),
    .init(label: "slumped", valence: .negative, arousal: .negative, atLeast: [(Tag.sadness, 0.3), (Tag.distress, 0.3)]),
    .init(label: "head_down", valence: .negative, arousal: .negative, atLeast: [(Tag.sadness, 0.3), (Tag.distress, 0.3)]),
    .init(label: "lying_down", valence: .negative, arousal: .negative),
    .init(label: "gaze_contact", valence: .positive, arousal: .silent, atLeast: [(Tag.approach, 0.3), (Tag.engagement, 0.3)]),
    // Alone only a weak cue: could be shame or thinking.
    .init(label: "gaze_averted", valence: .negative, arousal: .silent, atLeast: [(Tag.withdrawal, 0.1)], atMost: [(Tag.withdrawal, 0.35), (Tag.distress, 0)]),
    .init(label: "nodding", valence: .positive, arousal: .positive, atLeast: [(Tag.engagement, 0.5)]),
    .init(label: "head_shake", valence: .negative, arousal: .positive, atLeast: [("disagreement", 0.3)]),
    .init(label: "fidgeting", valence: .negative, arousal: .positive, atLeast: [(Tag.restless, 0.5)]),
    .init(label: "restless", valence: .negative, arousal: .positive, atLeast: [(Tag.restless, 0.7)]),
    .init(label: "still", valence: .silent, arousal: .negative, atMost: [(Tag.restless, 0)]),
    .init(label: "self_touch", valence: .negative, arousal: .positive, atLeast: [(Tag.distress, 0.2)]),
    .init(label: "tense", valence: .negative, arousal: .positive, atLeast: [(Tag.distress, 0.3)]),
    .init(label: "crying", valence: .negative, arousal: .positive, atLeast: [(Tag.crying, 0.8), (Tag.distress, 0.8), (Tag.sadness, 0.5)], atMost: [(Tag.withdrawal, 0)]),
    .init(label: "smiling", valence: .positive, arousal: .positive, atLeast: [(Tag.joy, 0.5)], atMost: [(Tag.distress, 0)]),
    .init(label: "laughing", valence: .positive, arousal: .positive, atLeast: [(Tag.joy, 0.7)]),
    .init(label: "frowning", valence: .negative, arousal: .positive, atMost: [(Tag.joy, 0)]),
]

@Test(arguments: directions)
func labelHasDocumentedDirection(_ d: Direction) {
    let e = run(["label": .string(d.label)])
    #expect(e.warnings.isEmpty)
    #expect(!e.tags.isEmpty || d.valence != .silent || d.arousal != .silent, "a known label says something")
    func check(_ r: Reading?, _ sign: Direction.Sign, _ axis: String) {
        switch sign {
        case .silent: #expect(r == nil, "\(d.label) \(axis)")
        case .positive: #expect((r?.value ?? 0) > 0, "\(d.label) \(axis)")
        case .negative: #expect((r?.value ?? 0) < 0, "\(d.label) \(axis)")
        }
        // Body language is ambiguous: no posture reading may claim to be precise.
        if let r { #expect(r.variance >= 0.1 && r.variance <= 0.5, "\(d.label) \(axis) variance") }
    }
    check(e.valence, d.valence, "valence")
    check(e.arousal, d.arousal, "arousal")
    for (tag, min) in d.atLeast { #expect(strength(e, tag) >= min, "\(d.label): \(tag)") }
    for (tag, max) in d.atMost { #expect(strength(e, tag) <= max, "\(d.label): \(tag)") }
    for tag in e.tags {
        #expect(tag.strength > 0 && tag.strength <= 1)
        #expect(tag.reason.contains(d.label))
    }
}

@Test func directionTableCoversVocabularyV1() {
    #expect(Set(directions.map(\.label)) == Set(PostureChannel.vocabularyV1.map(\.label)))
    #expect(PostureChannel.vocabularyV1.count == 25)
}

@Test func cryingIsTheStrongestNegative() {
    let crying = run(["label": "crying"]).valence!.value
    for label in PostureChannel.vocabularyV1.map(\.label) where label != "crying" {
        if let v = run(["label": .string(label)]).valence?.value { #expect(v > crying, "\(label)") }
    }
}

// MARK: - Interval vs point

@Test(arguments: [(t: 10.0, end: 25.0), (t: 3.0, end: 3.0), (t: 0.0, end: 1e6)])
func intervalHoldsUntilEnd(t: Double, end: Double) {
    let e = run(["label": "turned_away", "end": .number(end)], t: t)
    #expect(!e.tags.isEmpty)
    #expect(e.warnings.isEmpty)
    for tag in e.tags {
        #expect(tag.holdUntil == end)
        #expect(tag.halfLife == 30, "after the interval the tags fade like a point label")
    }
}

@Test func endBeforeStartIsAPointLabelWithAWarning() {
    let e = run(["label": "crying", "end": 4], t: 10)
    #expect(e.tags.allSatisfy { $0.holdUntil == nil })
    #expect(strength(e, Tag.crying) > 0.8)
    #expect(e.warnings == ["posture: \"crying\" ends before it starts; read as a point label"])
}

@Test(arguments: [
    (label: "turned_away", configured: 30.0, expected: 30.0),
    (label: "turned_away", configured: 8.0, expected: 8.0),
    (label: "crying", configured: 8.0, expected: 60.0),  // crying's own half-life wins
])
func pointLabelFadesWithHalfLife(label: String, configured: Double, expected: Double) {
    var config = PostureChannel.Configuration()
    config.halfLife = configured
    let e = run(["label": .string(label)], PostureChannel(configuration: config))
    #expect(!e.tags.isEmpty)
    for tag in e.tags {
        #expect(tag.holdUntil == nil)
        #expect(tag.halfLife == expected)
    }
}

// MARK: - Confidence

@Test(arguments: [0.0, 0.25, 0.5, 0.9, 1.0])
func confidenceScalesTagsAndEvidence(c: Double) {
    let full = run(["label": "crying"])
    let e = run(["label": "crying", "confidence": .number(c)])
    #expect(e.confidence == c)
    #expect(full.confidence == 1)
    // Readings keep their value: fusion weighs them by Evidence.confidence.
    #expect(e.valence == full.valence)
    if c == 0 { #expect(e.tags.isEmpty) }
    for tag in e.tags {
        let base = strength(full, tag.name)
        #expect(abs(tag.strength - base * c) < 1e-12, "\(tag.name)")
    }
    #expect(e.tags.count == (c == 0 ? 0 : full.tags.count))
}

@Test func missingConfidenceUsesDefault() {
    var config = PostureChannel.Configuration()
    config.defaultConfidence = 0.5
    let e = run(["label": "smiling"], PostureChannel(configuration: config))
    #expect(e.confidence == 0.5)
    #expect(abs(strength(e, Tag.joy) - 0.5 * strength(run(["label": "smiling"]), Tag.joy)) < 1e-12)
}

// MARK: - Unknown labels

@Test func unknownLabelsAreReportedOncePerStateAndCounted() {
    let plugin = PostureChannel(configuration: .init())
    var state = plugin.makeState()
    let labels = ["dancing", "dancing", "Dancing", "juggling", "crying", "dancing"]
    let warnings = labels.map { plugin.evidence(from: cue(["label": .string($0)]), state: &state).warnings }
    #expect(warnings == [
        ["posture: unknown label \"dancing\" ignored"], [], [],
        ["posture: unknown label \"juggling\" ignored"], [], [],
    ])
    #expect(state.unknownLabelCount == 5)
    #expect(state.unknownLabels == ["dancing", "juggling"])

    // Another session or source has its own state: reported again there.
    var other = plugin.makeState()
    let e = plugin.evidence(from: cue(["label": "dancing"]), state: &other)
    #expect(e.warnings.count == 1)
    #expect(e.tags.isEmpty && e.valence == nil && e.arousal == nil)
}

// MARK: - Matching, aliases, extra labels

@Test(arguments: ["turned_away", "Turned-Away", "turned away", "TURNED_AWAY", "  turned -  away "])
func labelMatchingIgnoresCaseAndSeparators(raw: String) {
    let e = run(["label": .string(raw)])
    #expect(e.warnings.isEmpty)
    #expect(strength(e, Tag.withdrawal) == strength(run(["label": "turned_away"]), Tag.withdrawal))
}

@Test func defaultAliasMapsLookingAway() {
    let e = run(["label": "Looking-Away"])
    let g = run(["label": "gaze_averted"])
    #expect(e.warnings.isEmpty)
    #expect(e.valence == g.valence && e.arousal == g.arousal)
    #expect(e.tags.map(\.name) == g.tags.map(\.name))
    #expect(e.tags.map(\.strength) == g.tags.map(\.strength))
    #expect(e.tags.first?.reason == "Looking-Away (as gaze_averted)")
}

@Test func configurationAddsAliasesAndLabelsAndOverridesBuiltIns() {
    var config = PostureChannel.Configuration()
    config.aliases["Head-In-Hands"] = "hugging self"
    config.aliases["waving"] = "no_such_label"
    config.extraLabels = [
        LabelMeaning("hugging_self", valence: -0.3, distress: 0.5, tags: [TagWeight(Tag.sadness, 0.4)], halfLife: 12),
        LabelMeaning("crying", valence: -0.5, distress: 0.2),
    ]
    let plugin = PostureChannel(configuration: config)

    let hug = run(["label": "hugging_self"], plugin)
    #expect(hug.valence == Reading(-0.3, variance: 0.35))
    #expect(strength(hug, Tag.distress) == 0.5)
    #expect(strength(hug, Tag.sadness) == 0.4)
    #expect(hug.tags.allSatisfy { $0.halfLife == 12 })

    #expect(run(["label": "head_in_hands"], plugin).tags == run(["label": "hugging_self"], plugin).tags.map {
        var t = $0; t.reason = "head_in_hands (as hugging_self)"; return t
    })

    let crying = run(["label": "crying"], plugin)
    #expect(crying.valence?.value == -0.5)
    #expect(strength(crying, Tag.crying) == 0, "the override replaces the built-in entry")

    // An alias to a label that does not exist is an unknown label.
    #expect(run(["label": "waving"], plugin).warnings == ["posture: unknown label \"waving\" ignored"])
    // The default table is untouched.
    #expect(strength(run(["label": "crying"]), Tag.crying) > 0.8)
}

@Test func emptyVocabularyKnowsNothing() {
    var config = PostureChannel.Configuration()
    config.labels = []
    #expect(run(["label": "crying"], PostureChannel(configuration: config)).warnings.count == 1)
}

// MARK: - Validation

@Test(arguments: [
    (["label": "crying"], nil),
    (["label": "crying", "confidence": 0, "end": 12.5], nil),
    (["label": "whatever_unknown", "confidence": 1], nil),
    (["label": "crying", "confidence": nil, "end": nil], nil),
    (["label": "crying", "extra": true], nil),
    ("crying", "value: expected an object, got a string"),
    ([:], "value.label: missing"),
    (["label": 3], "value.label: expected a string, got a number"),
    (["label": ""], "value.label: expected a non-empty string"),
    (["label": " - "], "value.label: expected a non-empty string"),
    (["label": "crying", "confidence": 1.7], "value.confidence: expected a number in 0..1, got 1.7"),
    (["label": "crying", "confidence": -0.1], "value.confidence: expected a number in 0..1, got -0.1"),
    (["label": "crying", "confidence": "high"], "value.confidence: expected a number in 0..1, got a string"),
    (["label": "crying", "end": "soon"], "value.end: expected a finite number, got a string"),
    (["label": "crying", "end": .number(.infinity)], "value.end: expected a finite number, got inf"),
    (["label": "crying", "end": .number(.nan)], "value.end: expected a finite number, got nan"),
] as [(JSONValue, String?)])
func validateReportsProblems(value: JSONValue, expected: String?) {
    #expect(PostureChannel(configuration: .init()).validate(value) == expected)
}

@Test func reasonNamesAliasIntervalAndConfidence() {
    // Each optional part, alone and together, in the order they are written.
    #expect(run(["label": "Looking-Away", "confidence": 0.8, "end": 12.5]).tags.first?.reason
            == "Looking-Away (as gaze_averted) until 12.5s (confidence 0.8)")
    #expect(run(["label": "crying", "end": 11]).tags.first?.reason == "crying until 11.0s")
    #expect(run(["label": "crying", "confidence": 0.25]).tags.first?.reason == "crying (confidence 0.25)")
    #expect(run(["label": "crying"]).tags.first?.reason == "crying")
}

@Test(arguments: [("Turned-Away", "turned_away"), ("  a  b ", "a_b"), ("x__y--z", "x_y_z"), ("-", ""), ("", ""),
                  ("leaning_forward_far", "leaning_forward_far"), ("Leaning_forward_far", "leaning_forward_far")])
func normalize(raw: String, expected: String) {
    #expect(PostureChannel.normalize(raw) == expected)
}

@Test func normalizeAgreesWithTheUnicodeReference() {
    // Every ASCII byte in every position of short labels, plus labels past the fast path's
    // 64-byte buffer and non-ASCII ones (which take the reference path).
    var labels: [String] = ["", "Crying", "TURNED AWAY", "\tlean\u{0B}forward\u{0C}\r\n", "ÉCRASÉ", "a\u{00A0}b",
                            "Ｔｕｒｎｅｄ", String(repeating: "Ab-", count: 30), "İstanbul"]
    for b in 0..<128 {
        let c = String(UnicodeScalar(UInt8(b)))
        labels += ["x\(c)y", "\(c)z", "Q\(c)", "\(c)\(c)A\(c)"]
    }
    for label in labels {
        #expect(PostureChannel.normalize(label) == PostureChannel.normalizeCharacters(label), "\(label.debugDescription)")
    }
}
