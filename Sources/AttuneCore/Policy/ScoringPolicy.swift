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
    public var configuration: PolicyConfiguration {
        didSet { tables = ScoringTables(configuration) }
    }
    /// The configuration with the state features' weights looked up once; shared by reference
    /// with the decisions, which work out their reasons from it when asked.
    private var tables: ScoringTables

    public init(configuration: PolicyConfiguration = .init()) {
        self.configuration = configuration
        self.tables = ScoringTables(configuration)
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
        tables.forEachContribution(of: fused) { _, value, w, _, _ in
            for mode in Mode.allCases where w[mode] != 0 {
                scores[mode] += w[mode] * value
            }
        }
        let o = fused.other

        let risk = o.level(of: c.riskTag, index: tables.riskTagIndex) >= c.riskLevel
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
        for mode in Mode.allCases where allowed(mode) { z += exp((scores[mode] - scores[chosen]) / c.temperature) }
        let share = 1 / z
        let confidence = clamp(share * (1 - c.uncertaintyPenalty * (1 - o.coverage)), 0, 1)

        // The reasons are not ranked here: most decisions are never printed. The decision keeps
        // the state (its arrays shared, not copied) and works them out if `because` is read.
        return Decision(mode: chosen, confidence: confidence, scores: scores, risk: risk,
                        deferred: DeferredReasons(fused: fused, chosen: chosen, tables: tables), changed: changed)
    }
}

/// A policy configuration prepared for scoring. Immutable, so decisions can share it.
final class ScoringTables: Sendable {
    let configuration: PolicyConfiguration
    /// `configuration.weights` for per-event lookups by tag name (every tag of every event):
    /// by a standard tag's index (``weights(of:)``), by name for the others.
    let tagWeights: NameTable<ModeScores>
    let standardWeights: [ModeScores?]
    let riskTagIndex: Int32
    let negativeValence, positiveValence, highArousal, lowArousal, expressedEmotion, lowCoverage,
        incongruence, otherFlooded, selfFlooded, selfTalkShare,
        answeredQuestion, questionRun, comfortGiven: ModeScores?

    /// How many state features ``forEachContribution(of:_:)`` may report besides the tags.
    static let stateFeatureCount = 13

    init(_ c: PolicyConfiguration) {
        configuration = c
        tagWeights = NameTable(c.weights)
        standardWeights = Tag.standard.map { [tagWeights] in tagWeights[$0] }
        riskTagIndex = Tag.standardIndex(of: c.riskTag)
        let w = c.weights
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
        answeredQuestion = w["answered_question"]
        questionRun = w["question_run"]
        comfortGiven = w["comfort_given"]
    }

    /// `configuration.weights[tag.name]`, as the name table answers it.
    @inline(__always) func weights(of tag: TagLevel) -> ModeScores? {
        // The same answer: a standard index stands for the name's exact bytes (see `Tag.standard`).
        tag.standardIndex >= 0 ? standardWeights[Int(tag.standardIndex)] : tagWeights[tag.storedName]
    }

