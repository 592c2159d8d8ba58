import AttuneCore

/// The exec-plugin protocol's messages (Protocols/exec-plugin.md): the
/// handshake a plugin writes first, the cue line Attune writes, the evidence
/// line the plugin writes back. Pure functions, so they are tested without a process.
public enum ExecWire {
    /// The protocol version this Attune speaks.
    public static let protocolVersion = 1

    /// The plugin's first line: `{"protocol":1,"name":"physio.py","channels":["physio"]}`.
    public struct Handshake: Sendable, Hashable {
        public var protocolVersion: Int
        public var name: String
        public var channels: [String]
    }

    /// Parses and checks a handshake line for a plugin bound to `channel`; the error is a message for a person.
    public static func parseHandshake(_ line: String, channel: String) -> Result<Handshake, ExecWireError> {
        let value: JSONValue
        do { value = try JSONValue.parse(line) } catch { return .failure(.init("handshake is not JSON: \(clip(line))")) }
        guard let object = value.object else { return .failure(.init("handshake: expected a JSON object, got \(value.typeName)")) }
        guard let p = object["protocol"]?.double, p == p.rounded() else {
            return .failure(.init("handshake: \"protocol\" must be an integer (this Attune speaks \(protocolVersion))"))
        }
        guard Int(p) == protocolVersion else {
            return .failure(.init("handshake: protocol \(Int(p)) is not supported (this Attune speaks \(protocolVersion))"))
        }
        guard let name = object["name"]?.string, !name.isEmpty else {
            return .failure(.init("handshake: \"name\" must be a non-empty string"))
        }
        guard let list = object["channels"]?.array else {
            return .failure(.init("handshake: \"channels\" must be an array of channel names"))
        }
        var channels: [String] = []
        for c in list {
            guard let s = c.string else { return .failure(.init("handshake: \"channels\" must hold strings, got \(c.typeName)")) }
            channels.append(s)
        }
        guard channels.contains(channel) else {
            return .failure(.init("handshake: the plugin does not handle channel \"\(channel)\" (it handles: \(channels.joined(separator: ", ")))"))
        }
        return .success(Handshake(protocolVersion: Int(p), name: name, channels: channels))
    }

    /// The line Attune writes for one cue (without the newline):
    /// `{"t":12.5,"session":"s1","source":"other","channel":"physio","line":7,"value":{...}}`.
    public static func cueLine(_ cue: Cue) -> String {
        let object: JSONValue = .object(JSONObject([
            .init(key: "t", value: .number(cue.t)),
            .init(key: "session", value: .string(cue.session)),
            .init(key: "source", value: .string(cue.source.wireName)),
            .init(key: "channel", value: .string(cue.channel)),
            .init(key: "line", value: .number(Double(cue.line))),
            .init(key: "value", value: cue.value),
        ]))
        return object.jsonText
    }

    private static let replyKeys: Set<String> = ["valence", "arousal", "confidence", "tags", "warnings"]
    private static let tagKeys: Set<String> = ["tag", "strength", "reason", "hold_until", "half_life"]

    /// Parses one reply into ``Evidence``. Strict on purpose: an unknown key or an
    /// out-of-range number is an error, so a typo in a plugin shows up at once
    /// instead of silently weighing nothing.
    public static func parseReply(_ line: String) -> Result<Evidence, ExecWireError> {
        let value: JSONValue
        do { value = try JSONValue.parse(line) } catch { return .failure(.init("reply is not JSON: \(clip(line))")) }
        guard let object = value.object else { return .failure(.init("reply: expected a JSON object, got \(value.typeName)")) }
        for key in object.keys where !replyKeys.contains(key) {
            return .failure(.init("reply: unknown key \"\(clip(key))\" (expected: valence, arousal, confidence, tags, warnings)"))
        }
        var evidence = Evidence()
        do {
            evidence.valence = try reading(object["valence"], "valence")
            evidence.arousal = try reading(object["arousal"], "arousal")
            if let c = object["confidence"], !c.isNull {
                evidence.confidence = try number(c, "confidence", in: 0...1)
            }
            if let t = object["tags"], !t.isNull {
                guard let list = t.array else { throw ExecWireError("reply.tags: expected an array, got \(t.typeName)") }
                for (i, item) in list.enumerated() {
                    evidence.tags.append(try tag(item, "tags[\(i)]"))
                }
            }
            if let w = object["warnings"], !w.isNull {
                guard let list = w.array else { throw ExecWireError("reply.warnings: expected an array, got \(w.typeName)") }
                for (i, item) in list.enumerated() {
                    guard let s = item.string else { throw ExecWireError("reply.warnings[\(i)]: expected a string, got \(item.typeName)") }
                    evidence.warnings.append(s)
                }
            }
        } catch let e as ExecWireError {
            return .failure(e)
        } catch {
            return .failure(.init("\(error)"))
        }
        return .success(evidence)
    }

