import Attune
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The fixture folder next to this file (streams written by Fixtures/make_fixtures.py).
let fixtures: String = {
    let file = #filePath
    return String(file[..<file.lastIndex(of: "/")!]) + "/Fixtures"
}()

func readFile(_ path: String) -> String? {
    guard let f = fopen(path, "rb") else { return nil }
    defer { fclose(f) }
    var bytes: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = fread(&buf, 1, buf.count, f)
        if n <= 0 { break }
        bytes += buf[0..<n]
    }
    return String(decoding: bytes, as: UTF8.self)
}

/// The lines of a fixture stream; a missing fixture fails the test.
func streamLines(_ name: String) -> [String] {
    guard let text = readFile(fixtures + "/" + name + ".jsonl") else {
        Issue.record("missing fixture \(name).jsonl")
        return []
    }
    return text.split(separator: "\n").map(String.init)
}

/// Runs lines through the standard engine (`--emit every` unless said otherwise).
func run(_ lines: [String], configuration: AttuneConfiguration = .init(), emit: EmitPolicy = .every)
    -> (recs: [Recommendation], totals: [SessionFeedback]) {
    var config = configuration
    config.bus.emit = emit
    var engine = StandardEngine(configuration: config)
    for line in lines { _ = engine.ingest(line: line) }
    engine.finish()
    return (engine.drain(), engine.bus.feedbackTotals)
}

func run(fixture name: String, configuration: AttuneConfiguration = .init(), emit: EmitPolicy = .every)
    -> (recs: [Recommendation], totals: [SessionFeedback]) {
    run(streamLines(name), configuration: configuration, emit: emit)
}

/// The disclosure every fixture opens with (the first 10 lines of each).
func disclosure() -> [String] { Array(streamLines("no-question").prefix(10)) }

/// A wire line for a text cue.
func textLine(_ t: Double, _ text: String, source: String = "self") -> String {
    let v: JSONValue = ["t": .number(t), "source": .string(source), "channel": "text", "value": ["text": .string(text)]]
    return v.jsonText
}

func postureLine(_ t: Double, _ label: String) -> String {
    #"{"t":\#(t),"source":"other","channel":"posture","value":{"label":"\#(label)","confidence":0.9}}"#
}

/// The recommendations carrying a response, in order.
func responses(_ recs: [Recommendation]) -> [ScoredResponse] { recs.compactMap(\.response) }

/// A decision for scoring tests: `mode` leads by `lead` over every other mode.
func decision(_ mode: Mode, lead: Double = 1.0) -> Decision {
    var scores = ModeScores()
    for m in Mode.allCases { scores[m] = m == mode ? 1 + lead : 1 }
    return Decision(mode: mode, confidence: 0.8, scores: scores, risk: false, because: [], changed: false)
}

/// A fused state whose other person is distressed (`valence` < 0) or in good spirits.
func otherState(valence: Double, tags: [(String, Double)] = [], t: Double = 0) -> FusedState {
    var s = FusedState()
    s.t = t
    s.other.valence = valence
    s.other.coverage = 0.8
    s.other.cues = 5
    s.other.tags = tags.map { TagLevel(name: $0.0, level: $0.1, channel: "test", reason: $0.0) }
    return s
}
