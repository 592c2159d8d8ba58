import Attune
import Testing

/// A channel whose tags carry whatever words the cue gives them: for testing how reasons
/// are gathered and written (merges, escapes, non-ASCII, words too long for scratch memory).
private struct WordsChannel: ChannelPlugin {
    let name = "words"
    func evidence(from cue: Cue, state: inout NoState) -> Evidence {
        let tags = (cue.value["tags"]?.array ?? []).compactMap { t -> CueTag? in
            guard let n = t["name"]?.string, let r = t["reason"]?.string else { return nil }
            return CueTag(n, strength: t["strength"]?.double ?? 0.8, reason: r)
        }
        return Evidence(valence: Reading(cue.value["valence"]?.double ?? -0.5, variance: 0.05), tags: tags)
    }
}

private func wordsLine(_ t: Double, _ tags: [(String, Double, String)], session: String = "w") -> String {
    let members = tags.map { name, strength, reason in
        JSONValue.object(JSONObject(["name": .string(name), "strength": .number(strength), "reason": .string(reason)]))
    }
    let line = JSONValue.object(JSONObject([
        "t": .number(t), "session": .string(session), "channel": .string("words"),
        "value": .object(JSONObject(["tags": .array(members)])),
    ]))
    return line.jsonText
}

/// Streams that reach every branch of the reasons writer.
private func reasonStreams() -> [[String]] {
    let long = String(repeating: "a long quotation, \"word for word\"; ", count: 150) // ~5 KB: past the scratch
    let words = [
        // Same channel, same words: merged into one reason with the cues joined by "+".
        wordsLine(0, [("sadness", 0.9, "same words"), ("crying", 0.8, "same words"), ("fear", 0.7, "other words")]),
        // Canonically equal but different bytes (é precomposed and decomposed): String equality merges them.
        wordsLine(1, [("sadness", 0.9, "caf\u{E9}"), ("loneliness", 0.85, "cafe\u{301}"), ("fear", 0.6, "ça va")]),
        // Escapes: quotes, backslashes, control bytes, DEL, a tab, a newline.
        wordsLine(2, [("anger", 0.9, "said \"no\" \\ then \u{1}\u{7F}\t\n left"), ("joy", 0.3, "x")]),
        // Words longer than the writer's scratch memory: the String path writes them.
        wordsLine(3, [("sadness", 0.95, long), ("crying", 0.9, long), ("distress", 0.5, "short")]),
        wordsLine(4, [("withdrawal", 0.9, "turned away"), ("closed", 0.8, "turned away"), ("sadness", 0.2, "")]),
    ]
    var streams = [words]
    let dir = repoRoot + "/Tests/scenarios"
    for name in ["fine-slumped", "happy-but-crying", "whatever-turned", "self-flooded-affect", "blame-listener"] {
        let text = readFile(dir + "/" + name + ".jsonl") ?? ""
        streams.append(text.split(separator: "\n").map(String.init))
    }
    // The listener's side: an answered question, a rupture and its repair.
    for name in ["question-answered", "rupture-repair"] {
        let text = readFile(repoRoot + "/Tests/AttuneFeedbackTests/Fixtures/" + name + ".jsonl") ?? ""
        streams.append(text.split(separator: "\n").map(String.init))
    }
    return streams
}

private let repoRoot: String = {
    let file = #filePath
    var parts = file.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)
    return parts.joined(separator: "/")
}()

/// The JSON writer composes the policy's reasons straight into the line; a recommendation whose
/// reasons were read first (so held as `Reason` values) must give exactly the same bytes.
@Test(arguments: [0, 1, 2, 3, 12])
func reasonsWrittenDirectlyMatchTheReasonValues(maxReasons: Int) throws {
    var config = AttuneConfiguration()
    config.bus.emit = .every
    config.policy.maxReasons = maxReasons
    var channels = ChannelRegistry.standard(config)
    channels.register(WordsChannel())
    var checked = 0, merged = 0, long = 0, nonASCII = 0
    let kinds = ["mixed signals", "the other person seems flooded", "you seem flooded", "your question was answered"]
    var seen = [Int](repeating: 0, count: kinds.count)
    for stream in reasonStreams() {
        var engine = StandardEngine(configuration: config, channels: channels)
        for line in stream where !line.isEmpty { _ = engine.ingest(line: line) }
        engine.finish()
        let recs = engine.drain()
        #expect(!recs.isEmpty)
        for r in recs {
            var held = r
            held.decision.because = r.decision.because
            #expect(r.jsonLine == held.jsonLine, "line \(r.line)")
            #expect(r.decision.because.count <= max(maxReasons, 0))
            let json = try #require(JSONValue.parse(r.jsonLine)["because"]?.array)
            #expect(json.count == r.decision.because.count)
            for (j, reason) in zip(json, r.decision.because) {
                #expect(j["reason"]?.string == reason.text)
                #expect(j["cue"]?.string == reason.cue)
                if reason.cue.contains("+") { merged += 1 }
                if reason.text.utf8.count > 1_024 { long += 1 }
                if reason.text.utf8.contains(where: { $0 >= 0x80 }) { nonASCII += 1 }
                for (k, prefix) in kinds.enumerated() where reason.text.hasPrefix(prefix) { seen[k] += 1 }
            }
            checked += 1
        }
    }
    #expect(checked > 40)
    // The streams did reach the branches they are there for.
    if maxReasons >= 2 {
        #expect(merged > 0)
        #expect(long > 0)
        #expect(nonASCII > 0)
        for (k, kind) in kinds.enumerated() { #expect(seen[k] > 0, "no \"\(kind)\" reason") }
    }
}

/// One ``JSONLineWriter`` keeps its reason-ranking room from line to line (and from one
/// session's stream to another's, short reasons after long ones): every line it appends must be
/// the recommendation's own line, as ``Recommendation/appendJSONLine(to:)`` writes it too.
@Test func lineWriterReusedAcrossLinesWritesEachLineExactly() throws {
    var config = AttuneConfiguration()
    config.bus.emit = .every
    var channels = ChannelRegistry.standard(config)
    channels.register(WordsChannel())
    var writer = JSONLineWriter()
    var reused: [UInt8] = [], fresh: [UInt8] = [], expected: [UInt8] = []
    var lines = 0
    for stream in reasonStreams() + reasonStreams().reversed() {
        var engine = StandardEngine(configuration: config, channels: channels)
        for line in stream where !line.isEmpty { _ = engine.ingest(line: line) }
        engine.finish()
        for r in engine.drain() {
            writer.append(r, to: &reused)
            r.appendJSONLine(to: &fresh)
            expected += Array(r.jsonLine.utf8) + [0x0A]
            lines += 1
        }
    }
    #expect(lines > 80)
    #expect(reused == expected)
    #expect(fresh == expected)
    // Each parses back with json-c, one object per line.
    let text = String(decoding: reused, as: UTF8.self)
    let parsed = text.split(separator: "\n").map { try? JSONValue.parse(String($0)) }
    #expect(parsed.count == lines)
    #expect(parsed.allSatisfy { $0?.object != nil })
}