    private static func reading(_ v: JSONValue?, _ path: String) throws(ExecWireError) -> Reading? {
        guard let v, !v.isNull else { return nil }
        guard let o = v.object else { throw ExecWireError("reply.\(path): expected {\"value\": ..., \"sd\": ...} or null, got \(v.typeName)") }
        for key in o.keys where key != "value" && key != "sd" {
            throw ExecWireError("reply.\(path): unknown key \"\(clip(key))\" (expected: value, sd)")
        }
        guard let x = o["value"] else { throw ExecWireError("reply.\(path).value: missing") }
        guard let sd = o["sd"] else { throw ExecWireError("reply.\(path).sd: missing") }
        let value = try number(x, "\(path).value", in: -1...1)
        let s = try number(sd, "\(path).sd", in: 0...Double.greatestFiniteMagnitude)
        guard s > 0 else { throw ExecWireError("reply.\(path).sd: must be > 0") }
        return Reading(value, variance: s * s)
    }

    private static func tag(_ v: JSONValue, _ path: String) throws(ExecWireError) -> CueTag {
        guard let o = v.object else { throw ExecWireError("reply.\(path): expected an object, got \(v.typeName)") }
        for key in o.keys where !tagKeys.contains(key) {
            throw ExecWireError("reply.\(path): unknown key \"\(clip(key))\" (expected: tag, strength, reason, hold_until, half_life)")
        }
        guard let name = o["tag"]?.string, isTagName(name) else {
            throw ExecWireError("reply.\(path).tag: expected a snake_case name")
        }
        guard let s = o["strength"] else { throw ExecWireError("reply.\(path).strength: missing") }
        let strength = try number(s, "\(path).strength", in: 0...1)
        guard let reason = o["reason"]?.string else { throw ExecWireError("reply.\(path).reason: expected a string") }
        var holdUntil: Double?
        if let h = o["hold_until"], !h.isNull { holdUntil = try number(h, "\(path).hold_until", in: 0...Double.greatestFiniteMagnitude) }
        var halfLife: Double?
        if let h = o["half_life"], !h.isNull {
            halfLife = try number(h, "\(path).half_life", in: 0...Double.greatestFiniteMagnitude)
            guard halfLife! > 0 else { throw ExecWireError("reply.\(path).half_life: must be > 0") }
        }
        return CueTag(name, strength: strength, reason: reason, holdUntil: holdUntil, halfLife: halfLife)
    }

    private static func number(_ v: JSONValue, _ path: String, in range: ClosedRange<Double>) throws(ExecWireError) -> Double {
        guard let x = v.double else { throw ExecWireError("reply.\(path): expected a number, got \(v.typeName)") }
        guard x.isFinite, range.contains(x) else {
            if range.upperBound == .greatestFiniteMagnitude {
                throw ExecWireError("reply.\(path): expected a number >= \(short(range.lowerBound)), got \(short(x))")
            }
            throw ExecWireError("reply.\(path): expected a number in \(short(range.lowerBound))..\(short(range.upperBound)), got \(short(x))")
        }
        return x
    }

    private static func isTagName(_ s: String) -> Bool {
        guard let first = s.utf8.first, first >= UInt8(ascii: "a"), first <= UInt8(ascii: "z"), s.utf8.count <= 64 else { return false }
        return s.utf8.allSatisfy { ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: "_") }
    }

    private static func short(_ x: Double) -> String {
        if x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
        return String(x)
    }
}

/// What is wrong with a plugin's line, for a person.
public struct ExecWireError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The first 80 characters, for quoting input in a message.
func clip(_ s: String, _ n: Int = 80) -> String {
    s.count <= n ? s : String(s.prefix(n)) + "…"
}
