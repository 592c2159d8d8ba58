/// W3C EmotionML 1.0 (`http://www.w3.org/2009/10/emotionml`): one document for
/// the run, two `<emotion>` elements per recommendation:
///
/// - `r<N>-other`: the other person's state, valence and arousal from the
///   W3C FSRE dimension vocabulary (`emotion-voc/xml#fsre-dimensions`), mapped
///   from -1...1 to EmotionML's 0...1 as `(x + 1) / 2`; `confidence` is the share
///   of prior variance the evidence removed (`1 - sd² / priorSD²`, the same
///   quantity as `coverage`); `expressed-through` names the modality of the
///   cue that caused the update; references with roles `experiencedBy` and
///   `expressedBy` name the person.
/// - `r<N>-self`: the listener: dimensions once the listener has cues, and the
///   recommendation as an `<action-tendency>` from the document's own
///   `attune-response` vocabulary (comfort, space, question, reflect), with the
///   details in `<info>`.
///
/// Times are session-relative: `time-ref-uri` names the session,
/// `time-ref-anchor-point="start"`, `offset-to-start` in milliseconds
/// (`start`/`end` would be absolute Unix times, which a session clock is not).
/// The full mapping is in `Protocols/output-formats.md`.
public struct EmotionMLAdapter: OutputAdapter {
    public let sink: ByteSink
    /// `fusion.priorSD`: the uncertainty a track starts with, to turn an sd into a confidence.
    public var priorSD: Double
    private var out = MarkupBytes(capacity: 4096)
    private var started = false
    private var count = 0

    public static let namespace = "http://www.w3.org/2009/10/emotionml"
    public static let dimensionSet = "http://www.w3.org/TR/emotion-voc/xml#fsre-dimensions"
    /// Namespace of the Attune elements inside `<info>`.
    public static let attuneNamespace = "urn:x-attune:emotionml:1"

    public init(sink: ByteSink, priorSD: Double = 0.5) {
        self.sink = sink
        self.priorSD = priorSD
    }

    public mutating func write(_ r: Recommendation) throws {
        out.bytes.removeAll(keepingCapacity: true)
        if !started { header() }
        count += 1
        let session = EmotionMLAdapter.sessionURI(r.session)

        // The other person.
        out.raw("  <emotion id=\"r"); out.int(count); out.raw("-other\"")
        if r.source == .other, let modality = EmotionMLAdapter.modality(r.event) {
            out.raw(" expressed-through=\""); out.attribute(modality); out.raw("\"")
        }
        timing(r.t, session)
        out.raw(">\n")
        dimensions(r.state.other)
        reference("experiencedBy", session, "other")
        reference("expressedBy", session, "other")
        out.raw("  </emotion>\n")

        // The listener, and what they are advised to do.
        out.raw("  <emotion id=\"r"); out.int(count); out.raw("-self\"")
        if r.source == .listener, let modality = EmotionMLAdapter.modality(r.event) {
            out.raw(" expressed-through=\""); out.attribute(modality); out.raw("\"")
        }
        timing(r.t, session)
        out.raw(">\n")
        if r.state.listener.cues > 0 { dimensions(r.state.listener) }
        out.raw("    <action-tendency name=\""); out.rawString(r.mode.rawValue)
        out.raw("\" value=\"1\" confidence=\""); out.number(clamp01(r.decision.confidence), decimals: 4); out.raw("\"/>\n")
        reference("experiencedBy", session, "self")
        info(r)
        out.raw("  </emotion>\n")
        try sink.write(out.bytes)
    }

    public mutating func finish(_ counts: RunCounts) throws {
        out.bytes.removeAll(keepingCapacity: true)
        if !started { header() }
        out.raw("</emotionml>\n")
        try sink.write(out.bytes)
    }

    private mutating func header() {
        started = true
        out.raw("""
            <?xml version="1.0" encoding="UTF-8"?>
            <emotionml version="1.0" xmlns="http://www.w3.org/2009/10/emotionml"
                       xmlns:attune="urn:x-attune:emotionml:1"
                       dimension-set="http://www.w3.org/TR/emotion-voc/xml#fsre-dimensions"
                       action-tendency-set="#attune-response">
              <info><attune:generator name="attune" protocol="1"/></info>
              <vocabulary type="action-tendency" id="attune-response">
                <info>How the listener is advised to respond (Attune's response modes). A recommendation, not an observed tendency.</info>
                <item name="comfort"><info>Soothe, reassure, be present.</info></item>
                <item name="space"><info>Give room; do not press.</info></item>
                <item name="question"><info>Check in: ask how they are feeling.</info></item>
                <item name="reflect"><info>Mirror the feeling back in words.</info></item>
              </vocabulary>

            """)
    }

