// A small "research rig": Attune embedded in a program that makes its own cues.
// It simulates a conversation (a wearable's heart rate and skin conductance,
// an annotator's posture labels, a face model's affect estimate, for both people),
// feeds them to an engine as values and as JSON lines, and prints what Attune
// recommends as it goes.
//
//   swift run research-rig
//
// The embedding API in four calls:
//   var engine = StandardEngine(configuration: configuration, channels: channels)
//   engine.push(Cue(...))  or  engine.ingest(line: "{...}")     -> Result<Void, LineError>
//   engine.drain { recommendation in ... }                        what those cues produced
//   engine.finish()                                               end of input: flush every session
import Attune
import PhysioChannel

/// A deterministic generator (64-bit LCG), so every run of the rig prints the same thing.
struct Noise {
    var state: UInt64
    mutating func next() -> Double {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Double(state >> 11) / Double(1 << 53) - 0.5
    }
}

var channels = ChannelRegistry.standard
channels.register(PhysioChannel())

var configuration = try AttuneConfiguration.load(overrides: #"{"bus": {"emit": "change", "maxLateness": 0.25}}"#)
var engine = StandardEngine(configuration: configuration, channels: channels)
var noise = Noise(state: 42)

func show(_ r: Recommendation) {
    let reasons = r.decision.because.prefix(2).map { "\($0.channel): \($0.text)" }.joined(separator: "; ")
    let t = (r.t * 10).rounded() / 10
    print("t=\(t)s  \(r.mode.rawValue.padding(8))  confidence \((r.decision.confidence * 100).rounded() / 100)"
          + (reasons.isEmpty ? "" : "  because \(reasons)"))
}

// 60 s of conversation; the other person gets upset from t = 25 s and calms from t = 45 s.
for step in 0..<240 {
    let t = Double(step) * 0.25
    let upset = t >= 25 && t < 45 ? 1.0 : 0.0
    if step % 4 == 0 {
        // A wearable on the other person, once a second: pushed as a value.
        let hr = 72 + 26 * upset + 2 * noise.next()
        let eda = 4 + 2.5 * upset + 0.2 * noise.next()
        engine.push(Cue(t: t, session: "rig", source: .other, channel: "physio",
                        value: ["hr_bpm": .number(hr), "eda_us": .number(eda)]))
        // ...and on the listener, who stays calm.
        engine.push(Cue(t: t, session: "rig", source: .listener, channel: "physio",
                        value: ["hr_bpm": .number(66 + 2 * noise.next())]))
    }
    if step % 20 == 10 {
        // The annotator, as a JSON line (what a separate process would send).
        let label = upset > 0 ? (t < 35 ? "tense" : "turned_away") : "facing"
        let result = engine.ingest(line: #"{"t":\#(t),"session":"rig","channel":"posture","value":{"label":"\#(label)","confidence":0.8}}"#)
        if case .failure(let e) = result { print("rejected: \(e)") }
    }
    if step % 12 == 6 {
        let valence = upset > 0 ? -0.6 + 0.1 * noise.next() : 0.2 + 0.1 * noise.next()
        engine.push(Cue(t: t, session: "rig", channel: "affect",
                        value: ["valence": .number(valence), "arousal": .number(0.6 * upset), "confidence": 0.6]))
    }
    engine.drain(show)
}
engine.finish()
engine.drain(show)
print(engine.counts.summary)

extension String {
    func padding(_ n: Int) -> String { count >= n ? self : self + String(repeating: " ", count: n - count) }
}
