import Attune
import Foundation
import Testing

/// The documentation keeps up with the code: every configuration key is documented,
/// and the README's library example runs.
@Suite struct DocumentationTests {
    func read(_ path: String) throws -> String {
        try String(contentsOf: repoRoot.appendingPathComponent(path), encoding: .utf8)
    }

    /// Keys whose values are maps or tables (their entries are data, not keys).
    static let maps: Set<String> = ["weights", "channelReliability", "tagHalfLives", "supersedes", "tags", "aliases",
                                    "spreadFloors", "labels", "extraLabels", "bias"]

    func keyPaths(_ value: JSONValue, prefix: String) -> [String] {
        guard let object = value.object else { return [] }
        var out: [String] = []
        for m in object {
            let path = prefix.isEmpty ? m.key : prefix + "." + m.key
            out.append(path)
            if !Self.maps.contains(m.key) { out += keyPaths(m.value, prefix: path) }
        }
        return out
    }

    @Test func everyConfigurationKeyIsDocumented() throws {
        let json = AttuneConfiguration().json
        let core = try read("Protocols/configuration.md")
        var missing: [String] = []
        for section in ["bus", "fusion", "policy"] {
            for path in keyPaths(json[section]!, prefix: section) where json[section]?.object != nil {
                let leaf = path.split(separator: ".").last!
                if !core.contains("`\(path)`") && !core.contains("`\(leaf)`") { missing.append(path) }
            }
        }
        for channel in ["text", "voice", "posture"] {
            let page = try read("Protocols/channels/\(channel).md")
            for m in json["channels"]![channel]!.object! where !page.contains("`\(m.key)`") {
                missing.append("channels.\(channel).\(m.key)")
            }
        }
        if !core.contains("`channels.affect.baseVariance`") { missing.append("channels.affect.baseVariance") }
        #expect(missing.isEmpty, "undocumented configuration keys: \(missing)")
    }

    @Test func readmeLibraryExampleRuns() throws {
        // The README's snippet, verbatim apart from print.
        var engine = StandardEngine(configuration: AttuneConfiguration())
        engine.ingest(line: #"{"t":1,"channel":"text","value":{"text":"Please just leave me alone."}}"#)
        engine.push(Cue(t: 2, channel: "posture", value: ["label": "turned_away"]))
        engine.finish()
        let out = engine.drain()
        #expect(out.last?.mode == .space)
        #expect(out.last?.decision.because.map(\.text).contains { $0.contains("leave me alone") } == true)
    }
}
