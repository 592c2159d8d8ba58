import Attune
import Foundation
import Testing

/// Nothing lost: for every run, read = accepted + rejected, and `--rejects` holds exactly
/// the rejected lines, byte for byte.
@Suite struct AccountingTests {
    /// A mixed stream: the example stream and scenarios, interleaved with bad lines of
    /// every kind (invalid UTF-8, NUL, CR LF, blank, overlong, duplicate keys, ...).
    static let mixed: [[UInt8]] = {
        var good: [[UInt8]] = []
        let paths = ["Examples/streams/two-rooms.jsonl", "../shared/scenarios/rage-at-listener.jsonl",
                     "../shared/scenarios/over-it-while-crying.jsonl"]
        for p in paths {
            guard let d = FileManager.default.contents(atPath: repoRoot.appendingPathComponent(p).path) else { continue }
            good += d.split(separator: 0x0A).map { Array($0) }
        }
        let bad: [[UInt8]] = [
            [], Array("   ".utf8),
            Array(#"{"t":1,"channel":"text","value":{"text":"a"#.utf8) + [0xFF] + Array("\"}}".utf8),
            Array(#"{"t":1,"channel":"text","value":{"text":"a"#.utf8) + [0x00] + Array("\"}}".utf8),
            Array(#"{"t":1,"channel":"text","value":{"text":"crlf"}}"#.utf8) + [0x0D],
            Array(#"{"t":1,"t":2,"channel":"text","value":{"text":"dup"}}"#.utf8),
            Array(#"{"t":"x","channel":"text","value":{"text":"a \"quoted\" \\ text \u00e9"}}"#.utf8),
            Array(#"{"t":1,"channel":"smell","value":{}}"#.utf8),
            Array(#"{"t":NaN,"channel":"text","value":{"text":"nan"}}"#.utf8),
            Array("not json at all \u{1F62D}".utf8),
            [0xC3, 0x28, 0xA0, 0xA1, 0x7B],
            Array(#"{"t":1,"channel":"text","value":{"text":""#.utf8) + [UInt8](repeating: 0x61, count: 5000) + Array("\"}}".utf8),
        ]
        var lines: [[UInt8]] = []
        for (i, g) in good.enumerated() {
            lines.append(g)
            if i % 3 == 1 { lines.append(bad[(i / 3) % bad.count]) }
        }
        return lines + bad
    }()

    static let input: [UInt8] = Array(mixed.joined(separator: [0x0A])) + [0x0A]

    static let combos: [[String]] = [
        ["--emit", "every"], ["--emit", "change"], ["--emit", "final"], ["--max-lateness", "0"],
        ["--emit", "every", "--max-lateness", "0"], ["--strict"], ["--strict", "--emit", "every"],
    ]

    @Test(arguments: combos)
    func everyLineIsAccountedForAndEveryRejectIsKeptVerbatim(_ options: [String]) throws {
        let rejects = NSTemporaryDirectory() + "attune-rejects-\(getpid())-\(options.joined()).jsonl"
        // A 4 KiB line limit so the 5000-byte line exercises the overlong path.
        let config = try configFile(#"{"bus":{"limits":{"maxLineBytes":4096}}}"#)
        defer { unlink(rejects); unlink(config) }
        let r = try attune(["run", "--config", config, "--rejects", rejects] + options, bytes: Self.input)
        let strict = options.contains("--strict")
        #expect(r.status == (strict ? 65 : 0), "\(r.stderr)")
        let s = try #require(r.summary, "\(r.stderr)")
        #expect(s.read == s.accepted + s.rejected)

        // The lines the run read, and which of them the decoder (same limits) rejects.
        var configuration = try AttuneConfiguration.load(overrides: #"{"bus":{"limits":{"maxLineBytes":4096}}}"#)
        configuration.bus.emit = .every
        let decoder = LineDecoder(channels: .standard(configuration), limits: configuration.bus.limits)
        var expectedRejects: [Int] = []
        for (i, line) in Self.mixed.enumerated() {
            if case .failure = line.withUnsafeBytes({ decoder.decode($0, line: i + 1) }) {
                expectedRejects.append(i + 1)
                if strict { break }
            }
        }
        let read = strict ? expectedRejects[0] : Self.mixed.count
        #expect(s.read == read)
        #expect(s.rejected == expectedRejects.count)
        #expect(s.accepted == read - expectedRejects.count)
        if options == ["--emit", "every"] || options == ["--emit", "every", "--max-lateness", "0"] {
            #expect(r.lines.count == s.accepted)
        }

        // Every reject record names a rejected line and restores its bytes exactly.
        let records = try String(contentsOfFile: rejects, encoding: .utf8).split(separator: "\n")
        #expect(records.count == expectedRejects.count)
        var numbers: [Int] = []
        for record in records {
            let v = try JSONValue.parse(String(record))
            let n = try #require(v["line"]?.double.map { Int($0) })
            numbers.append(n)
            let original = Self.mixed[n - 1]
            if let text = v["text"]?.string {
                #expect(Array(text.utf8) == original, "line \(n)")
            } else if let b64 = v["base64"]?.string {
                #expect(base64Decode(b64) == original, "line \(n)")
            } else {
                #expect(v["omitted"]?.string == "over the line length limit" && original.count > 4096, "line \(n)")
            }
            let reason = v["reason"]?.string ?? ""
            #expect(reason.count > 0, "line \(n)")
        }
        #expect(numbers == expectedRejects)
        // stderr names each rejected non-blank line once.
        let named = messages(r.stderr).compactMap { m -> Int? in
            guard m.hasPrefix("attune: line ") else { return nil }
            return Int(m.dropFirst(13).prefix { $0.isNumber })
        }
        let blank = expectedRejects.filter { Self.mixed[$0 - 1].allSatisfy { $0 == 0x20 || $0 == 0x09 } }
        #expect(Set(named) == Set(expectedRejects).subtracting(blank))
    }

    @Test func inProcessEngineAccountsForEveryLine() {
        var engine = StandardEngine()
        var results = (ok: 0, bad: 0)
        for line in Self.mixed {
            switch line.withUnsafeBytes({ engine.ingest(line: $0) }) {
            case .success: results.ok += 1
            case .failure: results.bad += 1
            }
        }
        engine.finish()
        let c = engine.counts
        #expect(c.read == Self.mixed.count && c.accepted == results.ok && c.rejected == results.bad)
        #expect(c.read == c.accepted + c.rejected)
        #expect(results.bad >= 12 && results.ok >= 40)
    }
}

func base64Decode(_ s: String) -> [UInt8] {
    let table = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    var value: [UInt8: UInt32] = [:]
    for (i, c) in table.enumerated() { value[c] = UInt32(i) }
    var out: [UInt8] = []
    var acc: UInt32 = 0, bits = 0
    for c in s.utf8 where c != UInt8(ascii: "=") {
        guard let v = value[c] else { return [] }
        acc = acc << 6 | v; bits += 6
        if bits >= 8 { bits -= 8; out.append(UInt8(truncatingIfNeeded: acc >> UInt32(bits))) }
    }
    return out
}
