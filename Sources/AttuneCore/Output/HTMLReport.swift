/// One channel event as the report shows it: a marker on its lane, with a
/// readable label on hover.
public struct ReportCue: Sendable, Hashable {
    public var t: Double
    public var source: Source
    public var channel: String
    /// What the cue said: the utterance, the posture label, a voice summary.
    public var label: String
    public var line: Int

    public init(t: Double, source: Source, channel: String, label: String, line: Int = 0) {
        self.t = t
        self.source = source
        self.channel = channel
        self.label = label
        self.line = line
    }

    /// A cue as the report labels it. Known channels get a short readable
    /// summary; others show their value as compact JSON.
    public init(_ cue: Cue) {
        self.init(t: cue.t, source: cue.source, channel: cue.channel, label: ReportCue.label(for: cue), line: cue.line)
    }

    static func label(for cue: Cue) -> String {
        let v = cue.value
        switch cue.channel {
        case "text":
            if let text = v["text"]?.string { return "\u{201C}" + clipLabel(text, 400) + "\u{201D}" }
        case "posture":
            if let label = v["label"]?.string {
                if let c = v["confidence"]?.double { return label + " (confidence " + decimals(c, 2) + ")" }
                return label
            }
        case "voice":
            var parts: [String] = []
            if let f0 = v["f0_mean_hz"]?.double { parts.append("f0 " + decimals(f0, 0) + " Hz") }
            if let db = v["loudness_db"]?.double { parts.append(decimals(db, 1) + " dB") }
            if let rate = v["speech_rate_sps"]?.double { parts.append(decimals(rate, 1) + " syll/s") }
            if let pause = v["pause_ratio"]?.double { parts.append("pauses " + decimals(pause * 100, 0) + " %") }
            if !parts.isEmpty { return parts.joined(separator: ", ") }
        case "affect":
            var parts: [String] = []
            if let x = v["valence"]?.double { parts.append("valence " + decimals(x, 2)) }
            if let x = v["arousal"]?.double { parts.append("arousal " + decimals(x, 2)) }
            if !parts.isEmpty { return parts.joined(separator: ", ") }
        default:
            break
        }
        return clipLabel(v.jsonText, 400)
    }
}

/// Everything the report shows for one session.
public struct ReportSession: Sendable {
    public var name: String
    public var cues: [ReportCue] = []
    /// One per input event (`--emit every`), in order.
    public var recommendations: [Recommendation] = []

    public init(name: String, cues: [ReportCue] = [], recommendations: [Recommendation] = []) {
        self.name = name
        self.cues = cues
        self.recommendations = recommendations
    }
}

/// Gathers cues and recommendations per session, sessions in order of first appearance.
public struct ReportCollector: Sendable {
    public private(set) var sessions: [ReportSession] = []
    private var index: [String: Int] = [:]

    public init() {}

    public mutating func add(_ cue: Cue) {
        sessions[slot(cue.session)].cues.append(ReportCue(cue))
    }

    public mutating func add(_ r: Recommendation) {
        sessions[slot(r.session)].recommendations.append(r)
    }

    private mutating func slot(_ name: String) -> Int {
        if let i = index[name] { return i }
        index[name] = sessions.count
        sessions.append(ReportSession(name: name))
        return sessions.count - 1
    }
}

/// Settings for ``HTMLReport``.
public struct ReportOptions: Sendable, Hashable {
    /// Incongruence at or above this is highlighted on the charts.
    public var incongruenceThreshold = 0.4
    /// Shown under the title (the input file name).
    public var source = ""
    public init(incongruenceThreshold: Double = 0.4, source: String = "") {
        self.incongruenceThreshold = incongruenceThreshold
        self.source = source
    }
}

/// The numbers in a session's summary table.
public struct ReportSummary: Sendable, Hashable {
    public struct Span: Sendable, Hashable {
        public var mode: Mode
        public var start: Double
        public var end: Double
        /// Index of the recommendation that began it.
        public var first: Int
    }
    public struct Mean: Sendable, Hashable {
        public var valence: Double
        public var arousal: Double
    }
    public struct ChannelCount: Sendable, Hashable {
        public var source: Source
        public var channel: String
        public var count: Int
    }

