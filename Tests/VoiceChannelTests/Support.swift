import AttuneCore
import Glibc
@testable import VoiceChannel

/// Calm baseline utterances with a natural wobble (deterministic).
let wobble: [Double] = [0.0, 0.8, -0.6, 0.3, -0.9, 0.5, -0.2, 0.7, -0.4, 0.1]

/// A typical calm utterance of the scenario speaker, varied by `k`.
func calmValue(_ k: Int) -> JSONValue {
    let w = wobble[k % wobble.count]
    return [
        "f0_mean_hz": .number(200 + 4 * w), "f0_sd_hz": .number(22 + 2 * w),
        "loudness_db": .number(-26 + 0.8 * w), "speech_rate_sps": .number(4.4 + 0.2 * w),
        "pause_ratio": .number(0.25 + 0.03 * w), "jitter": .number(0.010 + 0.001 * w),
    ]
}

func cue(_ value: JSONValue, t: Double = 0) -> Cue { Cue(t: t, channel: "voice", value: value) }

/// Feeds `n` calm utterances and returns the evidence of each.
@discardableResult
func warmUp(_ voice: VoiceChannel, _ state: inout VoiceChannel.State, _ n: Int = 6) -> [Evidence] {
    (0..<n).map { voice.evidence(from: cue(calmValue($0), t: Double($0)), state: &state) }
}

extension Evidence {
    func tag(_ name: String) -> CueTag? { tags.first { $0.name == name } }
}

/// One utterance of the openSMILE fixture.
struct FixtureUtterance {
    var label: String
    var t: Double
    var features: [(String, Double)]
    var value: JSONValue {
        .object(JSONObject(features.map { JSONObject.Member(key: $0.0, value: .number($0.1)) }))
    }
}

/// Reads Fixtures/espeak-egemaps.tsv (made by make_fixture.py) with plain libc.
func readFixture() -> [FixtureUtterance] {
    let path = String(#filePath).split(separator: "/", omittingEmptySubsequences: false).dropLast()
        .joined(separator: "/") + "/Fixtures/espeak-egemaps.tsv"
    guard let file = fopen(path, "r") else { return [] }
    defer { fclose(file) }
    var out: [FixtureUtterance] = []
    var line: UnsafeMutablePointer<CChar>?
    var cap = 0
    defer { free(line) }
    while getline(&line, &cap, file) > 0, let line {
        let text = String(cString: line)
        if text.hasPrefix("#") { continue }
        let fields = text.split(separator: "\t").map { $0.hasSuffix("\n") ? $0.dropLast() : $0 }
        guard fields.count > 2, let t = Double(fields[1]) else { continue }
        var features: [(String, Double)] = []
        for f in fields.dropFirst(2) {
            guard let eq = f.lastIndex(of: "="), let v = Double(f[f.index(after: eq)...]) else { continue }
            features.append((String(f[..<eq]), v))
        }
        out.append(FixtureUtterance(label: String(fields[0]), t: t, features: features))
    }
    return out
}
