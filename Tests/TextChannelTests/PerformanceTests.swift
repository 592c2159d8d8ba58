import AttuneCore
import Testing
import TextChannel

/// A rough per-utterance timing. The target (p99 well under 100 µs for a
/// 40-word text) is for release builds; debug builds are ~10-30x slower, so
/// the bound here only catches gross regressions. Run
/// `swift test -c release -Xswiftc -enable-testing --filter analysisIsFast` to see the real figure.
@Test func analysisIsFast() {
    let ch = TextChannel(configuration: .init())
    let text = "I really don't want to get into this right now, honestly. My brother wrecked my car and didn't even say sorry, "
        + "and I'm so tired of it! Can we talk later? I just feel empty and kind of lost 😢"
    #expect(ch.analyze(text).wordCount == 39)  // also builds the lexicon tables once
    var samples: [Duration] = []
    let clock = ContinuousClock()
    for _ in 0..<300 {
        let t0 = clock.now
        let a = ch.analyze(text)
        samples.append(clock.now - t0)
        precondition(a.valence != nil)
    }
    samples.sort()
    let p50 = samples[samples.count / 2], p99 = samples[samples.count * 99 / 100]
    print("analyze(\(text.split(separator: " ").count) words): p50 \(p50), p99 \(p99)")
    #if DEBUG
    #expect(p99 < .milliseconds(5))
    #else
    #expect(p99 < .microseconds(100))
    #endif
}
