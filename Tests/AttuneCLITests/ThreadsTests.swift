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
        var description: String { name }
    }

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
        ]
    }()

    @Test(arguments: cases)
    func outputIsTheSameForAnyNumberOfThreads(_ c: Case) throws {
        var runs: [(threads: Int, status: Int32, stdout: Data, stderr: String, rejects: Data)] = []
        let inputFile = FileManager.default.temporaryDirectory.appendingPathComponent("attune-threads-in-\(getpid()).jsonl")
        defer { try? FileManager.default.removeItem(at: inputFile) }
        if c.fromFile { try c.input.write(to: inputFile) }
        for threads in [1, 2, 4] {
            let rejects = FileManager.default.temporaryDirectory.appendingPathComponent("attune-threads-\(getpid())-\(threads).jsonl")
            defer { try? FileManager.default.removeItem(at: rejects) }
            let r = c.fromFile
                ? try attune(["run", "--threads", "\(threads)", "--rejects", rejects.path] + c.arguments + [inputFile.path])
                : try attune(["run", "--threads", "\(threads)", "--rejects", rejects.path] + c.arguments, input: c.input)
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