    private mutating func timing(_ t: Double, _ session: String) {
        out.raw(" time-ref-uri=\""); out.attribute(session)
        out.raw("\" time-ref-anchor-point=\"start\" offset-to-start=\"")
        out.int(t.isFinite ? Int((t * 1000).rounded()) : 0)
        out.raw("\"")
    }

    private mutating func dimensions(_ s: TrackSnapshot) {
        dimension("valence", s.valence, s.valenceSD)
        dimension("arousal", s.arousal, s.arousalSD)
    }

    private mutating func dimension(_ name: StaticString, _ value: Double, _ sd: Double) {
        out.raw("    <dimension name=\""); out.raw(name)
        out.raw("\" value=\""); out.number(EmotionMLAdapter.scale(value), decimals: 4)
        out.raw("\" confidence=\""); out.number(confidence(sd), decimals: 4)
        out.raw("\"/>\n")
    }

    private mutating func reference(_ role: StaticString, _ session: String, _ person: StaticString) {
        out.raw("    <reference role=\""); out.raw(role)
        out.raw("\" uri=\""); out.attribute(session); out.raw(":"); out.raw(person)
        out.raw("\"/>\n")
    }

    private mutating func info(_ r: Recommendation) {
        out.raw("    <info><attune:recommendation session=\""); out.attribute(r.session)
        out.raw("\" t=\""); out.number(r.t, decimals: 6)
        out.raw("\" line=\""); out.int(r.line)
        out.raw("\" event=\""); out.attribute(r.event)
        out.raw("\" mode=\""); out.rawString(r.mode.rawValue)
        out.raw("\" confidence=\""); out.number(r.decision.confidence, decimals: 4)
        out.raw("\" changed=\""); out.raw(r.decision.changed ? "true" : "false")
        out.raw("\" risk=\""); out.raw(r.decision.risk ? "true" : "false")
        out.raw("\" incongruence=\""); out.number(r.state.incongruence, decimals: 4)
        out.raw("\">")
        for reason in r.decision.because {
            out.raw("<attune:because channel=\""); out.attribute(reason.channel)
            out.raw("\" cue=\""); out.attribute(reason.cue)
            out.raw("\" weight=\""); out.number(reason.weight, decimals: 4)
            out.raw("\">"); out.text(reason.text); out.raw("</attune:because>")
        }
        out.raw("</attune:recommendation></info>\n")
    }

    /// -1...1 to EmotionML's 0...1 (0 the negative/calm end, 0.5 neutral).
    public static func scale(_ x: Double) -> Double { clamp01((x + 1) / 2) }

    func confidence(_ sd: Double) -> Double {
        guard priorSD > 0 else { return 0 }
        return clamp01(1 - (sd * sd) / (priorSD * priorSD))
    }

    /// EmotionML's modality names are free tokens; the spec's examples include
    /// `text`, `voice` and `posture`. `affect` (a precomputed estimate) and control
    /// events have no modality.
    static func modality(_ event: String) -> String? {
        switch event {
        case "affect", "tick", "end": return nil
        default:
            let token = String(String.UnicodeScalarView(event.unicodeScalars.map { $0 == " " || $0 == "\t" ? "_" : $0 }))
            return token.isEmpty ? nil : token
        }
    }

    /// `urn:x-attune:session:<percent-encoded name>`: session names are free text.
    static func sessionURI(_ session: String) -> String {
        var out: [UInt8] = Array("urn:x-attune:session:".utf8)
        let hex = Array("0123456789ABCDEF".utf8)
        for b in session.utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"):
                out.append(b)
            default:
                out += [UInt8(ascii: "%"), hex[Int(b >> 4)], hex[Int(b & 15)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

@inline(__always) func clamp01(_ x: Double) -> Double { x.isFinite ? min(max(x, 0), 1) : 0 }
