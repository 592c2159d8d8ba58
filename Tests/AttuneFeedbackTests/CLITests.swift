import Foundation
import Testing

/// The `attune` binary next to the test bundle (or `ATTUNE_BIN`); nil when not built.
private func attuneBinary() -> String? {
    if let path = ProcessInfo.processInfo.environment["ATTUNE_BIN"] { return path }
    var dir = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = dir.appendingPathComponent("attune").path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        dir = dir.deletingLastPathComponent()
    }
    return nil
}

/// `attune run --feedback-summary FILE`: stdout discarded, stderr returned (small, fits a pipe).
private func runSummary(_ arguments: [String]) throws -> (status: Int32, stderr: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try #require(attuneBinary(), "build attune first"))
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    let err = Pipe()
    process.standardError = err
    try process.run()
    let data = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

@Test func feedbackSummaryFollowsTheRunSummary() throws {
    let file = fixtures + "/rupture-repair.jsonl"
    let with = try runSummary(["run", "--feedback-summary", file])
    #expect(with.status == 0)
    let lines = with.stderr.split(separator: "\n").map(String.init)
    #expect(lines.count == 2, "\(with.stderr)")
    #expect(lines.first?.hasPrefix("attune: 17 lines read") == true)
    #expect(lines.last == "attune: feedback: session default: 2 responses: 1 attuned (50 %), 0 partly, 1 missed; 1 rupture, 1 repair (mean time to repair 4 s)")
    // Without the flag, only the run summary.
    let without = try runSummary(["run", file])
    #expect(without.stderr.split(separator: "\n").count == 1)
}
