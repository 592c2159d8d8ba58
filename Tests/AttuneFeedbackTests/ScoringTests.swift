import Attune
import Testing

/// The brief's two replies to "My boss humiliated me in front of everyone today."
/// (sad and angry voice, slumped, frowning), end to end through the engine.
@Test func dismissingReplyIsMissed() throws {
    let recs = run(fixture: "humiliated-dismissing").recs
    let r = try #require(recs.last?.response)
    #expect(recs.last?.source == .listener)
    #expect(r.kind == .dismissing)
    #expect(r.score == .missed)
    // Scored against the recommendation in force before the reply: the one after the disclosure.
    #expect(r.recommended == recs[recs.count - 2].mode)
    #expect(r.reasons.contains { $0.contains("forget it") })
}

@Test func reflectingReplyIsAttuned() throws {
    let recs = run(fixture: "humiliated-reflection").recs
    let r = try #require(recs.last?.response)
    #expect(r.kind == .reflection)
    #expect(r.score == .attuned)
    #expect(r.recommended == recs[recs.count - 2].mode)
    #expect(r.reasons.contains { $0.contains("must be very difficult") })
}

/// Only the listener's text gets a response; the other's text and the listener's voice do not.
@Test func onlyListenerUtterancesAreScored() {
    let recs = run(fixture: "rupture-repair").recs
    for r in recs {
        let isUtterance = r.source == .listener && r.event == "text"
        #expect((r.response != nil) == isUtterance, "line \(r.line)")
    }
}

private let channel = TextChannel()

private func scored(_ text: String, _ d: Decision?, other: FusedState = otherState(valence: -0.5, tags: [("sadness", 0.6)]),
                    configuration: FeedbackConfiguration = .init()) -> ScoredResponse {
    let tracker = FeedbackTracker(configuration: configuration)
    var state = tracker.makeState()
    return tracker.score(cues: channel.classifyResponse(text), valence: channel.analyze(text).valence,
                         t: 10, line: 3, decision: d, prior: other, state: &state)
}

/// Response kind against recommendation, with a clear lead (no close call).
@Test(arguments: [
    (Mode.comfort, "I'm here for you.", ResponseScore.attuned),
    (.comfort, "It's going to be okay, I'm so sorry.", .attuned),
    (.comfort, "That must have been so hard.", .partly),
    (.comfort, "What happened?", .partly),
    (.comfort, "Take your time.", .missed),
    (.comfort, "Just forget it.", .missed),
    (.comfort, "That sucks! Just forget it.", .missed),
    (.reflect, "That must have been so hard.", .attuned),
    (.reflect, "It sounds like you're furious.", .attuned),
    (.reflect, "Are you okay?", .partly),
    (.reflect, "You should quit.", .missed),
    (.question, "What happened?", .attuned),
    (.question, "Is everything alright?", .attuned),
    (.question, "That happened to me too.", .missed),
    (.space, "Take your time, I'll be here if you need me.", .attuned),
    (.space, "We can talk later.", .attuned),
    (.space, "What happened?", .missed),
    (.space, "It's not a big deal.", .missed),
])
func scoreAgainstRecommendation(mode: Mode, text: String, expected: ResponseScore) {
    let r = scored(text, decision(mode, lead: 1.0))
    #expect(r.score == expected, "\(mode) / \(text): \(r.kind) \(r.reasons)")
    #expect(r.recommended == mode)
    #expect(r.reasons.contains { $0.contains("recommended \(mode.rawValue)") })
}

/// A close call: the response's own mode scored nearly as high as the recommended one.
@Test(arguments: [(0.2, ResponseScore.attuned), (0.39, .attuned), (0.41, .partly), (1.5, .partly)])
func closeCallsCount(lead: Double, expected: ResponseScore) {
    let r = scored("That must have been so hard.", decision(.comfort, lead: lead))
    #expect(r.score == expected, "lead \(lead): \(r.reasons)")
}

@Test func noRecommendationYet() {
    #expect(scored("What happened?", nil).score == .partly)
    #expect(scored("Just forget it.", nil).score == .missed)
    #expect(scored("What happened?", nil).recommended == nil)
}

@Test func scoringTableIsConfigurable() throws {
    let config = try AttuneConfiguration.load(overrides: #"{"feedback":{"scoring":{"comfort":{"reflection":"attuned"}}}}"#)
    #expect(scored("That must have been so hard.", decision(.comfort), configuration: config.feedback).score == .attuned)
    // The rest of the table is kept.
    #expect(scored("Take your time.", decision(.comfort), configuration: config.feedback).score == .missed)
    #expect(throws: ConfigurationError.self) { try AttuneConfiguration.load(overrides: #"{"feedback":{"nearMargn":1}}"#) }
}

/// The other's state matters for tone only: the same cheerful words, scored against the same recommendation.
@Test func toneDependsOnTheOther() {
    let text = "Cheer up, look on the bright side!"
    let distressed = scored(text, decision(.reflect), other: otherState(valence: -0.6, tags: [("crying", 0.8)]))
    let glad = scored(text, decision(.reflect), other: otherState(valence: 0.6, tags: [("joy", 0.7)]))
    #expect(distressed.kind == .mismatchedTone && distressed.score == .missed)
    #expect(glad.kind == .reflection && glad.score == .attuned)
}
