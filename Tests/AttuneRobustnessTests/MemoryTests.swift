import Attune
import Foundation
import Testing

/// Per-session state is small and fixed; idle sessions are closed deterministically, so
/// memory is bounded by the live set, not by the number of sessions ever seen.
@Suite struct MemoryTests {
    static func bus(idle: Int, emit: EmitPolicy = .final, maxBuffered: Int = 4096) -> StandardBus {
        var c = AttuneConfiguration()
        c.bus.idleEvents = idle
        c.bus.emit = emit
        c.bus.maxBuffered = maxBuffered
        return StandardBus(configuration: c)
    }

    static func cue(_ t: Double, _ session: String, line: Int = 0) -> InputEvent {
        .cue(Cue(t: t, session: session, channel: "affect", value: ["valence": -0.5, "arousal": 0.2], line: line))
    }

    @Test func aSessionClosesAfterIdleEventsOfOthers() {
        var bus = Self.bus(idle: 3)
        bus.push(Self.cue(0, "a", line: 1))
        bus.push(Self.cue(0, "b", line: 2))
        bus.push(Self.cue(1, "b", line: 3))
        #expect(bus.openSessions == 2)
        #expect(bus.drain().isEmpty)
        // `a` has had none of the last 3 events: closed now, its final line emitted.
        bus.push(Self.cue(2, "b", line: 4))
        #expect(bus.openSessions == 1)
        let out = bus.drain()
        #expect(out.map(\.session) == ["a"])
        #expect(out.first?.line == 1)
        #expect(bus.counts.sessionsEvicted == 1)
        // `a` comes back: a new session, counted again.
        bus.push(Self.cue(9, "a", line: 5))
        #expect(bus.openSessions == 2 && bus.counts.sessionsOpened == 3)
    }

    @Test func activeSessionsAreNeverClosed() {
        var bus = Self.bus(idle: 2)
        for i in 0..<1000 {
            bus.push(Self.cue(Double(i), i % 2 == 0 ? "a" : "b"))
        }
        #expect(bus.counts.sessionsEvicted == 0 && bus.openSessions == 2)
    }

    @Test func endClosesAtOnceAndZeroKeepsEverythingOpen() {
        var bus = Self.bus(idle: 0)
        for i in 0..<5000 { bus.push(Self.cue(0, "s\(i)")) }
        #expect(bus.openSessions == 5000)
        bus.push(.control(Control(t: 1, session: "s7", kind: .end)))
        #expect(bus.openSessions == 4999)
        #expect(bus.drain().map(\.session) == ["s7"])
    }

    @Test(arguments: [1, 10, 1000])
    func theLiveSetNeverExceedsIdleEvents(_ idle: Int) {
        var bus = Self.bus(idle: idle, emit: .change)
        var peak = 0
        var emitted = 0
        for i in 0..<20_000 {
            // Sessions of mixed lifetimes: some talk often, most once.
            let name = i % 3 == 0 ? "busy\(i % 7)" : "once\(i)"
            bus.push(Self.cue(Double(i) * 0.01, name))
            peak = max(peak, bus.openSessions)
            emitted += bus.drain().count
        }
        #expect(peak <= idle)
        bus.finish()
        #expect(bus.counts.sessionsClosed == bus.counts.sessionsOpened)
    }

    @Test func evictionIsDeterministic() {
        func run() -> [String] {
            var bus = Self.bus(idle: 50, emit: .final)
            for i in 0..<3000 { bus.push(Self.cue(Double(i % 17), "s\((i * 7919) % 211)", line: i + 1)) }
            bus.finish()
            return bus.drain().map { $0.jsonLine }
        }
        let a = run(), b = run()
        #expect(a == b)
        #expect(a.count > 211)
    }

    @Test func feedbackTotalsAreCapped() {
        var bus = Self.bus(idle: 0, emit: .final)
        let n = StandardBus.maxFeedbackTotals + 5
        for i in 0..<n { bus.push(Self.cue(0, "s\(i)")) }
        bus.finish()
        #expect(bus.feedbackTotals.count == StandardBus.maxFeedbackTotals)
        #expect(bus.feedbackTotalsOmitted == 5)
        #expect(bus.feedbackTotals.first?.session == "s0")
    }

    @Test func theReorderBufferIsCapped() {
        // Every event at one timestamp never leaves the reorder window; the cap applies the oldest.
        var bus = Self.bus(idle: 0, emit: .every, maxBuffered: 100)
        for _ in 0..<10_000 { bus.push(Self.cue(5, "s")) }
        #expect(bus.drain().count == 10_000 - 100)
        bus.finish()
        #expect(bus.drain().count == 100)
    }