    public var start = 0.0
    public var end = 0.0
    /// Consecutive recommendations with the same mode, merged.
    public var spans: [Span] = []
    /// Seconds in each mode, from each recommendation to the next (the last lasts until the last event).
    public var timeInMode = ModeScores()
    public var switches: Int { max(0, spans.count - 1) }
    /// Time-weighted over the session (each estimate holds until the next).
    public var other: Mean?
    /// Nil when the listener sent no cues.
    public var listener: Mean?
    /// The last arousal correlation reported, if both tracks ever varied.
    public var arousalCorrelation: Double?
    public var meanMirroring = 0.0
    /// Spans with incongruence at or above the threshold.
    public var incongruent: [(start: Double, end: Double, peak: Double, reason: String)] = []
    public var channelCounts: [ChannelCount] = []
    /// The listener's responses, ruptures and repairs, counted from the recommendations' `response`, `rupture`, `repair`.
    public var feedback = FeedbackTotals()

    public static func == (a: ReportSummary, b: ReportSummary) -> Bool {
        a.start == b.start && a.end == b.end && a.spans == b.spans && a.timeInMode == b.timeInMode
            && a.other == b.other && a.listener == b.listener && a.arousalCorrelation == b.arousalCorrelation
            && a.meanMirroring == b.meanMirroring && a.channelCounts == b.channelCounts
            && a.incongruent.map(\.start) == b.incongruent.map(\.start) && a.incongruent.map(\.end) == b.incongruent.map(\.end)
            && a.feedback == b.feedback
    }
    public func hash(into h: inout Hasher) { h.combine(start); h.combine(end); h.combine(spans) }

    public init(_ s: ReportSession, incongruenceThreshold: Double = 0.4) {
        let recs = s.recommendations
        let times = recs.map(\.t) + s.cues.map(\.t)
        start = times.min() ?? 0
        end = times.max() ?? 0
        func holdEnd(_ i: Int) -> Double { i + 1 < recs.count ? recs[i + 1].t : end }

        for (i, r) in recs.enumerated() {
            if let last = spans.last, last.mode == r.mode {
                spans[spans.count - 1].end = holdEnd(i)
            } else {
                spans.append(Span(mode: r.mode, start: r.t, end: holdEnd(i), first: i))
            }
            timeInMode[r.mode] += max(0, holdEnd(i) - r.t)
            if let c = r.state.sync.arousalCorrelation { arousalCorrelation = c }
            if let resp = r.response { feedback.count(resp) }
            if r.rupture != nil { feedback.ruptures += 1 }
            if let repair = r.repair { feedback.count(repair) }
        }

        func mean(_ include: (Recommendation) -> Bool, _ value: (Recommendation) -> Double) -> Double? {
            var weighted = 0.0, total = 0.0, plain = 0.0, n = 0.0
            for (i, r) in recs.enumerated() where include(r) {
                let dt = max(0, holdEnd(i) - r.t)
                weighted += value(r) * dt
                total += dt
                plain += value(r)
                n += 1
            }
            if n == 0 { return nil }
            return total > 0 ? weighted / total : plain / n
        }
        if let v = mean({ $0.state.other.cues > 0 }, { $0.state.other.valence }),
           let a = mean({ $0.state.other.cues > 0 }, { $0.state.other.arousal }) {
            other = Mean(valence: v, arousal: a)
        }
        if let v = mean({ $0.state.listener.cues > 0 }, { $0.state.listener.valence }),
           let a = mean({ $0.state.listener.cues > 0 }, { $0.state.listener.arousal }) {
            listener = Mean(valence: v, arousal: a)
        }
        meanMirroring = mean({ _ in true }, { $0.state.sync.mirroring }) ?? 0

        var open: (start: Double, peak: Double, reason: String)?
        for (i, r) in recs.enumerated() {
            let x = r.state.incongruence
            if x >= incongruenceThreshold {
                if var o = open {
                    if x > o.peak { o.peak = x; o.reason = r.state.incongruenceReason }
                    open = o
                } else {
                    open = (r.t, x, r.state.incongruenceReason)
                }
            } else if let o = open {
                incongruent.append((o.start, r.t, o.peak, o.reason))
                open = nil
            }
            if i == recs.count - 1, let o = open { incongruent.append((o.start, end, o.peak, o.reason)) }
        }

        var counts: [ChannelCount] = []
        for c in s.cues {
            if let i = counts.firstIndex(where: { $0.source == c.source && $0.channel == c.channel }) {
                counts[i].count += 1
            } else {
                counts.append(ChannelCount(source: c.source, channel: c.channel, count: 1))
            }
        }
        channelCounts = counts.sorted { a, b in
            if a.source != b.source { return a.source.rawValue < b.source.rawValue }
            let ra = ReportSummary.channelRank(a.channel), rb = ReportSummary.channelRank(b.channel)
            return ra != rb ? ra < rb : a.channel < b.channel
        }
    }

