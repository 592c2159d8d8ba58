import AttuneCore
import PropertyBased
import Testing

/// Properties the fusion stage and bus must keep for any input.
@Suite struct PropertyTests {
    static let values = Gen.double(in: -1...1).array(of: 1...40)
    static let gaps = Gen.double(in: 0...120).array(of: 1...40)

    func run(_ events: [InputEvent], emit: EmitPolicy = .every) -> [Recommendation] {
        var c = BusConfiguration()
        c.emit = emit
        var bus = CueBus(channels: ChannelRegistry(), configuration: c)
        for e in events { bus.push(e) }
        bus.finish()
        return bus.drain()
    }

    func stream(_ values: [Double], _ gaps: [Double], session: String = "default") -> [InputEvent] {
        var t = 0.0
        var out: [InputEvent] = []
        for (i, v) in values.enumerated() {
            t += gaps[i % gaps.count]
            let source: Source = i % 3 == 2 ? .listener : .other
            out.append(.cue(Cue(t: t, session: session, source: source, channel: "affect",
                                value: ["valence": .number(v), "arousal": .number(-v * 0.7), "confidence": .number(abs(v))], line: i + 1)))
        }
        return out
    }

    @Test func estimatesStayInRange() async {
        await propertyCheck(input: Self.values, Self.gaps) { values, gaps in
            for r in run(stream(values, gaps)) {
                for track in [r.state.other, r.state.listener] {
                    #expect((-1...1).contains(track.valence) && (-1...1).contains(track.arousal))
                    #expect(track.valenceSD > 0 && track.valenceSD <= 0.5 + 1e-9)
                    #expect(track.arousalSD > 0 && track.arousalSD <= 0.5 + 1e-9)
                    #expect((0...1).contains(track.coverage) && (0...1).contains(track.flooded))
                }
                #expect((0...1).contains(r.decision.confidence))
                #expect((0...1).contains(r.state.incongruence))
                #expect([r.decision.scores.comfort, r.decision.scores.space, r.decision.scores.question, r.decision.scores.reflect].allSatisfy { $0.isFinite })
            }
        }
    }

    @Test func withoutNewCuesStateDecaysTowardBaselineAndUncertaintyGrows() async {
        await propertyCheck(input: Self.values, Gen.double(in: 1...300).array(of: 2...10)) { values, tickGaps in
            var events = stream(values, [1])
            var t = Double(values.count)
            for (i, gap) in tickGaps.enumerated() {
                t += gap
                events.append(.control(Control(t: t, kind: .tick, line: 1000 + i)))
            }
            let ticks = run(events).filter { $0.event == "tick" }
            #expect(ticks.count == tickGaps.count)
            for (a, b) in zip(ticks, ticks.dropFirst()) {
                #expect(abs(b.state.other.valence) <= abs(a.state.other.valence) + 1e-12)
                #expect(abs(b.state.other.arousal) <= abs(a.state.other.arousal) + 1e-12)
                #expect(b.state.other.valenceSD >= a.state.other.valenceSD - 1e-12)
                #expect(b.state.other.arousalSD >= a.state.other.arousalSD - 1e-12)
                #expect(b.state.other.coverage <= a.state.other.coverage + 1e-12)
            }
        }
    }

    @Test func outputDoesNotDependOnHowSessionsAreInterleaved() async {
        await propertyCheck(input: Self.values, Self.values, Gen.bool.array(of: 2...80)) { a, b, pattern in
            let sa = stream(a, [0.7], session: "a")
            let sb = stream(b, [1.3], session: "b")
            var merged: [InputEvent] = []
            var i = 0, j = 0, k = 0
            while i < sa.count || j < sb.count {
                let takeA = j >= sb.count || (i < sa.count && pattern[k % pattern.count])
                if takeA { merged.append(sa[i]); i += 1 } else { merged.append(sb[j]); j += 1 }
                k += 1
            }
            let together = run(merged)
            #expect(together.filter { $0.session == "a" } == run(sa))
            #expect(together.filter { $0.session == "b" } == run(sb))
        }
    }

    @Test func aStreamAndItsReplayGiveIdenticalBytes() async {
        await propertyCheck(input: Self.values, Self.gaps) { values, gaps in
            let lines = stream(values, gaps).map { event -> String in
                guard case .cue(let c) = event else { return "" }
                return #"{"t":\#(c.t),"source":"\#(c.source.wireName)","channel":"affect","value":\#(c.value.jsonText)}"#
            }
            func bytes() -> String {
                var c = BusConfiguration()
                c.emit = .every
                var engine = Engine(bus: CueBus(channels: ChannelRegistry(), configuration: c))
                for line in lines { engine.ingest(line: line) }
                engine.finish()
                return engine.drain().map(\.jsonLine).joined(separator: "\n")
            }
            let first = bytes()
            #expect(!first.isEmpty)
            #expect(first == bytes())
        }
    }
}
