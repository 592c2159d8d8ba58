/// What the bus emits: the policy's decision with the state it was made from,
/// for one session at one moment.
public struct Recommendation: Sendable, Hashable {
    /// Session time of the event that produced it.
    public var t: Double
    public var session: String
    /// The input line of that event (0 when the event was fed in code).
    public var line: Int
    /// What happened: a channel name for a cue, or `tick` / `end`.
    public var event: String
    /// Whose cue it was (nil for control lines).
    public var source: Source?
    /// True when the event arrived later than `maxLateness` and was applied at the session's clock.
    public var late: Bool
    public var decision: Decision
    public var state: FusedState
    /// On a listener utterance (a `self` cue on a `feedback.utteranceChannels` channel): the response, scored.
    public var response: ScoredResponse? = nil
    /// A rupture this event showed (the other withdrew or grew more distressed after a missed response).
    public var rupture: Rupture? = nil
    /// A repair this event showed (distress eased or engagement returned after an attuned response).
    public var repair: Repair? = nil

    public var mode: Mode { decision.mode }
}

extension Recommendation {
    /// The protocol v1 output line (without the newline), appended to `out`.
    /// Byte-level on purpose: this runs once per event on the hot path.
    func writeJSON(into out: inout JSONBytes) {
        // `self` goes to `render` as its context argument, not captured by the closure: a capture
        // copied the whole recommendation (every array and String in it retained) per line.
        if decision.hasDeferredReasons {
            // The policy's reasons go straight from its ranking to bytes, never built as Strings,
            // ranked in the buffer's reused array (moved out for the render, then back).
            var ranked: [RankedReason] = []
            swap(&ranked, &out.rankedReasons)
            out.render(bound: estimatedBytes(because: nil), self) { r, w in r.writeJSON(into: &w, because: nil, ranked: &ranked) }
            swap(&ranked, &out.rankedReasons)
        } else {
            // The reasons are worked out when read: once here, not again if the line is retried in more room.
            let because = decision.because
            var unused: [RankedReason] = []
            out.render(bound: estimatedBytes(because: because), self) { r, w in r.writeJSON(into: &w, because: because, ranked: &unused) }
        }
    }

    /// Room for the line: generous for the fixed part, six bytes per string byte (the
    /// worst escape). Only a hint: a line that needs more is written again in more room.
    /// Reasons not yet written (`because` nil) are guessed from the tags they are made of.
    private func estimatedBytes(because: [Reason]?) -> Int {
        var n = 1_536 + 6 * (session.utf8.count + event.utf8.count)
        for tag in state.other.tags { n += 64 + 6 * (tag.name.utf8.count + tag.channel.utf8.count) }
        if let because {
            for r in because { n += 96 + 6 * (r.channel.utf8.count + r.cue.utf8.count + r.text.utf8.count) }
        } else {
            n += 512
            for tag in state.other.tags.prefix(8) { n += 6 * (tag.name.utf8.count + tag.channel.utf8.count + tag.reason.utf8.count) }
        }
        if let response {
            n += 256 + 6 * (response.subkind.utf8.count + response.reasons.reduce(0) { $0 + $1.utf8.count + 3 }
                            + response.also.reduce(0) { $0 + $1.utf8.count + 3 })
        }
        if let rupture { n += 160 + 6 * rupture.reason.utf8.count }
        if let repair { n += 224 + 6 * repair.reason.utf8.count }
        return n
    }

    /// The line; `because` nil: the decision's deferred reasons, written straight from their
    /// ranking (made in `ranked`).
    private func writeJSON(into w: inout RawWriter, because: [Reason]?, ranked: inout [RankedReason]) {
        w.raw("{\"t\":"); w.number(t, decimals: 6)
        w.raw(",\"session\":"); w.string(session)
        w.raw(",\"line\":"); w.int(line)
        w.raw(",\"event\":"); w.string(event)
        if let source { w.raw(",\"source\":\""); w.raw(source == .other ? "other" : "self"); w.byte(UInt8(ascii: "\"")) }
        if late { w.raw(",\"late\":true") }
        w.raw(",\"mode\":\""); w.raw(decision.mode.staticName); w.byte(UInt8(ascii: "\""))
        w.raw(",\"confidence\":"); w.number(decision.confidence)
        w.raw(",\"changed\":"); w.bool(decision.changed)
        w.raw(",\"risk\":"); w.bool(decision.risk)
        w.raw(",\"scores\":{\"comfort\":"); w.number(decision.scores.comfort)
        w.raw(",\"space\":"); w.number(decision.scores.space)
        w.raw(",\"question\":"); w.number(decision.scores.question)
        w.raw(",\"reflect\":"); w.number(decision.scores.reflect)
        w.raw("},\"other\":")
        writeTrack(state.other, into: &w)
        w.raw(",\"incongruence\":"); w.number(state.incongruence)
        w.raw(",\"tags\":[")
        // Through the buffer: `for tag in tags` copied each TagLevel (its reason retained and released).
        state.other.tags.withUnsafeBufferPointer { tags in
            for i in tags.indices {
                if i > 0 { w.byte(UInt8(ascii: ",")) }
                w.raw("{\"tag\":"); w.string(tags[i].storedName)
                w.raw(",\"level\":"); w.number(tags[i].level)
                w.raw(",\"channel\":"); w.string(tags[i].channel)
                w.byte(UInt8(ascii: "}"))
            }
        }
        w.raw("]},\"self\":")
        writeTrack(state.listener, into: &w)
        w.raw(",\"flooded\":"); w.bool(state.listener.flooded >= 0.5)
        w.raw("},\"sync\":{\"arousal_corr\":")
        if let r = state.sync.arousalCorrelation { w.number(r) } else { w.raw("null") }
        w.raw(",\"mirroring\":"); w.number(state.sync.mirroring)
        w.raw("},\"because\":[")
        if let because { because.writeJSONMembers(into: &w) } else { decision.writeDeferredReasons(into: &w, scratch: &ranked) }
        w.byte(UInt8(ascii: "]"))
        if let response { writeResponse(response, into: &w) }
        if let rupture {
            w.raw(",\"rupture\":{\"response_line\":"); w.int(rupture.responseLine)
            w.raw(",\"response_t\":"); w.number(rupture.responseT, decimals: 6)
            w.raw(",\"after\":"); w.number(rupture.t - rupture.responseT)
            w.raw(",\"reason\":"); w.string(rupture.reason)
            w.byte(UInt8(ascii: "}"))
        }
        if let repair {
            w.raw(",\"repair\":{\"response_line\":"); w.int(repair.responseLine)
            w.raw(",\"response_t\":"); w.number(repair.responseT, decimals: 6)
            w.raw(",\"rupture_t\":"); w.number(repair.ruptureT, decimals: 6)
            w.raw(",\"time_to_repair\":"); w.number(repair.timeToRepair)
            w.raw(",\"closes\":"); w.int(repair.closes)
            w.raw(",\"reason\":"); w.string(repair.reason)
            w.byte(UInt8(ascii: "}"))
        }
        w.byte(UInt8(ascii: "}"))
    }

