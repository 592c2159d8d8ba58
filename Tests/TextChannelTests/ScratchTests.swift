import Testing
import AttuneCore
@testable import TextChannel

@Test func scratchDump() {
    let ch = TextChannel(configuration: .init())
    for s in [
        "She broke up with me yesterday and I just feel empty.",
        "The doctor wants more tests and I'm really worried it's something serious.",
        "Another weekend alone. I miss having friends around.",
        "I'm not really sure how I feel about it, honestly.",
        "No no, I'm totally over it, it doesn't bother me at all.",
        "They promoted me today! I'm thrilled!",
        "Stop! You always do this and I'm sick of it!",
        "Are you kidding me? I already told you I can't, why do you never listen!",
        "My cat is really sick and the vet says there's nothing more they can do.",
        "My brother wrecked my car and didn't even say sorry!",
        "So what are you cooking tonight?",
        "I really don't want to get into this right now. Can we talk later?",
        "Please just give me some space.",
        "I failed my driving test again and I feel so stupid.",
        "The traffic was insane, I sat on the highway for two hours!",
        "ok.",
        "That sucks! Just forget it.",
        "That's not right! It must be very difficult to deal with him.",
        "The food was good, but the service was TERRIBLE :( 😡",
    ] {
        let a = ch.analyze(s)
        print("\(s)\n  v=\(a.valence.map { String($0) } ?? "nil") var=\(a.valenceVariance ?? -1) a=\(a.arousal.map { String($0) } ?? "nil") tags=\(a.tags.map { "\($0.name)(\(Int($0.strength * 100))) \($0.reason)" })")
        print("  words=\(a.matchedWords.map { "\($0.text):\($0.valence ?? 0)\($0.rules)" })")
    }
}