    /// Every feature with a positive value and weights, in a fixed order (scores are summed in it):
    /// the other person's tags, then the state features.
    func forEachContribution(of fused: FusedState,
                             _ body: (_ feature: String, _ value: Double, _ weights: ModeScores, _ channel: String, _ text: ReasonText) -> Void) {
        func add(_ feature: String, _ value: Double, _ weights: ModeScores?, channel: String, text: @autoclosure () -> ReasonText) {
            guard value > 0, let w = weights else { return }
            body(feature, value, w, channel, text())
        }
        let o = fused.other
        // Through the buffer: `for tag in o.tags` copied each TagLevel (three Strings retained and released).
        o.tags.withUnsafeBufferPointer { tags in
            for i in tags.indices {
                add(tags[i].name, tags[i].level, weights(of: tags[i]), channel: tags[i].channel,
                    text: .tag(channel: tags[i].channel, reason: tags[i].reason))
            }
        }
        add("negative_valence", max(0, -o.valence), negativeValence, channel: "fusion", text: .valence(o.valence, sd: o.valenceSD))
        add("positive_valence", max(0, o.valence), positiveValence, channel: "fusion", text: .valence(o.valence, sd: o.valenceSD))
        add("high_arousal", max(0, o.arousal), highArousal, channel: "fusion", text: .arousal(o.arousal))
        add("low_arousal", max(0, -o.arousal), lowArousal, channel: "fusion", text: .arousal(o.arousal))
        add("expressed_emotion", o.coverage * abs(o.valence), expressedEmotion, channel: "fusion",
            text: .expressed(valence: o.valence, coverage: o.coverage))
        add("low_coverage", 1 - o.coverage, lowCoverage, channel: "fusion", text: .coverage(o.coverage, noCues: o.cues == 0))
        add("incongruence", fused.incongruence, incongruence, channel: "fusion", text: .incongruence(fused.incongruenceDetail))
        add("other_flooded", o.flooded, otherFlooded, channel: "fusion",
            text: .flooded(listener: false, tag: o.floodedTag, arousal: o.arousal, valence: o.valence))
        let l = fused.listener
        add("self_flooded", l.flooded, selfFlooded, channel: "self",
            text: .flooded(listener: true, tag: l.floodedTag, arousal: l.arousal, valence: l.valence))
        add("self_talk_share", clamp((l.talkShare - 0.5) * 2, 0, 1) * l.talkShareWeight, selfTalkShare, channel: "self",
            text: .talkShare(l.talkShare))

        // Serve and return: the listener's own last responses.
        let h = fused.responses
        let sr = configuration.serveAndReturn
        if sr.enabled {
            func fade(since t0: Double) -> Double { sr.halfLife > 0 ? exp2(-max(0, fused.t - t0) / sr.halfLife) : 0 }
            if h.lastKind == .question, let answered = h.answeredAt {
                add("answered_question", fade(since: answered), answeredQuestion, channel: "self", text: .answeredQuestion)
            }
            if h.questionRun >= 2 {
                let run = clamp(Double(h.questionRun - 1) / Double(max(1, sr.questionRunFull - 1)), 0, 1)
                add("question_run", run * fade(since: h.lastT), questionRun, channel: "self", text: .questionRun(h.questionRun))
            }
            if let given = h.lastComfortT {
                add("comfort_given", fade(since: given), comfortGiven, channel: "self", text: .comfortGiven)
            }
        }
    }
}

/// What a ``Decision``'s reasons are worked out from, when they are read.
struct DeferredReasons: Sendable {
    let fused: FusedState
    let chosen: Mode
    let tables: ScoringTables

    var reasons: [Reason] {
        var ranked: [RankedReason] = []
        rank(into: &ranked)
        return ranked.reasons(max: tables.configuration.maxReasons)
    }

    /// The members of the output's `because` array, written as ``reasons`` would be, without
    /// building them as Strings first (see ``Swift/Array/writeJSONReasons(max:into:)``).
    /// The ranking goes into `scratch`, the writer's reused array: a new one per line was a
    /// malloc of a few KiB (past malloc's small-size caches), about 2,000 instructions with its free.
    func writeJSON(into w: inout RawWriter, scratch ranked: inout [RankedReason]) {
        rank(into: &ranked)
        if !ranked.writeJSONReasons(max: tables.configuration.maxReasons, into: &w) {
            ranked.reasons(max: tables.configuration.maxReasons).writeJSONMembers(into: &w)
        }
        // Emptied now, not at the next line: the ranking holds Strings of this line's state.
        if !ranked.isEmpty { ranked.removeAll(keepingCapacity: true) }
    }

