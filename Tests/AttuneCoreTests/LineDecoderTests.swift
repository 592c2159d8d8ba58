import AttuneCore
import Testing

/// Every bad-input case of wire protocol v1 gets its own message; good lines decode field by field.
@Suite struct LineDecoderTests {
    let decoder = LineDecoder(channels: ChannelRegistry())

    func error(_ line: String) -> LineError? {
        if case .failure(let e) = decoder.decode(line, number: 7) { return e }
        return nil
    }

    @Test func decodesACueWithDefaults() throws {
        guard case .success(.cue(let cue)) = decoder.decode(#"{"t":1.5,"channel":"affect","value":{"valence":-0.5}}"#, number: 3) else {
            Issue.record("expected a cue")
            return
        }
        #expect(cue.t == 1.5)
        #expect(cue.session == "default")
        #expect(cue.source == .other)
        #expect(cue.channel == "affect")
        #expect(cue.value["valence"]?.double == -0.5)
        #expect(cue.line == 3)
    }

    @Test func decodesSessionSourceAndControl() {
        guard case .success(.cue(let cue)) = decoder.decode(#"{"t":0,"session":"r1","source":"self","channel":"affect","value":{"arousal":0.2}}"#) else {
            Issue.record("expected a cue"); return
        }
        #expect(cue.session == "r1" && cue.source == .listener)
        guard case .success(.control(let c)) = decoder.decode(#"{"t":9,"session":"r1","control":"end"}"#) else {
            Issue.record("expected a control"); return
        }
        #expect(c.kind == .end && c.t == 9 && c.session == "r1")
        guard case .success(.control(let tick)) = decoder.decode(#"{"t":10,"control":"tick"}"#) else {
            Issue.record("expected a tick"); return
        }
        #expect(tick.kind == .tick && tick.session == "default")
    }

