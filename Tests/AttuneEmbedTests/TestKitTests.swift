import AttuneTestKit
import Testing

/// A toy plugin with state: arousal rises with each cue of the same person; "bad" values are rejected.
private struct CounterChannel: ChannelPlugin {
    let name = "counter"
    struct State: Sendable { var seen = 0 }
    func makeState() -> State { State() }
    func validate(_ value: JSONValue) -> String? {
        value["n"]?.double == nil ? "value.n: expected a number" : nil
    }
    func evidence(from cue: Cue, state: inout State) -> Evidence {
        state.seen += 1
        let level = min(1, Double(state.seen) / 4)
        return Evidence(arousal: Reading(level, variance: 0.05),
                        tags: state.seen >= 3 ? [CueTag("counter_high", strength: level, reason: "seen \(state.seen)")] : [],
                        warnings: cue.value["n"]!.double! < 0 ? ["counter: negative n"] : [])
    }
}

@Suite struct EmbeddedBusTests {
    @Test func oneRecommendationPerCueInOrder() throws {
        var bus = EmbeddedBus(channels: [CounterChannel()])
        for i in 0..<4 {
            try bus.writeCue(t: Double(i), channel: "counter", value: ["n": .number(Double(i))])
            let first = bus.readRecommendation()
            let second = bus.readRecommendation()
            let r = try #require(first)
            #expect(r.t == Double(i))
            #expect(r.event == "counter")
            #expect(second == nil)
        }
        #expect(bus.counts.accepted == 4)
        #expect(bus.counts.emitted == 4)
    }

    @Test func pluginStateAccumulatesPerPerson() throws {
        var bus = EmbeddedBus(channels: [CounterChannel()])
        for i in 0..<4 { try bus.writeCue(t: Double(i), channel: "counter", value: ["n": 1]) }
        // Another session starts from a fresh state: its arousal must be lower than the first's.
        try bus.writeCue(t: 0, channel: "counter", value: ["n": 1], session: "b")
        let all = bus.finish()
        let a = try #require(all.last { $0.session == "default" })
        let b = try #require(all.last { $0.session == "b" })
        #expect(a.state.other.arousal > b.state.other.arousal)
        #expect(a.state.other.tags.contains { $0.name == "counter_high" })
        #expect(!b.state.other.tags.contains { $0.name == "counter_high" })
    }

    @Test(arguments: [
        (#"{"t":1,"channel":"counter","value":{"n":"x"}}"#, LineError.Kind.invalidValue),
        (#"{"t":1,"channel":"nope","value":{}}"#, .unknownChannel),
        ("not json", .malformed),
        ("", .blank),
    ])
    func rejectedLinesThrowAndAreCounted(line: String, kind: LineError.Kind) {
        var bus = EmbeddedBus(channels: [CounterChannel()])
        #expect { try bus.writeLine(line) } throws: { ($0 as? LineError)?.kind == kind }
        #expect(bus.counts.rejected == 1)
        #expect(bus.counts.read == 1)
        let none = bus.readRecommendation()
        #expect(none == nil)
    }

    @Test func warningsAreReadOncePerMessage() throws {
        var bus = EmbeddedBus(channels: [CounterChannel()])
        try bus.writeCue(t: 0, channel: "counter", value: ["n": -1])
        try bus.writeCue(t: 1, channel: "counter", value: ["n": -2])
        let first = bus.readWarning(), second = bus.readWarning()
        #expect(first == "counter: negative n")
        #expect(second == nil)
        #expect(bus.counts.warnings == 2)
    }

    @Test func finishFlushesWhatTheReorderBufferHolds() throws {
        // With the real defaults (maxLateness 0.5, emit change), a cue waits in the buffer until finish.
        var bus = EmbeddedBus(channels: [CounterChannel()], configuration: AttuneConfiguration())
        try bus.writeCue(t: 0, channel: "counter", value: ["n": 1])
        let early = bus.readRecommendation()
        #expect(early == nil)
        let rest = bus.finish()
        #expect(rest.count == 1)
        #expect(bus.isFinished)
        let again = bus.finish()
        #expect(again.isEmpty)
    }

    @Test func registryInitUsesExactlyThoseChannels() {
        var registry = ChannelRegistry.empty
        registry.register(CounterChannel())
        var bus = EmbeddedBus(registry: registry)
        #expect(throws: LineError.self) { try bus.writeCue(t: 0, channel: "affect", value: ["valence": 0.1]) }
        #expect(bus.counts.rejected == 1)
    }
}

@Suite struct PluginRunTests {
    @Test func feedKeepsStatePerSessionAndSource() throws {
        var run = PluginRun(CounterChannel())
        _ = try run.feed(["n": 1], at: 0)
        _ = try run.feed(["n": 1], at: 1)
        let third = try run.feed(["n": 1], at: 2)
        let otherPerson = try run.feed(["n": 1], at: 2, source: .listener)
        #expect(third.arousal?.value == 0.75)
        #expect(otherPerson.arousal?.value == 0.25)
        #expect(third.tags.map(\.name) == ["counter_high"])
    }

    @Test func evidenceForASequence() throws {
        let e = try PluginRun.evidence(CounterChannel(), for: [["n": 1], ["n": 2], ["n": 3], ["n": 4], ["n": 5]])
        #expect(e.compactMap { $0.arousal?.value } == [0.25, 0.5, 0.75, 1, 1])
    }

    @Test func invalidValueThrows() {
        var run = PluginRun(CounterChannel())
        #expect(throws: LineError.self) { _ = try run.feed(["m": 1], at: 0) }
        #expect(PluginRun.problems(CounterChannel(), in: [["n": 1], ["n": "x"]]) == [nil, "value.n: expected a number"])
    }
}
