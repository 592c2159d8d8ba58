import AttuneCore
import Testing

/// A fused state with the given tags on the other person, for driving the policy directly.
func fused(t: Double = 10, valence: Double = 0, arousal: Double = 0, coverage: Double = 0.7,
           tags: [(String, Double, String)] = [], incongruence: Double = 0, selfFlooded: Double = 0,
           fresh: [String] = []) -> FusedState {
    var s = FusedState()
    s.t = t
    s.other.valence = valence
    s.other.arousal = arousal
    s.other.coverage = coverage
    s.other.valenceSD = 0.5 * (1 - coverage).squareRoot()
    s.other.cues = 5
    s.other.tags = tags.map { TagLevel(name: $0.0, level: $0.1, channel: $0.2, reason: "\($0.0) cue") }
    s.incongruence = incongruence
    s.incongruenceReason = "text says +0.3 but posture says -0.8"
    s.listener.flooded = selfFlooded
    s.freshTags = fresh
    return s
}

func decide(_ s: FusedState, configuration: PolicyConfiguration = .init()) -> Decision {
    let policy = ScoringPolicy(configuration: configuration)
    var state = policy.makeState()
    return policy.decide(s, state: &state)
}

@Suite struct PolicyRuleTests {
    @Test(arguments: [
        ("explicit request for space", fused(tags: [("space_request", 0.8, "text"), ("sadness", 0.5, "text")]), Mode.space),
        ("withdrawal and closed posture", fused(tags: [("withdrawal", 0.9, "posture"), ("closed", 0.8, "posture")]), .space),
        ("listener flooded", fused(valence: -0.4, tags: [("sadness", 0.6, "text")], selfFlooded: 0.9), .space),
        ("crying, leaning in", fused(valence: -0.6, tags: [("crying", 0.9, "posture"), ("approach", 0.7, "posture")]), .comfort),
        ("sadness with a bid for connection", fused(valence: -0.5, tags: [("sadness", 0.7, "text"), ("connection_bid", 0.7, "text")]), .comfort),
        ("no evidence at all", fused(coverage: 0), .question),
        ("explicit uncertainty", fused(tags: [("uncertainty", 0.8, "text")]), .question),
        ("words deny what the body shows", fused(valence: -0.3, tags: [("crying", 0.8, "posture"), ("denial", 0.7, "text")], incongruence: 0.8), .question),
        ("clear joy", fused(valence: 0.7, arousal: 0.5, tags: [("joy", 0.8, "text")]), .reflect),
        ("clear frustration at a third party", fused(valence: -0.5, arousal: 0.4, tags: [("anger", 0.7, "text"), ("approach", 0.4, "posture")]), .reflect),
    ])
    func rule(name: String, state: FusedState, expected: Mode) {
        let d = decide(state)
        #expect(d.mode == expected, "\(name): got \(d.mode) with scores \(d.scores)")
        #expect(!d.because.isEmpty, "\(name): no reasons")
        #expect((0...1).contains(d.confidence))
    }

    @Test func riskRulesOutSpaceAndRaisesTheFlag() {
        let d = decide(fused(valence: -0.6, tags: [("space_request", 0.9, "text"), ("risk", 0.8, "text")]))
        #expect(d.risk)
        #expect(d.mode != .space)
        let calm = decide(fused(tags: [("space_request", 0.9, "text")]))
        #expect(!calm.risk && calm.mode == .space)
    }

    @Test func becauseNamesChannelCueAndWeightOfTheWinner() {
        let d = decide(fused(tags: [("space_request", 0.8, "text"), ("withdrawal", 0.5, "posture")]))
        #expect(d.because.first?.channel == "text")
        #expect(d.because.first?.cue == "space_request")
        #expect(d.because.first?.text == "text: space_request cue")
        #expect(abs((d.because.first?.weight ?? 0) - 0.8 * 3.0) < 1e-9)
        #expect(d.because.map(\.weight) == d.because.map(\.weight).sorted(by: >))
    }

    @Test func confidenceFallsWithCoverage() {
        let sure = decide(fused(coverage: 0.9, tags: [("joy", 0.8, "text")]))
        let unsure = decide(fused(coverage: 0.2, tags: [("joy", 0.8, "text")]))
        #expect(sure.confidence > unsure.confidence)
    }

