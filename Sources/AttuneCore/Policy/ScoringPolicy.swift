#if canImport(Glibc)
import Glibc
#endif

/// The default policy: linear scores over tags and state features (see
/// ``PolicyConfiguration``), the highest wins, with hysteresis and a safety rule.
///
/// - Hysteresis: the current mode stays for `minDwell` seconds and yields only
///   to a lead of `switchMargin`; a lead of `strongMargin`, or a fresh
///   immediate tag (an explicit request for space), switches at once.
/// - Safety: while the risk tag is above `riskLevel`, `space` is ruled out:
///   stay present, check in, comfort.
public struct ScoringPolicy: ResponsePolicy {
    public var configuration: PolicyConfiguration {
        didSet { featureWeights = FeatureWeights(configuration.weights) }
    }
    /// The state features' weights, looked up once instead of hashed on every event.
    private var featureWeights: FeatureWeights

    public init(configuration: PolicyConfiguration = .init()) {
        self.configuration = configuration
        self.featureWeights = FeatureWeights(configuration.weights)
    }

    public struct State: Sendable {
        var mode: Mode?
        var since: Double = 0
        /// Scratch, kept between events so deciding allocates nothing once it has grown.
        var contributions: [Contribution] = []
        var ranked: [RankedReason] = []
    }

    public func makeState() -> State { State() }

    public func decide(_ fused: FusedState, state: inout State) -> Decision {
        let c = configuration
        var scores = c.bias
        // Contributions per mode, kept to explain the winner. Their words are
        // a recipe, written out only if someone reads `because`.
        state.contributions.removeAll(keepingCapacity: true)

        func add(_ feature: String, _ value: Double, _ weights: ModeScores?, channel: String, text: ReasonText) {
            guard value > 0, let w = weights else { return }
            for mode in Mode.allCases where w[mode] != 0 {
                scores[mode] += w[mode] * value
            }
            state.contributions.append(Contribution(feature: feature, value: value, weights: w, channel: channel, text: text))
        }

        let o = fused.other
        let fw = featureWeights
        for tag in o.tags {
            add(tag.name, tag.level, c.weights[tag.name], channel: tag.channel, text: .tag(channel: tag.channel, reason: tag.reason))
        }
        add("negative_valence", max(0, -o.valence), fw.negativeValence, channel: "fusion", text: .valence(o.valence, sd: o.valenceSD))
        add("positive_valence", max(0, o.valence), fw.positiveValence, channel: "fusion", text: .valence(o.valence, sd: o.valenceSD))
        add("high_arousal", max(0, o.arousal), fw.highArousal, channel: "fusion", text: .arousal(o.arousal))
        add("low_arousal", max(0, -o.arousal), fw.lowArousal, channel: "fusion", text: .arousal(o.arousal))
        add("expressed_emotion", o.coverage * abs(o.valence), fw.expressedEmotion, channel: "fusion",
            text: .expressed(valence: o.valence, coverage: o.coverage))
        add("low_coverage", 1 - o.coverage, fw.lowCoverage, channel: "fusion", text: .coverage(o.coverage, noCues: o.cues == 0))
        add("incongruence", fused.incongruence, fw.incongruence, channel: "fusion", text: .incongruence(fused.incongruenceDetail))
        add("other_flooded", o.flooded, fw.otherFlooded, channel: "fusion",
            text: .flooded(listener: false, tag: o.floodedTag, arousal: o.arousal, valence: o.valence))
        let l = fused.listener
        add("self_flooded", l.flooded, fw.selfFlooded, channel: "self",
            text: .flooded(listener: true, tag: l.floodedTag, arousal: l.arousal, valence: l.valence))
        add("self_talk_share", clamp((l.talkShare - 0.5) * 2, 0, 1) * l.talkShareWeight, fw.selfTalkShare, channel: "self",
            text: .talkShare(l.talkShare))

        let risk = o.level(of: c.riskTag) >= c.riskLevel
        func allowed(_ mode: Mode) -> Bool { !(risk && mode == .space) }

        // Best mode; ties go to the earlier mode in Mode.allCases, so output never depends on chance.
        var best = risk ? Mode.comfort : Mode.allCases[0]
        for mode in Mode.allCases where allowed(mode) && scores[mode] > scores[best] { best = mode }

        var chosen = best
        if let current = state.mode, current != best, allowed(current) {
            let lead = scores[best] - scores[current]
            let dwelt = fused.t - state.since >= c.minDwell
            let immediate = fused.freshTags.contains { name in
                c.immediateTags.contains(name) && o.level(of: name) >= c.immediateLevel
                    && (c.weights[name]?[best] ?? 0) > 0
            }
            let switchNow = immediate || lead >= c.strongMargin || (dwelt && lead >= c.switchMargin)
            if !switchNow { chosen = current }
        }
        let changed = chosen != state.mode
        if changed {
            state.mode = chosen
            state.since = fused.t
        }

        // Confidence: softmax share of the chosen mode, discounted when evidence is thin.
        var z = 0.0
        for mode in Mode.allCases where allowed(mode) { z += exp((scores[mode] - scores[chosen]) / c.temperature) }
        let share = 1 / z
        let confidence = clamp(share * (1 - c.uncertaintyPenalty * (1 - o.coverage)), 0, 1)

        state.ranked.removeAll(keepingCapacity: true)
        for item in state.contributions {
            let w = item.weights[chosen] * item.value
            if w > 0.005 { state.ranked.append(RankedReason(feature: item.feature, channel: item.channel, weight: w, text: item.text)) }
        }
        state.ranked.sort { a, b in a.weight != b.weight ? a.weight > b.weight : a.feature < b.feature }
        return Decision(mode: chosen, confidence: confidence, scores: scores, risk: risk,
                        ranked: state.ranked, maxReasons: c.maxReasons, changed: changed)
    }

