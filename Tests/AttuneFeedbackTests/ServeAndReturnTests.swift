import Attune
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Same other-state, different listener history, different recommendation:
/// after the listener's question is answered, reflecting comes next.
@Test func answeredQuestionLeadsToReflection() throws {
    let asked = try #require(run(fixture: "question-answered").recs.last)
    let silent = try #require(run(fixture: "no-question").recs.last)
    // The other person is in the same state either way.
    #expect(abs(asked.state.other.valence - silent.state.other.valence) < 1e-9)
    #expect(asked.state.other.tags.map(\.name) == silent.state.other.tags.map(\.name))
    #expect(asked.mode == .reflect)
    #expect(silent.mode != .reflect)
    #expect(asked.decision.because.contains { $0.cue == "answered_question" })

    // With serve and return off, the history makes no difference.
    var off = AttuneConfiguration()
    off.policy.serveAndReturn.enabled = false
    let askedOff = try #require(run(fixture: "question-answered", configuration: off).recs.last)
    #expect(askedOff.mode == silent.mode)
    for m in Mode.allCases { #expect(abs(askedOff.decision.scores[m] - silent.decision.scores[m]) < 1e-9) }
}

private let policy = ScoringPolicy()

private func scores(_ history: ResponseHistory, t: Double = 20) -> ModeScores {
    var fused = otherState(valence: -0.5, tags: [("sadness", 0.6)], t: t)
    fused.responses = history
    var state = policy.makeState()
    return policy.decide(fused, state: &state).scores
}

private func history(_ kind: ResponseKind, at t: Double, run: Int = 0, answeredAt: Double? = nil, comfortAt: Double? = nil) -> ResponseHistory {
    var h = ResponseHistory()
    h.lastKind = kind
    h.lastT = t
    h.questionRun = run
    h.answeredAt = answeredAt
    h.lastComfortT = comfortAt
    return h
}

@Test func threeQuestionsInARowLowerTheQuestionScore() {
    let none = scores(ResponseHistory())
    let one = scores(history(.question, at: 20, run: 1))
    let two = scores(history(.question, at: 20, run: 2))
    let three = scores(history(.question, at: 20, run: 3))
    #expect(one.question == none.question)
    #expect(two.question < one.question)
    #expect(three.question < two.question)
    #expect(abs((none.question - three.question) - 1.2) < 1e-9)  // the default weight, at full strength
}

@Test func comfortJustGivenNeedNotBeRepeated() {
    let none = scores(ResponseHistory())
    let just = scores(history(.comfort, at: 20, comfortAt: 20))
    #expect(just.comfort < none.comfort)
    #expect(just.reflect == none.reflect)
}

/// The features fade: halving every `halfLife` seconds.
@Test(arguments: [0.0, 12.0, 24.0, 120.0])
func serveAndReturnFades(age: Double) {
    let none = scores(ResponseHistory(), t: 200)
    let answered = scores(history(.question, at: 200 - age - 1, run: 1, answeredAt: 200 - age), t: 200)
    let expected = 0.8 * exp2(-age / PolicyConfiguration().serveAndReturn.halfLife)
    #expect(abs((answered.reflect - none.reflect) - expected) < 1e-9)
}

/// The scorer sees the listener's history too.
@Test func thirdQuestionInARowScoresPartly() {
    let channel = TextChannel()
    let tracker = FeedbackTracker()
    var state = tracker.makeState()
    var got: [ResponseScore?] = []
    for (i, q) in ["What happened?", "How did he say it?", "What did you do then?", "And what did she say?"].enumerated() {
        got.append(tracker.score(cues: channel.classifyResponse(q), valence: nil, t: Double(10 + 5 * i), line: i,
                                 decision: decision(.question), prior: otherState(valence: -0.4), state: &state).score)
    }
    #expect(got == [.attuned, .attuned, .partly, .partly])
    #expect(state.history.questionRun == 4)
}

@Test func repeatedComfortScoresPartlyAtOnceButNotLater() {
    let channel = TextChannel()
    let tracker = FeedbackTracker()
    func comfort(at times: [Double]) -> [ResponseScore?] {
        var state = tracker.makeState()
        return times.map {
            tracker.score(cues: channel.classifyResponse("I'm here for you."), valence: nil, t: $0, line: 1,
                          decision: decision(.comfort), prior: otherState(valence: -0.6), state: &state).score
        }
    }
    #expect(comfort(at: [10, 14]) == [.attuned, .partly])
    #expect(comfort(at: [10, 40]) == [.attuned, .attuned])
}

/// The bus records that the other answered, for the policy.
@Test func answerIsRecordedOnTheOthersWords() throws {
    let lines = disclosure() + [textLine(8, "What happened?")]
    var engine = StandardEngine(configuration: { var c = AttuneConfiguration(); c.bus.emit = .every; return c }())
    for l in lines { _ = engine.ingest(line: l) }
    _ = engine.ingest(line: postureLine(9, "slumped"))
    _ = engine.ingest(line: textLine(10, "He laughed at me.", source: "other"))
    engine.finish()
    let recs = engine.drain()
    let beforeAnswer = try #require(recs.first { $0.t == 9 })
    let afterAnswer = try #require(recs.first { $0.t == 10 })
    #expect(beforeAnswer.state.responses.lastKind == .question)
    #expect(beforeAnswer.state.responses.answeredAt == nil)  // a posture is no answer
    #expect(afterAnswer.state.responses.answeredAt == 10)
}
