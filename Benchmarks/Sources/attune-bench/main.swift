// attune-bench: Attune's benchmarks in one run (see Protocols/performance.md).
//
//   attune-bench all --attune BIN --realistic F --text F --numeric F [--reps N]
//   attune-bench memory K --realistic F        (one memory measurement, in its own process)
//
// Every timing is repeated (after a warm-up run) and the median is reported.
import Attune
import BenchSupport
#if canImport(Glibc)
import Glibc
#endif

// MARK: - Small helpers

func fail(_ message: String) -> Never {
    let text = Array("attune-bench: \(message)\n".utf8)
    _ = text.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    exit(2)
}

func readFile(_ path: String) -> [UInt8] {
    guard let f = fopen(path, "rb") else { fail("cannot open \(path)") }
    defer { fclose(f) }
    fseek(f, 0, SEEK_END)
    let n = ftell(f)
    fseek(f, 0, SEEK_SET)
    var bytes = [UInt8](repeating: 0, count: n)
    let got = bytes.withUnsafeMutableBytes { fread($0.baseAddress, 1, n, f) }
    guard got == n else { fail("short read on \(path)") }
    return bytes
}

/// Line starts and lengths (without the newline).
func splitLines(_ bytes: [UInt8]) -> (starts: [Int64], lengths: [Int64]) {
    var starts: [Int64] = [], lengths: [Int64] = []
    var start = 0
    for i in bytes.indices where bytes[i] == 0x0A {
        starts.append(Int64(start))
        lengths.append(Int64(i - start))
        start = i + 1
    }
    if start < bytes.count { starts.append(Int64(start)); lengths.append(Int64(bytes.count - start)) }
    return (starts, lengths)
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

func percentile(_ sorted: [UInt64], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return 0 }
    let i = min(sorted.count - 1, Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1)
    return Double(sorted[max(0, i)])
}

func fmt(_ x: Double, _ decimals: Int = 1) -> String {
    var s = ""
    var v = x
    if v < 0 { s = "-"; v = -v }
    let scale = (0..<decimals).reduce(1.0) { a, _ in a * 10 }
    let n = (v * scale).rounded()
    let whole = Int(n / scale)
    var out = s + String(whole)
    if decimals > 0 {
        var frac = String(Int(n - Double(whole) * scale))
        while frac.count < decimals { frac = "0" + frac }
        out += "." + frac
    }
    return out
}

func grouped(_ n: Int) -> String {
    let s = String(n)
    var out = ""
    for (i, c) in s.reversed().enumerated() {
        if i > 0 && i % 3 == 0 { out.append(",") }
        out.append(c)
    }
    return String(out.reversed())
}