    /// Lanes in a fixed order: words, voice, body, then the rest by name.
    static func channelRank(_ c: String) -> Int {
        switch c {
        case "text": return 0
        case "voice": return 1
        case "posture": return 2
        case "affect": return 3
        default: return 4
        }
    }
}

/// A self-contained HTML report: per session an inline SVG chart (valence and
/// arousal of both people with ±1 sd bands, incongruence highlighted, the
/// recommended mode as a ribbon, one lane of markers per channel with the cue
/// on hover) and summary tables. No scripts, no network: SVG `<title>`
/// elements give the hover text. Layout and elements: `Protocols/output-formats.md`.
public enum HTMLReport {
    // Geometry of the chart, in SVG user units.
    static let width = 1100.0
    static let left = 120.0
    static let right = 20.0
    static let panelHeight = 150.0
    static let valenceTop = 24.0
    static let arousalTop = 204.0
    static let ribbonTop = 378.0
    static let ribbonHeight = 22.0
    static let lanesTop = 420.0
    static let laneHeight = 24.0

    public static func render(_ sessions: [ReportSession], options: ReportOptions = .init()) -> [UInt8] {
        var out = MarkupBytes(capacity: 64 * 1024)
        out.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Attune report")
        if !options.source.isEmpty { out.raw(": "); out.text(options.source) }
        out.raw("</title>\n<style>\n")
        out.raw(css)
        out.raw("</style>\n</head>\n<body>\n<h1>Attune session report</h1>\n<p class=\"meta\">")
        if !options.source.isEmpty { out.raw("Input <code>"); out.text(options.source); out.raw("</code>, ") }
        out.int(sessions.count); out.raw(sessions.count == 1 ? " session" : " sessions")
        out.raw(". Hover a marker, a band or the ribbon for details. Attune supports research and training; it is not a crisis tool.</p>\n")
        out.raw(legend)
        if sessions.isEmpty { out.raw("<p>No sessions: the input had no valid events.</p>\n") }
        for s in sessions { section(s, options: options, into: &out) }
        out.raw("</body>\n</html>\n")
        return out.bytes
    }

    static func section(_ s: ReportSession, options: ReportOptions, into out: inout MarkupBytes) {
        let summary = ReportSummary(s, incongruenceThreshold: options.incongruenceThreshold)
        out.raw("<section class=\"session\">\n<h2>Session <span class=\"name\">"); out.text(s.name); out.raw("</span></h2>\n")
        chart(s, summary: summary, options: options, into: &out)
        table(summary, into: &out)
        changes(s, summary: summary, into: &out)
        responses(s, into: &out)
        out.raw("</section>\n")
    }

    // MARK: - Chart

