import Attune
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Golden files: `Fixtures/golden.<name>`. Regenerate with ATTUNE_UPDATE_GOLDEN=1.
@Test(arguments: [
    ("jsonl", OutputFormat.jsonl, false),
    ("csv", .csv, false),
    ("tty.txt", .tty, false),
    ("tty-color.txt", .tty, true),
    ("emotionml.xml", .emotionml, false),
])
func goldenOutput(name: String, format: OutputFormat, color: Bool) throws {
    let recs = recommendations()
    #expect(recs.count == 17)
    let text = try render(format, recs, settings: OutputSettings(color: color, priorSD: 0.5))
    let path = fixtures + "/golden." + name
    if let v = getenv("ATTUNE_UPDATE_GOLDEN"), v.pointee != 0 {
        writeFile(path, text)
    }
    let golden = try #require(readFile(path), "missing \(path): run with ATTUNE_UPDATE_GOLDEN=1 to create it")
    #expect(text == golden)
}

@Test func csvParsesBackToTheJSONNumbers() throws {
    let recs = recommendations()
    let rows = parseCSV(try render(.csv, recs))
    #expect(rows.first == CSVAdapter.columns)
    #expect(rows.count == recs.count + 1)
    let column = Dictionary(uniqueKeysWithValues: CSVAdapter.columns.enumerated().map { ($1, $0) })
    let numeric: [(csv: String, json: String)] = [
        ("t", "t"), ("line", "line"), ("confidence", "confidence"),
        ("score_comfort", "scores.comfort"), ("score_space", "scores.space"),
        ("score_question", "scores.question"), ("score_reflect", "scores.reflect"),
        ("other_valence", "other.valence"), ("other_valence_sd", "other.valence_sd"),
        ("other_arousal", "other.arousal"), ("other_arousal_sd", "other.arousal_sd"), ("other_coverage", "other.coverage"),
        ("self_valence", "self.valence"), ("self_valence_sd", "self.valence_sd"),
        ("self_arousal", "self.arousal"), ("self_arousal_sd", "self.arousal_sd"), ("self_coverage", "self.coverage"),
        ("incongruence", "other.incongruence"),
    ]
    for (r, row) in zip(recs, rows.dropFirst()) {
        #expect(row.count == CSVAdapter.columns.count)
        let json = try #require(JSONC(r.jsonLine))
        defer { json.release() }
        for (c, j) in numeric {
            let fromCSV = Double(row[column[c]!])
            let fromJSON = json.number(j)
            #expect(fromCSV != nil && fromCSV == fromJSON, "\(c) line \(r.line): csv \(row[column[c]!]) json \(String(describing: fromJSON))")
        }
        #expect(row[column["session"]!] == json.string("session"))
        #expect(row[column["event"]!] == json.string("event"))
        #expect(row[column["mode"]!] == json.string("mode"))
        #expect(row[column["risk"]!] == String(json.bool("risk")!))
        #expect(row[column["changed"]!] == String(json.bool("changed")!))
        #expect(row[column["reason_cue"]!] == (json.firstReason("cue") ?? ""))
        #expect(row[column["reason_text"]!] == (json.firstReason("reason") ?? ""))
    }
}

@Test(arguments: ["plain", "a, b", "he said \"no\"", "two\nlines", "cr\r\nlf", ""])
func csvQuotingRoundTrips(reason: String) throws {
    let r = handMade(session: "s, \"1\"", reason: reason)
    let rows = parseCSV(try render(.csv, [r]))
    #expect(rows.count == 2)
    #expect(rows[1].count == CSVAdapter.columns.count)
    #expect(rows[1][1] == "s, \"1\"")
    #expect(rows[1].last == reason)
}

@Test func csvWithNoRowsStillHasItsHeader() throws {
    #expect(try render(.csv, []) == CSVAdapter.columns.joined(separator: ",") + "\n")
}

@Test(arguments: [
    (-0.6, -0.4, "sad"), (-0.6, 0.5, "upset"), (-0.6, 0.0, "unhappy"),
    (0.0, 0.5, "tense"), (0.1, -0.1, "neutral"), (0.0, -0.5, "calm"),
    (0.5, 0.5, "excited"), (0.5, 0.0, "pleased"), (0.5, -0.5, "content"),
    (0.15, 0.15, "neutral"), (0.151, 0.151, "excited"),
])
func affectWords(valence: Double, arousal: Double, word: String) {
    #expect(AffectWords().describe(valence: valence, arousal: arousal) == word)
}

