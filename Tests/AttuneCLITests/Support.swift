import Foundation
import Testing

/// The repository root, from this file's path.
let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The `attune` binary built alongside this test bundle (or `ATTUNE_BIN`).
func attuneBinary() throws -> URL {
    if let path = ProcessInfo.processInfo.environment["ATTUNE_BIN"] { return URL(fileURLWithPath: path) }
    let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    var dir = exe.deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = dir.appendingPathComponent("attune")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        dir = dir.deletingLastPathComponent()
    }
    throw CLIFailure("attune binary not found near \(exe.path); run `swift build` first or set ATTUNE_BIN")
}

struct CLIFailure: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

struct RunResult {
    var status: Int32
    var stdout: Data
    var stderr: String
    var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    var lines: [String] { stdoutText.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty } }
}

/// Runs `attune` with `arguments`, feeding `input` on stdin.
func attune(_ arguments: [String], input: Data = Data(), environment: [String: String]? = nil) throws -> RunResult {
    let process = Process()
    process.executableURL = try attuneBinary()
    process.arguments = arguments
    process.currentDirectoryURL = repoRoot
    if let environment { process.environment = environment }
    let inPipe = Pipe(), outPipe = Pipe(), errPipe = Pipe()
    process.standardInput = inPipe
    process.standardOutput = outPipe
    process.standardError = errPipe
    try process.run()
    // Feed and drain concurrently so neither side blocks on a full pipe.
    let writer = Thread {
        inPipe.fileHandleForWriting.write(input)
        try? inPipe.fileHandleForWriting.close()
    }
    writer.start()
    nonisolated(unsafe) var errData = Data()
    let errReader = Thread { errData = errPipe.fileHandleForReading.readDataToEndOfFile() }
    errReader.start()
    let out = outPipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    while errReader.isExecuting || writer.isExecuting { usleep(1000) }
    return RunResult(status: process.terminationStatus, stdout: out, stderr: String(decoding: errData, as: UTF8.self))
}

func attune(_ arguments: [String], input: String) throws -> RunResult {
    try attune(arguments, input: Data(input.utf8))
}
