import AttuneCore
import Foundation
import Testing

/// End to end: the built `attune` binary on example streams.
@Suite(.serialized) struct RunTests {
    @Test func goldenOutputOnTheExampleStream() throws {
        let golden = repoRoot.appendingPathComponent("Tests/AttuneCLITests/Golden/two-rooms.every.jsonl")
        let result = try attune(["run", "--emit", "every", "Examples/streams/two-rooms.jsonl"])
        #expect(result.status == 0, "\(result.stderr)")
        if ProcessInfo.processInfo.environment["ATTUNE_UPDATE_GOLDEN"] == "1" {
            try result.stdout.write(to: golden)
        }
        let expected = try Data(contentsOf: golden)
        #expect(result.stdout == expected, "output differs from \(golden.path); if the change is intended, rerun with ATTUNE_UPDATE_GOLDEN=1 and review the diff")
        #expect(result.stderr.hasSuffix("attune: 37 lines read, 37 accepted, 0 rejected, 0 late, 2 sessions, 37 recommendations\n"), "\(result.stderr)")
    }

    @Test func everyOutputLineParsesBackWithJSONC() throws {
        let result = try attune(["run", "--emit", "every", "Examples/streams/two-rooms.jsonl"])
        #expect(result.lines.count == 37)
        for line in result.lines {
            let v = try JSONValue.parse(line)
            #expect(["comfort", "space", "question", "reflect"].contains(v["mode"]?.string ?? ""))
            #expect((0...1).contains(v["confidence"]?.double ?? -1))
            #expect(v["because"]?.array != nil)
            #expect(v["other"]?["valence_sd"]?.double != nil)
        }
    }

    @Test func replayingGivesTheSameBytes() throws {
        let a = try attune(["run", "--emit", "every", "Examples/streams/two-rooms.jsonl"])
        let input = try Data(contentsOf: repoRoot.appendingPathComponent("Examples/streams/two-rooms.jsonl"))
        let b = try attune(["run", "--emit", "every"], input: input)
        #expect(a.stdout == b.stdout)
    }

    @Test func badLinesAreReportedCountedAndWrittenToRejects() throws {
        let rejects = FileManager.default.temporaryDirectory.appendingPathComponent("attune-rejects-\(getpid()).jsonl")
        defer { try? FileManager.default.removeItem(at: rejects) }
        let input = [
            #"{"t":0,"channel":"text","value":{"text":"hello there"}}"#,
            "",
            "{not json",
            #"{"t":1,"channel":"smell","value":{}}"#,
            #"{"t":2,"channel":"affect","value":{"valence":0.2}}"#,
        ].joined(separator: "\n") + "\n" + "{\"t\":3,\"channel\":\"affect\",\"value\":{\"valence\":0.1}}\r\n" + "\u{FF}\u{FE}"
        var bytes = Data(input.utf8)
        bytes.append(contentsOf: [0xC3, 0x28, 0x0A])
        let result = try attune(["run", "--rejects", rejects.path], input: bytes)
        #expect(result.status == 0)
        let messages = result.stderr.split(separator: "\n").map(String.init)
        #expect(messages.contains { $0.hasPrefix("attune: line 3: malformed JSON") })
        #expect(messages.contains("attune: line 4: unknown channel \"smell\" (known: affect, posture, text, voice)"))
        #expect(messages.contains { $0.hasPrefix("attune: line 6: line ends with CR LF") })
        #expect(messages.contains { $0.hasPrefix("attune: line 7: ") })
        #expect(!messages.contains { $0.hasPrefix("attune: line 2:") })   // blank: silent
        #expect(messages.last == "attune: 7 lines read, 2 accepted, 5 rejected (1 blank), 0 late, 1 session, 1 recommendation")
        let records = try String(contentsOf: rejects, encoding: .utf8).split(separator: "\n").map { try JSONValue.parse(String($0)) }
        #expect(records.map { $0["line"]?.double } == [2, 3, 4, 6, 7])
        #expect(records[1]["text"]?.string == "{not json")
        #expect(records[3]["text"]?.string == "{\"t\":3,\"channel\":\"affect\",\"value\":{\"valence\":0.1}}\r")
        // Line 7 is not valid UTF-8: kept byte for byte as base64.
        let raw = Data(base64Encoded: records[4]["base64"]?.string ?? "")
        #expect(raw == Data("\u{FF}\u{FE}".utf8) + Data([0xC3, 0x28]))
    }

    @Test func strictStopsAtTheFirstBadLineWithStatus65() throws {
        let input = #"{"t":0,"channel":"affect","value":{"valence":0.2}}"# + "\nbad\n" + #"{"t":1,"channel":"affect","value":{"valence":0.2}}"# + "\n"
        let result = try attune(["run", "--strict", "--emit", "every"], input: input)
        #expect(result.status == 65)
        #expect(result.lines.count == 1)
        #expect(result.stderr.contains("attune: line 2: malformed JSON"))
        #expect(result.stderr.contains("attune: 2 lines read, 1 accepted, 1 rejected"))
    }

