import AttuneCore
import Testing

func affect(_ t: Double, _ valence: Double, session: String = "default", source: Source = .other, line: Int = 0) -> InputEvent {
    .cue(Cue(t: t, session: session, source: source, channel: "affect", value: ["valence": .number(valence), "arousal": 0], line: line))
}

func everyBus(maxLateness: Double = 0.5) -> CueBus<KalmanFusion, ScoringPolicy> {
    var c = BusConfiguration()
    c.emit = .every
    c.maxLateness = maxLateness
    return CueBus(channels: ChannelRegistry(), configuration: c)
}

@Suite struct CueBusTests {
    @Test func appliesOutOfOrderEventsInTimestampOrder() {
        var bus = everyBus(maxLateness: 1.0)
        bus.push(affect(1.0, -0.5, line: 1))
        bus.push(affect(3.0, 0.2, line: 2))
        bus.push(affect(2.0, 0.1, line: 3))   // 1 s behind the newest: still in order
        bus.push(affect(9.0, 0.0, line: 4))
        bus.finish()
        let out = bus.drain()
        #expect(out.map(\.line) == [1, 3, 2, 4])
        #expect(out.map(\.t) == [1, 2, 3, 9])
        #expect(bus.counts.late == 0)
    }

    /// Recommendations are moved out of the bus one by one: each reaches `drain` once, in order;
    /// when the output fails part-way the rest are dropped with it, and what comes later comes
    /// out alone (the outbox's slots are reused, never left holding an old one).
    @Test func drainHandsEachRecommendationOverOnceInOrder() {
        struct OutputFailed: Error {}
        var bus = everyBus(maxLateness: 0)
        for i in 1...4 { bus.push(affect(Double(i), 0.1, line: i)) }
        var seen: [Int] = []
        #expect(throws: OutputFailed.self) {
            try bus.drain { r in
                seen.append(r.line)
                if seen.count == 2 { throw OutputFailed() }
            }
        }
        #expect(seen == [1, 2])
        #expect(bus.drain().isEmpty)
        bus.push(affect(5, -0.4, line: 5))
        bus.push(affect(6, -0.5, line: 6))
        seen = []
        bus.drain { seen.append($0.line) }
        #expect(seen == [5, 6])
        bus.push(affect(7, 0, line: 7))
        bus.finish()
        let last = bus.drain()
        #expect(last.map(\.line) == [7])
        #expect(last[0].state.other.valence < 0)
        #expect(bus.drain().isEmpty)
        #expect(bus.counts.emitted == 7)
    }

    @Test func tiesKeepArrivalOrder() {
        var bus = everyBus()
        bus.push(affect(1.0, -0.5, line: 1))
        bus.push(affect(1.0, 0.5, line: 2))
        bus.push(affect(1.0, 0.1, line: 3))
        bus.finish()
        #expect(bus.drain().map(\.line) == [1, 2, 3])
    }

    @Test func tooLateEventsAreAppliedAtTheSessionClockAndCounted() {
        var bus = everyBus(maxLateness: 0.5)
        bus.push(affect(10.0, 0, line: 1))
        bus.push(affect(20.0, 0, line: 2))   // releases line 1 (horizon 19.5)
        bus.push(affect(5.0, -0.9, line: 3)) // behind the clock (10): late
        bus.finish()
        let out = bus.drain()
        #expect(out.map(\.line) == [1, 3, 2])
        let late = out.first { $0.line == 3 }
        #expect(late?.late == true)
        #expect(late?.t == 10)
        #expect(bus.counts.late == 1)
    }

    @Test func sessionsAreSeparate() {
        var mixed = everyBus()
        var alone = everyBus()
        for i in 0..<20 {
            let t = Double(i)
            mixed.push(affect(t, -0.8, session: "a", line: i))
            mixed.push(affect(t + 0.5, 0.8, session: "b", line: 100 + i))
            alone.push(affect(t, -0.8, session: "a", line: i))
        }
        mixed.finish()
        alone.finish()
        let a = mixed.drain().filter { $0.session == "a" }
        #expect(a == alone.drain())
        #expect(mixed.counts.sessionsOpened == 2)
    }

    @Test func endClosesASessionAndFinishFlushesTheRest() {
        var bus = everyBus(maxLateness: 100)
        bus.push(affect(1, -0.5, session: "a", line: 1))
        bus.push(affect(2, -0.5, session: "b", line: 2))
        bus.push(.control(Control(t: 3, session: "a", kind: .end, line: 3)))
        #expect(bus.drain().map(\.line) == [1, 3])   // a flushed at its end; b still buffered
        #expect(bus.openSessions == 1)
        bus.finish()
        #expect(bus.drain().map(\.line) == [2])
        #expect(bus.openSessions == 0)
        #expect(bus.counts.sessionsClosed == 2)
    }

    @Test func emitChangeOnlyWritesModeChanges() {
        var c = BusConfiguration()
        c.emit = .change
        var bus = CueBus(channels: ChannelRegistry(), configuration: c)
        for i in 0..<10 { bus.push(affect(Double(i), -0.8, line: i)) }
        bus.finish()
        let out = bus.drain()
        #expect(!out.isEmpty)
        #expect(out.allSatisfy { $0.decision.changed })
        #expect(Set(zip(out, out.dropFirst()).map { $0.mode != $1.mode }) == [true] || out.count == 1)
    }

    @Test func emitFinalWritesOneLinePerSession() {
        var c = BusConfiguration()
        c.emit = .final
        var bus = CueBus(channels: ChannelRegistry(), configuration: c)
        for i in 0..<5 {
            bus.push(affect(Double(i), -0.8, session: "a", line: i))
            bus.push(affect(Double(i), 0.8, session: "b", line: 10 + i))
        }
        bus.finish()
        let out = bus.drain()
        #expect(out.map(\.session) == ["a", "b"])
        #expect(out.map(\.line) == [4, 14])
    }

    @Test func tickAdvancesTheClockAndStateDecays() {
        var bus = everyBus(maxLateness: 0)
        bus.push(affect(0, -0.9, line: 1))
        bus.push(.control(Control(t: 600, session: "default", kind: .tick, line: 2)))
        let out = bus.drain()
        #expect(out.count == 2)
        #expect(out[1].event == "tick")
        #expect(abs(out[1].state.other.valence) < abs(out[0].state.other.valence) / 20)
        #expect(out[1].state.other.valenceSD > out[0].state.other.valenceSD)
    }
}

