import Attune
import CJSONC
import Testing

private func lines(_ recs: [Recommendation]) -> [JSONValue] {
    recs.compactMap { try? JSONValue.parse($0.jsonLine) }
}

@Test func jsonLinesCarryResponseRuptureRepair() throws {
    let recs = run(fixture: "rupture-repair").recs
    let json = lines(recs)
    #expect(json.count == recs.count)
    let withResponse = json.filter { $0["response"] != nil }
    #expect(withResponse.count == 2)
    let first = try #require(withResponse.first?["response"])
    #expect(first["kind"]?.string == "dismissing")
    #expect(first["subkind"]?.string == "minimising")
    #expect(first["score"]?.string == "missed")
    #expect(first["recommended"]?.string == "comfort")
    #expect((first["reasons"]?.array?.count ?? 0) >= 2)
    #expect(first["also"]?.array?.first?.string == "reflection/validation")

    let rupture = try #require(json.first { $0["rupture"] != nil }?["rupture"])
    #expect(rupture["response_line"]?.double == Double(withResponse[0]["line"]?.double ?? -1))
    #expect(rupture["reason"]?.string?.isEmpty == false)
    let repair = try #require(json.first { $0["repair"] != nil }?["repair"])
    #expect(repair["time_to_repair"]?.double == recs.first { $0.repair != nil }?.repair?.timeToRepair)
    #expect(repair["rupture_t"]?.double == 9.5)
    // Lines without feedback have none of the keys.
    #expect(json.filter { $0["response"] == nil && $0["rupture"] == nil && $0["repair"] == nil }.count == json.count - 4)
}

@Test func unscoredResponseHasNullScore() throws {
    let recs = run(disclosure() + [textLine(8, "Okay.")]).recs
    let v = try JSONValue.parse(try #require(recs.last).jsonLine)
    #expect(v["response"]?["kind"]?.string == "other")
    #expect(v["response"]?["score"] == .null)
}

/// Under `emit: change`, feedback lines are written even when the mode holds.
@Test func changeEmitsFeedbackLines() {
    let every = run(fixture: "rupture-repair").recs
    let change = run(fixture: "rupture-repair", emit: .change).recs
    let feedbackLines = every.filter { $0.response != nil || $0.rupture != nil || $0.repair != nil }.map(\.line)
    for line in feedbackLines { #expect(change.contains { $0.line == line }, "line \(line)") }
    var quiet = AttuneConfiguration()
    quiet.feedback.emitResponses = false
    let onlyChanges = run(fixture: "rupture-repair", configuration: quiet, emit: .change).recs
    #expect(onlyChanges.allSatisfy { $0.decision.changed })
    #expect(onlyChanges.count < change.count)
}

@Test func csvColumns() throws {
    let recs = run(fixture: "rupture-repair").recs
    let sink = ByteSink.memory()
    var adapter = OutputFormat.csv.makeAdapter(sink: sink, settings: .init())
    for r in recs { try adapter.write(r) }
    try adapter.finish(RunCounts())
    try sink.flush()
    let rows = parseCSV(sink.text)
    let header = rows[0]
    for name in ["response_kind", "response_subkind", "response_score", "response_recommended", "response_reasons", "rupture", "repair_time"] {
        #expect(header.contains(name), "\(name)")
    }
    let kind = try #require(header.firstIndex(of: "response_kind"))
    let score = try #require(header.firstIndex(of: "response_score"))
    let repairTime = try #require(header.firstIndex(of: "repair_time"))
    let missedRow = try #require(rows.first { $0.count > score && $0[score] == "missed" })
    #expect(missedRow[kind] == "dismissing")
    #expect(rows.contains { $0.count > repairTime && !$0[repairTime].isEmpty })
}

@Test func reportShowsResponsesAndTotals() throws {
    let (recs, totals) = run(fixture: "rupture-repair")
    var collector = ReportCollector()
    for line in streamLines("rupture-repair") {
        if case .success(.cue(let cue)) = LineDecoder(channels: .standard).decode(line) { collector.add(cue) }
    }
    for r in recs { collector.add(r) }
    let html = String(decoding: HTMLReport.render(collector.sessions), as: UTF8.self)
    #expect(html.contains("class=\"resp missed\""))
    #expect(html.contains("class=\"resp attuned\""))
    #expect(html.contains("class=\"rupture\""))
    #expect(html.contains("class=\"repair\""))
    #expect(html.contains("<caption>Listener responses</caption>"))
    #expect(html.contains("1 rupture, 1 repair, mean time to repair"))
    // The report counts from the lines what the bus counted live.
    let summary = ReportSummary(collector.sessions[0])
    #expect(summary.feedback == totals[0].totals)
}

@Test func summaryLine() {
    var t = FeedbackTotals()
    #expect(t.summary == "0 responses; 0 ruptures, 0 repairs")
    t.count(ScoredResponse(kind: .reflection, score: .attuned, recommended: .reflect))
    t.count(ScoredResponse(kind: .dismissing, score: .missed, recommended: .comfort))
    t.count(ScoredResponse(kind: .other, score: nil, recommended: .comfort))
    t.ruptures = 1
    t.count(Repair(responseLine: 4, responseT: 12, ruptureT: 9.5, t: 13.5, closes: 1, reason: ""))
    #expect(t.summary == "3 responses: 1 attuned (50 %), 0 partly, 1 missed, 1 unscored; 1 rupture, 1 repair (mean time to repair 4 s)")
}

/// RFC 4180: quoted fields may hold commas, doubled quotes and newlines.
func parseCSV(_ text: String) -> [[String]] {
    var rows: [[String]] = []
    var row: [String] = []
    var field = ""
    var quoted = false
    var chars = Array(text)[...]
    while let c = chars.popFirst() {
        if quoted {
            if c == "\"" {
                if chars.first == "\"" { field.append("\""); chars.removeFirst() } else { quoted = false }
            } else {
                field.append(c)
            }
        } else if c == "\"" {
            quoted = true
        } else if c == "," {
            row.append(field); field = ""
        } else if c == "\n" {
            row.append(field); field = ""
            rows.append(row); row = []
        } else {
            field.append(c)
        }
    }
    if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
    return rows
}

/// Every feedback, serve-and-return and response-phrase key is in Protocols/feedback.md.
@Test func everyFeedbackKeyIsDocumented() throws {
    let root = String(fixtures.dropLast("/Tests/AttuneFeedbackTests/Fixtures".count))
    let page = try #require(readFile(root + "/Protocols/feedback.md"))
    let json = AttuneConfiguration().json
    var keys: [String] = []
    for m in try #require(json["feedback"]?.object) { keys.append(m.key) }
    for m in try #require(json["policy"]?["serveAndReturn"]?.object) { keys.append(m.key) }
    keys += ["responsePhrases", "responseStrength", "openQuestionWords", "answered_question", "question_run", "comfort_given"]
    #expect(json["channels"]?["text"]?["responsePhrases"] != nil)
    let missing = keys.filter { !page.contains("`\($0)`") }
    #expect(missing.isEmpty, "undocumented in feedback.md: \(missing)")
    // Every response kind is described.
    for kind in ResponseKind.allCases { #expect(page.contains("`\(kind.rawValue)`"), "\(kind)") }
}