    static func chart(_ s: ReportSession, summary: ReportSummary, options: ReportOptions, into out: inout MarkupBytes) {
        let lanes = summary.channelCounts
        let feedbackMarks = s.recommendations.filter { $0.response != nil || $0.rupture != nil || $0.repair != nil }
        let laneRows = max(lanes.count + (feedbackMarks.isEmpty ? 0 : 1), 1)
        let height = lanesTop + Double(laneRows) * laneHeight + 34
        let t0 = summary.start
        let t1 = summary.end > t0 ? summary.end : t0 + 1
        let plotWidth = width - left - right
        func x(_ t: Double) -> Double { left + (t - t0) / (t1 - t0) * plotWidth }

        out.raw("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 ")
        out.number(width, decimals: 0); out.raw(" "); out.number(height, decimals: 0)
        out.raw("\" width=\""); out.number(width, decimals: 0); out.raw("\" height=\""); out.number(height, decimals: 0)
        out.raw("\" role=\"img\" aria-label=\"Affect and recommendations over time for session ")
        out.attribute(s.name); out.raw("\">\n")

        // Incongruence first, so the lines draw over it.
        for span in summary.incongruent {
            out.raw("<rect class=\"incongruence\" x=\""); out.number(x(span.start), decimals: 1)
            out.raw("\" y=\""); out.number(valenceTop, decimals: 1)
            out.raw("\" width=\""); out.number(max(2, x(span.end) - x(span.start)), decimals: 1)
            out.raw("\" height=\""); out.number(arousalTop + panelHeight - valenceTop, decimals: 1)
            out.raw("\"><title>Mixed signals ")
            out.number(span.start, decimals: 1); out.raw("\u{2013}"); out.number(span.end, decimals: 1)
            out.raw(" s (peak incongruence "); out.number(span.peak, decimals: 2); out.raw(")")
            if !span.reason.isEmpty { out.raw(": "); out.text(span.reason) }
            out.raw("</title></rect>\n")
        }

        panel("valence", top: valenceTop, recs: s.recommendations, x: x, value: { ($0.valence, $0.valenceSD) }, into: &out)
        panel("arousal", top: arousalTop, recs: s.recommendations, x: x, value: { ($0.arousal, $0.arousalSD) }, into: &out)

        // Mode ribbon.
        out.raw("<g class=\"ribbon\">\n<text class=\"label\" x=\""); out.number(left - 8, decimals: 0)
        out.raw("\" y=\""); out.number(ribbonTop + 15, decimals: 0); out.raw("\">mode</text>\n")
        for span in summary.spans {
            let r = s.recommendations[span.first]
            let endX = span.end > span.start ? x(span.end) : x(t1)
            out.raw("<rect class=\"seg "); out.rawString(span.mode.rawValue)
            out.raw("\" x=\""); out.number(x(span.start), decimals: 1)
            out.raw("\" y=\""); out.number(ribbonTop, decimals: 1)
            out.raw("\" width=\""); out.number(max(1, endX - x(span.start)), decimals: 1)
            out.raw("\" height=\""); out.number(ribbonHeight, decimals: 1)
            out.raw("\"><title>"); out.rawString(span.mode.rawValue); out.raw(" from ")
            out.number(span.start, decimals: 1); out.raw(" s (confidence "); out.number(r.decision.confidence, decimals: 2); out.raw(")")
            if r.decision.risk { out.raw(", risk language seen") }
            for text in distinctReasons(r) { out.raw("\n\u{2022} "); out.text(text) }
            out.raw("</title></rect>\n")
        }
        out.raw("</g>\n")

        // Channel lanes.
        for (i, lane) in lanes.enumerated() {
            let y = lanesTop + Double(i) * laneHeight + laneHeight / 2
            out.raw("<g class=\"lane\" data-source=\""); out.rawString(lane.source.wireName)
            out.raw("\" data-channel=\""); out.attribute(lane.channel); out.raw("\">\n")
            out.raw("<line class=\"track\" x1=\""); out.number(left, decimals: 0)
            out.raw("\" x2=\""); out.number(width - right, decimals: 0)
            out.raw("\" y1=\""); out.number(y, decimals: 1); out.raw("\" y2=\""); out.number(y, decimals: 1); out.raw("\"/>\n")
            out.raw("<text class=\"label\" x=\""); out.number(left - 8, decimals: 0)
            out.raw("\" y=\""); out.number(y + 4, decimals: 1); out.raw("\">")
            out.rawString(lane.source.wireName); out.raw(" \u{00B7} "); out.text(lane.channel); out.raw("</text>\n")
            for c in s.cues where c.source == lane.source && c.channel == lane.channel {
                out.raw("<circle class=\"cue "); out.rawString(cssClass(c.channel))
                out.raw("\" cx=\""); out.number(x(c.t), decimals: 1)
                out.raw("\" cy=\""); out.number(y, decimals: 1)
                out.raw("\" r=\"5\"><title>"); out.number(c.t, decimals: 2); out.raw(" s, line "); out.int(c.line)
                out.raw(": "); out.text(c.label); out.raw("</title></circle>\n")
            }
            out.raw("</g>\n")
        }

        if !feedbackMarks.isEmpty {
            responseLane(feedbackMarks, y: lanesTop + Double(lanes.count) * laneHeight + laneHeight / 2, x: x, into: &out)
        }

        // Time axis.
        let axisY = lanesTop + Double(laneRows) * laneHeight + 6
        out.raw("<g class=\"axis\">\n<line x1=\""); out.number(left, decimals: 0)
        out.raw("\" x2=\""); out.number(width - right, decimals: 0)
        out.raw("\" y1=\""); out.number(axisY, decimals: 1); out.raw("\" y2=\""); out.number(axisY, decimals: 1); out.raw("\"/>\n")
        let step = tickStep(t1 - t0)
        var tick = (t0 / step).rounded(.up) * step
        while tick <= t1 + step * 1e-9 {
            out.raw("<text x=\""); out.number(x(tick), decimals: 1)
            out.raw("\" y=\""); out.number(axisY + 16, decimals: 1); out.raw("\">")
            out.number(tick, decimals: 2); out.raw(" s</text>\n")
            tick += step
        }
        out.raw("</g>\n</svg>\n")
    }

