/// One flat CSV row per recommendation, with a header row: ready for
/// `pandas.read_csv` or R's `read.csv`. Fields are quoted as RFC 4180 says
/// (only when they hold a comma, a double quote, CR or LF; quotes doubled);
/// rows end with LF. Numbers use the same decimals as the JSON lines, so a
/// CSV value and its JSON twin are the same number. Columns: see
/// `Protocols/output-formats.md`.
public struct CSVAdapter: OutputAdapter {
    public let sink: ByteSink
    private var row: [UInt8] = []
    private var wroteHeader = false

    /// The header, in column order.
    public static let columns: [String] = [
        "t", "session", "line", "event", "source", "late", "mode", "confidence", "changed", "risk",
        "score_comfort", "score_space", "score_question", "score_reflect",
        "other_valence", "other_valence_sd", "other_arousal", "other_arousal_sd", "other_coverage",
        "self_valence", "self_valence_sd", "self_arousal", "self_arousal_sd", "self_coverage",
        "incongruence",
        "response_kind", "response_subkind", "response_score", "response_recommended", "response_reasons",
        "rupture", "repair_time",
        "reason_channel", "reason_cue", "reason_text",
    ]

    public init(sink: ByteSink) {
        self.sink = sink
        row.reserveCapacity(1024)
    }

    public mutating func write(_ r: Recommendation) throws {
        row.removeAll(keepingCapacity: true)
        if !wroteHeader {
            wroteHeader = true
            row.append(contentsOf: CSVAdapter.columns.joined(separator: ",").utf8)
            row.append(0x0A)
        }
        number(r.t, 6); comma()
        field(r.session); comma()
        NumberFormat.append(Double(r.line), decimals: 0, to: &row); comma()
        field(r.event); comma()
        if let s = r.source { field(s.wireName) }
        comma()
        bool(r.late); comma()
        field(r.mode.rawValue); comma()
        number(r.decision.confidence); comma()
        bool(r.decision.changed); comma()
        bool(r.decision.risk); comma()
        for mode in Mode.allCases { number(r.decision.scores[mode]); comma() }
        track(r.state.other); comma()
        track(r.state.listener); comma()
        number(r.state.incongruence); comma()
        if let resp = r.response {
            field(resp.kind.rawValue); comma()
            field(resp.subkind); comma()
            if let s = resp.score { field(s.rawValue) }
            comma()
            if let m = resp.recommended { field(m.rawValue) }
            comma()
            field(resp.reasons.joined(separator: "; ")); comma()
        } else {
            comma(); comma(); comma(); comma(); comma()
        }
        // Empty unless this line shows a rupture (its reason) or a repair (seconds from rupture to repair).
        if let rupture = r.rupture { field(rupture.reason) }
        comma()
        if let repair = r.repair { number(repair.timeToRepair) }
        comma()
        if let top = r.decision.because.first {
            field(top.channel); comma()
            field(top.cue); comma()
            field(top.text)
        } else {
            comma(); comma()
        }
        row.append(0x0A)
        try sink.write(row)
    }

    /// Header even for a run that produced no rows, so the file always parses.
    public mutating func finish(_ counts: RunCounts) throws {
        if !wroteHeader {
            wroteHeader = true
            try sink.write(CSVAdapter.columns.joined(separator: ",") + "\n")
        }
    }

    private mutating func track(_ s: TrackSnapshot) {
        number(s.valence); comma()
        number(s.valenceSD); comma()
        number(s.arousal); comma()
        number(s.arousalSD); comma()
        number(s.coverage)
    }

    @inline(__always) private mutating func comma() { row.append(UInt8(ascii: ",")) }

    private mutating func bool(_ b: Bool) { row.append(contentsOf: (b ? "true" : "false").utf8) }

    /// Empty for a non-finite value: both pandas and R read an empty field as missing.
    private mutating func number(_ x: Double, _ decimals: Int = 4) {
        guard x.isFinite else { return }
        NumberFormat.append(x, decimals: decimals, to: &row)
    }

    private mutating func field(_ s: String) {
        var s = s
        s.withUTF8 { utf8 in
            var needsQuotes = false
            for b in utf8 where b == UInt8(ascii: ",") || b == UInt8(ascii: "\"") || b == 0x0A || b == 0x0D {
                needsQuotes = true
                break
            }
            guard needsQuotes else { row.append(contentsOf: utf8); return }
            row.append(UInt8(ascii: "\""))
            for b in utf8 {
                if b == UInt8(ascii: "\"") { row.append(b) }
                row.append(b)
            }
            row.append(UInt8(ascii: "\""))
        }
    }
}
