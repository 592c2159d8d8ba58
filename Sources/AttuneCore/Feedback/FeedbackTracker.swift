/// Scores the listener's responses and watches what follows them: ruptures
/// (a missed response, then the other withdraws or grows more distressed) and
/// repairs (a later attuned response, then distress eases or engagement
/// returns). One `State` per session; policy-agnostic (it needs only the
/// `Decision` in force and the fused state). Rules: `Protocols/feedback.md`.
public struct FeedbackTracker: Sendable {
    public var configuration: FeedbackConfiguration {
        didSet { watched = WatchedTags(configuration) }
    }
    /// The configuration's tag lists with each name's standard index, looked up once: the
    /// other's every cue compares them with its tags (see `Tag.standard`).
    private var watched: WatchedTags

    public init(configuration: FeedbackConfiguration = .init()) {
        self.configuration = configuration
        self.watched = WatchedTags(configuration)
    }

    struct WatchedTags: Sendable {
        typealias Name = (name: String, index: Int32)
        let distress, withdrawal, engagement: [Name]

        init(_ c: FeedbackConfiguration) {
            func resolve(_ names: [String]) -> [Name] { names.map { ($0, Tag.standardIndex(of: $0)) } }
            distress = resolve(c.distressTags)
            withdrawal = resolve(c.withdrawalTags)
            engagement = resolve(c.engagementTags)
        }
    }

    public struct State: Sendable {
        public internal(set) var history = ResponseHistory()
        public internal(set) var totals = FeedbackTotals()
        /// When the listener last reflected or comforted.
        var lastAcknowledgement: Double?
        /// Missed responses still inside their rupture window.
        var watching: [Watch] = []
        /// Ruptures not repaired yet: (time shown).
        var openRuptures: [Double] = []
        /// The latest attuned response since the open ruptures, inside its repair window.
        var candidate: Watch?

        struct Watch: Sendable {
            var line: Int
            var t: Double
            /// Summed rise (rupture) or fall (repair) of distress over the other's cues since.
            var distressChange = 0.0
        }

        /// Whether the tracker needs the state just before each of the other's cues.
        public var isWatching: Bool { !watching.isEmpty || candidate != nil }
    }

    public func makeState() -> State { State() }

    /// One response cue as the tracker weighs it.
    typealias Found = (kind: ResponseKind, subkind: String, reason: String, strength: Double)

    /// The other's distress: max(−valence, the strongest distress tag).
    public func distress(_ o: TrackSnapshot) -> Double {
        var d = max(0, -o.valence)
        for tag in o.tags where watched.distress.contains(where: { tag.isNamed($0.name, index: $0.index) }) {
            d = max(d, tag.level)
        }
        return d
    }

    // MARK: - Scoring

    /// Classifies and scores one listener utterance.
    /// - Parameters:
    ///   - cues: the response cues its channel found, in text order.
    ///   - valence: the utterance's own valence reading, if any (for its tone).
    ///   - decision: the decision in force when it began (the session's last, before this cue).
    ///   - prior: the fused state that decision was made from (the other's state at the time).
    public func score(cues: [ResponseCue], valence: Double?, t: Double, line: Int, decision: Decision?,
                      prior: FusedState?, state: inout State) -> ScoredResponse {
        let c = configuration
        let other = prior?.other
        let distressNow = other.map(distress) ?? 0
        let distressed = distressNow >= c.distressedLevel
        let positive = other.map { $0.valence >= c.positiveValence || $0.level(of: Tag.joy) >= c.distressedLevel } ?? false

        // The cues by kind, in text order; `cheerful` is a tone marker, resolved against the other's state.
        var found: [Found] = []
        var cheerfulReason: String?
        for cue in cues {
            if cue.kind == ResponseCue.cheerful {
                if cheerfulReason == nil { cheerfulReason = cue.reason }
            } else if let k = ResponseKind(rawValue: cue.kind), k != .other, k != .mismatchedTone {
                found.append((k, cue.subkind, cue.reason, cue.strength))
            }
        }
        let acknowledges = found.contains { $0.kind == .reflection || $0.kind == .comfort }
        var acknowledged = acknowledges
        if let a = state.lastAcknowledgement, t - a <= c.acknowledgementWindow { acknowledged = true }
        for i in found.indices where found[i].kind == .fixing && acknowledged {
            found[i].kind = .advice
            found[i].reason += " (after the feeling was acknowledged)"
        }
        let cheerfulWords = cheerfulReason != nil || (valence ?? 0) >= c.cheerfulValence
        if cheerfulWords {
            let why = cheerfulReason ?? "cheerful words (valence \(signed(valence ?? 0)))"
            if distressed && !acknowledges {
                found.append((.mismatchedTone, "cheerful", why + " while the other is distressed (\(rounded2(distressNow)))", 1))
            } else if positive && cheerfulReason != nil {
                found.append((.reflection, "shared_joy", why + ", sharing the other's good spirits", 1))
            }
        }

        var response: ScoredResponse
        if found.isEmpty {
            response = ScoredResponse(kind: .other, score: nil, recommended: decision?.mode,
                                      reasons: ["no response cue recognised"])
        } else {
            response = judge(found, decision: decision, t: t, state: state)
        }
        remember(response, found: found, t: t, line: line, state: &state)
        return response
    }

