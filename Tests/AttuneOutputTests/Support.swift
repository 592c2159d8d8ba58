import Attune
import CJSONC
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The fixture folder next to this file.
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

func writeFile(_ path: String, _ text: String) {
    guard let f = fopen(path, "wb") else { return }
    defer { fclose(f) }
    _ = text.utf8CString.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count - 1, f) }
}

/// Affect and posture only: the goldens must not move when other channels land or change.
/// (They do move when fusion or policy defaults change: regenerate with
/// `ATTUNE_UPDATE_GOLDEN=1 swift test --filter AttuneOutputTests` and review the diff.)
func fixtureChannels() -> ChannelRegistry {
    var r = ChannelRegistry()
    r.register(PostureChannel(configuration: .init()))
    return r
}

/// The engine's recommendations for a fixture stream, `--emit every`.
func recommendations(_ name: String = "example.jsonl") -> [Recommendation] {
    var config = AttuneConfiguration()
    config.bus.emit = .every
    var engine = StandardEngine(configuration: config, channels: fixtureChannels())
    for line in (readFile(fixtures + "/" + name) ?? "").split(separator: "\n", omittingEmptySubsequences: false) where !line.isEmpty {
        _ = engine.ingest(line: String(line))
    }
    engine.finish()
    return engine.drain()
}

/// Runs `format`'s adapter over `recs` into memory.
func render(_ format: OutputFormat, _ recs: [Recommendation], settings: OutputSettings = .init()) throws -> String {
    let sink = ByteSink.memory()
    var adapter = format.makeAdapter(sink: sink, settings: settings)
    for r in recs { try adapter.write(r) }
    var counts = RunCounts()
    counts.emitted = recs.count
    try adapter.finish(counts)
    try sink.flush()
    return sink.text
}

/// A JSON object parsed with json-c, for reading the JSONL numbers independently of our writer.
struct JSONC {
    let object: OpaquePointer
    init?(_ text: String) {
        guard let o = json_tokener_parse(text) else { return nil }
        object = o
    }
    func release() { json_object_put(object) }

    func get(_ path: String) -> OpaquePointer? {
        var current: OpaquePointer? = object
        for key in path.split(separator: ".") {
            var next: OpaquePointer?
            guard json_object_object_get_ex(current, String(key), &next) != 0 else { return nil }
            current = next
        }
        return current
    }
    func number(_ path: String) -> Double? { get(path).map { json_object_get_double($0) } }
    func string(_ path: String) -> String? { get(path).map { String(cString: json_object_get_string($0)) } }
    func bool(_ path: String) -> Bool? { get(path).map { json_object_get_boolean($0) != 0 } }
    func firstReason(_ key: String) -> String? {
        guard let because = get("because"), json_object_array_length(because) > 0,
              let first = json_object_array_get_idx(because, 0) else { return nil }
        var v: OpaquePointer?
        guard json_object_object_get_ex(first, key, &v) != 0 else { return nil }
        return String(cString: json_object_get_string(v))
    }
}

/// RFC 4180 parser (quoted fields, doubled quotes, CR/LF inside quotes).
func parseCSV(_ text: String) -> [[String]] {
    var rows: [[String]] = []
    var row: [String] = []
    var field: [UInt8] = []
    var quoted = false
    var bytes = Array(text.utf8)[...]
    while let b = bytes.popFirst() {
        if quoted {
            if b == UInt8(ascii: "\"") {
                if bytes.first == UInt8(ascii: "\"") { field.append(b); bytes.removeFirst() } else { quoted = false }
            } else {
                field.append(b)
            }
        } else if b == UInt8(ascii: "\"") {
            quoted = true
        } else if b == UInt8(ascii: ",") {
            row.append(String(decoding: field, as: UTF8.self)); field.removeAll()
        } else if b == 0x0A {
            row.append(String(decoding: field, as: UTF8.self)); field.removeAll()
            rows.append(row); row.removeAll()
        } else {
            field.append(b)
        }
    }
    if !field.isEmpty || !row.isEmpty { row.append(String(decoding: field, as: UTF8.self)); rows.append(row) }
    return rows
}

/// A recommendation built by hand, for edge cases the engine does not produce on demand.
func handMade(session: String = "s", reason: String = "plain", t: Double = 1.25) -> Recommendation {
    var state = FusedState()
    state.t = t
    state.other.valence = -0.5
    state.other.valenceSD = 0.2
    state.other.arousal = 0.3
    state.other.arousalSD = 0.25
    state.other.cues = 3
    state.incongruence = 0.6
    state.incongruenceReason = "words <say> \"fine\" & voice says no"
    let decision = Decision(mode: .comfort, confidence: 0.75, scores: ModeScores(comfort: 2, space: -0.5, question: 1, reflect: 0.25),
                            risk: false, because: [Reason(channel: "text", cue: "sadness", weight: 1.5, text: reason)], changed: true)
    return Recommendation(decision, state: state, session: session, t: t, event: "text", source: .other, line: 7)
}

func commandExists(_ name: String) -> Bool {
    system("command -v \(name) >/dev/null 2>&1") == 0
}

/// Runs a shell command, returning its exit status.
func shell(_ command: String) -> Int32 {
    let status = system(command)
    return status == -1 ? -1 : (status >> 8) & 0xFF
}