@Suite struct EngineTests {
    @Test func everyLineIsAccountedFor() {
        var engine = Engine(bus: everyBus())
        let lines = [
            #"{"t":0,"channel":"affect","value":{"valence":-0.5}}"#,
            "",
            "garbage",
            #"{"t":1,"channel":"affect","value":{"valence":3}}"#,
            #"{"t":2,"session":"x","control":"end"}"#,
            #"{"t":3,"channel":"affect","value":{"arousal":0.5}}"#,
        ]
        var failures: [Int] = []
        for line in lines {
            if case .failure(let e) = engine.ingest(line: line) { failures.append(e.line) }
        }
        engine.finish()
        let c = engine.counts
        #expect(failures == [2, 3, 4])
        #expect(c.read == 6 && c.accepted == 3 && c.rejected == 3 && c.blank == 1)
        #expect(c.read == c.accepted + c.rejected)
        #expect(c.sessions == 2)
        #expect(engine.drain().count == 3)
        #expect(c.summary == "6 lines read, 3 accepted, 3 rejected (1 blank), 0 late, 2 sessions, 3 recommendations")
    }

    @Test func pushValidatesCuesBuiltInCode() {
        var engine = Engine(bus: everyBus())
        #expect((try? engine.push(Cue(t: 0, channel: "affect", value: ["valence": 0.3])).get()) != nil)
        guard case .failure(let e) = engine.push(Cue(t: -1, channel: "affect", value: ["valence": 0.3])) else {
            Issue.record("accepted"); return
        }
        #expect(e.message.contains("t:"))
        guard case .failure(let e2) = engine.push(Cue(t: 1, channel: "nope", value: [:])) else {
            Issue.record("accepted"); return
        }
        #expect(e2.kind == .unknownChannel)
        #expect(engine.counts.read == 3 && engine.counts.accepted == 1 && engine.counts.rejected == 2)
    }

    @Test func outputLinesParseBackWithJSONC() throws {
        var engine = Engine(bus: everyBus())
        engine.ingest(line: #"{"t":0,"session":"q\"uote","channel":"affect","value":{"valence":-0.5,"arousal":0.4}}"#)
        engine.ingest(line: #"{"t":1,"session":"q\"uote","source":"self","channel":"affect","value":{"valence":0.1}}"#)
        engine.finish()
        let out = engine.drain()
        #expect(out.count == 2)
        for r in out {
            let v = try JSONValue.parse(r.jsonLine)
            #expect(v["session"]?.string == "q\"uote")
            #expect(v["mode"]?.string == r.mode.rawValue)
            #expect(v["other"]?["valence"]?.double == (r.state.other.valence * 10_000).rounded() / 10_000)
            #expect(v["scores"]?.object?.keys == ["comfort", "space", "question", "reflect"])
            #expect(v["because"]?.array != nil)
        }
    }
}

/// Keeps every value it is given, and warns when one it kept has changed since: the engine hands
/// an applied cue's `value` member array back to its decoder for the next line, which must never
/// write into an array someone still holds.
private struct KeepingChannel: ChannelPlugin {
    let name = "keep"
    struct State: Sendable { var kept: [(value: JSONValue, text: String)] = [] }
    func makeState() -> State { State() }
    func validate(_ value: JSONValue) -> String? { nil }
    func evidence(from cue: Cue, state: inout State) -> Evidence {
        let changed = state.kept.filter { $0.value.jsonText != $0.text }.count
        state.kept.append((cue.value, cue.value.jsonText))
        return Evidence(warnings: changed > 0 ? ["\(changed) kept values changed by line \(cue.line)"] : [])
    }
}

@Test func recycledMemberArraysLeaveHeldValuesAlone() {
    var channels = ChannelRegistry()
    channels.register(KeepingChannel())
    var c = BusConfiguration()
    c.emit = .every
    var engine = Engine(bus: CueBus<KalmanFusion, ScoringPolicy>(channels: channels, configuration: c))
    var expected: [String] = []
    for i in 0..<120 {
        // Objects of 1 to 12 members, numbers and arrays, in two sessions and out of order.
        let n = 1 + (i * 7) % 12
        let members = (0..<n).map { k in "\"k\(k)\":" + (k % 3 == 0 ? "[\(i),\(k)]" : "\(i * 100 + k)") }
        let t = Double(i / 2) + (i % 2 == 0 ? 0.3 : 0.0)
        let line = "{\"t\":\(t),\"session\":\"s\(i % 2)\",\"channel\":\"keep\",\"value\":{\(members.joined(separator: ","))}}"
        if case .failure(let e) = engine.ingest(line: line) { Issue.record("\(e)") }
        _ = engine.drain()
        expected.append(line)
    }
    engine.finish()
    _ = engine.drain()
    #expect(engine.drainWarnings().map(\.message) == [])
    #expect(engine.counts.accepted == expected.count)
    #expect(engine.bus.counts.applied == expected.count)
}
