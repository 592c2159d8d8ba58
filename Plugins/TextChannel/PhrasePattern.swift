/// A compiled cue phrase pattern.
///
/// Syntax (documented in Protocols/channels/text.md): words separated by
/// spaces, matched against normalised tokens (lowercase, contractions
/// expanded, so "don't" = "dont" = "do not");
/// - `a|b|c` one word out of several;
/// - `(a|b)` an optional word;
/// - `*` skips up to three words (never across a sentence end);
/// - `!`, `?`, `.`, `,` match that punctuation;
/// - `$` matches the end of a sentence (or of the text);
/// - a trailing `@0.6` sets the tag strength for this pattern.
struct PhrasePattern: Sendable {
    enum Element: Sendable {
        case words([String], optional: Bool)
        case gap
        case sentenceEnd
    }
    var source: String
    var elements: [Element]
    var strength: Double?
    /// `elements` with words as vocabulary slots (see ``resolve(_:)``), so that matching compares integers.
    private var steps: [Step] = []
    private var alternatives: [Int32] = []

    private struct Step: Sendable {
        enum Kind: UInt8, Sendable { case words, gap, sentenceEnd }
        var kind: Kind
        var optional: Bool
        /// `alternatives[lo..<hi]`
        var lo: Int32
        var hi: Int32
    }

    /// Every word of every element, to give each a vocabulary slot.
    var allWords: [String] {
        elements.flatMap { e -> [String] in if case .words(let w, _) = e { return w } else { return [] } }
    }

    /// Compiles the elements against the vocabulary; `slot` must know every word in ``allWords``.
    mutating func resolve(_ slot: (String) -> Int32) {
        steps = []
        alternatives = []
        for e in elements {
            switch e {
            case .gap: steps.append(Step(kind: .gap, optional: false, lo: 0, hi: 0))
            case .sentenceEnd: steps.append(Step(kind: .sentenceEnd, optional: false, lo: 0, hi: 0))
            case .words(let w, let optional):
                let lo = Int32(alternatives.count)
                alternatives += w.map(slot)
                steps.append(Step(kind: .words, optional: optional, lo: lo, hi: Int32(alternatives.count)))
            }
        }
    }

    /// First-element words, to index patterns by the token they start with.
    var firstWords: [String] {
        if case .words(let w, _) = elements.first { return w }
        return []
    }

    init?(_ text: String) {
        source = text
        var parts = text.split(separator: " ").map(String.init)
        if let last = parts.last, last.hasPrefix("@"), let s = Double(last.dropFirst()) {
            strength = s
            parts.removeLast()
        } else {
            strength = nil
        }
        let plain = Tokenizer(emoticons: [])
        var els: [Element] = []
        for p in parts {
            if p == "*" { els.append(.gap); continue }
            if p == "$" { els.append(.sentenceEnd); continue }
            if p == "!" || p == "?" || p == "." || p == "," { els.append(.words([p], optional: false)); continue }
            var body = Substring(p)
            var optional = false
            if body.hasPrefix("("), body.hasSuffix(")") { optional = true; body = body.dropFirst().dropLast() }
            if body.contains("|") || optional {
                let alts = body.split(separator: "|").map { $0.lowercased() }
                els.append(.words(alts, optional: optional))
            } else {
                // a plain word may expand to several tokens ("don't" -> do not)
                for w in plain.words(String(body)) {
                    els.append(.words([w], optional: false))
                }
            }
        }
        // a leading gap or optional word adds nothing to "matches anywhere"
        while let f = els.first {
            if case .words(_, let opt) = f, !opt { break }
            els.removeFirst()
        }
        guard !els.isEmpty else { return nil }
        elements = els
    }

    /// The end index (exclusive) of a match starting at `start`, or nil. Needs ``resolve(_:)`` first.
    func match(_ tokens: [Token], at start: Int) -> Int? {
        matchFrom(0, tokens, start)
    }

    private func matchFrom(_ e: Int, _ tokens: [Token], _ i: Int) -> Int? {
        if e == steps.count { return i }
        let step = steps[e]
        switch step.kind {
        case .sentenceEnd:
            if i == tokens.count || tokens[i].isSentenceEnd { return i }
            return nil
        case .gap:
            var j = i
            var skipped = 0
            while true {
                if let end = matchFrom(e + 1, tokens, j) { return end }
                guard skipped < 3, j < tokens.count, !tokens[j].isSentenceEnd else { return nil }
                j += 1
                skipped += 1
            }
        case .words:
            if i < tokens.count {
                // A token without a slot (-1) equals no pattern word: they all have one.
                let id = tokens[i].id
                var hit = false
                for k in Int(step.lo)..<Int(step.hi) where alternatives[k] == id { hit = true; break }
                if hit, let end = matchFrom(e + 1, tokens, i + 1) { return end }
            }
            return step.optional ? matchFrom(e + 1, tokens, i) : nil
        }
    }
}

/// One tag's patterns. The channel indexes them by first word in its vocabulary
/// (``WordInfo/cues``, ``WordInfo/responseCues``) and scans all matchers at once.
struct CueMatcher: Sendable {
    var tag: String
    var label: String
    var baseStrength: Double
    var patterns: [PhrasePattern]

    init(tag: String, label: String, strength: Double, phrases: [String]) {
        self.tag = tag
        self.label = label
        self.baseStrength = strength
        self.patterns = phrases.compactMap(PhrasePattern.init)
    }

    struct Match { var start: Int; var end: Int; var strength: Double }
}
