import AttuneCore
import Testing
import TextChannel

/// A rough per-utterance timing. The target (p99 well under 100 µs for a
/// 40-word text) is for release builds; debug builds are ~10-30x slower, so
/// the bound there (on the median) only catches gross regressions. Run
/// `swift test -c release -Xswiftc -enable-testing --filter analysisIsFast` to see the real figure.
@Test func analysisIsFast() {
    let ch = TextChannel(configuration: .init())
    let text = "I really don't want to get into this right now, honestly. My brother wrecked my car and didn't even say sorry, "
        + "and I'm so tired of it! Can we talk later? I just feel empty and kind of lost 😢"
    #expect(ch.analyze(text).wordCount == 39)  // also builds the lexicon tables once
    // Best of five rounds: the machine is shared, and other tests run in parallel.
    let clock = ContinuousClock()
    var best: (p50: Duration, p99: Duration)?
    for _ in 0..<5 {
        var samples: [Duration] = []
        for _ in 0..<200 {
            let t0 = clock.now
            let a = ch.analyze(text)
            samples.append(clock.now - t0)
            precondition(a.valence != nil)
        }
        samples.sort()
        let round = (p50: samples[samples.count / 2], p99: samples[samples.count * 99 / 100])
        if best == nil || round.p99 < best!.p99 { best = round }
    }
    let (p50, p99) = best!
    print("analyze(39 words): p50 \(p50), p99 \(p99)")
    #if DEBUG
    #expect(p50 < .milliseconds(2))
    #else
    #expect(p99 < .microseconds(100))
    #endif
}
