import AttuneCore
import Foundation
import Testing

/// `attune run --threads N` writes the same bytes as one thread: recommendations,
/// rejects, diagnostics and the summary line, for any N.
@Suite(.serialized) struct ThreadsTests {
    struct Case: CustomStringConvertible, Sendable {
        var name: String
        var arguments: [String]
        var input: Data
        /// From a file (read in 1 MiB batches) rather than a pipe (64 KiB at a time).
        var fromFile = false
        /// Files written next to the input; an argument `@name` stands for the file's path.
        var files: [String: String] = [:]
        var description: String { name }
    }

    static func idle(_ events: Int) -> String { #"{"bus":{"idleEvents":\#(events)}}"# }
    /// "furious" made pleasant: changes the text channel's readings of one of the generated utterances.
    static let lexicon = "# word\tvalence\tarousal\nfurious\t0.9\t-0.5\nempty\t0.8\t0.1\n"

    static let cases: [Case] = {
        let example = (try? Data(contentsOf: repoRoot.appendingPathComponent("Examples/streams/two-rooms.jsonl"))) ?? Data()
        let generated = Data(generatedStream(lines: 4000, sessions: 37).utf8)
        return [
            Case(name: "two-rooms every", arguments: ["--emit", "every"], input: example),
            Case(name: "two-rooms change", arguments: [], input: example),
            Case(name: "generated every", arguments: ["--emit", "every"], input: generated),
            Case(name: "generated change", arguments: [], input: generated),
            Case(name: "generated every, from a file", arguments: ["--emit", "every"], input: generated, fromFile: true),
            Case(name: "generated final csv", arguments: ["--emit", "final", "--format", "csv"], input: generated),
            // From a file: attune stops reading at the bad line, and a pipe writer would get SIGPIPE.
            Case(name: "generated strict", arguments: ["--strict", "--emit", "every"], input: generated, fromFile: true),
            // Idle sessions closed after 40 (3) events of the whole input: every thread must close
            // the same sessions at the same lines as one thread; 3 closes several at once after `end`.
            Case(name: "generated idle 40 every", arguments: ["--emit", "every", "--config", "@idle.json"], input: generated,
                 files: ["idle.json": idle(40)]),
            Case(name: "generated idle 3 final csv", arguments: ["--emit", "final", "--format", "csv", "--config", "@idle.json"],
                 input: generated, files: ["idle.json": idle(3)]),
            Case(name: "generated idle 7 change, feedback summary", arguments: ["--feedback-summary", "--config", "@idle.json"],
                 input: generated, files: ["idle.json": idle(7)]),
            Case(name: "generated feedback summary every", arguments: ["--feedback-summary", "--emit", "every"], input: generated),
            Case(name: "generated lexicon every", arguments: ["--emit", "every", "--lexicon", "@words.tsv"], input: generated,
                 files: ["words.tsv": lexicon]),
            // Over 1,000 distinct warnings: the cap message at the same line, the same ones printed.
            Case(name: "warning cap", arguments: [], input: Data(unknownLabels(lines: 3000, sessions: 40).utf8)),
            // An exec plugin is one process: --threads falls back to one thread.
            Case(name: "exec plugin", arguments: ["--emit", "every", "--plugin-timeout", "10",
                                                  "--plugin", "physio=python3 Examples/python/physio_plugin.py"],
                 input: (try? Data(contentsOf: repoRoot.appendingPathComponent("Examples/physio-plugin/sample.jsonl"))) ?? Data()),
        ]
    }()

    @Test(arguments: cases)
    func outputIsTheSameForAnyNumberOfThreads(_ c: Case) throws {
        var runs: [(threads: Int, status: Int32, stdout: Data, stderr: String, rejects: Data)] = []
        let inputFile = FileManager.default.temporaryDirectory.appendingPathComponent("attune-threads-in-\(getpid()).jsonl")
        defer { try? FileManager.default.removeItem(at: inputFile) }
        if c.fromFile { try c.input.write(to: inputFile) }
        var arguments = c.arguments
        for (name, text) in c.files {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("attune-threads-\(getpid())-\(name)")
            try Data(text.utf8).write(to: url)
            arguments = arguments.map { $0 == "@" + name ? url.path : $0 }
        }
        defer {
            for name in c.files.keys {
                try? FileManager.default.removeItem(at: FileManager.default.temporaryDirectory.appendingPathComponent("attune-threads-\(getpid())-\(name)"))
            }
        }
        for threads in [1, 2, 4] {
            let rejects = FileManager.default.temporaryDirectory.appendingPathComponent("attune-threads-\(getpid())-\(threads).jsonl")
            defer { try? FileManager.default.removeItem(at: rejects) }
            let r = c.fromFile
                ? try attune(["run", "--threads", "\(threads)", "--rejects", rejects.path] + arguments + [inputFile.path])
                : try attune(["run", "--threads", "\(threads)", "--rejects", rejects.path] + arguments, input: c.input)
            runs.append((threads, r.status, r.stdout, r.stderr, (try? Data(contentsOf: rejects)) ?? Data()))
        }
        let one = runs[0]
        #expect(!one.stdout.isEmpty, "no output: the comparison would be empty")
        #expect(one.stderr.contains(" lines read, "), "\(one.stderr)")
        for r in runs.dropFirst() {
            #expect(r.status == one.status, "threads \(r.threads): status")
            #expect(r.stdout == one.stdout, "threads \(r.threads): output differs from one thread")
            #expect(r.stderr == one.stderr, "threads \(r.threads): diagnostics differ:\n\(r.stderr)\nvs\n\(one.stderr)")
            #expect(r.rejects == one.rejects, "threads \(r.threads): rejects differ")
        }
    }

    /// The cases above compare threads with one thread; these check that the features they
    /// exercise did something (else the comparison would prove little).
    @Test func theFeaturesTheCasesCompareAreExercised() throws {
        let generated = generatedStream(lines: 4000, sessions: 37)
        let dir = FileManager.default.temporaryDirectory
        let idle = dir.appendingPathComponent("attune-threads-check-\(getpid())-idle.json")
        let words = dir.appendingPathComponent("attune-threads-check-\(getpid())-words.tsv")
        defer { try? FileManager.default.removeItem(at: idle); try? FileManager.default.removeItem(at: words) }
        try Data(Self.idle(3).utf8).write(to: idle)
        try Data(Self.lexicon.utf8).write(to: words)
        let evicting = try attune(["run", "--threads", "2", "--config", idle.path], input: generated)
        #expect(evicting.stderr.contains(" closed idle"), "\(evicting.stderr)")
        let feedback = try attune(["run", "--threads", "2", "--feedback-summary"], input: generated)
        #expect(feedback.stderr.contains("attune: feedback: session s"), "\(feedback.stderr)")
        let plain = try attune(["run", "--threads", "2", "--emit", "every"], input: generated)
        let lexicon = try attune(["run", "--threads", "2", "--emit", "every", "--lexicon", words.path], input: generated)
        #expect(plain.stdout != lexicon.stdout, "the user lexicon changed nothing under --threads 2")
        let capped = try attune(["run", "--threads", "2"], input: unknownLabels(lines: 3000, sessions: 40))
        #expect(capped.stderr.contains("more than 1000 distinct warnings"), "\(capped.stderr.suffix(500))")
    }

    @Test func generatedStreamExercisesRejectsLateEventsAndManySessions() throws {
        let r = try attune(["run", "--threads", "1"], input: generatedStream(lines: 4000, sessions: 37))
        let summary = r.stderr.split(separator: "\n").last.map(String.init) ?? ""
        #expect(!summary.contains(" 0 rejected"), "\(summary)")
        #expect(!summary.contains(" 0 late"), "\(summary)")
        #expect(summary.contains("sessions"), "\(summary)")
        #expect(r.stderr.contains("unknown channel"))
    }
}

/// A deterministic mixed stream: interleaved sessions (some ended and reopened),
/// voice, posture and text from both people, ticks, events out of order (some
/// beyond the lateness window), and bad lines of every kind.
func generatedStream(lines: Int, sessions: Int) -> String {
    var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next() -> UInt64 {
        seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return seed >> 33
    }
    func pick<T>(_ xs: [T]) -> T { xs[Int(next() % UInt64(xs.count))] }
    let texts = ["I'm fine, really.", "Please just leave me alone for a bit.", "That made me so happy!",
                 "My manager yelled at me in front of everyone and I am furious.", "I just feel empty.",
                 "Can we talk now? I need to get this off my chest.", "ok.", "I'm worried it's something serious."]
    let labels = ["crying", "arms_crossed", "lean_forward", "turned_away", "smiling", "head_down", "fidgeting", "nodding"]
    var clock = [Double](repeating: 0, count: sessions)
    var out = ""
    for n in 0..<lines {
        let s = Int(next() % UInt64(sessions))
        clock[s] += Double(next() % 600) / 1000 + 0.05
        var t = clock[s]
        let roll = next() % 1000
        if roll < 40 { t = max(0, t - Double(next() % 2000) / 1000) }   // out of order, sometimes too late
        let ts = String(format: "%.3f", t)
        let session = "s\(s)"
        let source = next() % 3 == 0 ? "self" : "other"
        switch next() % 100 {
        case 0: out += "{\"t\":\(ts),\"session\":\"\(session)\",\"channel\":\"voice\",\"value\":{\"f0_mean_hz\":\n"  // truncated
        case 1: out += "\n"
        case 2: out += "{\"t\":\(ts),\"session\":\"\(session)\",\"channel\":\"smell\",\"value\":{}}\n"
        case 3: out += "{\"t\":\(ts),\"session\":\"\(session)\",\"channel\":\"posture\",\"value\":{\"label\":\"crying\",\"confidence\":3}}\n"
        case 4: out += "{\"t\":\(ts),\"session\":\"\(session)\",\"control\":\"end\"}\n"
        case 5: out += "{\"t\":\(ts),\"session\":\"\(session)\",\"control\":\"tick\"}\n"
        case 6: out += "{\"t\":\(ts),\"session\":\"\(session)\",\"channel\":\"voice\",\"value\":{\"f0_mean_hz\":180,\"bogus_feature\":1}}\n"
        case 7..<60:
            out += "{\"t\":\(ts),\"session\":\"\(session)\",\"source\":\"\(source)\",\"channel\":\"voice\",\"value\":{\"f0_mean_hz\":\(150 + next() % 100),\"loudness_db\":-\(20 + next() % 12),\"speech_rate_sps\":\(3 + next() % 3).\(next() % 10),\"pause_ratio\":0.\(10 + next() % 40)}}\n"
        case 60..<80:
            out += "{\"t\":\(ts),\"session\":\"\(session)\",\"source\":\"\(source)\",\"channel\":\"text\",\"value\":{\"text\":\"\(pick(texts))\"}}\n"
        default:
            let end = next() % 4 == 0 ? ",\"end\":\(String(format: "%.2f", t + Double(next() % 8)))" : ""
            out += "{\"t\":\(ts),\"session\":\"\(session)\",\"source\":\"\(source)\",\"channel\":\"posture\",\"value\":{\"label\":\"\(pick(labels))\",\"confidence\":0.\(5 + next() % 5)\(end)}}\n"
        }
        _ = n
    }
    return out
}

/// Posture cues with many distinct unknown labels (each warned about once per session and person).
func unknownLabels(lines: Int, sessions: Int) -> String {
    var seed: UInt64 = 42
    func next() -> UInt64 {
        seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return seed >> 33
    }
    var out = ""
    for n in 0..<lines {
        let source = next() % 2 == 0 ? "self" : "other"
        out += "{\"t\":\(n),\"session\":\"u\(next() % UInt64(sessions))\",\"source\":\"\(source)\",\"channel\":\"posture\",\"value\":{\"label\":\"odd_\(next() % 1500)\"}}\n"
    }
    return out
}
