#if canImport(Glibc)
import Glibc
#endif
import AttuneCore
import Testing
import TextChannel

/// Nanoseconds of CPU time this thread has used: unlike a wall clock it does
/// not count the time the thread was descheduled, which on a shared machine
/// running tests in parallel dominates any tail percentile.
private func threadCPUTimeNanos() -> Int {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return ts.tv_sec * 1_000_000_000 + ts.tv_nsec
}

/// Per-utterance cost. The target (p99 well under 100 µs for a 40-word text)
/// is for release builds: `swift test -c release --filter analysisIsFast`.
/// Debug builds are ~5-10x slower, so there the bound (on the median) only catches gross regressions.
@Test func analysisIsFast() {
    let ch = TextChannel(configuration: .init())
    let text = "I really don't want to get into this right now, honestly. My brother wrecked my car and didn't even say sorry, "
        + "and I'm so tired of it! Can we talk later? I just feel empty and kind of lost 😢"
    #expect(ch.analyze(text).wordCount == 39)  // also builds the lexicon tables once
    var samples: [Int] = []
    for _ in 0..<1000 {
        let t0 = threadCPUTimeNanos()
        let a = ch.analyze(text)
        samples.append(threadCPUTimeNanos() - t0)
        precondition(a.valence != nil)
    }
    samples.sort()
    let p50 = samples[samples.count / 2], p99 = samples[samples.count * 99 / 100]
    print("analyze(39 words), thread CPU time: p50 \(p50 / 1000) µs, p99 \(p99 / 1000) µs, max \(samples.last! / 1000) µs")
    #if DEBUG
    #expect(p50 < 2_000_000)
    #else
    #expect(p99 < 100_000)
    #endif
}