    /// The listener's responses as markers coloured by score (hover: kind, score, the
    /// mode it was scored against, reasons), with ruptures (▼) and repairs (▲) on the same lane.
    static func responseLane(_ recs: [Recommendation], y: Double, x: (Double) -> Double, into out: inout MarkupBytes) {
        out.raw("<g class=\"lane responses\" data-source=\"self\" data-channel=\"responses\">\n")
        out.raw("<line class=\"track\" x1=\""); out.number(left, decimals: 0)
        out.raw("\" x2=\""); out.number(width - right, decimals: 0)
        out.raw("\" y1=\""); out.number(y, decimals: 1); out.raw("\" y2=\""); out.number(y, decimals: 1); out.raw("\"/>\n")
        out.raw("<text class=\"label\" x=\""); out.number(left - 8, decimals: 0)
        out.raw("\" y=\""); out.number(y + 4, decimals: 1); out.raw("\">self \u{00B7} responses</text>\n")
        for r in recs {
            if let resp = r.response {
                let score = resp.score?.rawValue ?? "unscored"
                out.raw("<rect class=\"resp "); out.rawString(score)
                out.raw("\" x=\""); out.number(x(r.t) - 5, decimals: 1)
                out.raw("\" y=\""); out.number(y - 5, decimals: 1)
                out.raw("\" width=\"10\" height=\"10\" rx=\"2\"><title>"); out.number(r.t, decimals: 2); out.raw(" s, line "); out.int(r.line)
                out.raw(": "); out.text(resp.kind.rawValue); if !resp.subkind.isEmpty { out.raw(" ("); out.text(resp.subkind); out.raw(")") }
                out.raw(", "); out.rawString(score)
                if let m = resp.recommended { out.raw(" against "); out.rawString(m.rawValue) }
                for reason in resp.reasons { out.raw("\n\u{2022} "); out.text(reason) }
                out.raw("</title></rect>\n")
            }
            if let rupture = r.rupture {
                let cx = x(r.t)
                out.raw("<path class=\"rupture\" d=\"M"); out.number(cx - 6, decimals: 1); out.raw(","); out.number(y - 11, decimals: 1)
                out.raw(" L"); out.number(cx + 6, decimals: 1); out.raw(","); out.number(y - 11, decimals: 1)
                out.raw(" L"); out.number(cx, decimals: 1); out.raw(","); out.number(y - 1, decimals: 1)
                out.raw(" Z\"><title>Rupture at "); out.number(r.t, decimals: 2); out.raw(" s: "); out.text(rupture.reason)
                out.raw("</title></path>\n")
            }
            if let repair = r.repair {
                let cx = x(r.t)
                out.raw("<path class=\"repair\" d=\"M"); out.number(cx - 6, decimals: 1); out.raw(","); out.number(y + 11, decimals: 1)
                out.raw(" L"); out.number(cx + 6, decimals: 1); out.raw(","); out.number(y + 11, decimals: 1)
                out.raw(" L"); out.number(cx, decimals: 1); out.raw(","); out.number(y + 1, decimals: 1)
                out.raw(" Z\"><title>Repair at "); out.number(r.t, decimals: 2); out.raw(" s, ")
                out.number(repair.timeToRepair, decimals: 1); out.raw(" s after the rupture: "); out.text(repair.reason)
                out.raw("</title></path>\n")
            }
        }
        out.raw("</g>\n")
    }

