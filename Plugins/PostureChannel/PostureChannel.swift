import AttuneCore
import Glibc

/// The built-in `posture` channel: body-language annotations, as from ELAN or
/// a pose pipeline, read through a configurable label table.
///
/// ```text
/// {"t": 12.0, "channel": "posture", "value": {"label": "turned_away", "confidence": 0.8}}
/// {"t": 20.0, "channel": "posture", "value": {"label": "crying", "end": 34.5}}
/// ```
///
/// - A point label (no `end`) emits tags that fade from `t` with a half-life
///   (``Configuration/halfLife`` or the label's own).
/// - An interval (`end` >= `t`) emits tags with `holdUntil: end`: the fusion
///   stage holds them at full strength until `end`, then they fade with the same half-life.
/// - `confidence` (default 1) becomes ``Evidence/confidence`` (which weighs the
///   readings in fusion) and multiplies every tag strength here.
/// - Unknown labels give no evidence; each is reported once per session and
///   source and all are counted in ``State/unknownLabelCount``.
///
/// ```swift
/// let posture = PostureChannel(configuration: .init())
/// var state = posture.makeState()
/// let e = posture.evidence(from: Cue(t: 3, channel: "posture", value: ["label": "crying"]), state: &state)
/// // e.tags: distress 0.9, crying 0.9, sadness 0.7; e.valence: -0.8 ± 0.39
/// ```
public struct PostureChannel: ChannelPlugin {
    public let name = "posture"
    public let configuration: Configuration
    /// Normalised label → meaning, built once; only looked up, never iterated.
    private let table: [String: LabelMeaning]
    /// Normalised alias → normalised label.
    private let aliasTable: [String: String]

    public init(configuration: Configuration) {
        self.configuration = configuration
        var table: [String: LabelMeaning] = [:]
        for meaning in configuration.labels + configuration.extraLabels {
            table[Self.normalize(meaning.label)] = meaning
        }
        self.table = table
        var aliases: [String: String] = [:]
        for (from, to) in configuration.aliases {
            aliases[Self.normalize(from)] = Self.normalize(to)
        }
        self.aliasTable = aliases
    }

    /// Per session and source: which unknown labels were already reported.
    public struct State: Sendable {
        /// Cues whose label (after aliases) is not in the vocabulary, every one of them.
        public internal(set) var unknownLabelCount = 0
        /// The distinct unknown labels seen, normalised (the first 64); each was warned about once.
        public internal(set) var unknownLabels: Set<String> = []
        public init() {}
    }

    public func makeState() -> State { State() }

    // MARK: - Validation

    public func validate(_ value: JSONValue) -> String? {
        guard let object = value.object else { return "value: expected an object, got \(value.typeName)" }
        guard let label = object["label"] else { return "value.label: missing" }
        guard let text = label.string else { return "value.label: expected a string, got \(label.typeName)" }
        if Self.normalize(text).isEmpty { return "value.label: expected a non-empty string" }
        if let c = object["confidence"], !c.isNull {
            guard let n = c.double, n >= 0, n <= 1 else {
                return "value.confidence: expected a number in 0..1, got \(Self.describe(c))"
            }
        }
        if let e = object["end"], !e.isNull {
            guard let n = e.double, n.isFinite else {
                return "value.end: expected a finite number, got \(Self.describe(e))"
            }
        }
        return nil
    }

    // MARK: - Evidence

    public func evidence(from cue: Cue, state: inout State) -> Evidence {
        var evidence = Evidence.none
        self.evidence(from: cue, state: &state, into: &evidence)
        return evidence
    }

