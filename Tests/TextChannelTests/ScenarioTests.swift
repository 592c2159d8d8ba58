import AttuneCore
import Testing
import TextChannel

/// The lead's scenario utterances: expected valence sign (0: near neutral or
/// none), tags that must be there, tags that must not, and whether arousal must be raised.
struct Scenario: Sendable, CustomTestStringConvertible {
    var text: String
    var sign: Int
    var has: [String]
    var hasNot: [String] = []
    var arousalUp = false
    var testDescription: String { text }
}

let scenarios: [Scenario] = [
    .init(text: "She broke up with me yesterday and I just feel empty.", sign: -1, has: [Tag.sadness, Tag.loneliness]),
    .init(text: "The doctor wants more tests and I'm really worried it's something serious.", sign: -1, has: [Tag.fear], arousalUp: true),
    .init(text: "Another weekend alone. I miss having friends around.", sign: -1, has: [Tag.loneliness, Tag.sadness]),
    .init(text: "I'm not really sure how I feel about it, honestly.", sign: 0, has: [Tag.uncertainty]),
    .init(text: "No no, I'm totally over it, it doesn't bother me at all.", sign: 0, has: [Tag.denial]),
    .init(text: "They promoted me today! I'm thrilled!", sign: 1, has: [Tag.joy], arousalUp: true),
    .init(text: "Stop! You always do this and I'm sick of it!", sign: -1, has: [Tag.anger, Tag.hostility], arousalUp: true),
    .init(text: "Are you kidding me? I already told you I can't, why do you never listen!", sign: -1,
          has: [Tag.anger, Tag.hostility, Tag.question], arousalUp: true),
    .init(text: "My cat is really sick and the vet says there's nothing more they can do.", sign: -1, has: [Tag.sadness]),
    .init(text: "My brother wrecked my car and didn't even say sorry!", sign: -1, has: [Tag.anger], arousalUp: true),
    .init(text: "So what are you cooking tonight?", sign: 0, has: [Tag.question],
          hasNot: [Tag.anger, Tag.sadness, Tag.fear, Tag.joy, Tag.shame, Tag.loneliness, Tag.surprise]),
    .init(text: "I really don't want to get into this right now. Can we talk later?", sign: 0, has: [Tag.spaceRequest],
          hasNot: [Tag.connectionBid]),
    .init(text: "Please just give me some space.", sign: 0, has: [Tag.spaceRequest], hasNot: [Tag.connectionBid]),
    .init(text: "I failed my driving test again and I feel so stupid.", sign: -1, has: [Tag.shame]),
    .init(text: "The traffic was insane, I sat on the highway for two hours!", sign: -1, has: [Tag.anger], arousalUp: true),
    .init(text: "ok.", sign: 0, has: [Tag.clipped]),
    .init(text: "That sucks! Just forget it.", sign: -1, has: []),
    .init(text: "That's not right! It must be very difficult to deal with him.", sign: -1, has: []),
]

@Test(arguments: scenarios)
func scenario(_ s: Scenario) {
    let a = channel.analyze(s.text)
    let names = a.tags.map(\.name)
    let v = a.valence ?? 0
    switch s.sign {
    case 1: #expect(v > 0.2, "valence \(v)")
    case -1: #expect(v < -0.2, "valence \(v)")
    default: #expect(abs(v) < 0.25, "valence \(v)")
    }
    for t in s.has { #expect(names.contains(t), "missing \(t) in \(names)") }
    for t in s.hasNot { #expect(!names.contains(t), "unexpected \(t) in \(names)") }
    if s.arousalUp { #expect((a.arousal ?? 0) > 0.3, "arousal \(String(describing: a.arousal))") }
    for t in a.tags {
        #expect(t.strength > 0 && t.strength <= 1)
        #expect(t.reason.contains("\""), "reason should quote: \(t.reason)")
    }
    if let vv = a.valenceVariance { #expect(vv > 0 && vv < 0.5) }
}

@Test func sadnessOutweighsFearForASickPet() {
    let a = channel.analyze("My cat is really sick and the vet says there's nothing more they can do.")
    let score = Dictionary(uniqueKeysWithValues: a.emotions.map { ($0.category, $0.score) })
    #expect(score["sadness"]! > score["fear"]!)
}