    struct Contribution: Sendable {
        var feature: String
        var value: Double
        var weights: ModeScores
        var channel: String
        var text: ReasonText
    }

    private struct FeatureWeights: Sendable {
        var negativeValence, positiveValence, highArousal, lowArousal, expressedEmotion, lowCoverage,
            incongruence, otherFlooded, selfFlooded, selfTalkShare: ModeScores?
        init(_ w: [String: ModeScores]) {
            negativeValence = w["negative_valence"]
            positiveValence = w["positive_valence"]
            highArousal = w["high_arousal"]
            lowArousal = w["low_arousal"]
            expressedEmotion = w["expressed_emotion"]
            lowCoverage = w["low_coverage"]
            incongruence = w["incongruence"]
            otherFlooded = w["other_flooded"]
            selfFlooded = w["self_flooded"]
            selfTalkShare = w["self_talk_share"]
        }
    }
}

/// The words of one reason, as the values they are made of: written out only
/// when a recommendation's `because` is read (most decisions are never printed).
enum ReasonText: Sendable, Hashable {
    case tag(channel: String, reason: String)
    case valence(Double, sd: Double)
    case arousal(Double)
    case expressed(valence: Double, coverage: Double)
    case coverage(Double, noCues: Bool)
    case incongruence(IncongruenceDetail)
    case flooded(listener: Bool, tag: TagLevel?, arousal: Double, valence: Double)
    case talkShare(Double)

    var text: String {
        switch self {
        case .tag(let channel, let reason): return "\(channel): \(reason)"
        case .valence(let v, let sd): return "other's valence \(signed(v)) ±\(rounded2(sd))"
        case .arousal(let a): return "other's arousal \(signed(a))"
        case .expressed(let v, let coverage): return "a clearly expressed feeling (valence \(signed(v)), coverage \(rounded2(coverage)))"
        case .coverage(let coverage, let noCues): return noCues ? "no evidence yet" : "little fresh evidence (coverage \(rounded2(coverage)))"
        case .incongruence(let why): return "mixed signals: \(why.reason)"
        case .flooded(let listener, let tag, let arousal, let valence):
            let why = tag.map { "\($0.channel): \($0.reason)" } ?? "arousal \(signed(arousal)) with valence \(signed(valence))"
            return listener ? "you seem flooded: \(why); settle first" : "the other person seems flooded: \(why)"
        case .talkShare(let share): return "you have said \(Int((share * 100).rounded())) % of the recent words: listen first"
        }
    }
}

/// A contribution to the chosen mode, strongest first; ``Decision/because`` is made from these.
struct RankedReason: Sendable, Hashable {
    var feature: String
    var channel: String
    var weight: Double
    var text: ReasonText
}

extension [RankedReason] {
    /// One cue often raises several tags (crying: crying, sadness, distress): list it once, with the tags joined.
    func reasons(max maxReasons: Int) -> [Reason] {
        var because: [Reason] = []
        for item in self {
            // A reason can only merge into one from the same channel: skip writing words that cannot count.
            guard because.count < maxReasons || because.contains(where: { $0.channel == item.channel }) else { continue }
            let text = item.text.text
            if let i = because.firstIndex(where: { $0.channel == item.channel && $0.text == text }) {
                because[i].weight += item.weight
                because[i].cue += "+" + item.feature
            } else if because.count < maxReasons {
                because.append(Reason(channel: item.channel, cue: item.feature, weight: item.weight, text: text))
            }
        }
        return because
    }
}

func rounded2(_ x: Double) -> String {
    var bytes: [UInt8] = []
    NumberFormat.append(x, decimals: 2, to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
}