    private func judge(_ found: [Found], decision: Decision?,
                       t: Double, state: State) -> ScoredResponse {
        let c = configuration
        func rank(_ k: ResponseKind) -> Int { ResponseKind.precedence.firstIndex(of: k) ?? Int.max }
        let mode = decision?.mode

        // A misattuned kind decides the score, whatever else was said.
        if let bad = found.filter({ $0.kind.isMisattuned }).min(by: { rank($0.kind) < rank($1.kind) }) {
            let score = mode.map { c.score(bad.kind, subkind: bad.subkind, under: $0) } ?? .missed
            var reasons = [bad.reason]
            if let mode { reasons.append("recommended \(mode.rawValue), responded with \(bad.kind.rawValue.replacingUnderscores) -> \(score.rawValue)") }
            let good = found.filter { !$0.kind.isMisattuned }
            if let g = good.first { reasons.append("the \(g.kind.rawValue) in it does not undo the \(bad.kind.rawValue.replacingUnderscores)") }
            return ScoredResponse(kind: bad.kind, subkind: bad.subkind, score: score, recommended: mode, reasons: reasons,
                                  also: alsoList(found, except: bad))
        }

        // Otherwise the kind that best meets the recommendation.
        var best: (item: Found, score: ResponseScore, reasons: [String])?
        for f in found {
            var score: ResponseScore
            var reasons = [f.reason]
            if let mode {
                score = c.score(f.kind, subkind: f.subkind, under: mode)
                reasons.append("recommended \(mode.rawValue), responded with \(f.kind.rawValue) -> \(score.rawValue)")
                if score == .partly, let own = f.kind.mode, let d = decision, own != mode,
                   d.scores[mode] - d.scores[own] <= c.nearMargin {
                    score = .attuned
                    reasons.append("\(own.rawValue) scored nearly as high (\(rounded2(d.scores[own])) vs \(rounded2(d.scores[mode]))): a close call -> attuned")
                }
            } else {
                score = .partly
                reasons.append("no recommendation yet -> partly")
            }
            // Serve and return: what the listener just did changes what this response is worth.
            if f.kind == .question, state.history.questionRun + 1 >= c.interrogationRun, score > .partly {
                score = .partly
                reasons.append("question \(state.history.questionRun + 1) in a row: it starts to feel like an interrogation -> partly")
            }
            if f.kind == .comfort, let last = state.history.lastComfortT, t - last <= c.repeatComfortWithin, score > .partly {
                score = .partly
                reasons.append("comfort was just given \(rounded2(t - last)) s ago: no need to repeat it at once -> partly")
            }
            if let b = best {
                let fits = mode != nil && f.kind.mode == mode, bFits = mode != nil && b.item.kind.mode == mode
                let better = score != b.score ? score > b.score
                    : fits != bFits ? fits
                    : rank(f.kind) != rank(b.item.kind) ? rank(f.kind) < rank(b.item.kind)
                    : f.strength > b.item.strength
                if better { best = (f, score, reasons) }
            } else {
                best = (f, score, reasons)
            }
        }
        let b = best!
        return ScoredResponse(kind: b.item.kind, subkind: b.item.subkind, score: b.score, recommended: mode,
                              reasons: b.reasons, also: alsoList(found, except: b.item))
    }

    private func alsoList(_ found: [Found],
                          except chosen: Found) -> [String] {
        var out: [String] = []
        var skipped = false
        for f in found {
            if !skipped && f.kind == chosen.kind && f.subkind == chosen.subkind && f.reason == chosen.reason {
                skipped = true
                continue
            }
            let name = f.kind.rawValue + (f.subkind.isEmpty ? "" : "/" + f.subkind)
            if !out.contains(name) { out.append(name) }
        }
        return out
    }