    @Test func aStreamStuckAtOneTimestampIsLinear() {
        // 200k events in one reorder window: with the default cap and an O(1) pop this
        // takes a few seconds in a debug build (it was quadratic: minutes).
        var bus = Self.bus(idle: 0, emit: .final)
        let clock = ContinuousClock()
        let took = clock.measure {
            for _ in 0..<200_000 { bus.push(Self.cue(5, "s")) }
            bus.finish()
        }
        #expect(bus.counts.applied == 200_000)
        #expect(took < .seconds(60))
    }

    @Test func bytesPerSession() throws {
        // Peak RSS of attune with N sessions all kept open (idleEvents 0), at two N.
        let config = try configFile(#"{"bus":{"idleEvents":0}}"#)
        defer { unlink(config) }
        func peak(_ n: Int) throws -> Int {
            let r = try attune(["run", "--config", config, "--emit", "final"], stdout: .devNull) { child in
                var block = ""
                for i in 0..<n {
                    block += affectLine(t: 0, session: "session-\(i)") + "\n"
                    if i % 1000 == 999 { child.write(block); block = "" }
                }
                child.write(block)
            }
            #expect(r.summary?.sessions == n)
            return r.maxRSSKB
        }
        let small = try peak(10_000), large = try peak(50_000)
        let perSession = Double(large - small) * 1024 / 40_000
        // Measured ~1.4 kB (debug build, affect cues, 2 Dec 2026; see Protocols/robustness.md).
        #expect(perSession < 8 * 1024, "\(Int(perSession)) bytes per open session")
        print("attune-robustness: \(Int(perSession)) bytes per open session (RSS \(small) kB at 10k, \(large) kB at 50k)")
    }

    @Test func aSessionDoesNotGrowWithItsEvents() throws {
        // The same sessions after 1 and after 60 in-order events each (affect cues: no plugin
        // state grows either). Applied events must not stay behind in the reorder buffer: they
        // did, up to 127 of them (~12 kB a session), until the buffer was compacted eagerly.
        // One thread: with more, the batches of decoded lines in flight grow with the input too.
        let sessions = 3000
        let config = try configFile(#"{"bus":{"idleEvents":0}}"#)
        defer { unlink(config) }
        func peak(events: Int) throws -> Int {
            let r = try attune(["run", "--threads", "1", "--config", config, "--emit", "final"], stdout: .devNull) { child in
                var block = ""
                for k in 0..<events {
                    for i in 0..<sessions {
                        block += affectLine(t: Double(k), session: "session-\(i)", valence: -0.4 + 0.01 * Double(k % 7)) + "\n"
                        if i % 1000 == 999 { child.write(block); block = "" }
                    }
                }
                child.write(block)
            }
            #expect(r.summary?.accepted == sessions * events)
            return r.maxRSSKB
        }
        let short = try peak(events: 1), long = try peak(events: 60)
        let growth = Double(long - short) * 1024 / Double(sessions)
        #expect(growth < 2048, "\(Int(growth)) bytes more per session after 60 events than after 1")
        print("attune-robustness: \(Int(growth)) bytes per session of growth over 60 events")
    }

    @Test(.timeLimit(.minutes(10)))
    func aMillionSessionsInBoundedMemory() throws {
        // A million distinct sessions, one event each. With idleEvents 10000, at most 10000
        // are open at once: peak RSS stays under 100 MB (base ~20 MB + 10000 open sessions of a few kB).
        let n = 1_000_000
        let config = try configFile(#"{"bus":{"idleEvents":10000}}"#)
        defer { unlink(config) }
        let r = try attune(["run", "--config", config, "--emit", "final"], stdout: .devNull) { child in
            var block = ""
            for i in 0..<n {
                block += #"{"t":0,"session":"\#(i)","channel":"affect","value":{"valence":-0.4}}"# + "\n"
                if i % 2000 == 1999 { child.write(block); block = "" }
            }
            child.write(block)
        }
        #expect(r.status == 0)
        #expect(r.summary == Summary(read: n, accepted: n, rejected: 0, late: 0, sessions: n, recommendations: n))
        #expect(r.stderr.contains("\(n - 10_000) closed idle"))
        #expect(r.maxRSSKB < 100 * 1024, "peak RSS \(r.maxRSSKB) kB")
        print("attune-robustness: 1M sessions, peak RSS \(r.maxRSSKB) kB")
    }
}
