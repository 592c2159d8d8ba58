#if canImport(Glibc)
import Glibc
#endif

/// The default policy: linear scores over tags and state features (see
/// ``PolicyConfiguration``), the highest wins, with hysteresis and a safety rule.
///
/// - Hysteresis: the current mode stays for `minDwell` seconds and yields only
///   to a lead of `switchMargin`. Strong new evidence switches at once: a lead
///   of `strongMargin`, a leading mode whose score jumped by `strongEvidence`
///   with this event, or a fresh immediate tag (an explicit request for space).
/// - Safety: while the risk tag is above `riskLevel`, `space` is ruled out:
///   stay present, check in, comfort.
public struct ScoringPolicy: ResponsePolicy {
    public var configuration: PolicyConfiguration

    public init(configuration: PolicyConfiguration = .init()) {
        self.configuration = configuration
    }

    public struct State: Sendable {
        var mode: Mode?
        var since: Double = 0
        var lastScores: ModeScores?
    }

    public func makeState() -> State { State() }

    public func decide(_ fused: FusedState, state: inout State) -> Decision {
        let c = configuration
        var scores = c.bias
        // Contributions per mode, kept to explain the winner.
        var contributions: [Contribution] = []

        func add(_ feature: String, _ value: Double, channel: String, text: @escaping @autoclosure () -> String) {
            guard value > 0, let w = c.weights[feature] else { return }
            for mode in Mode.allCases where w[mode] != 0 {
                scores[mode] += w[mode] * value
            }
            contributions.append(Contribution(feature: feature, value: value, weights: w, channel: channel, text: text))
        }

        let o = fused.other
        for tag in o.tags {
            add(tag.name, tag.level, channel: tag.channel, text: "\(tag.channel): \(tag.reason)")
        }
        add("negative_valence", max(0, -o.valence), channel: "fusion",
            text: "other's valence \(signed(o.valence)) ±\(rounded2(o.valenceSD))")
        add("positive_valence", max(0, o.valence), channel: "fusion",
            text: "other's valence \(signed(o.valence)) ±\(rounded2(o.valenceSD))")
        add("high_arousal", max(0, o.arousal), channel: "fusion", text: "other's arousal \(signed(o.arousal))")
        add("low_arousal", max(0, -o.arousal), channel: "fusion", text: "other's arousal \(signed(o.arousal))")
        add("expressed_emotion", o.coverage * abs(o.valence), channel: "fusion",
            text: "a clearly expressed feeling (valence \(signed(o.valence)), coverage \(rounded2(o.coverage)))")
        add("low_coverage", 1 - o.coverage, channel: "fusion",
            text: o.cues == 0 ? "no evidence yet" : "little fresh evidence (coverage \(rounded2(o.coverage)))")
        add("incongruence", fused.incongruence, channel: "fusion",
            text: "mixed signals: \(fused.incongruenceReason)")
        add("other_flooded", o.flooded, channel: "fusion",
            text: "the other person seems flooded: \(o.floodedReason)")
        let l = fused.listener
        add("self_flooded", l.flooded, channel: "self",
            text: "you seem flooded: \(l.floodedReason); settle first")
        add("self_talk_share", clamp((l.talkShare - 0.5) * 2, 0, 1) * l.talkShareWeight, channel: "self",
            text: "you have said \(Int((l.talkShare * 100).rounded())) % of the recent words: listen first")

        let h = fused.responses
        let sr = c.serveAndReturn
        if sr.enabled {
            func fade(since t0: Double) -> Double { sr.halfLife > 0 ? exp2(-max(0, fused.t - t0) / sr.halfLife) : 0 }
            if h.lastKind == .question, let answered = h.answeredAt {
                add("answered_question", fade(since: answered), channel: "self",
                    text: "your question was answered: reflect what you heard")
            }
            if h.questionRun >= 2 {
                let run = clamp(Double(h.questionRun - 1) / Double(max(1, sr.questionRunFull - 1)), 0, 1)
                add("question_run", run * fade(since: h.lastT), channel: "self",
                    text: "you have asked \(h.questionRun) questions in a row: fewer questions")
            }
            if let given = h.lastComfortT {
                add("comfort_given", fade(since: given), channel: "self",
                    text: "you just gave comfort: no need to repeat it at once")
            }
        }

        let risk = o.level(of: c.riskTag) >= c.riskLevel
        var allowed = Mode.allCases
        if risk { allowed.removeAll { $0 == .space } }

        // Best mode; ties go to the earlier mode in Mode.allCases, so output never depends on chance.
        var best = allowed[0]
        for mode in allowed where scores[mode] > scores[best] { best = mode }

        var chosen = best
        if let current = state.mode, current != best, allowed.contains(current) {
            let lead = scores[best] - scores[current]
            let dwelt = fused.t - state.since >= c.minDwell
            let immediate = fused.freshTags.contains { name in
                c.immediateTags.contains(name) && o.level(of: name) >= c.immediateLevel
                    && (c.weights[name]?[best] ?? 0) > 0
            }
            let jump = state.lastScores.map { scores[best] - $0[best] } ?? 0
            let switchNow = immediate || lead >= c.strongMargin
                || (lead >= c.switchMargin && (dwelt || jump >= c.strongEvidence))
            if !switchNow { chosen = current }
        }
        state.lastScores = scores
        let changed = chosen != state.mode
        if changed {
            state.mode = chosen
            state.since = fused.t
        }

        // Confidence: softmax share of the chosen mode, discounted when evidence is thin.
        var z = 0.0
        for mode in allowed { z += exp((scores[mode] - scores[chosen]) / c.temperature) }
        let share = 1 / z
        let confidence = clamp(share * (1 - c.uncertaintyPenalty * (1 - o.coverage)), 0, 1)

        var ranked: [(weight: Double, contribution: Contribution)] = []
        for item in contributions {
            let w = item.weights[chosen] * item.value
            if w > 0.005 { ranked.append((w, item)) }
        }
        ranked.sort { a, b in a.weight != b.weight ? a.weight > b.weight : a.contribution.feature < b.contribution.feature }
        // One cue often raises several tags (crying: crying, sadness, distress): list it once, with the tags joined.
        var because: [Reason] = []
        for (w, item) in ranked {
            let text = item.text()
            if let i = because.firstIndex(where: { $0.channel == item.channel && $0.text == text }) {
                because[i].weight += w
                because[i].cue += "+" + item.feature
            } else if because.count < max(0, c.maxReasons) {
                because.append(Reason(channel: item.channel, cue: item.feature, weight: w, text: text))
            }
        }
        return Decision(mode: chosen, confidence: confidence, scores: scores, risk: risk,
                        because: because, changed: changed)
    }

    private struct Contribution {
        var feature: String
        var value: Double
        var weights: ModeScores
        var channel: String
        var text: () -> String
    }
}

func rounded2(_ x: Double) -> String {
    var bytes: [UInt8] = []
    NumberFormat.append(x, decimals: 2, to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
}