/// Prints rows as an aligned table (first column left, the rest right).
func table(_ header: [String], _ rows: [[String]]) {
    var widths = header.map(\.count)
    for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
    func line(_ cells: [String]) -> String {
        cells.enumerated().map { i, c in
            let pad = String(repeating: " ", count: widths[i] - c.count)
            return i == 0 ? c + pad : pad + c
        }.joined(separator: "  ")
    }
    print(line(header))
    print(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
    for r in rows { print(line(r)) }
    print("")
}

struct Arguments {
    var values: [String: String] = [:]
    var positional: [String] = []
    init(_ args: ArraySlice<String>) {
        var it = args.makeIterator()
        while let a = it.next() {
            if a.hasPrefix("--") { values[String(a.dropFirst(2))] = it.next() ?? "" } else { positional.append(a) }
        }
    }
    func required(_ key: String) -> String { values[key] ?? { fail("--\(key) is required") }() }
}

func find(_ needle: [UInt8], in hay: [UInt8]) -> Int? {
    guard hay.count >= needle.count else { return nil }
    for i in 0...(hay.count - needle.count) where hay[i] == needle[0] {
        if hay[i..<i + needle.count].elementsEqual(needle) { return i }
    }
    return nil
}

func cStrings(_ strings: [String]) -> [UnsafeMutablePointer<CChar>?] {
    var out: [UnsafeMutablePointer<CChar>?] = strings.map { s in s.withCString { strdup($0) } }
    out.append(nil)
    return out
}

// MARK: - Input mixes

struct Mix {
    var name: String
    var path: String
    var bytes: [UInt8]
    var starts: [Int64]
    var lengths: [Int64]
    var lines: Int { starts.count }

    init(name: String, path: String) {
        self.name = name
        self.path = path
        bytes = readFile(path)
        (starts, lengths) = splitLines(bytes)
    }

    func line(_ i: Int) -> String {
        String(decoding: bytes[Int(starts[i])..<Int(starts[i] + lengths[i])], as: UTF8.self)
    }

    /// The raw `"value":{...}` object of the first `limit` lines of `channel`.
    func values(of channel: String, limit: Int) -> [String] {
        var out: [String] = []
        let decoder = LineDecoder(channels: .standard(AttuneConfiguration()))
        for i in 0..<lines where out.count < limit {
            // Only lines that decode: the mixes hold some bad lines on purpose.
            guard case .success = decoder.decode(line(i)) else { continue }
            let l = Array(line(i).utf8)
            guard find(Array("\"channel\":\"\(channel)\"".utf8), in: l) != nil,
                  let r = find(Array("\"value\":".utf8), in: l) else { continue }
            out.append(String(decoding: l[(r + 8)..<(l.count - 1)], as: UTF8.self))
        }
        return out
    }
}

// MARK: - 1. json-c parse-only

func parseOnly(_ mix: Mix, reps: Int) -> (linesPerSecond: Double, linesPerCPUSecond: Double, mbPerSecond: Double, mallocsPerLine: Double) {
    var seconds: [Double] = [], cpuSeconds: [Double] = []
    var mallocsPerLine = 0.0
    mix.bytes.withUnsafeBytes { raw in
        let base = raw.baseAddress!.assumingMemoryBound(to: CChar.self)
        for rep in 0...reps {
            var checksum = 0.0
            let m0 = bench_malloc_calls()
            let t0 = bench_now_ns(), c0 = bench_thread_cpu_ns()
            let objects = bench_jsonc_parse(base, mix.starts, mix.lengths, mix.lines, &checksum)
            let t1 = bench_now_ns(), c1 = bench_thread_cpu_ns()
            if rep == 0 {
                mallocsPerLine = Double(bench_malloc_calls() - m0) / Double(mix.lines)
                precondition(objects > 0 && checksum != 0)
                continue
            }
            seconds.append(Double(t1 - t0) / 1e9)
            cpuSeconds.append(Double(c1 - c0) / 1e9)
        }
    }
    let s = median(seconds)
    return (Double(mix.lines) / s, Double(mix.lines) / median(cpuSeconds), Double(mix.bytes.count) / s / 1e6, mallocsPerLine)
}

/// One timed json-c parse-only pass over the mix (lines/s, wall), for pairing with an end-to-end run.
func parseOnce(_ mix: Mix) -> Double {
    mix.bytes.withUnsafeBytes { raw in
        var checksum = 0.0
        let t0 = bench_now_ns()
        let objects = bench_jsonc_parse(raw.baseAddress!.assumingMemoryBound(to: CChar.self), mix.starts, mix.lengths, mix.lines, &checksum)
        let t1 = bench_now_ns()
        precondition(objects > 0 && checksum != 0)
        return Double(mix.lines) / (Double(t1 - t0) / 1e9)
    }
}

// MARK: - 2. attune run, end to end

/// Runs `attune run ARGS < file > /dev/null`; wall seconds and CPU seconds (user + sys).
func runAttune(_ binary: String, _ arguments: [String], stdinPath: String) -> (wall: Double, cpu: Double) {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, stdinPath, O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    let argv = cStrings([binary] + arguments)
    defer { for p in argv { free(p) } }
    var pid: pid_t = 0
    let t0 = bench_now_ns()
    let rc = posix_spawn(&pid, binary, &actions, nil, argv, environ)
    guard rc == 0 else { fail("cannot run \(binary): \(String(cString: strerror(rc)))") }
    var status: Int32 = 0
    var usage = rusage()
    wait4(pid, &status, 0, &usage)
    let t1 = bench_now_ns()
    guard status == 0 else { fail("\(binary) \(arguments.joined(separator: " ")) exited with status \(status)") }
    let cpu = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    return (Double(t1 - t0) / 1e9, cpu)
}

/// Runs every thread count in turn, repetition by repetition, so that load from elsewhere on a
/// shared machine falls on all of them alike. Median and best (least disturbed) per thread count.
/// Each repetition also times one json-c parse-only pass of the mix just before its runs: the
/// `paired` share is the median over repetitions of end-to-end rate / that pass's rate, so a slow
/// minute on the host moves both sides of the ratio (section 1's rate is measured minutes earlier).
func endToEnd(_ binary: String, _ mix: Mix, emit: String, threads: [Int], reps: Int)
    -> [Int: (median: Double, best: Double, cpu: Double, paired: Double)] {
    var walls: [Int: [Double]] = [:], cpus: [Int: [Double]] = [:], shares: [Int: [Double]] = [:]
    for rep in 0...reps {
        let parseRate = parseOnce(mix)
        for t in threads {
            let r = runAttune(binary, ["run", "--emit", emit, "--threads", "\(t)"], stdinPath: mix.path)
            if rep == 0 { continue }
            walls[t, default: []].append(r.wall)
            cpus[t, default: []].append(r.cpu)
            shares[t, default: []].append(Double(mix.lines) / r.wall / parseRate)
        }
    }
    var out: [Int: (median: Double, best: Double, cpu: Double, paired: Double)] = [:]
    for t in threads {
        out[t] = (Double(mix.lines) / median(walls[t]!), Double(mix.lines) / walls[t]!.min()!, median(cpus[t]!), median(shares[t]!))
    }
    return out
}

// MARK: - 3. Per-event latency, in process

/// Lines built ahead of time in one buffer, so building them is not measured.
struct LineSet {
    var bytes: [UInt8] = []
    var spans: [(Int, Int)] = []
    mutating func add(_ s: String) {
        let start = bytes.count
        bytes.append(contentsOf: s.utf8)
        spans.append((start, bytes.count - start))
    }
}

func engine(emit: EmitPolicy, idleEvents: Int? = nil) -> StandardEngine {
    var configuration = AttuneConfiguration()
    configuration.bus.emit = emit
    if let idleEvents { configuration.bus.idleEvents = idleEvents }
    return StandardEngine(configuration: configuration, channels: .standard(configuration))
}

/// Forty words from the texts of the text mix.
func fortyWordTexts(_ mix: Mix, count: Int) -> [String] {
    var words: [Substring] = []
    for v in mix.values(of: "text", limit: 4000) {
        guard let text = (try? JSONValue.parse(v))?["text"]?.string else { continue }
        words += text.split(separator: " ").map { Substring($0) }
    }
    precondition(words.count >= 40)
    var out: [String] = []
    var i = 0
    while out.count < count {
        var w: [Substring] = []
        for _ in 0..<40 { w.append(words[i % words.count]); i += 1 }
        out.append(JSONValue.object(JSONObject(["text": .string(w.joined(separator: " "))])).jsonText)
    }
    return out
}

struct LatencyResult {
    var kind: String
    var events: Int
    var p50, p99, p999, max: Double   // microseconds, wall clock
    var cpuP50, cpuP99, cpuP999: Double   // microseconds, this thread's CPU time (preemption not counted)
    var mallocsPerEvent: Double
}

func latency(realistic: Mix, text: Mix) -> [LatencyResult] {
    let sessions = 200
    let voice = realistic.values(of: "voice", limit: 5000)
    let posture = realistic.values(of: "posture", limit: 5000)
    let text40 = fortyWordTexts(text, count: 2000)
    let shortText = text.values(of: "text", limit: 2000)
    var clocks = [Double](repeating: 0, count: sessions)
    var n = 0
    func line(_ kind: String, _ value: String, source: String = "other") -> String {
        let s = n % sessions
        n += 1
        clocks[s] += 0.25
        return "{\"t\":\(fmt(clocks[s], 3)),\"session\":\"lat-\(s)\",\"source\":\"\(source)\",\"channel\":\"\(kind)\",\"value\":\(value)}"
    }
    // Warm-up: every session gets history on every channel from both people.
    var warm = LineSet()
    for i in 0..<(sessions * 40) {
        switch i % 8 {
        case 0, 1, 2: warm.add(line("voice", voice[i % voice.count]))
        case 3: warm.add(line("voice", voice[(i + 7) % voice.count], source: "self"))
        case 4: warm.add(line("posture", posture[i % posture.count]))
        case 5: warm.add(line("posture", posture[(i + 3) % posture.count], source: "self"))
        case 6: warm.add(line("text", shortText[i % shortText.count]))
        default: warm.add(line("text", shortText[(i + 5) % shortText.count], source: "self"))
        }
    }
    let plans: [(String, Int, (Int) -> String)] = [
        ("voice", 100_000, { line("voice", voice[$0 % voice.count]) }),
        ("posture", 100_000, { line("posture", posture[$0 % posture.count]) }),
        ("text, 40 words", 20_000, { line("text", text40[$0 % text40.count]) }),
    ]
    var results: [LatencyResult] = []
    let devNull = open("/dev/null", O_WRONLY)
    for (kind, count, make) in plans {
        var e = engine(emit: .every)
        var adapter = JSONLinesAdapter(sink: ByteSink(.fileDescriptor(devNull)))
        warm.bytes.withUnsafeBytes { raw in
            for (start, length) in warm.spans {
                e.ingest(line: UnsafeRawBufferPointer(rebasing: raw[start..<start + length]))
                try! e.drain { try adapter.write($0) }
            }
        }
        var set = LineSet()
        for i in 0..<count { set.add(make(i)) }
        var samples = [UInt64](repeating: 0, count: count)
        var cpuSamples = [UInt64](repeating: 0, count: count)
        var produced = 0
        let m0 = bench_malloc_calls()
        set.bytes.withUnsafeBytes { raw in
            for i in 0..<count {
                let (start, length) = set.spans[i]
                // The thread CPU clock is a system call (about a microsecond here), the wall clock
                // is not: read the CPU clock outside the wall-clock interval, not inside it.
                let c0 = bench_thread_cpu_ns(), t0 = bench_now_ns()
                e.ingest(line: UnsafeRawBufferPointer(rebasing: raw[start..<start + length]))
                try! e.drain { try adapter.write($0); produced += 1 }
                let t1 = bench_now_ns(), c1 = bench_thread_cpu_ns()
                samples[i] = t1 - t0
                cpuSamples[i] = c1 - c0
            }
        }
        cpuSamples.sort()
        let mallocs = Double(bench_malloc_calls() - m0) / Double(count)
        if produced != count {
            let first = String(decoding: set.bytes[set.spans[0].0..<set.spans[0].0 + set.spans[0].1], as: UTF8.self)
            fail("\(kind): \(produced) recommendations for \(count) events (\(e.counts.rejected) rejected); first line: \(first); \(String(describing: engineDecode(first)))")
        }
        samples.sort()
        results.append(LatencyResult(kind: kind, events: count, p50: percentile(samples, 50) / 1000, p99: percentile(samples, 99) / 1000,
                                     p999: percentile(samples, 99.9) / 1000, max: Double(samples.last!) / 1000,
                                     cpuP50: percentile(cpuSamples, 50) / 1000, cpuP99: percentile(cpuSamples, 99) / 1000,
                                     cpuP999: percentile(cpuSamples, 99.9) / 1000, mallocsPerEvent: mallocs))
    }
    close(devNull)
    return results
}

/// Mallocs per line of the realistic mix: decoding alone, and the whole ingest with each emit policy.
func mallocProfile(_ mix: Mix, lines: Int) -> [(String, Double)] {
    let count = min(lines, mix.lines)
    var out: [(String, Double)] = []
    mix.bytes.withUnsafeBytes { raw in
        func span(_ i: Int) -> UnsafeRawBufferPointer {
            UnsafeRawBufferPointer(rebasing: raw[Int(mix.starts[i])..<Int(mix.starts[i] + mix.lengths[i])])
        }
        let configuration = AttuneConfiguration()
        let decoder = LineDecoder(channels: .standard(configuration), limits: configuration.bus.limits)
        _ = decoder.decode(span(0), line: 1)
        var m0 = bench_malloc_calls()
        for i in 0..<count { _ = decoder.decode(span(i), line: i + 1) }
        out.append(("decode (json-c + Swift values)", Double(bench_malloc_calls() - m0) / Double(count)))
        for emit in [EmitPolicy.change, .every] {
            var e = engine(emit: emit)
            var adapter = JSONLinesAdapter(sink: ByteSink(.fileDescriptor(open("/dev/null", O_WRONLY))))
            // First half warms sessions and buffers up; the second half is counted.
            for i in 0..<count / 2 { e.ingest(line: span(i)); try! e.drain { try adapter.write($0) } }
            m0 = bench_malloc_calls()
            for i in count / 2..<count { e.ingest(line: span(i)); try! e.drain { try adapter.write($0) } }
            out.append(("ingest + apply + JSON out, --emit \(emit.rawValue)", Double(bench_malloc_calls() - m0) / Double(count - count / 2)))
        }
    }
    return out
}

// MARK: - 4. Memory per session (one process per size)

func memory(sessions k: Int, realistic: Mix, text: Mix) {
    let voice = realistic.values(of: "voice", limit: 1000)
    let posture = realistic.values(of: "posture", limit: 1000)
    let texts = text.values(of: "text", limit: 1000)
    // Every session must stay open: a session's events here are k events apart, which at
    // 100,000 sessions is the default idle limit (`bus.idleEvents`), so eviction is off.
    var e = engine(emit: .change, idleEvents: 0)
    // Load the lexicons and tables before the baseline.
    e.ingest(line: "{\"t\":0,\"session\":\"warm\",\"channel\":\"text\",\"value\":{\"text\":\"I feel fine\"}}")
    e.ingest(line: "{\"t\":0,\"session\":\"warm\",\"channel\":\"voice\",\"value\":\(voice[0])}")
    e.ingest(line: "{\"t\":0,\"session\":\"warm\",\"channel\":\"posture\",\"value\":\(posture[0])}")
    _ = e.drain()
    let heap0 = bench_heap_in_use()
    // Ten events per session, every plugin slot used by both people.
    let plan: [(String, String)] = [("voice", "other"), ("voice", "self"), ("posture", "other"), ("posture", "self"),
                                    ("text", "other"), ("text", "self"), ("voice", "other"), ("voice", "other"),
                                    ("posture", "other"), ("text", "other")]
    for (step, (channel, source)) in plan.enumerated() {
        for s in 0..<k {
            let value = channel == "voice" ? voice[(s + step) % voice.count]
                : channel == "posture" ? posture[(s + step) % posture.count] : texts[(s + step) % texts.count]
            e.ingest(line: "{\"t\":\(step),\"session\":\"session-\(s)\",\"source\":\"\(source)\",\"channel\":\"\(channel)\",\"value\":\(value)}")
            // As `attune run` does, after every line: held for a whole step, the recommendations
            // of 100,000 sessions (each with a copy of its state) made the peak, not the sessions.
            _ = e.drain()
        }
    }
    let heap1 = bench_heap_in_use()
    precondition(e.bus.openSessions == k + 1)
    print("\(k) \(Double(Int64(heap1) - Int64(heap0)) / Double(k)) \(bench_peak_rss_kib()) \(bench_rss_kib())")
}

func memoryInChild(sessions: Int, realistic: String, text: String) -> (perSession: Double, peakKiB: Double) {
    var fds: [Int32] = [0, 0]
    pipe(&fds)
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
    posix_spawn_file_actions_addclose(&actions, fds[0])
    let me = CommandLine.arguments[0].contains("/") ? CommandLine.arguments[0] : "/proc/self/exe"
    let argv = cStrings([me, "memory", "\(sessions)", "--realistic", realistic, "--text", text])
    defer { for p in argv { free(p) } }
    var pid: pid_t = 0
    guard posix_spawn(&pid, "/proc/self/exe", &actions, nil, argv, environ) == 0 else { fail("cannot spawn myself") }
    close(fds[1])
    var output: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 4096)
    while true {
        let n = buf.withUnsafeMutableBytes { read(fds[0], $0.baseAddress, 4096) }
        if n <= 0 { break }
        output += buf[0..<n]
    }
    close(fds[0])
    var status: Int32 = 0
    waitpid(pid, &status, 0)
    let parts = String(decoding: output, as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\n" })
    guard parts.count >= 3, let per = Double(parts[1]), let peak = Double(parts[2]) else { fail("memory \(sessions): bad output") }
    return (per, peak)
}

func engineDecode(_ line: String) -> Result<InputEvent, LineError> {
    LineDecoder(channels: .standard(AttuneConfiguration())).decode(line)
}

// MARK: - Main

let args = Arguments(CommandLine.arguments.dropFirst())
switch args.positional.first {
case "memory":
    guard args.positional.count > 1, let k = Int(args.positional[1]) else { fail("memory K") }
    memory(sessions: k, realistic: Mix(name: "realistic", path: args.required("realistic")), text: Mix(name: "text", path: args.required("text")))

case "sizes":
    // Inline sizes of the public value types a session holds (bytes).
    print("Recommendation \(MemoryLayout<Recommendation>.size), FusedState \(MemoryLayout<FusedState>.size), TrackSnapshot \(MemoryLayout<TrackSnapshot>.size), Decision \(MemoryLayout<Decision>.size), TagLevel \(MemoryLayout<TagLevel>.size), InputEvent \(MemoryLayout<InputEvent>.size), Cue \(MemoryLayout<Cue>.size), VoiceChannel.State \(MemoryLayout<VoiceChannel.State>.size), VoiceChannel \(MemoryLayout<VoiceChannel>.size), TextChannel \(MemoryLayout<TextChannel>.size), PostureChannel \(MemoryLayout<PostureChannel>.size), PostureChannel.State \(MemoryLayout<PostureChannel.State>.size), RunningBaseline \(MemoryLayout<RunningBaseline>.size)")


case "latency":
    // Section 3 alone, for quick checks between optimisation steps.
    let rows = latency(realistic: Mix(name: "realistic", path: args.required("realistic")),
                       text: Mix(name: "text", path: args.required("text"))).map {
        [$0.kind, grouped($0.events), fmt($0.p50, 2), fmt($0.p99, 2), fmt($0.p999, 2), fmt($0.max, 1),
         fmt($0.cpuP50, 2), fmt($0.cpuP99, 2), fmt($0.cpuP999, 2), fmt($0.mallocsPerEvent, 1)]
    }
    table(["cue", "events", "p50 µs", "p99 µs", "p99.9 µs", "max µs", "CPU p50", "CPU p99", "CPU p99.9", "mallocs/event"], rows)

case "all":
    let binary = args.required("attune")
    let reps = Int(args.values["reps"] ?? "5") ?? 5
    let threadsList = (args.values["threads"] ?? "1,2").split(separator: ",").compactMap { Int($0) }
    let mixes = [Mix(name: "realistic", path: args.required("realistic")),
                 Mix(name: "text only", path: args.required("text")),
                 Mix(name: "numeric only", path: args.required("numeric"))]
    print("# Attune benchmarks")
    print("reps: \(reps) timed runs after one warm-up, medians; load average at start: \(loadAverage())")
    print("")

    print("## 1. json-c parse-only (C loop: one reused tokener, json_tokener_parse_ex on pointer+length, read t, channel, a number)")
    var parseRates: [String: Double] = [:], parseCPURates: [String: Double] = [:], parseMallocs: [String: Double] = [:]
    var rows: [[String]] = []
    for m in mixes {
        let r = parseOnly(m, reps: reps)
        parseRates[m.name] = r.linesPerSecond
        parseCPURates[m.name] = r.linesPerCPUSecond
        parseMallocs[m.name] = r.mallocsPerLine
        rows.append([m.name, grouped(m.lines), fmt(Double(m.bytes.count) / Double(m.lines), 0), grouped(Int(r.linesPerSecond)),
                     grouped(Int(r.linesPerCPUSecond)), fmt(r.mbPerSecond), fmt(r.mallocsPerLine)])
    }
    table(["mix", "lines", "bytes/line", "lines/s (wall)", "lines per CPU-s", "MB/s (wall)", "mallocs/line"], rows)

    print("## 2. attune run end to end (release binary, stdin from a file, stdout to /dev/null)")
    print("Rates by wall time; 'per CPU-s' divides by the process's user+sys time instead, which other")
    print("load on the machine inflates less. Fractions: of the parse-only rate measured the same way;")
    print("'paired': median over repetitions of the rate / a parse-only pass timed just before it.")
    rows = []
    for m in mixes {
        for emit in ["change", "every"] {
            let results = endToEnd(binary, m, emit: emit, threads: threadsList, reps: reps)
            let single = results[1]
            for t in threadsList {
                let r = results[t]!
                let speedup = single.map { fmt(r.median / $0.median, 2) + "x / " + fmt(r.best / $0.best, 2) + "x" } ?? "-"
                let perCPU = Double(m.lines) / r.cpu
                rows.append([m.name, emit, "\(t)", grouped(Int(r.median)), grouped(Int(r.best)),
                             fmt(Double(m.bytes.count) / Double(m.lines) * r.median / 1e6),
                             fmt(100 * r.median / parseRates[m.name]!) + " %", fmt(100 * r.paired) + " %", speedup,
                             grouped(Int(perCPU)), fmt(100 * perCPU / parseCPURates[m.name]!) + " %"])
            }
        }
    }
    table(["mix", "--emit", "threads", "lines/s", "best lines/s", "MB/s", "of parse-only", "paired", "vs 1 thread (median / best)",
           "lines per CPU-s", "of parse-only (CPU)"], rows)
    print("load average now: \(loadAverage())")
    print("")

    print("## 3. Per-event latency in process, ingest to recommendation (--emit every, JSON written to a buffer; 200 warm sessions)")
    let realistic = mixes[0], text = mixes[1]
    rows = latency(realistic: realistic, text: text).map {
        [$0.kind, grouped($0.events), fmt($0.p50, 2), fmt($0.p99, 2), fmt($0.p999, 2), fmt($0.max, 1),
         fmt($0.cpuP50, 2), fmt($0.cpuP99, 2), fmt($0.cpuP999, 2), fmt($0.mallocsPerEvent, 1)]
    }
    table(["cue", "events", "p50 µs", "p99 µs", "p99.9 µs", "max µs", "CPU p50", "CPU p99", "CPU p99.9", "mallocs/event"], rows)
    print("Wall-clock percentiles include time the thread was preempted; the CPU columns (CLOCK_THREAD_CPUTIME_ID,")
    print("a system call, read just outside the wall-clock interval) do not. On a quiet machine the two agree.")
    print("")

    print("## Mallocs per line, realistic mix (steady state)")
    rows = mallocProfile(realistic, lines: 200_000).map { [$0.0, fmt($0.1, 1)] }
    rows.insert(["json-c parse alone (section 1)", fmt(parseMallocs[realistic.name]!, 1)], at: 0)
    table(["stage", "mallocs/line"], rows)

    print("## 4. Memory (each size in its own process; 10 events per session on every channel from both people)")
    rows = []
    for k in [1, 1_000, 100_000] {
        let r = memoryInChild(sessions: k, realistic: realistic.path, text: text.path)
        // One session is below the heap's noise (the warm-up's buffers are freed meanwhile).
        rows.append([grouped(k), k < 100 ? "-" : fmt(r.perSession / 1024, 2), fmt(r.peakKiB / 1024, 1)])
    }
    table(["sessions", "KiB/session (heap)", "peak RSS MiB"], rows)

default:
    fail("usage: attune-bench all --attune BIN --realistic F --text F --numeric F [--reps N] [--threads 1,2] | latency --realistic F --text F | memory K --realistic F --text F")
}

func loadAverage() -> String {
    var loads = [Double](repeating: 0, count: 3)
    getloadavg(&loads, 3)
    return loads.map { fmt($0, 2) }.joined(separator: " ")
}