    @Test func weightsComeFromTheConfiguration() {
        var c = PolicyConfiguration()
        c.weights["joy"] = ModeScores(comfort: 5)
        #expect(decide(fused(valence: 0.7, tags: [("joy", 0.8, "text")]), configuration: c).mode == .comfort)
    }
}

@Suite struct HysteresisTests {
    let policy = ScoringPolicy()

    @Test func aSmallLeadWaitsForTheMinimumDwell() {
        var state = policy.makeState()
        let first = policy.decide(fused(t: 0, valence: 0.6, tags: [("joy", 0.5, "text")]), state: &state)
        #expect(first.mode == .reflect && first.changed)
        // Uncertainty creeps up in small steps (no single jump is news) until question leads a little.
        var last = first
        for (i, level) in [0.2, 0.4, 0.6, 0.8, 1.0].enumerated() {
            last = policy.decide(fused(t: 0.1 * Double(i + 1), valence: 0.6, tags: [("joy", 0.5, "text"), ("uncertainty", level, "text")]), state: &state)
        }
        #expect(last.scores.question > last.scores.reflect + policy.configuration.switchMargin)
        #expect(last.scores.question - last.scores.reflect < policy.configuration.strongMargin)
        #expect(last.mode == .reflect && !last.changed)
        // The same case after the dwell: switch.
        let later = policy.decide(fused(t: 2.0, valence: 0.6, tags: [("joy", 0.5, "text"), ("uncertainty", 1.0, "text")]), state: &state)
        #expect(later.mode == .question && later.changed)
    }

    @Test func aJumpInTheLeadingScoreIsStrongNewEvidence() {
        var state = policy.makeState()
        _ = policy.decide(fused(t: 0, valence: 0.6, tags: [("joy", 0.5, "text")]), state: &state)
        // The same final state as above, but reached in one event: the words that change everything.
        let d = policy.decide(fused(t: 0.5, valence: 0.6, tags: [("joy", 0.5, "text"), ("uncertainty", 1.0, "text")]), state: &state)
        #expect(d.mode == .question && d.changed)
    }

    @Test func aStrongLeadSwitchesAtOnce() {
        var state = policy.makeState()
        _ = policy.decide(fused(t: 0, valence: 0.6, tags: [("joy", 0.6, "text")]), state: &state)
        let d = policy.decide(fused(t: 0.2, valence: -0.7, tags: [("crying", 1.0, "posture"), ("approach", 0.8, "posture")]), state: &state)
        #expect(d.mode == .comfort && d.changed)
    }

    @Test func aFreshSpaceRequestSwitchesAtOnceEvenWithASmallLead() {
        var c = PolicyConfiguration()
        c.strongMargin = 100   // only the immediate-tag rule can switch early
        c.strongEvidence = 100
        let policy = ScoringPolicy(configuration: c)
        var state = policy.makeState()
        _ = policy.decide(fused(t: 0, valence: -0.5, tags: [("sadness", 0.9, "text")]), state: &state)
        let tags = [("sadness", 0.9, "text"), ("space_request", 0.5, "text")]
        let stale = policy.decide(fused(t: 0.3, valence: -0.5, tags: tags), state: &state)
        #expect(stale.mode == .comfort)   // the same request, not fresh: waits
        let fresh = policy.decide(fused(t: 0.4, valence: -0.5, tags: tags, fresh: ["space_request"]), state: &state)
        #expect(fresh.mode == .space && fresh.changed)
    }

    @Test func noFlickerOnNoise() {
        var state = policy.makeState()
        var modes: [Mode] = []
        for i in 0..<40 {
            let wobble = i % 2 == 0 ? 0.02 : -0.02
            modes.append(policy.decide(fused(t: Double(i) * 0.1, valence: 0.4 + wobble, tags: [("joy", 0.35 + wobble, "text"), ("uncertainty", 0.3 - wobble, "text")]), state: &state).mode)
        }
        let switches = zip(modes, modes.dropFirst()).filter { $0 != $1 }.count
        #expect(switches <= 1, "\(modes)")
    }
}
