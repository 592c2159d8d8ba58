/// Runs one channel plugin alone, keeping its state per session and source
/// as the bus would: what `attune analyze` and plugin tests use.
///
/// ```swift
/// var probe = ChannelRegistry.standard.probe("voice")!
/// let evidence = try probe.evidence(for: cue)
/// ```
public struct ChannelProbe {
    private let entry: ChannelRegistry.Entry
    private var slots: [String: any ChannelSlot] = [:]

    init(entry: ChannelRegistry.Entry) { self.entry = entry }

    public var channel: String { entry.name }

    /// Validates the cue's value, then returns its evidence.
    public mutating func evidence(for cue: Cue) throws(LineError) -> Evidence {
        if let problem = entry.validate(cue.value) {
            throw LineError(line: cue.line, kind: .invalidValue, message: "\(cue.channel): \(problem)")
        }
        let key = cue.source.wireName + "\u{0}" + cue.session
        var slot = slots.removeValue(forKey: key) ?? entry.makeSlot()
        var e = Evidence()
        slot.evidence(from: cue, into: &e)
        slots[key] = slot
        return e
    }
}

extension ChannelRegistry {
    /// A probe for one channel, or nil if it is not registered.
    public func probe(_ name: String) -> ChannelProbe? {
        index(of: name).map { ChannelProbe(entry: entries[$0]) }
    }
}

extension Evidence {
    /// The evidence as one JSON object (what `attune analyze` prints).
    public var json: JSONValue {
        func reading(_ r: Reading?) -> JSONValue {
            guard let r else { return .null }
            return ["value": .number(round4(r.value)), "sd": .number(round4(r.variance.squareRoot()))]
        }
        var tagList: [JSONValue] = []
        for tag in tags {
            var o: JSONObject = JSONObject(["tag": .string(tag.name), "strength": .number(round4(tag.strength)), "reason": .string(tag.reason)])
            if let h = tag.holdUntil { o["hold_until"] = .number(h) }
            if let h = tag.halfLife { o["half_life"] = .number(h) }
            tagList.append(.object(o))
        }
        return [
            "valence": reading(valence),
            "arousal": reading(arousal),
            "confidence": .number(round4(confidence)),
            "tags": .array(tagList),
            "warnings": .array(warnings.map { .string($0) }),
        ]
    }
}

func round4(_ x: Double) -> Double { (x * 10_000).rounded() / 10_000 }
