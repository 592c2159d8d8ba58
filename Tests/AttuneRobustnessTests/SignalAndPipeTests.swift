import Foundation
import Glibc
import Testing

/// Signals stop a run cleanly; a closed stdout ends it quietly; a slow reader slows it down
/// instead of making it buffer.
@Suite struct SignalAndPipeTests {
    /// `blocked`: the parent started Attune with the signals blocked (a mask is inherited
    /// across exec); Attune unblocks them itself.
    @Test(arguments: [(SIGINT, Int32(130), false), (SIGTERM, Int32(143), false), (SIGTERM, Int32(143), true)])
    func aSignalFlushesPrintsTheSummaryAndExits(_ signal: Int32, _ expected: Int32, _ blocked: Bool) throws {
        let child = try Child(["run", "--emit", "every"], inheritSignalMask: blocked)
        // Events within the reorder window stay buffered until the end: the signal must
        // still get them applied and written.
        let n = 20
        var input = ""
        for i in 0..<n { input += affectLine(t: Double(i) * 0.1, session: "s\(i % 2)") + "\n" }
        child.write(input)
        // Written before Attune waits for more input: everything out of the reorder window.
        let early = child.readLines(n - 10, timeout: 30)
        #expect(early.count >= n - 10)
        // stdin stays open: Attune is blocked in read(2) when the signal arrives.
        child.send(signal)
        let rest = child.readToEnd()
        let (status, _, stderr) = child.wait()
        #expect(status == expected, "\(stderr)")
        let lines = early + String(decoding: rest, as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(lines.count == n, "every accepted event is applied and written")
        #expect(Summary(stderr) == Summary(read: n, accepted: n, rejected: 0, late: 0, sessions: 2, recommendations: n))
        #expect(noCrashReport(stderr))
    }

    @Test func aSignalDuringALargeInputStopsReading() throws {
        let child = try Child(["run", "--emit", "final"], stdout: .devNull)
        let blocks = Counter()
        let writer = Thread {
            let line = Array((affectLine(t: 1, session: "a") + "\n").utf8)
            var block: [UInt8] = []
            for _ in 0..<1000 { block += line }
            // Up to ~85 MB; stops when Attune goes away (EPIPE).
            for i in 0..<1000 { if !child.write(block) { break }; blocks.set(i + 1) }
            child.closeStdin()
        }
        writer.start()
        // Attune is reading (so past installing its handlers) once input drains into it.
        while blocks.value < 3 { usleep(10_000) }
        child.send(SIGTERM)
        let (status, _, stderr) = child.wait()
        while writer.isExecuting { usleep(1000) }
        #expect(status == 143, "\(stderr)")
        let s = try #require(Summary(stderr))
        #expect(s.read > 0 && s.read < 1_000_000, "stopped early: \(s)")
        #expect(s.read == s.accepted + s.rejected)
        #expect(s.recommendations == 1, "the one session's final line was still written")
    }

    @Test func aClosedStdoutEndsTheRunQuietly() throws {
        // attune run | head -1
        let child = try Child(["run", "--emit", "every"])
        let writer = Thread {
            let line = Array((affectLine(t: 1, session: "a") + "\n").utf8)
            var block: [UInt8] = []
            for _ in 0..<1000 { block += line }
            for _ in 0..<200 { if !child.write(block) { break } }
            child.closeStdin()
        }
        writer.start()
        let first = child.readLines(1)
        #expect(first.first?.hasPrefix("{\"t\":") == true)
        child.closeStdout()
        let (status, _, stderr) = child.wait()
        while writer.isExecuting { usleep(1000) }
        #expect(status == 0, "\(stderr)")
        #expect(noCrashReport(stderr), "\(stderr)")
        #expect(!stderr.contains("Broken pipe"))
    }

    @Test func aSlowReaderAppliesBackPressure() throws {
        // 40k events with --emit every make ~25 MB of output. While nobody reads, Attune
        // must block in write(2) (pipe full) instead of buffering: its input stops being
        // consumed and its RSS stays flat.
        let n = 40_000
        let child = try Child(["run", "--emit", "every"])
        let written = Counter()
        let writer = Thread {
            var block = ""
            for i in 0..<n {
                block += affectLine(t: Double(i) * 0.01, session: "s") + "\n"
                if i % 100 == 99 { child.write(block); block = ""; written.set(i + 1) }
            }
            child.write(block)
            child.closeStdin()
        }
        writer.start()
        usleep(1_500_000)
        let stalledRSS = child.currentRSSKB() ?? 0
        let stalledWritten = written.value
        usleep(1_000_000)
        #expect(written.value == stalledWritten, "input kept flowing while output was blocked")
        #expect(stalledWritten < n / 2, "Attune read \(stalledWritten) of \(n) lines with nobody reading its output")
        // Now read, slowly at first.
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 16384)
        for _ in 0..<50 {
            let k = buf.withUnsafeMutableBytes { read(child.stdoutDescriptor, $0.baseAddress!, $0.count) }
            if k > 0 { out += buf[0..<k] }
            usleep(10_000)
        }
        out += child.readToEnd()
        let (status, maxRSS, stderr) = child.wait()
        while writer.isExecuting { usleep(1000) }
        #expect(status == 0, "\(stderr)")
        #expect(out.filter { $0 == 0x0A }.count == n)
        #expect(out.count > 20_000_000)
        // Peak RSS is about the stalled RSS: output was never piled up in memory.
        #expect(maxRSS < stalledRSS + 16 * 1024, "peak \(maxRSS) kB, stalled \(stalledRSS) kB")
        #expect(maxRSS < 64 * 1024, "peak \(maxRSS) kB for \(out.count) bytes of output")
    }
}