    /// Appends into the bus's reused evidence: its tag array keeps its storage from cue to cue.
    public func evidence(from cue: Cue, state: inout State, into evidence: inout Evidence) {
        guard let raw = cue.value["label"]?.string else { return }
        let normalized = Self.normalize(raw)
        guard let found = lookup(normalized: normalized) else {
            state.unknownLabelCount += 1
            // Per-session state must stay small whatever the input: remember (and warn
            // about) the first 64 distinct unknown labels only.
            guard state.unknownLabels.count < 64 else { return }
            if state.unknownLabels.insert(normalized).inserted {
                evidence.warnings.append("posture: unknown label \"\(raw)\" ignored")
            }
            return
        }
        let (key, meaning) = found
        let confidence = cue.value["confidence"]?.double ?? configuration.defaultConfidence
        var holdUntil: Double? = nil
        if let end = cue.value["end"]?.double {
            // The cue's t is only known here, not in validate: an end before it is
            // most likely a clock mix-up, so keep the label but as a point.
            if end >= cue.t { holdUntil = end } else {
                evidence.warnings.append("posture: \"\(raw)\" ends before it starts; read as a point label")
            }
        }
        let halfLife = meaning.halfLife ?? configuration.halfLife
        // `raw (as key) until 11.35s (confidence 0.75)`, grown once: `+=` with interpolation
        // reallocated the string per piece. Numbers as interpolation spells them (`description`).
        var reason = raw
        let asKey = normalized != key ? key : nil
        let until = holdUntil?.description
        let conf = confidence < 1 ? confidence.description : nil
        if asKey != nil || until != nil || conf != nil {
            reason.reserveCapacity(raw.utf8.count + (asKey.map { $0.utf8.count + 6 } ?? 0)
                                   + (until.map { $0.utf8.count + 8 } ?? 0) + (conf.map { $0.utf8.count + 14 } ?? 0))
            if let asKey { reason += " (as "; reason += asKey; reason += ")" }
            if let until { reason += " until "; reason += until; reason += "s" }
            if let conf { reason += " (confidence "; reason += conf; reason += ")" }
        }

        // Room for every tag at once (no allocation once the reused array has grown to it).
        evidence.tags.reserveCapacity(evidence.tags.count + 3 + meaning.tags.count)
        func add(_ name: String, _ strength: Double) {
            let s = min(1, max(0, strength)) * confidence
            guard s > 0 else { return }
            if let i = evidence.tags.firstIndex(where: { $0.name == name }) {
                evidence.tags[i].strength = max(evidence.tags[i].strength, s)
            } else {
                evidence.tags.append(CueTag(name, strength: s, reason: reason, holdUntil: holdUntil, halfLife: halfLife))
            }
        }
        add(meaning.approach >= 0 ? Tag.approach : Tag.withdrawal, abs(meaning.approach))
        add(meaning.openness >= 0 ? Self.opennessTag : Tag.closed, abs(meaning.openness))
        add(Tag.distress, meaning.distress)
        for tag in meaning.tags { add(tag.name, tag.strength) }

        evidence.valence = meaning.valence.map { Reading($0, variance: meaning.variance) }
        evidence.arousal = meaning.arousal.map { Reading($0, variance: meaning.variance) }
        evidence.confidence = confidence
    }

    // MARK: - Labels

    /// The vocabulary entry for a label as sent: by name first, then by alias.
    func lookup(_ raw: String) -> (key: String, meaning: LabelMeaning)? {
        lookup(normalized: Self.normalize(raw))
    }

    private func lookup(normalized key: String) -> (key: String, meaning: LabelMeaning)? {
        if let m = table[key] { return (key, m) }
        if let target = aliasTable[key], let m = table[target] { return (target, m) }
        return nil
    }

    /// Labels from different tools differ in case and separators: `Turned-Away`,
    /// `turned away` and `turned_away` are one label.
    public static func normalize(_ label: String) -> String {
        normalizeASCII(label) ?? normalizeCharacters(label)
    }

    /// The definition, Character by Character (Unicode case and whitespace); the ASCII path must agree with it.
    static func normalizeCharacters(_ label: String) -> String {
        var out = ""
        var pending = false
        for ch in label.lowercased() {
            if ch == "-" || ch == "_" || ch.isWhitespace { pending = !out.isEmpty } else {
                if pending { out.append("_"); pending = false }
                out.append(ch)
            }
        }
        return out
    }

    /// `normalize` for ASCII labels (nearly all of them), on bytes: `lowercased()` and
    /// Character iteration cost more than the rest of a posture cue. Nil for anything
    /// else, which takes the Unicode-aware path (non-ASCII letters and whitespace).
    private static func normalizeASCII(_ label: String) -> String? {
        var copy = label
        return copy.withUTF8 { bytes -> String? in
            // Labels are short: build in a fixed stack buffer, fall back past it.
            guard bytes.count <= 64 else { return nil }
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { out -> String? in
                var n = 0
                var pending = false
                for b in bytes {
                    if b >= 0x80 { return nil }
                    // Character.isWhitespace for ASCII: tab, LF, VT, FF, CR and space.
                    if b == 0x2D || b == 0x5F || b == 0x20 || (b >= 0x09 && b <= 0x0D) {
                        pending = n > 0
                    } else {
                        if pending { out[n] = 0x5F; n += 1; pending = false }
                        out[n] = (b >= 0x41 && b <= 0x5A) ? b | 0x20 : b
                        n += 1
                    }
                }
                // Most labels are already normal (`arms_crossed`): then the label itself is the
                // answer, and a label past 15 bytes (not a small string) costs no new allocation.
                if n == bytes.count && (n == 0 || memcmp(out.baseAddress!, bytes.baseAddress!, n) == 0) { return label }
                return String(decoding: UnsafeBufferPointer(rebasing: out[..<n]), as: UTF8.self)
            }
        }
    }

    private static func describe(_ v: JSONValue) -> String {
        if let n = v.double { return "\(n)" }
        return v.typeName
    }
}