    /// One -1...1 panel with grid, the other's and the listener's bands and lines.
    static func panel(_ name: StaticString, top: Double, recs: [Recommendation], x: (Double) -> Double,
                      value: (TrackSnapshot) -> (Double, Double), into out: inout MarkupBytes) {
        func y(_ v: Double) -> Double { top + (1 - (min(max(v, -1), 1) + 1) / 2) * panelHeight }
        out.raw("<g class=\"panel\" data-dimension=\""); out.raw(name); out.raw("\">\n")
        out.raw("<rect class=\"frame\" x=\""); out.number(left, decimals: 0)
        out.raw("\" y=\""); out.number(top, decimals: 0)
        out.raw("\" width=\""); out.number(width - left - right, decimals: 0)
        out.raw("\" height=\""); out.number(panelHeight, decimals: 0); out.raw("\"/>\n")
        for g in [-0.5, 0.0, 0.5] {
            out.raw(g == 0 ? "<line class=\"zero\"" : "<line class=\"grid\"")
            out.raw(" x1=\""); out.number(left, decimals: 0); out.raw("\" x2=\""); out.number(width - right, decimals: 0)
            out.raw("\" y1=\""); out.number(y(g), decimals: 1); out.raw("\" y2=\""); out.number(y(g), decimals: 1); out.raw("\"/>\n")
        }
        for v in [1.0, 0.0, -1.0] {
            out.raw("<text class=\"tick\" x=\""); out.number(left - 6, decimals: 0)
            out.raw("\" y=\""); out.number(y(v) + 4, decimals: 1); out.raw("\">")
            out.number(v, decimals: 0); out.raw("</text>\n")
        }
        out.raw("<text class=\"label\" x=\""); out.number(left - 30, decimals: 0)
        out.raw("\" y=\""); out.number(top + panelHeight / 2 + 4, decimals: 1); out.raw("\">"); out.raw(name); out.raw("</text>\n")

        for person in [Source.other, .listener] {
            let points: [(t: Double, v: Double, sd: Double)] = recs.compactMap { r in
                let track = person == .other ? r.state.other : r.state.listener
                // The listener's prior is not an estimate of anything: draw only once they have cues.
                if person == .listener && track.cues == 0 { return nil }
                let (v, sd) = value(track)
                return (r.t, v, sd)
            }
            guard !points.isEmpty else { continue }
            let who = person.wireName
            out.raw("<path class=\"band "); out.rawString(who); out.raw("\" d=\"")
            for (i, p) in points.enumerated() {
                out.raw(i == 0 ? "M" : " L"); out.number(x(p.t), decimals: 1); out.raw(","); out.number(y(p.v + p.sd), decimals: 1)
            }
            for p in points.reversed() {
                out.raw(" L"); out.number(x(p.t), decimals: 1); out.raw(","); out.number(y(p.v - p.sd), decimals: 1)
            }
            out.raw(" Z\"><title>"); out.rawString(who); out.raw(" "); out.raw(name); out.raw(" \u{00B1}1 sd</title></path>\n")
            out.raw("<polyline class=\"line "); out.rawString(who); out.raw("\" points=\"")
            for (i, p) in points.enumerated() {
                if i > 0 { out.raw(" ") }
                out.number(x(p.t), decimals: 1); out.raw(","); out.number(y(p.v), decimals: 1)
            }
            out.raw("\"><title>"); out.rawString(who); out.raw(" "); out.raw(name); out.raw("</title></polyline>\n")
        }
        out.raw("</g>\n")
    }

    /// 1, 2 or 5 times a power of ten, giving about 5-10 ticks.
    public static func tickStep(_ span: Double) -> Double {
        guard span > 0, span.isFinite else { return 1 }
        var step = 0.001
        var k = 0
        while span / step > 10 {
            step *= (k % 3 == 1) ? 2.5 : 2
            k += 1
        }
        return step
    }

    static func cssClass(_ channel: String) -> String {
        switch channel {
        case "text", "voice", "posture", "affect": return channel
        default: return "custom"
        }
    }

    // MARK: - Tables