    @Test func lastLineWithoutNewlineAndEmptyInput() throws {
        let noNewline = try attune(["run", "--emit", "every"], input: #"{"t":0,"channel":"affect","value":{"valence":0.2}}"#)
        #expect(noNewline.lines.count == 1)
        let empty = try attune(["run"], input: "")
        #expect(empty.status == 0 && empty.stdout.isEmpty)
        #expect(empty.stderr == "attune: 0 lines read, 0 accepted, 0 rejected, 0 late, 0 sessions, 0 recommendations\n")
    }

    @Test func overlongLinesAreSkippedWithoutHoldingThem() throws {
        let config = FileManager.default.temporaryDirectory.appendingPathComponent("attune-limits-\(getpid()).json")
        defer { try? FileManager.default.removeItem(at: config) }
        try Data(#"{"bus":{"limits":{"maxLineBytes":1000}}}"#.utf8).write(to: config)
        let long = #"{"t":0,"channel":"text","value":{"text":""# + String(repeating: "a", count: 3_000_000) + "\"}}\n"
        let result = try attune(["run", "--config", config.path, "--emit", "every"], input: long + #"{"t":1,"channel":"affect","value":{"valence":0.2}}"# + "\n")
        #expect(result.stderr.contains("attune: line 1: line is 3000044 bytes, over the 1000-byte limit"))
        #expect(result.lines.count == 1)
    }

    @Test func configurationErrorsNameTheKey() throws {
        let config = FileManager.default.temporaryDirectory.appendingPathComponent("attune-bad-\(getpid()).json")
        defer { try? FileManager.default.removeItem(at: config) }
        try Data(#"{"policy":{"minDwel":2}}"#.utf8).write(to: config)
        let result = try attune(["run", "--config", config.path], input: "")
        #expect(result.status != 0)
        #expect(result.stderr.contains("unknown key: policy.minDwel"), "\(result.stderr)")
    }

    @Test func printDefaultsRoundTrips() throws {
        let result = try attune(["config", "--print-defaults"])
        #expect(result.status == 0)
        let v = try JSONValue.parse(result.stdoutText)
        #expect(v["policy"]?["minDwell"]?.double == 1.5)
        #expect(v["fusion"]?["valenceHalfLife"]?.double == 90)
        #expect(v["channels"]?["text"] != nil && v["channels"]?["voice"] != nil && v["channels"]?["posture"] != nil)
        // The printed defaults, fed back as an override, change nothing.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("attune-defaults-\(getpid()).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try result.stdout.write(to: file)
        let again = try attune(["config", "--config", file.path])
        #expect(again.stdout == result.stdout)
    }

    @Test func analyzeTextPrintsOneObjectPerLine() throws {
        let result = try attune(["analyze", "text"], input: "Please leave me alone.\nI'm thrilled!\n")
        #expect(result.status == 0)
        #expect(result.lines.count == 2)
        let first = try JSONValue.parse(result.lines[0])
        #expect(first["tags"]?.array?.contains { $0["name"]?.string == "space_request" } == true)
        #expect(first["text"]?.string == "Please leave me alone.")
        let second = try JSONValue.parse(result.lines[1])
        #expect((second["valence"]?.double ?? 0) > 0.3)
        #expect((second["emotions"]?["joy"]?.double ?? 0) > 0.3)
    }

    @Test func userLexiconChangesTheTextChannel() throws {
        let lexicon = FileManager.default.temporaryDirectory.appendingPathComponent("attune-lexicon-\(getpid()).tsv")
        defer { try? FileManager.default.removeItem(at: lexicon) }
        try Data("word\tvalence\tarousal\nglorp\t-0.9\t0.8\n".utf8).write(to: lexicon)
        let plain = try attune(["analyze", "text"], input: "the glorp again\n")
        #expect(try JSONValue.parse(plain.lines[0])["valence"] == .null)
        let with = try attune(["analyze", "text", "--lexicon", lexicon.path], input: "the glorp again\n")
        #expect((try JSONValue.parse(with.lines[0])["valence"]?.double ?? 0) < -0.3)
        let run = try attune(["run", "--emit", "every", "--lexicon", lexicon.path],
                             input: #"{"t":0,"channel":"text","value":{"text":"the glorp again"}}"# + "\n")
        #expect((try JSONValue.parse(run.lines[0])["other"]?["valence"]?.double ?? 0) < -0.1)

        try Data("glorp\tvery bad\t0.8\n".utf8).write(to: lexicon)
        let bad = try attune(["run", "--lexicon", lexicon.path], input: "")
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("line 1"), "\(bad.stderr)")
    }

    @Test func riskLanguageRaisesTheFlagAndRulesOutSpace() throws {
        let input = [
            #"{"t":0,"channel":"text","value":{"text":"I don't see the point anymore. Everyone would be better off without me."}}"#,
            #"{"t":5,"channel":"text","value":{"text":"Just leave me alone."}}"#,
            #"{"t":6,"channel":"posture","value":{"label":"turned_away"}}"#,
            #"{"t":600,"control":"tick"}"#,
            #"{"t":9000,"control":"tick"}"#,
        ].joined(separator: "\n") + "\n"
        let result = try attune(["run", "--emit", "every"], input: input)
        let lines = try result.lines.map { try JSONValue.parse($0) }
        #expect(lines.count == 5)
        for line in lines.prefix(4) {
            #expect(line["risk"] == .bool(true))
            #expect(line["mode"]?.string != "space")
        }
        #expect(lines[4]["risk"] == .bool(false))   // hours later it has faded
    }
}
