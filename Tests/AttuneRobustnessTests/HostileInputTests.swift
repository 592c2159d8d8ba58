import Foundation
import Testing

/// Hostile input through the real `attune run`: each case with the message it must
/// produce and the counts the summary must report. No case may crash or hang.
@Suite struct HostileInputTests {
    struct Case: CustomStringConvertible, Sendable {
        var name: String
        var input: [UInt8]
        /// Messages expected on stderr, in order (the summary excluded).
        var messages: [String]
        var read: Int, accepted: Int, rejected: Int
        var late = 0
        var description: String { name }
    }

    static let good = #"{"t":5,"channel":"text","value":{"text":"I feel so alone"}}"#

    static func line(_ s: String) -> [UInt8] { Array((s + "\n").utf8) }

    static let cases: [Case] = [
        Case(name: "deeply nested JSON (16 is the limit)",
             input: line(#"{"t":1,"channel":"affect","value":"# + String(repeating: "[", count: 100_000)) + line(good),
             messages: ["attune: line 1: malformed JSON at byte 50: nesting too deep"], read: 2, accepted: 1, rejected: 1),
        Case(name: "nesting just inside the limit is fine",
             input: line(#"{"t":1,"channel":"text","value":{"text":"ok","x":"# + String(repeating: "[", count: 14) + String(repeating: "]", count: 14) + "}}"),
             messages: [], read: 1, accepted: 1, rejected: 0),
        Case(name: "huge number as t",
             input: line(#"{"t":1e400,"channel":"text","value":{"text":"hi"}}"#) + line(good),
             messages: ["attune: line 1: t: not a finite number"], read: 2, accepted: 1, rejected: 1),
        Case(name: "huge number in a value",
             input: line(#"{"t":1,"channel":"voice","value":{"loudness_db":-1e400}}"#),
             messages: ["attune: line 1: value.loudness_db: not a finite number (NaN, Infinity and out-of-range numbers such as 1e400 are not accepted)"],
             read: 1, accepted: 0, rejected: 1),
        Case(name: "largest finite t is accepted and printed",
             input: line(#"{"t":1.7976931348623157e308,"channel":"text","value":{"text":"hi"}}"#),
             messages: [], read: 1, accepted: 1, rejected: 0),
        Case(name: "NaN and Infinity spelled out",
             input: line(#"{"t":NaN,"channel":"text","value":{"text":"hi"}}"#)
                 + line(#"{"t":Infinity,"channel":"text","value":{"text":"hi"}}"#)
                 + line(#"{"t":-Infinity,"channel":"text","value":{"text":"hi"}}"#)
                 + line(#"{"t":1,"channel":"affect","value":{"valence":NaN}}"#)
                 + line(#"{"t":1,"channel":"voice","value":{"f0_mean_hz":Infinity}}"#)
                 + line(#"{"t":1,"channel":"text","value":{"text":"hi","extra":[1,NaN]}}"#),
             messages: ["attune: line 1: t: not a finite number",
                        "attune: line 2: t: not a finite number",
                        "attune: line 3: t: not a finite number",
                        "attune: line 4: value.valence: not a finite number (NaN, Infinity and out-of-range numbers such as 1e400 are not accepted)",
                        "attune: line 5: value.f0_mean_hz: not a finite number (NaN, Infinity and out-of-range numbers such as 1e400 are not accepted)",
                        "attune: line 6: value.extra[1]: not a finite number (NaN, Infinity and out-of-range numbers such as 1e400 are not accepted)"],
             read: 6, accepted: 0, rejected: 6),
        Case(name: "duplicate keys are rejected, at any depth and however escaped",
             input: line(#"{"t":1,"t":2,"channel":"text","value":{"text":"dup"}}"#)
                 + line(#"{"t":1,"channel":"text","value":{"text":"a","text":"b"}}"#)
                 + line(#"{"t":1,"channel":"text","\u0063hannel":"voice","value":{"text":"x"}}"#)
                 + line(#"{"t":1,"channel":"text","value":{"text":"a: \"b\": c","x":{"text":1}}}"#),
             messages: [#"attune: line 1: duplicate key "t""#,
                        #"attune: line 2: duplicate key "text""#,
                        "attune: line 3: duplicate key (one key written twice, with different escapes)"],
             read: 4, accepted: 1, rejected: 3),
        Case(name: "numbers where strings belong",
             input: line(#"{"t":1,"session":7,"channel":"text","value":{"text":"hi"}}"#)
                 + line(#"{"t":1,"channel":7,"value":{"text":"hi"}}"#)
                 + line(#"{"t":1,"channel":"text","value":{"text":7}}"#)
                 + line(#"{"t":1,"source":1,"channel":"text","value":{"text":"hi"}}"#)
                 + line(#"{"t":1,"channel":"posture","value":{"label":3}}"#),
             messages: ["attune: line 1: session: expected a string, got a number",
                        "attune: line 2: channel: expected a string, got a number",
                        "attune: line 3: text: value.text: expected a string, got a number",
                        "attune: line 4: source: expected a string, got a number",
                        "attune: line 5: posture: value.label: expected a string, got a number"],
             read: 5, accepted: 0, rejected: 5),
        Case(name: "invalid UTF-8",
             input: Array(#"{"t":1,"channel":"text","value":{"text":"a"#.utf8) + [0xFF, 0xFE] + Array("\"}}\n".utf8)
                 + Array(#"{"t":1,"channel":"text","value":{"text":"overlong "#.utf8) + [0xC0, 0xAF] + Array("\"}}\n".utf8),
             messages: ["attune: line 1: invalid UTF-8 at byte 43", "attune: line 2: invalid UTF-8 at byte 51"],
             read: 2, accepted: 0, rejected: 2),
        Case(name: "embedded NUL (raw rejected, escaped accepted)",
             input: Array(#"{"t":1,"channel":"text","value":{"text":"a"#.utf8) + [0] + Array("b\"}}\n".utf8)
                 + line(#"{"t":1,"channel":"text","value":{"text":"a\u0000b"}}"#),
             messages: ["attune: line 1: NUL byte at byte 43"], read: 2, accepted: 1, rejected: 1),
        Case(name: "last line without a newline",
             input: line(good) + Array(good.utf8),
             messages: [], read: 2, accepted: 2, rejected: 0),
        Case(name: "empty input",
             input: [], messages: [], read: 0, accepted: 0, rejected: 0),
        Case(name: "timestamps going backwards by hours",
             input: line(#"{"t":10000,"channel":"affect","value":{"valence":-0.5}}"#)
                 + line(#"{"t":6400,"channel":"affect","value":{"valence":-0.5}}"#)
                 + line(#"{"t":2800,"channel":"affect","value":{"valence":-0.5}}"#),
             messages: [], read: 3, accepted: 3, rejected: 0, late: 1),
        Case(name: "a session id of 10,000 characters",
             input: line(#"{"t":1,"session":""# + String(repeating: "s", count: 10_000) + #"","channel":"text","value":{"text":"hi"}}"#),
             messages: ["attune: line 1: session: 10000 bytes, over the 256-byte limit"], read: 1, accepted: 0, rejected: 1),
        Case(name: "lone surrogate escape",
             input: line(#"{"t":1,"channel":"text","value":{"text":"\ud800"}}"#),
             messages: [], read: 1, accepted: 1, rejected: 0),
    ]

    @Test(arguments: cases)
    func hostileLine(_ c: Case) throws {
        let r = try attune(["run", "--emit", "every"], bytes: c.input)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(noCrashReport(r.stderr))
        #expect(messages(r.stderr) == c.messages)
        let s = try #require(r.summary, "no summary in \(r.stderr)")
        #expect(s.read == c.read && s.accepted == c.accepted && s.rejected == c.rejected && s.late == c.late, "\(s)")
        #expect(s.read == s.accepted + s.rejected)
        // --emit every: one output line per accepted event, each a JSON object.
        #expect(r.lines.count == c.accepted)
        for l in r.lines { #expect(l.hasPrefix("{\"t\":") && l.hasSuffix("}")) }
    }

    @Test func binaryGarbageIsRejectedLineByLine() throws {
        // A fixed pseudo-random stream (xorshift), newlines included: nothing may crash
        // and every line is accounted for.
        var x: UInt64 = 0x9E37_79B9_7F4A_7C15
        var bytes: [UInt8] = []
        for _ in 0..<200_000 {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17
            bytes.append(UInt8(truncatingIfNeeded: x))
        }
        let newlines = bytes.filter { $0 == 0x0A }.count
        let r = try attune(["run", "--emit", "every"], bytes: bytes)
        #expect(r.status == 0)
        #expect(noCrashReport(r.stderr))
        let s = try #require(r.summary)
        #expect(s.read == newlines + (bytes.last == 0x0A ? 0 : 1))
        #expect(s.accepted == 0 && s.rejected == s.read)
        #expect(r.stdout.isEmpty)
    }

    @Test func hugeTimestampInEveryOutputFormat() throws {
        // Found by the fuzzer: a finite but huge t trapped converting to Int in the tty and EmotionML writers.
        let input = #"{"t":1e300,"channel":"voice","value":{"loudness_db":-1e300,"f0_mean_hz":1e300}}"# + "\n"
            + #"{"t":1.7976931348623157e308,"channel":"text","value":{"text":"I am so angry"}}"# + "\n"
        for format in ["jsonl", "csv", "tty", "emotionml"] {
            let r = try attune(["run", "--emit", "every", "--format", format], text: input)
            #expect(r.status == 0, "\(format): \(r.stderr)")
            #expect(noCrashReport(r.stderr), "\(format)")
            #expect(r.summary?.accepted == 2, "\(format)")
            #expect(!r.stdout.isEmpty, "\(format)")
        }
    }

    @Test func hugeTimestampsInReportAndValidate() throws {
        // Found while probing: `attune report` looped writing axis ticks without end
        // (and died allocating 34 GB) when the time span overflowed to infinity.
        let path = NSTemporaryDirectory() + "attune-robust-huge-\(getpid()).jsonl"
        let html = path + ".html"
        defer { unlink(path); unlink(html) }
        let input = #"{"t":1e300,"channel":"voice","value":{"loudness_db":-1e300,"f0_mean_hz":1e300}}"# + "\n"
            + #"{"t":1.7976931348623157e308,"channel":"text","value":{"text":"<script>alert(1)</script>"}}"# + "\n"
            + #"{"t":0,"session":"\u001b[31mred","channel":"text","value":{"text":"hi"}}"# + "\n"
        try input.write(toFile: path, atomically: true, encoding: .utf8)
        let report = try attune(["report", path, "--output", html], bytes: [])
        #expect(report.status == 0, "\(report.stderr)")
        #expect(noCrashReport(report.stderr))
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(page.count < 200_000 && !page.contains("<script>alert"))
        let validate = try attune(["validate", path], bytes: [])
        #expect(validate.status == 0, "\(validate.stderr)")
    }

    @Test func aHundredMegabyteLineStreamsPastInBoundedMemory() throws {
        let mb = 100
        let r = try attune(["run", "--emit", "every"]) { child in
            child.write(#"{"t":1,"channel":"text","value":{"text":""#)
            let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 1 << 20)
            for _ in 0..<mb { child.write(chunk) }
            child.write("\"}}\n" + HostileInputTests.good + "\n")
        }
        let length = 41 + mb << 20 + 3
        #expect(messages(r.stderr) == ["attune: line 1: line is \(length) bytes, over the 1048576-byte limit"])
        #expect(r.summary == Summary(read: 2, accepted: 1, rejected: 1, late: 0, sessions: 1, recommendations: 1))
        // The line is skipped as it streams past: peak RSS stays far below its size.
        #expect(r.maxRSSKB < 64 * 1024, "peak RSS \(r.maxRSSKB) kB for a \(mb) MB line")
    }

    @Test func aMillionDistinctUnknownPostureLabelsStayBounded() throws {
        // Each distinct unknown label is a distinct warning: the posture state keeps 64,
        // the engine prints at most 1000 distinct ones.
        let n = 100_000
        let r = try attune(["run", "--emit", "final"]) { child in
            var batch = ""
            for i in 0..<n {
                batch += #"{"t":\#(i),"channel":"posture","value":{"label":"weird_\#(i)"}}"# + "\n"
                if i % 1000 == 999 { child.write(batch); batch = "" }
            }
            child.write(batch)
        }
        #expect(r.status == 0)
        let warned = messages(r.stderr).filter { $0.contains("unknown label") }
        #expect(warned.count == 64, "\(warned.count) warnings printed")
        #expect(r.summary?.accepted == n)
    }
}