@Test func ttyPrintsOneLinePerModeChangePerSession() throws {
    let recs = recommendations()
    var last: [String: Mode] = [:]
    var changes = 0
    for r in recs where last[r.session] != r.mode {
        last[r.session] = r.mode
        changes += 1
    }
    let plain = try render(.tty, recs, settings: OutputSettings(color: false))
    let lines = plain.split(separator: "\n")
    #expect(lines.count == changes)
    #expect(changes >= 4)
    #expect(!plain.utf8.contains(0x1B))
    let colored = try render(.tty, recs, settings: OutputSettings(color: true))
    #expect(colored.utf8.contains(0x1B))
    // Same text once the escape sequences are gone.
    #expect(stripANSI(colored) == plain)
    // The first session's lines come before a second session exists: no [name]; later ones carry it.
    #expect(!lines[0].contains("["))
    #expect(lines.contains { $0.contains("[lab \"B\", 2 <&>]") })
}

@Test func ttyLineReadsLikeTheExample() {
    let r = handMade(reason: "text: said \"passed away\"")
    let line = TerminalAdapter(sink: .memory(), color: false).line(for: r)
    #expect(line == "    1.3s  other upset (v -0.50 ±0.20, a +0.30)  → COMFORT 0.75  said \"passed away\"\n")
}

@Test func ttyKeepsControlCharactersOffTheTerminal() throws {
    let r = handMade(session: "evil\u{1B}[2J", reason: "x\u{1B}]0;title\u{07}")
    var adapter = TerminalAdapter(sink: .memory(), color: false)
    let line = adapter.line(for: r, showSession: true)
    #expect(!line.utf8.contains(0x1B))
    #expect(!line.utf8.contains(0x07))
    try adapter.write(r)
}

func stripANSI(_ s: String) -> String {
    var out: [UInt8] = []
    var bytes = Array(s.utf8)[...]
    while let b = bytes.popFirst() {
        if b == 0x1B {
            while let c = bytes.popFirst(), !(c >= 0x40 && c <= 0x7E && c != UInt8(ascii: "[")) {}
            continue
        }
        out.append(b)
    }
    return String(decoding: out, as: UTF8.self)
}

@Test(arguments: [
    ("csv:run.csv", OutputFormat.csv, "run.csv"),
    ("jsonl:-", .jsonl, "-"),
    ("tty", .tty, "-"),
    ("emotionml:C:/x:y.xml", .emotionml, "C:/x:y.xml"),
])
func outputTargetParses(text: String, format: OutputFormat, path: String) throws {
    let t = try OutputTarget(parsing: text)
    #expect(t.format == format)
    #expect(t.path == path)
}

@Test(arguments: ["xml:out.xml", "csv:", ":x", "JSONL:-"])
func outputTargetRejects(text: String) {
    #expect(throws: OutputTargetError.self) { try OutputTarget(parsing: text) }
}

@Test func onlyOneOutputOnStandardOutput() throws {
    #expect(throws: OutputTargetError.self) {
        try OutputTarget.check([OutputTarget(format: .jsonl), OutputTarget(format: .tty)])
    }
    #expect(throws: OutputTargetError.self) {
        try OutputTarget.check([OutputTarget(format: .csv, path: "a"), OutputTarget(format: .jsonl, path: "a")])
    }
    try OutputTarget.check([OutputTarget(format: .jsonl), OutputTarget(format: .csv, path: "run.csv")])
}

@Test func fanOutFeedsEveryAdapterTheSameRecommendations() throws {
    let recs = recommendations()
    let a = ByteSink.memory(), b = ByteSink.memory()
    var fan = FanOutAdapter([JSONLinesAdapter(sink: a), CSVAdapter(sink: b)])
    for r in recs { try fan.write(r) }
    try fan.finish(RunCounts())
    try a.flush(); try b.flush()
    #expect(a.text == (try render(.jsonl, recs)))
    #expect(b.text == (try render(.csv, recs)))
}

@Test func pacerWaitsByTimestampOverSpeed() {
    var p = Pacer(speed: 100)
    #expect(p.delay(before: 10, now: 500) == 0)          // the first line sets the origin
    #expect(abs(p.delay(before: 11, now: 500) - 0.01) < 1e-12)
    #expect(abs(p.delay(before: 20, now: 500.05) - 0.05) < 1e-9)
    #expect(p.delay(before: 15, now: 500.05) > 0.04)      // earlier t: no going back in time, waits for the latest
    #expect(p.delay(before: 21, now: 501) == 0)          // behind schedule: go at once
    var real = Pacer(speed: 1)
    _ = real.delay(before: 0, now: 0)
    #expect(real.delay(before: 2.5, now: 1) == 1.5)
}
