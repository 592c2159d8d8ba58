// Runs the physio plugin, with the built-in channels, on a JSON-lines cue stream
// and prints each change of recommended mode with its reasons.
//
//   swift run physio-demo [sample.jsonl]
import Attune
import PhysioChannel
#if canImport(Glibc)
import Glibc
#endif

var channels = ChannelRegistry.standard
channels.register(PhysioChannel())                 // the one line that adds a channel

var configuration = AttuneConfiguration()
configuration.bus.emit = .every
var engine = StandardEngine(configuration: configuration, channels: channels)

let path = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "sample.jsonl"
guard let file = fopen(path, "r") else {
    print("physio-demo: cannot open \(path)")
    exit(66)
}
var lineBuffer: UnsafeMutablePointer<CChar>?
var capacity = 0
while getline(&lineBuffer, &capacity, file) > 0 {
    var line = String(cString: lineBuffer!)
    if line.hasSuffix("\n") { line.removeLast() }
    if case .failure(let error) = engine.ingest(line: line) { print("rejected \(error)") }
}
free(lineBuffer)
fclose(file)
engine.finish()

var lastMode: Mode?
for r in engine.drain() {
    let tags = r.state.other.tags.map { "\($0.name) \(($0.level * 100).rounded() / 100)" }.joined(separator: ", ")
    let line = "t=\(r.t)  \(r.event)  arousal \((r.state.other.arousal * 100).rounded() / 100)  mode \(r.mode)"
        + (tags.isEmpty ? "" : "  tags: \(tags)")
    if r.mode != lastMode || !tags.isEmpty { print(line) }
    lastMode = r.mode
}
print(engine.counts.summary)
