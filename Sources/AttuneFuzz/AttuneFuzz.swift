// libFuzzer target over the line decoder and the whole ingest path.
//
// NOT part of Package.swift: `-sanitize=fuzzer` brings its own `main`, which
// would clash with the test runner and the `attune` executable. Tests/scripts/fuzz.sh
// compiles this file together with the library modules into .build-fuzz/.
//
// One fuzz input is a small stream: the first byte picks the run's options
// (emit policy, max lateness, whether to idle-evict sessions), the rest is split at
// `\n` into lines. Each line goes through a standalone LineDecoder and through
// Engine.ingest (decode, route, every standard channel, fusion, policy); every
// recommendation is written by the JSON-lines, CSV, tty and EmotionML adapters.
// The target checks invariants that must hold for ANY input, and traps
// (which libFuzzer reports as a crash, with the input saved) when one fails:
//   - decoding never crashes, and the engine agrees with the standalone decoder;
//   - read == accepted + rejected, and rejections match the decoder's verdicts;
//   - every JSON output line parses back with json-c as one object;
//   - the run is deterministic: feeding the same lines again gives the same bytes.
import Attune

private let options: [(EmitPolicy, Double)] = [
    (.every, 0.5), (.change, 0.5), (.final, 0.5), (.every, 0), (.change, 0), (.every, 30),
]

private func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("invariant broken: \(message())") }
}

/// Runs one stream; returns every byte the JSON-lines adapter wrote plus the counts.
private func runStream(_ lines: [ArraySlice<UInt8>], configuration: AttuneConfiguration,
                       channels: ChannelRegistry) -> ([UInt8], RunCounts) {
    var engine = StandardEngine(configuration: configuration, channels: channels)
    let decoder = LineDecoder(channels: channels, limits: configuration.bus.limits)
    let jsonSink = ByteSink.memory()
    var adapters = FanOutAdapter([
        JSONLinesAdapter(sink: jsonSink),
        OutputFormat.csv.makeAdapter(sink: ByteSink.memory()),
        OutputFormat.tty.makeAdapter(sink: ByteSink.memory()),
        OutputFormat.emotionml.makeAdapter(sink: ByteSink.memory()),
    ])
    var rejected = 0
    for (i, line) in lines.enumerated() {
        let expected = line.withUnsafeBytes { decoder.decode($0, line: i + 1) }
        let got = line.withUnsafeBytes { engine.ingest(line: $0) }
        switch (expected, got) {
        case (.success, .success): break
        case (.failure(let a), .failure(let b)):
            rejected += 1
            check(a == b, "engine and decoder disagree on line \(i + 1): \(a) vs \(b)")
            check(!a.message.isEmpty, "empty error message")
        default:
            check(false, "engine and decoder disagree on line \(i + 1)")
        }
        do { try engine.drain { try adapters.write($0) } } catch { check(false, "adapter threw \(error)") }
        _ = engine.drainWarnings()
    }
    engine.finish()
    do {
        try engine.drain { try adapters.write($0) }
        try adapters.finish(engine.counts)
        try jsonSink.flush()
    } catch { check(false, "adapter threw \(error)") }
    let c = engine.counts
    check(c.read == lines.count, "read \(c.read) of \(lines.count) lines")
    check(c.read == c.accepted + c.rejected, "read \(c.read) != accepted \(c.accepted) + rejected \(c.rejected)")
    check(c.rejected == rejected, "rejected \(c.rejected), decoder rejected \(rejected)")
    return (jsonSink.written, c)
}

private let standardChannels = ChannelRegistry.standard

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 0 else { return 0 }
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let pick = Int(bytes[0])
    var configuration = AttuneConfiguration()
    let (emit, lateness) = options[pick % options.count]
    configuration.bus.emit = emit
    configuration.bus.maxLateness = lateness
    let lines = Array(bytes[1...]).split(separator: 0x0A, omittingEmptySubsequences: false)

    let (out, counts) = runStream(lines, configuration: configuration, channels: standardChannels)
    // Each output line is one JSON object that json-c reads back.
    var emitted = 0
    for line in out.split(separator: 0x0A) {
        emitted += 1
        let text = String(decoding: line, as: UTF8.self)
        guard let value = try? JSONValue.parse(text), value.object != nil else {
            fatalError("output line does not parse back: \(text)")
        }
    }
    check(emitted == counts.emitted, "wrote \(emitted) lines, counted \(counts.emitted)")
    // Same input, same bytes (no hashing order, no clocks).
    if pick & 0x80 != 0 {
        let (again, _) = runStream(lines, configuration: configuration, channels: standardChannels)
        check(again == out, "second run differs")
    }
    return 0
}