    @Test(arguments: [
        ("", LineError.Kind.blank, "blank line"),
        ("   ", .blank, "blank line"),
        ("not json", .malformed, "malformed JSON"),
        (#"{"t":1,"channel":"affect","value":{"valence":0.1}"#, .malformed, "malformed JSON: unexpected end of line"),
        (#"{"t":1,"channel":"affect","value":{"valence":0.1}} x"#, .malformed, "malformed JSON at byte 52: unexpected character"),
        ("[1,2]", .malformed, "expected a JSON object, got an array"),
        ("\"text\"", .malformed, "expected a JSON object, got a string"),
        (#"{"channel":"affect","value":{"valence":0.1}}"#, .invalidField, "missing \"t\""),
        (#"{"t":"1","channel":"affect","value":{"valence":0.1}}"#, .invalidField, "t: expected a number, got a string"),
        (#"{"t":-1,"channel":"affect","value":{"valence":0.1}}"#, .invalidField, "t: must be >= 0, got -1"),
        (#"{"t":1e400,"channel":"affect","value":{"valence":0.1}}"#, .invalidField, "t: not a finite number"),
        (#"{"t":NaN,"channel":"affect","value":{"valence":0.1}}"#, .invalidField, "t: not a finite number"),
        (#"{"t":1,"value":{"valence":0.1}}"#, .invalidField, "missing \"channel\""),
        (#"{"t":1,"channel":5,"value":{"valence":0.1}}"#, .invalidField, "channel: expected a string, got a number"),
        (#"{"t":1,"channel":"smell","value":{}}"#, .unknownChannel, "unknown channel \"smell\" (known: affect)"),
        (#"{"t":1,"channel":"affect"}"#, .invalidField, "missing \"value\""),
        (#"{"t":1,"channel":"affect","value":[1]}"#, .invalidValue, "affect: value: expected an object, got an array"),
        (#"{"t":1,"channel":"affect","value":{"valence":2}}"#, .invalidValue, "affect: value.valence: expected a number in -1..1, got 2"),
        (#"{"t":1,"channel":"affect","value":{"valence":"sad"}}"#, .invalidValue, "affect: value.valence: expected a number, got a string"),
        (#"{"t":1,"channel":"affect","value":{}}"#, .invalidValue, "affect: value: needs \"valence\" or \"arousal\""),
        (#"{"t":1,"source":"both","channel":"affect","value":{"valence":0}}"#, .invalidField, "source: expected \"other\" or \"self\", got \"both\""),
        (#"{"t":1,"session":7,"channel":"affect","value":{"valence":0}}"#, .invalidField, "session: expected a string, got a number"),
        (#"{"t":1,"session":"","channel":"affect","value":{"valence":0}}"#, .invalidField, "session: must not be empty"),
        (#"{"t":1,"control":"pause"}"#, .invalidField, "control: unknown control \"pause\" (known: end, tick)"),
        ("{\"t\":1,\"channel\":\"affect\",\"value\":{\"valence\":0}}\r", .malformed, "CR LF"),
        ("{\"t\":1,\"channel\":\"aff\u{0}ect\",\"value\":{\"valence\":0}}", .malformed, "NUL byte at byte 22"),
    ])
    func rejects(line: String, kind: LineError.Kind, message: String) {
        let e = error(line)
        #expect(e?.kind == kind, "\(line)")
        #expect(e?.message.contains(message) == true, "\(e?.message ?? "accepted") should mention \(message)")
        #expect(e?.line == 7)
    }

    @Test func rejectsInvalidUTF8() {
        let bytes: [UInt8] = Array(#"{"t":1,"channel":"affect","value":{"valence":0},"note":""#.utf8) + [0xC3, 0x28] + Array("\"}".utf8)
        let result = bytes.withUnsafeBytes { decoder.decode($0, line: 2) }
        guard case .failure(let e) = result else { Issue.record("accepted invalid UTF-8"); return }
        #expect(e.kind == .malformed)
        #expect(e.message.contains("UTF-8"), "\(e.message)")
    }

    @Test func rejectsOverlongLinesAndSessions() {
        var limits = WireLimits()
        limits.maxLineBytes = 80
        limits.maxSessionBytes = 8
        let small = LineDecoder(channels: ChannelRegistry(), limits: limits)
        let long = #"{"t":1,"channel":"affect","value":{"valence":0.1},"pad":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}"#
        guard case .failure(let e1) = small.decode(long) else { Issue.record("accepted"); return }
        #expect(e1.kind == .tooLong && e1.message.contains("over the 80-byte limit"))
        guard case .failure(let e2) = small.decode(#"{"t":1,"session":"123456789","channel":"affect","value":{"valence":0}}"#) else {
            Issue.record("accepted"); return
        }
        #expect(e2.message == "session: 9 bytes, over the 8-byte limit")
    }

    @Test func rejectsDeepNesting() {
        let deep = #"{"t":1,"channel":"affect","value":{"valence":0,"x":"# + String(repeating: "[", count: 40) + String(repeating: "]", count: 40) + "}}"
        guard case .failure(let e) = decoder.decode(deep) else { Issue.record("accepted"); return }
        #expect(e.kind == .malformed && e.message.contains("nesting"), "\(e.message)")
    }

    @Test func duplicateKeysAreRejected() {
        // json-c would keep the last, other readers the first: such a line is ambiguous.
        guard case .failure(let e) = decoder.decode(#"{"t":1,"t":2,"channel":"affect","value":{"valence":0}}"#) else {
            Issue.record("accepted"); return
        }
        #expect(e.kind == .malformed && e.message == #"duplicate key "t""#)
    }

    // The decoder counts keys eight bytes at a time and falls back to a byte-by-byte
    // count when a line has a backslash; both must see through strings.
    @Test(arguments: [
        #"{"t":1,"session":"a:b","channel":"affect","value":{"valence":0,"note":"x:\"y\":z"}}"#,
        #"{"t":1,"session":"q\"u:o","channel":"affect","value":{"valence":0}}"#,
        #"{"t":1,"session":"conv-000187-call: with a colon and more than thirty-two bytes","channel":"affect","value":{"valence":0}}"#,
        #"{"t":1,"extra":{"a":[{"b":1},{"b":":"}]},"channel":"affect","value":{"valence":0,"list":[{"x":1},{"y":"::"}]}}"#,
    ])
    func colonsInStringsAreNotKeys(_ line: String) {
        guard case .success(.cue) = decoder.decode(line) else { Issue.record("rejected \(line)"); return }
    }

    @Test(arguments: [
        (#"{"t":1,"\u0074":2,"channel":"affect","value":{"valence":0}}"#, "duplicate key (one key written twice, with different escapes)"),
        (#"{"t":1,"channel":"affect","value":{"valence":0,"a":"\"","a":1}}"#, #"duplicate key "a""#),
        (#"{"t":1,"x":{"k":1,"k":":"},"channel":"affect","value":{"valence":0}}"#, #"duplicate key "k""#),
        (#"{"t":1,"channel":"affect","value":{"valence":0,"l":[{"k":1,"k":2}]}}"#, #"duplicate key "k""#),
    ])
    func duplicateKeysAreFoundAnywhere(_ line: String, _ message: String) {
        guard case .failure(let e) = decoder.decode(line) else { Issue.record("accepted \(line)"); return }
        #expect(e.kind == .malformed && e.message == message)
    }

    @Test func repeatedStringsDecodeTheSame() {
        // Sessions and keys come from a per-decoder cache: the second line must give the
        // same values as the first, and a different id in the same cache slot its own.
        var sessions: [String] = []
        for id in ["conv-000187-call", "conv-000187-call", "conv-000188-call", "s", "conv-000187-call"] {
            guard case .success(.cue(let cue)) = decoder.decode(#"{"t":1,"session":"\#(id)","channel":"affect","value":{"valence":0.5,"arousal":0.25}}"#) else {
                Issue.record("rejected"); return
            }
            #expect(cue.value.object?.keys == ["valence", "arousal"])
            sessions.append(cue.session)
        }
        #expect(sessions == ["conv-000187-call", "conv-000187-call", "conv-000188-call", "s", "conv-000187-call"])
        // Every distinct id through one decoder (more ids than cache slots) stays itself.
        for i in 0..<3000 {
            let id = "conv-\(i)-kitchen"
            guard case .success(.cue(let cue)) = decoder.decode(#"{"t":1,"session":"\#(id)","channel":"affect","value":{"valence":0}}"#) else {
                Issue.record("rejected"); return
            }
            #expect(cue.session == id)
        }
    }

    @Test func sourceControlAndChannelNamesMatchExactly() {
        #expect(error(#"{"t":1,"source":"selfish","channel":"affect","value":{"valence":0}}"#)?.message == #"source: expected "other" or "self", got "selfish""#)
        #expect(error(#"{"t":1,"source":"othe","channel":"affect","value":{"valence":0}}"#)?.message == #"source: expected "other" or "self", got "othe""#)
        #expect(error(#"{"t":1,"control":"ends"}"#)?.message == #"control: unknown control "ends" (known: end, tick)"#)
        #expect(error(#"{"t":1,"channel":"affec","value":{"valence":0}}"#)?.message == #"unknown channel "affec" (known: affect)"#)
        #expect(error(#"{"t":1,"channel":"affects","value":{"valence":0}}"#)?.message == #"unknown channel "affects" (known: affect)"#)
        #expect(error(#"{"t":1,"channel":"","value":{"valence":0}}"#)?.message == #"unknown channel "" (known: affect)"#)
    }

    @Test func nonFiniteNumbersAreNamedByPath() {
        #expect(error(#"{"t":1,"channel":"affect","value":{"valence":0,"x":[1,{"y":1e400}]}}"#)?.message
            == "value.x[1].y: not a finite number (NaN, Infinity and out-of-range numbers such as 1e400 are not accepted)")
    }
}
