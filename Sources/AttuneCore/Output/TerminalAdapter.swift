/// Words for a point in valence/arousal space: a 3x3 grid. Each axis is cut
/// at `-threshold` and `+threshold` (default 0.15, a little above the noise a
/// neutral stream leaves in the estimate).
///
/// | | valence < -t | in between | valence > t |
/// |---|---|---|---|
/// | arousal > t | upset | tense | excited |
/// | in between | unhappy | neutral | pleased |
/// | arousal < -t | sad | calm | content |
public struct AffectWords: Sendable, Hashable {
    public var threshold: Double

    public init(threshold: Double = 0.15) { self.threshold = threshold }

    public func describe(valence v: Double, arousal a: Double) -> String {
        let row = a > threshold ? 0 : (a < -threshold ? 2 : 1)
        let column = v < -threshold ? 0 : (v > threshold ? 2 : 1)
        return AffectWords.grid[row][column]
    }

    static let grid = [
        ["upset", "tense", "excited"],
        ["unhappy", "neutral", "pleased"],
        ["sad", "calm", "content"],
    ]
}

/// A human-readable line per mode change, for watching a live session:
///
/// ```text
///   12.4s  other sad (v -0.62 ±0.18, a -0.30)  → COMFORT 0.78  crying; "passed away"
/// ```
///
/// Prints the first recommendation of each session and then only those whose
/// mode differs from the last one printed for that session, whatever the emit
/// policy. Once a second session appears, lines carry `[session]`. ANSI colour
/// when `color` is true (the CLI: stdout is a terminal and `NO_COLOR` is unset
/// or empty).
public struct TerminalAdapter: OutputAdapter {
    public let sink: ByteSink
    public var color: Bool
    public var words: AffectWords
    /// Reasons shown after the mode.
    public var maxReasons: Int
    private var lastMode: [String: Mode] = [:]
    private var firstSession: String?
    private var severalSessions = false

    public init(sink: ByteSink, color: Bool, words: AffectWords = .init(), maxReasons: Int = 2) {
        self.sink = sink
        self.color = color
        self.words = words
        self.maxReasons = maxReasons
    }

    public mutating func write(_ r: Recommendation) throws {
        if firstSession == nil { firstSession = r.session } else if firstSession != r.session { severalSessions = true }
        if lastMode[r.session] != r.mode {
            lastMode[r.session] = r.mode
            try sink.write(line(for: r))
        }
        if let feedback = feedbackLine(for: r) { try sink.write(feedback) }
    }

    /// The listener's scored response, a rupture or a repair, indented under the mode lines; nil when the event has none.
    public func feedbackLine(for r: Recommendation) -> String? {
        var parts: [String] = []
        if let resp = r.response {
            var s = "you: " + resp.kind.rawValue.replacingUnderscores + (resp.subkind.isEmpty ? "" : " (" + clean(resp.subkind) + ")")
            if let score = resp.score {
                let code = score == .attuned ? 32 : score == .partly ? 33 : 31
                s += " → " + paint(score.rawValue.uppercased(), code: code, bold: true)
                if let m = resp.recommended { s += dim(" vs " + m.rawValue) }
            } else {
                s += dim(" → not scored")
            }
            parts.append(s)
        }
        if let rupture = r.rupture { parts.append(paint("RUPTURE", code: 31, bold: true) + " " + dim(clean(rupture.reason))) }
        if let repair = r.repair {
            parts.append(paint("REPAIR", code: 32, bold: true) + " after " + fixed(repair.timeToRepair, 1) + "s " + dim(clean(repair.reason)))
        }
        guard !parts.isEmpty else { return nil }
        var s = dim(pad(fixed(r.t, 1) + "s", 8))
        if severalSessions { s += "  [" + clean(r.session) + "]" }
        return s + "  " + parts.joined(separator: "; ") + "\n"
    }

    /// The line (with its newline) for one recommendation.
    public func line(for r: Recommendation, showSession: Bool? = nil) -> String {
        let o = r.state.other
        var s = ""
        s += dim(pad(fixed(r.t, 1) + "s", 8))
        if showSession ?? severalSessions { s += "  [" + clean(r.session) + "]" }
        let feeling = o.cues == 0 ? "no cues yet" : words.describe(valence: o.valence, arousal: o.arousal)
        s += "  other " + feeling
        s += " (v " + fixed(o.valence, 2, signed: true) + " ±" + fixed(o.valenceSD, 2)
        s += ", a " + fixed(o.arousal, 2, signed: true) + ")"
        s += "  → " + paint(r.mode.rawValue.uppercased(), code: TerminalAdapter.modeColor(r.mode), bold: true)
        s += " " + fixed(r.decision.confidence, 2)
        if r.decision.risk { s += " " + paint("RISK", code: 31, bold: true) }
        var reasons: [String] = []
        for reason in r.decision.because where reasons.count < maxReasons {
            let text = clean(TerminalAdapter.shortReason(reason))
            if !reasons.contains(text) { reasons.append(text) }
        }
        if !reasons.isEmpty { s += "  " + dim(reasons.joined(separator: "; ")) }
        return s + "\n"
    }

    /// The reason without its channel prefix (`posture: crying` → `crying`): the
    /// line is short on room and the channel is evident from the words.
    static func shortReason(_ r: Reason) -> String {
        let prefix = r.channel + ": "
        return r.text.hasPrefix(prefix) ? String(r.text.dropFirst(prefix.count)) : r.text
    }

    static func modeColor(_ m: Mode) -> Int {
        switch m {
        case .comfort: return 35
        case .space: return 34
        case .question: return 33
        case .reflect: return 32
        }
    }

    private func paint(_ s: String, code: Int, bold: Bool = false) -> String {
        guard color else { return s }
        return "\u{1B}[" + (bold ? "1;" : "") + String(code) + "m" + s + "\u{1B}[0m"
    }

    private func dim(_ s: String) -> String { color ? "\u{1B}[2m" + s + "\u{1B}[0m" : s }

    /// Control characters (an escape sequence in a session name or a quote) must not reach the terminal.
    private func clean(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) else { return s }
        return String(String.UnicodeScalarView(s.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : $0 }))
    }

    private func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
    }

    private func fixed(_ x: Double, _ decimals: Int, signed: Bool = false) -> String {
        var out: [UInt8] = []
        if signed && x >= 0.5 / Double(pow10(decimals)) { out.append(UInt8(ascii: "+")) }
        fixedDigits(x, decimals, into: &out)
        return String(decoding: out, as: UTF8.self)
    }
}

private func pow10(_ n: Int) -> Int { n <= 0 ? 1 : 10 * pow10(n - 1) }

/// Fixed decimals without trimming (`0.50`, not `0.5`): columns in a terminal should line up.
func fixedDigits(_ x: Double, _ decimals: Int, into out: inout [UInt8]) {
    guard x.isFinite else { out.append(contentsOf: "nan".utf8); return }
    let unit = pow10(decimals)
    var n = Int((x * Double(unit)).rounded(.toNearestOrAwayFromZero))
    if n < 0 { out.append(UInt8(ascii: "-")); n = -n }
    out.append(contentsOf: String(n / unit).utf8)
    guard decimals > 0 else { return }
    out.append(UInt8(ascii: "."))
    let frac = String(n % unit)
    for _ in frac.count..<decimals { out.append(UInt8(ascii: "0")) }
    out.append(contentsOf: frac.utf8)
}
