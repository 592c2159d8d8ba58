import AttuneTestKit
import PhysioChannel
import Testing

/// A resting heart rate with a little wobble, then `spike` bpm.
func heartRates(rest: Double, count: Int, then spike: Double) -> [JSONValue] {
    (0..<count).map { ["hr_bpm": .number(rest + Double($0 % 3) - 1)] } + [["hr_bpm": .number(spike)]]
}

@Suite struct PhysioChannelTests {
    // The contract test from ChannelPlugin's doc comment, verbatim.
    @Test func followsThePluginContract() throws {
        let values: [JSONValue] = (0..<10).map { ["hr_bpm": .number(70 + Double($0 % 3))] } + [["hr_bpm": 110]]
        let a = try PluginRun.evidence(PhysioChannel(), for: values)   // validates, then runs in order
        let b = try PluginRun.evidence(PhysioChannel(), for: values)
        #expect(a == b)                                               // deterministic
        for e in a {
            for r in [e.valence, e.arousal].compactMap({ $0 }) {
                #expect((-1...1).contains(r.value) && r.variance > 0)
            }
            #expect((0...1).contains(e.confidence))
            for tag in e.tags { #expect((0...1).contains(tag.strength) && !tag.reason.isEmpty) }
        }
        var bus = EmbeddedBus(channels: [PhysioChannel()])           // the real bus, in memory
        for (i, v) in values.enumerated() { try bus.writeCue(t: Double(i), channel: "physio", value: v) }
        #expect(throws: LineError.self) { try bus.writeLine(#"{"t":99,"channel":"physio","value":"?"}"#) }
        #expect(bus.finish().count == values.count)                  // one recommendation per cue
        #expect(bus.counts.rejected == 1)
    }

    @Test func validateRejectsWhatEvidenceCannotUse() {
        let problems = PluginRun.problems(PhysioChannel(), in: [["hr_bpm": "fast"], [:], ["eda_us": -1], 5, ["hr_bpm": 70], ["eda_us": 3.5]])
        #expect(problems.map { $0 != nil } == [true, true, true, true, false, false])
    }

    @Test func saysNothingWhileLearningTheBaseline() throws {
        let e = try PluginRun.evidence(PhysioChannel(), for: heartRates(rest: 70, count: 4, then: 120))
        #expect(e.allSatisfy { $0 == .none })
    }

    @Test(arguments: [(60.0, 95.0), (90.0, 125.0)])
    func aRiseAboveTheirOwnBaselineIsTagged(rest: Double, spike: Double) throws {
        let e = try PluginRun.evidence(PhysioChannel(), for: heartRates(rest: rest, count: 10, then: spike))
        let last = try #require(e.last)
        #expect(try #require(last.arousal).value > 0.8)
        #expect(last.tags.map(\.name) == [PhysioChannel.arousalUpTag])
        #expect(last.tags[0].reason.contains("heart rate \(Int(spike)) bpm"))
    }

    @Test func restingHighIsNotAlarming() throws {
        // 90 bpm all along: for this person that is calm.
        let e = try PluginRun.evidence(PhysioChannel(), for: heartRates(rest: 90, count: 10, then: 90))
        #expect(abs(try #require(e.last?.arousal).value) < 0.3)
        #expect(e.allSatisfy { $0.tags.isEmpty })
    }

    @Test func baselinesArePerPerson() throws {
        var run = PluginRun(PhysioChannel())
        for i in 0..<10 { _ = try run.feed(["hr_bpm": 60], at: Double(i)) }
        // The listener's first sample starts a baseline of their own: no evidence yet.
        #expect(try run.feed(["hr_bpm": 100], at: 10, source: .listener) == .none)
        #expect(try run.feed(["hr_bpm": 100], at: 10).tags.count == 1)
    }

    @Test func onTheBusTheTagReachesTheRecommendation() throws {
        var bus = EmbeddedBus(channels: [PhysioChannel()])
        var arousal: [Double] = []
        for (i, v) in heartRates(rest: 70, count: 10, then: 115).enumerated() {
            try bus.writeCue(t: Double(i), channel: "physio", value: v)
            let r = bus.readRecommendation()        // into a local: #require cannot call a mutating method
            arousal.append(try #require(r).state.other.arousal)
        }
        #expect(throws: LineError.self) { try bus.writeLine(#"{"t":20,"channel":"physio","value":{"hr_bpm":"x"}}"#) }
        bus.finish()
        #expect(arousal[10] > arousal[9] + 0.1)
        #expect(bus.counts.accepted == 11 && bus.counts.rejected == 1)
    }

    @Test func theSpikeTagIsInTheOutput() throws {
        var bus = EmbeddedBus(channels: [PhysioChannel()])
        for (i, v) in heartRates(rest: 70, count: 10, then: 115).enumerated() {
            try bus.writeCue(t: Double(i), channel: "physio", value: v)
        }
        let last = try #require(bus.readAllRecommendations().last)
        #expect(last.state.other.tags.contains { $0.name == "physio_arousal_up" && $0.channel == "physio" })
        #expect(last.jsonLine.contains(#""tag":"physio_arousal_up""#))
    }
}
