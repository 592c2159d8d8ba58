import Attune
import Testing

/// The fixture run, collected per session as `attune report` does.
func fixtureReport() -> [ReportSession] {
    var collector = ReportCollector()
    let decoder = LineDecoder(channels: fixtureChannels())
    var config = AttuneConfiguration()
    config.bus.emit = .every
    var bus = StandardBus(configuration: config, channels: fixtureChannels())
    for (i, line) in (readFile(fixtures + "/example.jsonl") ?? "").split(separator: "\n").enumerated() {
        guard case .success(let event) = decoder.decode(String(line), number: i + 1) else { continue }
        if case .cue(let cue) = event { collector.add(cue) }
        bus.push(event)
        bus.drain { collector.add($0) }
    }
    bus.finish()
    bus.drain { collector.add($0) }
    return collector.sessions
}

/// The part of the HTML between the n-th `<svg` and its `</svg>`.
func svg(_ html: String, _ n: Int) -> String {
    let parts = html.split(separator: "<svg ", omittingEmptySubsequences: false)
    guard parts.count > n + 1, let end = parts[n + 1].firstRange(of: "</svg>") else { return "" }
    return String(parts[n + 1][..<end.lowerBound])
}

@Test func reportHasOneChartPerSessionWithItsParts() throws {
    let sessions = fixtureReport()
    #expect(sessions.map(\.name) == ["kitchen", "lab \"B\", 2 <&>"])
    let html = String(decoding: HTMLReport.render(sessions, options: ReportOptions(source: "example.jsonl")), as: UTF8.self)
    #expect(html.hasPrefix("<!DOCTYPE html>"))
    #expect(occurrences(of: "<section class=\"session\">", in: html) == 2)
    #expect(occurrences(of: "<svg ", in: html) == 2)
    #expect(!html.contains("<script"))
    #expect(!html.contains("http://") || !html.contains("src=\"http"))   // nothing fetched
    #expect(!html.contains("<link"))

    for (i, s) in sessions.enumerated() {
        let chart = svg(html, i)
        // Ribbon: one segment per run of equal modes.
        var runs = 0
        var last: Mode?
        for r in s.recommendations where r.mode != last { runs += 1; last = r.mode }
        #expect(occurrences(of: "<rect class=\"seg ", in: chart) == runs)
        // Lanes: one per (source, channel) that sent cues; one marker per cue.
        var lanes: [String] = []
        for c in s.cues where !lanes.contains(c.source.wireName + c.channel) { lanes.append(c.source.wireName + c.channel) }
        #expect(occurrences(of: "<g class=\"lane\"", in: chart) == lanes.count)
        #expect(occurrences(of: "<circle class=\"cue ", in: chart) == s.cues.count)
        // Two panels; bands and lines for the other, and for self when self sent cues.
        let people = s.recommendations.contains { $0.state.listener.cues > 0 } ? 2 : 1
        #expect(occurrences(of: "<g class=\"panel\"", in: chart) == 2)
        #expect(occurrences(of: "<path class=\"band ", in: chart) == 2 * people)
        #expect(occurrences(of: "<polyline class=\"line ", in: chart) == 2 * people)
        // Every marker and segment has hover text.
        #expect(occurrences(of: "<title>", in: chart) >= s.cues.count + runs)
    }
    // The kitchen has self cues, the lab none.
    #expect(occurrences(of: "<path class=\"band self\"", in: svg(html, 0)) == 2)
    #expect(occurrences(of: "<path class=\"band self\"", in: svg(html, 1)) == 0)
    // The lab's affect/posture disagreement is highlighted.
    #expect(occurrences(of: "<rect class=\"incongruence\"", in: svg(html, 1)) >= 1)
    // The session name is escaped in the heading.
    #expect(html.contains("<span class=\"name\">lab \"B\", 2 &lt;&amp;&gt;</span>"))
}

@Test func reportEscapesWhatPeopleSaid() {
    let evil = "</title><script>alert(1)</script> & \"quotes\""
    var session = ReportSession(name: "<b>s</b>")
    session.cues = [ReportCue(t: 1, source: .other, channel: "text", label: evil, line: 1),
                    ReportCue(t: 2, source: .listener, channel: "x\"><svg onload=alert(1)>", label: "v", line: 2)]
    session.recommendations = [handMade(reason: evil, t: 1), handMade(reason: "ok", t: 2)]
    let html = String(decoding: HTMLReport.render([session]), as: UTF8.self)
    #expect(!html.contains("<script"))
    #expect(!html.contains("<svg onload"))
    #expect(!html.contains("<b>s</b>"))
    #expect(html.contains("&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; \"quotes\""))
    #expect(occurrences(of: "<svg ", in: html) == 1)
    #expect(occurrences(of: "<g class=\"lane\"", in: html) == 2)
}

@Test func reportCueLabels() {
    #expect(ReportCue(Cue(t: 0, channel: "text", value: ["text": "passed away"])).label == "\u{201C}passed away\u{201D}")
    #expect(ReportCue(Cue(t: 0, channel: "posture", value: ["label": "crying", "confidence": 0.9])).label == "crying (confidence 0.9)")
    #expect(ReportCue(Cue(t: 0, channel: "voice", value: ["f0_mean_hz": 201.7, "loudness_db": -27.25])).label == "f0 202 Hz, -27.3 dB")
    #expect(ReportCue(Cue(t: 0, channel: "custom", value: ["k": 1])).label == "{\"k\":1}")
}

@Test func summaryAddsUp() throws {
    for s in fixtureReport() {
        let sum = ReportSummary(s, incongruenceThreshold: 0.4)
        let total = Mode.allCases.reduce(0.0) { $0 + sum.timeInMode[$1] }
        let lastRec = try #require(s.recommendations.last)
        // Time in modes covers first recommendation to the last event.
        #expect(abs(total - (max(sum.end, lastRec.t) - s.recommendations[0].t)) < 1e-9)
        #expect(sum.switches == sum.spans.count - 1)
        #expect(sum.channelCounts.reduce(0) { $0 + $1.count } == s.cues.count)
        for span in sum.incongruent { #expect(span.peak >= 0.4 && span.end >= span.start) }
    }
}

@Test(arguments: [(1.0, 0.1), (10.0, 1.0), (12.0, 2.0), (60.0, 10.0), (0.003, 0.001), (250.0, 50.0)])
func tickSteps(span: Double, step: Double) {
    #expect(abs(HTMLReport.tickStep(span) - step) < 1e-12)
}