    private func writeResponse(_ r: ScoredResponse, into w: inout RawWriter) {
        w.raw(",\"response\":{\"kind\":"); w.string(r.kind.rawValue)
        w.raw(",\"subkind\":"); w.string(r.subkind)
        w.raw(",\"score\":")
        if let s = r.score { w.string(s.rawValue) } else { w.raw("null") }
        w.raw(",\"recommended\":")
        if let m = r.recommended { w.byte(UInt8(ascii: "\"")); w.raw(m.staticName); w.byte(UInt8(ascii: "\"")) } else { w.raw("null") }
        w.raw(",\"reasons\":[")
        for (i, text) in r.reasons.enumerated() {
            if i > 0 { w.byte(UInt8(ascii: ",")) }
            w.string(text)
        }
        w.raw("],\"also\":[")
        for (i, text) in r.also.enumerated() {
            if i > 0 { w.byte(UInt8(ascii: ",")) }
            w.string(text)
        }
        w.raw("]}")
    }

    /// Opens the track object and leaves it open for the caller's extra members.
    private func writeTrack(_ s: TrackSnapshot, into w: inout RawWriter) {
        w.raw("{\"valence\":"); w.number(s.valence)
        w.raw(",\"valence_sd\":"); w.number(s.valenceSD)
        w.raw(",\"arousal\":"); w.number(s.arousal)
        w.raw(",\"arousal_sd\":"); w.number(s.arousalSD)
        w.raw(",\"coverage\":"); w.number(s.coverage)
        w.raw(",\"flooded_level\":"); w.number(s.flooded)
        w.raw(",\"talk_share\":"); w.number(s.talkShare)
        w.raw(",\"cues\":"); w.int(s.cues)
    }

    /// Appends the protocol v1 output line and its newline to `bytes` (no String, no new buffer).
    /// For many lines, ``JSONLineWriter`` also keeps its scratch memory from line to line.
    public func appendJSONLine(to bytes: inout [UInt8]) {
        var writer = JSONLineWriter()
        writer.append(self, to: &bytes)
    }

    /// The output line as a String (tests, the C API, embedding).
    public var jsonLine: String {
        var w = JSONBytes()
        writeJSON(into: &w)
        return String(decoding: w.bytes, as: UTF8.self)
    }
}

extension [Reason] {
    /// The members of the output's `because` array: `{"channel":...,"cue":...,"weight":...,"reason":...},...`
    func writeJSONMembers(into w: inout RawWriter) {
        for (i, r) in enumerated() {
            if i > 0 { w.byte(UInt8(ascii: ",")) }
            w.raw("{\"channel\":"); w.string(r.channel)
            w.raw(",\"cue\":"); w.string(r.cue)
            w.raw(",\"weight\":"); w.number(r.weight)
            w.raw(",\"reason\":"); w.string(r.text)
            w.byte(UInt8(ascii: "}"))
        }
    }
}

extension Mode {
    var staticName: StaticString {
        switch self {
        case .comfort: return "comfort"
        case .space: return "space"
        case .question: return "question"
        case .reflect: return "reflect"
        }
    }
}

/// Appends recommendations' protocol v1 lines (each with its newline) to byte arrays, keeping
/// the room it ranks a line's reasons in from one line to the next: one writer per thread.
public struct JSONLineWriter {
    private var ranked: [RankedReason] = []

    public init() {}

    public mutating func append(_ recommendation: Recommendation, to bytes: inout [UInt8]) {
        var w = JSONBytes(adopting: bytes)
        bytes = []
        swap(&w.rankedReasons, &ranked)
        recommendation.writeJSON(into: &w)
        w.byte(0x0A)
        swap(&w.rankedReasons, &ranked)
        bytes = w.bytes
    }
}