    private func remember(_ r: ScoredResponse, found: [Found],
                          t: Double, line: Int, state: inout State) {
        state.totals.count(r)
        if found.contains(where: { $0.kind == .reflection || $0.kind == .comfort }) { state.lastAcknowledgement = t }
        var h = state.history
        if r.kind != .other {
            let asked = r.kind == .question || found.contains { $0.kind == .question }
            // A question carried by a reflection ("are you feeling hurt?") still asks: it counts as one.
            h.lastKind = asked ? .question : r.kind
            h.lastT = t
            h.answeredAt = nil
            h.questionRun = asked ? h.questionRun + 1 : 0
            if r.kind == .comfort || found.contains(where: { $0.kind == .comfort }) { h.lastComfortT = t }
        }
        state.history = h

        switch r.score {
        case .missed?:
            state.watching.append(.init(line: line, t: t))
            state.candidate = nil
        case .attuned? where !state.openRuptures.isEmpty:
            state.candidate = .init(line: line, t: t)
        default:
            break
        }
    }

    // MARK: - What follows

    /// Looks at one applied event. `before` is the state just before the event was
    /// applied (after time moved on), `after` the state after it: only what the
    /// event itself changed counts, never the slow relaxation toward baseline.
    /// Returns the rupture or repair this event shows, if any.
    public func observe(before: FusedState, after: FusedState, source: Source?, channel: String,
                        state: inout State) -> (rupture: Rupture?, repair: Repair?) {
        let c = configuration
        let t = after.t
        state.watching.removeAll { t - $0.t > c.ruptureWindow }
        if let cand = state.candidate, t - cand.t > c.repairWindow { state.candidate = nil }
        guard source == .other else { return (nil, nil) }
        if c.answerChannels.contains(channel), state.history.lastKind == .question, state.history.answeredAt == nil {
            state.history.answeredAt = t
        }
        guard state.isWatching else { return (nil, nil) }

        // What this cue did: valence moving down or a distress tag rising is more distress;
        // valence moving up or a distress tag falling (superseded) is less.
        var rising = max(0, before.other.valence - after.other.valence)
        var easing = max(0, after.other.valence - before.other.valence)
        for (name, index) in watched.distress {
            let d = after.other.level(of: name, index: index) - before.other.level(of: name, index: index)
            rising = max(rising, d)
            easing = max(easing, -d)
        }
        func rise(_ names: [WatchedTags.Name]) -> (amount: Double, tag: TagLevel?) {
            var best: (Double, TagLevel?) = (0, nil)
            for (name, index) in names {
                let d = after.other.level(of: name, index: index) - before.other.level(of: name, index: index)
                if d > best.0 { best = (d, after.other.tags.first { $0.isNamed(name, index: index) }) }
            }
            return best
        }

        var rupture: Rupture?
        if !state.watching.isEmpty {
            for i in state.watching.indices { state.watching[i].distressChange += rising }
            let withdrawal = rise(watched.withdrawal)
            var why: String?
            if withdrawal.amount >= c.withdrawalRise, let tag = withdrawal.tag {
                why = "the other pulled back (\(tag.channel): \(tag.reason))"
            } else if let w = state.watching.last, w.distressChange >= c.distressRise {
                why = "the other's distress rose by \(rounded2(w.distressChange)) (now \(rounded2(distress(after.other))))"
            }
            if let why, let w = state.watching.last {
                rupture = Rupture(responseLine: w.line, responseT: w.t, t: t,
                                  reason: why + " \(rounded2(t - w.t)) s after a missed response")
                state.watching.removeAll()
                state.openRuptures.append(t)
                state.totals.ruptures += 1
            }
        }

        var repair: Repair?
        if rupture == nil, var cand = state.candidate, !state.openRuptures.isEmpty {
            cand.distressChange += easing
            state.candidate = cand
            let engagement = rise(watched.engagement)
            var why: String?
            if engagement.amount >= c.engagementRise, let tag = engagement.tag {
                why = "engagement returned (\(tag.channel): \(tag.reason))"
            } else if cand.distressChange >= c.distressEase {
                why = "the other's distress eased by \(rounded2(cand.distressChange)) (now \(rounded2(distress(after.other))))"
            }
            if let why {
                let r = Repair(responseLine: cand.line, responseT: cand.t, ruptureT: state.openRuptures[0], t: t,
                               closes: state.openRuptures.count,
                               reason: why + " \(rounded2(t - cand.t)) s after an attuned response")
                state.totals.count(r)
                state.openRuptures.removeAll()
                state.candidate = nil
                repair = r
            }
        }
        return (rupture, repair)
    }
}

extension String {
    var replacingUnderscores: String {
        String(self.map { $0 == "_" ? " " : $0 })
    }
}
