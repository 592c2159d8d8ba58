import Attune
import AttuneExec
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The repository root, from this file's path (Tests/AttuneEmbedTests/ExecPluginTests.swift).
let repositoryRoot: String = {
    var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)
    return parts.joined(separator: "/")
}()

let handshake = #"echo '{"protocol":1,"name":"t","channels":["physio"]}'"#

func plugin(_ script: String, timeout: Double = 10, stderr: Int32 = 2) -> ExecPlugin {
    var options = ExecPlugin.Options()
    options.replyTimeout = timeout
    options.handshakeTimeout = timeout
    options.exitTimeout = timeout
    options.stderrDescriptor = stderr
    return ExecPlugin(channel: "physio", command: script, options: options)
}

func physioCue(_ t: Double, hr: Double = 70, line: Int = 0) -> Cue {
    Cue(t: t, channel: "physio", value: ["hr_bpm": .number(hr)], line: line)
}

/// Whether a process id still exists (as a running process or a zombie).
func processExists(_ pid: pid_t) -> Bool { kill(pid, 0) == 0 || errno != ESRCH }

@Suite struct ExecWireTests {
    @Test(arguments: [
        (#"{}"#, nil as Double?, 1.0, 0),
        (#"{"arousal":{"value":0.5,"sd":0.2},"confidence":0.5}"#, 0.5, 0.5, 0),
        (#"{"arousal":null,"tags":[{"tag":"physio_arousal_up","strength":0.7,"reason":"hr up","hold_until":3,"half_life":4}]}"#, nil, 1.0, 1),
    ])
    func validReplies(line: String, arousal: Double?, confidence: Double, tags: Int) throws {
        let e = try ExecWire.parseReply(line).get()
        #expect(e.arousal?.value == arousal)
        #expect(e.confidence == confidence)
        #expect(e.tags.count == tags)
    }

    @Test func sdBecomesVariance() throws {
        let e = try ExecWire.parseReply(#"{"valence":{"value":-0.25,"sd":0.5}}"#).get()
        #expect(e.valence == Reading(-0.25, variance: 0.25))
        let t = try ExecWire.parseReply(#"{"tags":[{"tag":"x_y","strength":1,"reason":"r","hold_until":3,"half_life":4}]}"#).get().tags[0]
        #expect(t == CueTag("x_y", strength: 1, reason: "r", holdUntil: 3, halfLife: 4))
    }

    @Test(arguments: [
        ("hello", "not JSON"),
        ("[1]", "expected a JSON object"),
        (#"{"arousl":{"value":0.1,"sd":0.1}}"#, "unknown key \"arousl\""),
        (#"{"arousal":{"value":3,"sd":0.1}}"#, "reply.arousal.value: expected a number in -1..1, got 3"),
        (#"{"arousal":{"value":0.1}}"#, "reply.arousal.sd: missing"),
        (#"{"arousal":{"value":0.1,"sd":0}}"#, "reply.arousal.sd: must be > 0"),
        (#"{"confidence":2}"#, "reply.confidence"),
        (#"{"tags":[{"tag":"Bad Tag","strength":1,"reason":"r"}]}"#, "snake_case"),
        (#"{"tags":[{"tag":"ok","strength":1.5,"reason":"r"}]}"#, "reply.tags[0].strength"),
        (#"{"tags":[{"tag":"ok","strength":1}]}"#, "reply.tags[0].reason"),
        (#"{"warnings":[1]}"#, "reply.warnings[0]"),
    ])
    func garbageRepliesAreNamed(line: String, expected: String) {
        guard case .failure(let e) = ExecWire.parseReply(line) else {
            Issue.record("accepted \(line)")
            return
        }
        #expect(e.message.contains(expected), "\(e.message)")
    }

    @Test(arguments: [
        (#"{"protocol":1,"name":"p","channels":["physio","other"]}"#, nil as String?),
        (#"{"protocol":2,"name":"p","channels":["physio"]}"#, "protocol 2 is not supported"),
        (#"{"name":"p","channels":["physio"]}"#, "\"protocol\""),
        (#"{"protocol":1,"channels":["physio"]}"#, "\"name\""),
        (#"{"protocol":1,"name":"p","channels":["text"]}"#, "does not handle channel \"physio\""),
        ("ready", "not JSON"),
    ])
    func handshakes(line: String, problem: String?) {
        switch ExecWire.parseHandshake(line, channel: "physio") {
        case .success(let h):
            #expect(problem == nil)
            #expect(h.name == "p")
        case .failure(let e):
            #expect(problem.map { e.message.contains($0) } == true, "\(e.message)")
        }
    }

    @Test func cueLineRoundTrips() throws {
        let cue = Cue(t: 12.5, session: "s\"1", source: .listener, channel: "physio", value: ["hr_bpm": 80, "note": "é"], line: 7)
        let parsed = try JSONValue.parse(ExecWire.cueLine(cue))
        #expect(parsed["t"]?.double == 12.5)
        #expect(parsed["session"]?.string == "s\"1")
        #expect(parsed["source"]?.string == "self")
        #expect(parsed["line"]?.double == 7)
        #expect(parsed["value"] == cue.value)
    }

    @Test(arguments: [
        ("physio=python3 p.py", "physio", "python3 p.py"),
        ("a-b_1=x=y", "a-b_1", "x=y"),
    ])
    func specs(spec: String, name: String, command: String) throws {
        let parsed = try ExecPluginSet.parse(spec)
        #expect(parsed.name == name && parsed.command == command)
    }

    @Test(arguments: ["physio", "=cmd", "phy sio=cmd", "physio=  "])
    func badSpecs(spec: String) {
        #expect(throws: ExecWireError.self) { try ExecPluginSet.parse(spec) }
    }

    @Test func duplicateChannelIsAnError() {
        #expect(throws: ExecWireError.self) { try ExecPluginSet(specs: ["a=x", "a=y"]) }
    }
}

@Suite(.serialized) struct ExecPluginProcessTests {
    @Test func echoPluginRepliesPerCue() throws {
        let p = plugin(handshake + #"; while read l; do echo '{"arousal":{"value":0.5,"sd":0.2}}'; done"#)
        #expect(p.start())
        for i in 0..<5 {
            #expect(p.evidence(for: physioCue(Double(i))).arousal?.value == 0.5)
        }
        #expect(p.counts.replies == 5 && p.counts.sent == 5 && p.counts.failures == 0)
        let pid = p.pid
        p.shutdown()
        #expect(p.pid == 0)
        #expect(!processExists(pid), "plugin not reaped")
    }

    @Test func crashDisablesTheChannelAndSaysHow() throws {
        let p = plugin(handshake + "; read l; exit 3")
        #expect(p.start())
        let e = p.evidence(for: physioCue(0, line: 4))
        #expect(e == .none)
        let failures = p.drainFailures()
        #expect(failures.count == 1)
        let text = try #require(failures.first).description
        #expect(text.hasPrefix("plugin physio ("))
        #expect(text.contains("exited with status 3"))
        #expect(text.contains("line 4"))
        #expect(text.hasSuffix("; channel physio disabled"))
        #expect(!p.isEnabled)
        #expect(p.channel.validate(["hr_bpm": 70])?.contains("channel disabled") == true)
        #expect(p.counts.rejected == 1)
        // Later evidence requests (cues already queued) say nothing, with a warning; no new failure.
        #expect(p.evidence(for: physioCue(1)).warnings.count == 1)
        #expect(p.drainFailures().isEmpty)
    }

    @Test func hangIsKilledAfterTheTimeout() throws {
        let p = plugin(handshake + "; exec sleep 30", timeout: 0.3)
        #expect(p.start())
        let pid = p.pid
        let start = monotonicNow()
        _ = p.evidence(for: physioCue(0))
        let elapsed = monotonicNow() - start
        #expect(elapsed >= 0.25 && elapsed < 2, "took \(elapsed) s")
        #expect(try #require(p.drainFailures().first).message == "no reply within 0.3 s")
        #expect(!processExists(pid), "hung plugin not killed and reaped")
    }

    @Test func grandchildrenAreKilledToo() throws {
        // The shell stays as the parent of a background sleep: killing the group must get both.
        let p = plugin(handshake + "; sleep 30 & wait", timeout: 0.3)
        #expect(p.start())
        _ = p.evidence(for: physioCue(0))
        #expect(p.counts.failures == 1)
    }

    @Test func garbageReplyDisables() throws {
        let p = plugin(handshake + "; while read l; do echo 'OK!'; done")
        #expect(p.start())
        _ = p.evidence(for: physioCue(0))
        #expect(try #require(p.drainFailures().first).message == "bad reply: reply is not JSON: OK!")
    }

    @Test(arguments: [
        ("exit 0", "exited with status 0 before its handshake"),
        ("kill -SEGV $$", "was killed by signal 11 (SIGSEGV) before its handshake"),
        ("exec sleep 30", "no handshake within 0.3 s"),
        (#"echo '{"protocol":1,"name":"t","channels":["text"]}'"#, "does not handle channel \"physio\""),
    ])
    func handshakeFailures(script: String, message: String) throws {
        let p = plugin(script, timeout: 0.3)
        #expect(!p.start())
        #expect(try #require(p.drainFailures().first).message.contains(message))
        #expect(p.pid == 0)
    }

    @Test func stderrFloodDoesNotBlock() throws {
        // 4 MiB of stderr per cue, far over any pipe buffer: it goes to the descriptor given, unread by us.
        let path = "/tmp/attune-exec-flood-\(getpid()).log"
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        defer { close(fd); unlink(path) }
        let p = plugin(handshake + #"; while read l; do head -c 4194304 /dev/zero >&2; echo '{}'; done"#, stderr: fd)
        #expect(p.start())
        for i in 0..<3 { _ = p.evidence(for: physioCue(Double(i))) }
        #expect(p.counts.replies == 3)
        var st = stat()
        fstat(fd, &st)
        #expect(st.st_size == 3 * 4_194_304)
    }

    @Test func pluginThatNeverReadsCannotBlockAWrite() throws {
        // A 900 kB cue into a plugin that never reads: the socket buffer fills; the write must time out.
        let p = plugin(handshake + "; exec sleep 30", timeout: 0.3)
        #expect(p.start())
        let big = String(repeating: "x", count: 900_000)
        _ = p.evidence(for: Cue(t: 0, channel: "physio", value: ["note": .string(big)]))
        #expect(p.counts.failures == 1)
    }

    @Test func slowExitIsKilledAtShutdown() throws {
        let p = plugin(handshake + "; trap '' TERM; exec sleep 30", timeout: 0.3)
        #expect(p.start())
        let pid = p.pid
        p.shutdown()
        #expect(!processExists(pid))
    }
}

@Suite(.serialized) struct ExecPluginEngineTests {
    static let pythonPlugin = "python3 '\(repositoryRoot)/Examples/python/physio_plugin.py'"

    func run(_ lines: [String], plugin command: String, timeout: Double = 10) -> (out: [String], counts: RunCounts, plugin: ExecPlugin) {
        let p = plugin(command, timeout: timeout)
        p.start()
        var registry = ChannelRegistry.standard
        registry.register(p.channel)
        var configuration = AttuneConfiguration()
        configuration.bus.emit = .every
        var engine = StandardEngine(configuration: configuration, channels: registry)
        var out: [String] = []
        for line in lines {
            engine.ingest(line: line)
            engine.drain { out.append($0.jsonLine) }
        }
        engine.finish()
        engine.drain { out.append($0.jsonLine) }
        p.shutdown()
        return (out, engine.counts, p)
    }

    func sampleLines() throws -> [String] {
        let text = try String(decoding: readFile("\(repositoryRoot)/Examples/physio-plugin/sample.jsonl"), as: UTF8.self)
        return text.split(separator: "\n").map(String.init)
    }

    @Test func pythonPluginEndToEndIsDeterministic() throws {
        let lines = try sampleLines()
        let a = run(lines, plugin: Self.pythonPlugin)
        let b = run(lines, plugin: Self.pythonPlugin)
        #expect(a.out == b.out)
        #expect(a.out.count == lines.count)
        #expect(a.plugin.counts.failures == 0)
        #expect(a.plugin.counts.replies == lines.filter { $0.contains("physio") }.count)
        // The heart-rate burst in the sample must show up as the plugin's tag.
        #expect(a.out.contains { $0.contains(#""tag":"physio_arousal_up""#) })
    }

    @Test func afterACrashLaterCuesAreRejectedAndOtherChannelsGoOn() throws {
        // Crashes on its third cue. maxLateness 0.5 and cues 1 s apart: each cue is applied when the next arrives.
        let script = handshake + #"; n=0; while read l; do n=$((n+1)); [ $n -ge 3 ] && exit 1; echo '{}'; done"#
        var lines: [String] = []
        for i in 0..<6 {
            lines.append(#"{"t":\#(i),"channel":"physio","value":{"hr_bpm":70}}"#)
            lines.append(#"{"t":\#(i).5,"channel":"affect","value":{"valence":-0.5}}"#)
        }
        let r = run(lines, plugin: script)
        #expect(r.plugin.counts.replies == 2)
        #expect(r.plugin.counts.failures == 1)
        #expect(r.counts.read == 12)
        #expect(r.counts.read == r.counts.accepted + r.counts.rejected)
        #expect(r.counts.rejected == r.plugin.counts.rejected)
        #expect(r.counts.rejected >= 2)
        // Every affect cue still gets its recommendation.
        #expect(r.out.filter { $0.contains(#""event":"affect""#) }.count == 6)
    }
}

func monotonicNow() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func readFile(_ path: String) throws -> [UInt8] {
    guard let f = fopen(path, "rb") else { throw ExecWireError("cannot open \(path)") }
    defer { fclose(f) }
    var out: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = fread(&buf, 1, buf.count, f)
        if n <= 0 { break }
        out += buf[0..<n]
    }
    return out
}

@Suite struct ExecSchemaExampleTests {
    /// The examples in the published schemas must be what the host accepts.
    @Test func replySchemaExamplesParse() throws {
        let schema = try JSONValue.parse(String(decoding: readFile("\(repositoryRoot)/Protocols/schemas/exec-reply.schema.json"), as: UTF8.self))
        let examples = try #require(schema["examples"]?.array)
        #expect(examples.count >= 3)
        for example in examples {
            let parsed = ExecWire.parseReply(example.jsonText)
            #expect((try? parsed.get()) != nil, "\(example.jsonText)")
        }
    }

    @Test func handshakeSchemaExampleParses() throws {
        let schema = try JSONValue.parse(String(decoding: readFile("\(repositoryRoot)/Protocols/schemas/exec-handshake.schema.json"), as: UTF8.self))
        let example = try #require(schema["examples"]?.array?.first)
        #expect((try? ExecWire.parseHandshake(example.jsonText, channel: "physio").get())?.name == "physio_plugin.py")
    }
}