    static func table(_ s: ReportSummary, into out: inout MarkupBytes) {
        out.raw("<table class=\"summary\">\n<caption>Summary</caption>\n")
        out.raw("<tr><th>Duration</th><td>"); out.number(s.end - s.start, decimals: 1); out.raw(" s</td></tr>\n")
        let total = Mode.allCases.reduce(0.0) { $0 + s.timeInMode[$1] }
        for m in Mode.allCases {
            out.raw("<tr><th>Time in <span class=\"mode "); out.rawString(m.rawValue); out.raw("\">")
            out.rawString(m.rawValue); out.raw("</span></th><td>"); out.number(s.timeInMode[m], decimals: 1); out.raw(" s")
            if total > 0 { out.raw(" ("); out.number(s.timeInMode[m] / total * 100, decimals: 0); out.raw(" %)") }
            out.raw("</td></tr>\n")
        }
        out.raw("<tr><th>Mode switches</th><td>"); out.int(s.switches); out.raw("</td></tr>\n")
        func mean(_ label: StaticString, _ m: ReportSummary.Mean?) {
            out.raw("<tr><th>"); out.raw(label); out.raw("</th><td>")
            if let m {
                out.raw("valence "); out.number(m.valence, decimals: 2); out.raw(", arousal "); out.number(m.arousal, decimals: 2)
            } else {
                out.raw("no cues")
            }
            out.raw("</td></tr>\n")
        }
        mean("Mean affect, other", s.other)
        mean("Mean affect, self", s.listener)
        out.raw("<tr><th>Synchrony</th><td>arousal correlation ")
        if let c = s.arousalCorrelation { out.number(c, decimals: 2) } else { out.raw("n/a") }
        out.raw(", mean posture mirroring "); out.number(s.meanMirroring, decimals: 2); out.raw("</td></tr>\n")
        out.raw("<tr><th>Mixed-signal spans</th><td>"); out.int(s.incongruent.count); out.raw("</td></tr>\n")
        if s.feedback.responses > 0 || s.feedback.ruptures > 0 {
            let f = s.feedback
            out.raw("<tr><th>Listener responses</th><td>"); out.int(f.responses)
            if f.scored > 0 {
                out.raw(": "); out.int(f.attuned); out.raw(" attuned (")
                out.number((f.attunedShare ?? 0) * 100, decimals: 0); out.raw(" %), ")
                out.int(f.partly); out.raw(" partly, "); out.int(f.missed); out.raw(" missed")
            }
            if f.unscored > 0 { out.raw(", "); out.int(f.unscored); out.raw(" not scored") }
            out.raw("</td></tr>\n<tr><th>Ruptures and repairs</th><td>")
            out.int(f.ruptures); out.raw(f.ruptures == 1 ? " rupture, " : " ruptures, ")
            out.int(f.repairs); out.raw(f.repairs == 1 ? " repair" : " repairs")
            if let m = f.meanTimeToRepair { out.raw(", mean time to repair "); out.number(m, decimals: 1); out.raw(" s") }
            out.raw("</td></tr>\n")
        }
        out.raw("<tr><th>Cues per channel</th><td>")
        if s.channelCounts.isEmpty { out.raw("none") }
        for (i, c) in s.channelCounts.enumerated() {
            if i > 0 { out.raw(", ") }
            out.rawString(c.source.wireName); out.raw(" "); out.text(c.channel); out.raw(" "); out.int(c.count)
        }
        out.raw("</td></tr>\n</table>\n")
    }

    static func changes(_ session: ReportSession, summary: ReportSummary, into out: inout MarkupBytes) {
        guard !summary.spans.isEmpty else { return }
        out.raw("<table class=\"changes\">\n<caption>Mode changes</caption>\n<tr><th>t (s)</th><th>mode</th><th>confidence</th><th>because</th></tr>\n")
        for span in summary.spans {
            let r = session.recommendations[span.first]
            out.raw("<tr><td>"); out.number(span.start, decimals: 2)
            out.raw("</td><td><span class=\"mode "); out.rawString(span.mode.rawValue); out.raw("\">"); out.rawString(span.mode.rawValue)
            out.raw("</span>"); if r.decision.risk { out.raw(" <span class=\"risk\">risk</span>") }
            out.raw("</td><td>"); out.number(r.decision.confidence, decimals: 2); out.raw("</td><td>")
            for (i, text) in distinctReasons(r).enumerated() {
                if i > 0 { out.raw("; ") }
                out.text(text)
            }
            out.raw("</td></tr>\n")
        }
        out.raw("</table>\n")
    }

    static func responses(_ session: ReportSession, into out: inout MarkupBytes) {
        let recs = session.recommendations.filter { $0.response != nil }
        guard !recs.isEmpty else { return }
        out.raw("<table class=\"responses\">\n<caption>Listener responses</caption>\n<tr><th>t (s)</th><th>said</th><th>response</th><th>score</th><th>why</th></tr>\n")
        for r in recs {
            guard let resp = r.response else { continue }
            let said = r.line > 0 ? session.cues.first { $0.line == r.line }?.label ?? "" : ""
            out.raw("<tr><td>"); out.number(r.t, decimals: 2); out.raw("</td><td>"); out.text(said)
            out.raw("</td><td>"); out.text(resp.kind.rawValue)
            if !resp.subkind.isEmpty { out.raw(" ("); out.text(resp.subkind); out.raw(")") }
            out.raw("</td><td><span class=\"score "); out.rawString(resp.score?.rawValue ?? "unscored"); out.raw("\">")
            out.rawString(resp.score?.rawValue ?? "not scored"); out.raw("</span>")
            if let m = resp.recommended { out.raw(" vs <span class=\"mode "); out.rawString(m.rawValue); out.raw("\">"); out.rawString(m.rawValue); out.raw("</span>") }
            out.raw("</td><td>")
            for (i, text) in resp.reasons.enumerated() {
                if i > 0 { out.raw("; ") }
                out.text(text)
            }
            if let rupture = r.rupture { out.raw("; rupture: "); out.text(rupture.reason) }
            out.raw("</td></tr>\n")
        }
        out.raw("</table>\n")
    }