    /// Every contribution to the chosen mode above 0.005, strongest first (ties by feature name),
    /// over what `ranked` held.
    private func rank(into ranked: inout [RankedReason]) {
        if !ranked.isEmpty { ranked.removeAll(keepingCapacity: true) }
        // Room for every feature at once: grown from empty, the array was reallocated two or three times a line.
        ranked.reserveCapacity(fused.other.tags.count + ScoringTables.stateFeatureCount)
        tables.forEachContribution(of: fused) { feature, value, w, channel, text in
            let weight = w[chosen] * value
            if weight > 0.005 { ranked.append(RankedReason(feature: feature, channel: channel, weight: weight, text: text)) }
        }
        ranked.sort { a, b in a.weight != b.weight ? a.weight > b.weight : a.feature < b.feature }
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
    case answeredQuestion
    case questionRun(Int)
    case comfortGiven

    var text: String {
        // Read as Strings (`Decision.because`, or words too long for the JSON writer's scratch):
        // the common reasons are composed in place (one allocation, no interpolation) from
        // ``write(into:)``; the rarer ones keep their own spelling, which tests compare with it.
        switch self {
        case .tag(let channel, let reason):
            return RawWriter.compose(channel.utf8.count + reason.utf8.count + 2) { write(into: &$0) }
        case .valence, .arousal, .expressed, .coverage(_, false):
            return RawWriter.compose(160) { write(into: &$0) }
        default:
            return otherText
        }
    }

    /// The words as UTF-8 bytes (no quotes, no escapes), for the JSON writer's path that builds no Strings.
    func write(into w: inout RawWriter) {
        switch self {
        case .tag(let channel, let reason):
            w.utf8(channel); w.raw(": "); w.utf8(reason)
        case .valence(let v, let sd):
            w.raw("other's valence "); w.signed2(v); w.raw(" ±"); w.number(sd, decimals: 2)
        case .arousal(let a):
            w.raw("other's arousal "); w.signed2(a)
        case .expressed(let v, let coverage):
            w.raw("a clearly expressed feeling (valence "); w.signed2(v)
            w.raw(", coverage "); w.number(coverage, decimals: 2); w.raw(")")
        case .coverage(let coverage, let noCues):
            if noCues { w.raw("no evidence yet") } else {
                w.raw("little fresh evidence (coverage "); w.number(coverage, decimals: 2); w.raw(")")
            }
        case .incongruence(let why):
            // Most lines of a mixed stream carry this one: interpolated, it cost ~3,700 instructions.
            w.raw("mixed signals: "); why.writeReason(into: &w)
        case .flooded(let listener, let tag, let arousal, let valence):
            w.raw(listener ? "you seem flooded: " : "the other person seems flooded: ")
            if let tag { w.utf8(tag.channel); w.raw(": "); w.utf8(tag.reason) } else {
                w.raw("arousal "); w.signed2(arousal); w.raw(" with valence "); w.signed2(valence)
            }
            if listener { w.raw("; settle first") }
        case .talkShare(let share):
            w.raw("you have said "); w.int(Int((share * 100).rounded())); w.raw(" % of the recent words: listen first")
        case .answeredQuestion: w.raw("your question was answered: reflect what you heard")
        case .questionRun(let n): w.raw("you have asked "); w.int(n); w.raw(" questions in a row: fewer questions")
        case .comfortGiven: w.raw("you just gave comfort: no need to repeat it at once")
        }
    }

    /// The rarer reasons, by interpolation (``ReasonWordsTests`` holds ``write(into:)``'s bytes to these).
    private var otherText: String {
        switch self {
        case .coverage(_, true): return "no evidence yet"
        case .incongruence(let why): return "mixed signals: \(why.reason)"
        case .flooded(let listener, let tag, let arousal, let valence):
            let why = tag.map { "\($0.channel): \($0.reason)" } ?? "arousal \(signed(arousal)) with valence \(signed(valence))"
            return listener ? "you seem flooded: \(why); settle first" : "the other person seems flooded: \(why)"
        case .talkShare(let share): return "you have said \(Int((share * 100).rounded())) % of the recent words: listen first"
        case .answeredQuestion: return "your question was answered: reflect what you heard"
        case .questionRun(let n): return "you have asked \(n) questions in a row: fewer questions"
        case .comfortGiven: return "you just gave comfort: no need to repeat it at once"
        case .tag, .valence, .arousal, .expressed, .coverage: preconditionFailure("composed by write(into:)")
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
        because.reserveCapacity(Swift.min(count, Swift.max(maxReasons, 0)))
        // Borrowed through the buffer: `for item in self` copied each RankedReason (its Strings retained).
        withUnsafeBufferPointer { items in
            for k in items.indices {
                let channel = items[k].channel
                // A reason can only merge into one from the same channel: skip writing words that cannot count.
                guard because.count < maxReasons || because.contains(where: { $0.channel == channel }) else { continue }
                let text = items[k].text.text
                if let i = because.firstIndex(where: { $0.channel == channel && $0.text == text }) {
                    because[i].weight += items[k].weight
                    because[i].cue += "+" + items[k].feature
                } else if because.count < maxReasons {
                    because.append(Reason(channel: channel, cue: items[k].feature, weight: items[k].weight, text: text))
                }
            }
        }
        return because
    }
}

extension [RankedReason] {
    /// ``reasons(max:)`` written straight out as the members of a JSON array (`{...},{...}`):
    /// the same groups, cues, weights (summed in the same order) and words, but the words are
    /// composed as bytes in scratch memory and compared there, and no `Reason` or String is
    /// built. Returns false, having written nothing, when the words do not fit the scratch
    /// (a long quotation); the caller then writes ``reasons(max:)``.
    func writeJSONReasons(max maxReasons: Int, into w: inout RawWriter) -> Bool {
        let limit = Swift.max(maxReasons, 0)
        guard limit > 0, !isEmpty else { return true }
        // 1 KiB: `withUnsafeTemporaryAllocation` takes it from the stack (4 KiB came from malloc,
        // once per printed line); three reasons' words rarely need a quarter of it.
        let scratchBytes = 1_024
        return withUnsafeBufferPointer { items in
            // No more groups than items, however large the configured limit.
            withUnsafeTemporaryAllocation(of: ReasonGroup.self, capacity: Swift.min(limit, items.count)) { groups in
                withUnsafeTemporaryAllocation(of: Int.self, capacity: items.count) { next in
                    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: scratchBytes) { scratch in
                        let words = scratch.baseAddress!
                        var text = RawWriter(base: words, capacity: scratchBytes)
                        var count = 0
                        for k in items.indices {
                            let channel = items[k].channel
                            var sameChannel = false
                            for g in 0..<count where items[groups[g].first].channel == channel { sameChannel = true; break }
                            // A reason can only merge into one from the same channel: skip writing words that cannot count.
                            guard count < limit || sameChannel else { continue }
                            let start = text.count
                            items[k].text.write(into: &text)
                            if text.overflow { return false }
                            let length = text.count - start
                            var merged = false
                            if sameChannel {
                                for g in 0..<count where items[groups[g].first].channel == channel
                                    && sameText(words + groups[g].textStart, groups[g].textCount, words + start, length) {
                                    groups[g].weight += items[k].weight
                                    next[groups[g].last] = k
                                    groups[g].last = k
                                    merged = true
                                    break
                                }
                            }
                            next[k] = -1
                            if merged || count == limit {
                                text.truncate(to: start)
                            } else {
                                groups[count] = ReasonGroup(first: k, last: k, weight: items[k].weight, textStart: start, textCount: length)
                                count += 1
                            }
                        }
                        for g in 0..<count {
                            if g > 0 { w.byte(UInt8(ascii: ",")) }
                            w.raw("{\"channel\":"); w.string(items[groups[g].first].channel)
                            w.raw(",\"cue\":\"")
                            var k = groups[g].first
                            while k >= 0 {
                                if k != groups[g].first { w.byte(UInt8(ascii: "+")) }
                                var feature = items[k].feature
                                feature.withUTF8 { w.escaped($0) }
                                k = next[k]
                            }
                            w.raw("\",\"weight\":"); w.number(groups[g].weight)
                            w.raw(",\"reason\":")
                            w.quoted(UnsafeBufferPointer(start: words + groups[g].textStart, count: groups[g].textCount))
                            w.byte(UInt8(ascii: "}"))
                        }
                        return true
                    }
                }
            }
        }
    }
}

/// One reason being gathered by ``Swift/Array/writeJSONReasons(max:into:)``: its cues are the
/// ranked items from `first` to `last` (linked through `next`), its words a span of scratch bytes.
private struct ReasonGroup {
    var first: Int, last: Int
    var weight: Double
    var textStart: Int, textCount: Int
}

/// `String(a) == String(b)` for UTF-8 bytes: equal bytes are equal text, and different ASCII
/// bytes are different text; only non-ASCII bytes that differ need String's canonical comparison.
private func sameText(_ a: UnsafePointer<UInt8>, _ aCount: Int, _ b: UnsafePointer<UInt8>, _ bCount: Int) -> Bool {
    let x = UnsafeBufferPointer(start: a, count: aCount), y = UnsafeBufferPointer(start: b, count: bCount)
    if aCount == bCount && memcmp(a, b, aCount) == 0 { return true }
    guard x.contains(where: { $0 >= 0x80 }) || y.contains(where: { $0 >= 0x80 }) else { return false }
    return String(decoding: x, as: UTF8.self) == String(decoding: y, as: UTF8.self)
}

/// `x` with two decimals ("0.35").
func rounded2(_ x: Double) -> String { RawWriter.compose(NumberFormat.maxBytes) { $0.number(x, decimals: 2) } }