    /// One tag can feed several features (crying: distress and sadness); say it once.
    static func distinctReasons(_ r: Recommendation) -> [String] {
        var seen: [String] = []
        for reason in r.decision.because where !seen.contains(reason.text) { seen.append(reason.text) }
        return seen
    }

    static let legend: StaticString = """
        <p class="legend"><span class="key other"></span>other (line, \u{00B1}1 sd band) \
        <span class="key self"></span>self \
        <span class="key incongruence"></span>mixed signals \
        <span class="mode comfort">comfort</span> <span class="mode space">space</span> \
        <span class="mode question">question</span> <span class="mode reflect">reflect</span></p>

        """

    static let css: StaticString = """
        body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2328; margin: 24px; max-width: 1140px; }
        h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px; }
        .meta { color: #57606a; margin: 0 0 8px; }
        svg.chart { display: block; max-width: 100%; height: auto; background: #fff; }
        .frame { fill: #fafbfc; stroke: #d0d7de; }
        .grid { stroke: #eaeef2; } .zero { stroke: #afb8c1; stroke-dasharray: 4 3; }
        .band { stroke: none; } .band.other { fill: #2f6fdf; fill-opacity: 0.16; } .band.self { fill: #e07b00; fill-opacity: 0.16; }
        .line { fill: none; stroke-width: 2; } .line.other { stroke: #2f6fdf; } .line.self { stroke: #e07b00; }
        .incongruence { fill: #d73a49; fill-opacity: 0.10; stroke: #d73a49; stroke-opacity: 0.35; stroke-dasharray: 3 3; }
        .seg { stroke: #fff; stroke-width: 1; }
        .seg.comfort, .mode.comfort, .key.comfort { fill: #c9508f; background: #c9508f; }
        .seg.space, .mode.space { fill: #4a74c9; background: #4a74c9; }
        .seg.question, .mode.question { fill: #d79b16; background: #d79b16; }
        .seg.reflect, .mode.reflect { fill: #3c9d5d; background: #3c9d5d; }
        .mode { color: #fff; padding: 0 6px; border-radius: 3px; }
        .risk { color: #fff; background: #b31d28; padding: 0 6px; border-radius: 3px; }
        .track { stroke: #d0d7de; }
        .cue { stroke: #fff; stroke-width: 1; } .cue:hover { stroke: #1f2328; stroke-width: 2; }
        .cue.text { fill: #6f42c1; } .cue.voice { fill: #0a7ea4; } .cue.posture { fill: #8a6d3b; } .cue.affect { fill: #57606a; } .cue.custom { fill: #24292f; }
        text { font-size: 12px; fill: #57606a; } text.label { text-anchor: end; fill: #1f2328; } text.tick { text-anchor: end; }
        .axis line { stroke: #8c959f; } .axis text { text-anchor: middle; }
        table { border-collapse: collapse; margin: 12px 0; } caption { text-align: left; font-weight: 600; margin-bottom: 4px; }
        th, td { text-align: left; padding: 3px 12px 3px 0; vertical-align: top; border-bottom: 1px solid #eaeef2; } th { white-space: nowrap; } th { font-weight: 500; color: #57606a; }
        .legend .key { display: inline-block; width: 14px; height: 10px; margin: 0 4px 0 10px; vertical-align: middle; }
        .resp { stroke: #fff; stroke-width: 1; } .resp:hover { stroke: #1f2328; stroke-width: 2; }
        .resp.attuned, .score.attuned { fill: #2da44e; background: #2da44e; } .resp.partly, .score.partly { fill: #d4a72c; background: #d4a72c; }
        .resp.missed, .score.missed { fill: #cf222e; background: #cf222e; } .resp.unscored, .score.unscored { fill: #8c959f; background: #8c959f; }
        .score { color: #fff; padding: 0 6px; border-radius: 3px; }
        .rupture { fill: #cf222e; } .repair { fill: #2da44e; }
        .key.other { background: #2f6fdf; } .key.self { background: #e07b00; } .key.incongruence { background: #f6d5d8; border: 1px dashed #d73a49; }

        """
}

/// Fixed decimals for labels (trailing zeros trimmed).
func decimals(_ x: Double, _ d: Int) -> String {
    var out: [UInt8] = []
    NumberFormat.append(x, decimals: d, to: &out)
    return String(decoding: out, as: UTF8.self)
}

func clipLabel(_ s: String, _ n: Int) -> String {
    s.count <= n ? s : String(s.prefix(n)) + "\u{2026}"
}
