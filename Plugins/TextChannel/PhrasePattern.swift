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
                for t in plain.tokenize(String(body)) where t.isWord {
                    els.append(.words([t.text], optional: false))
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

    /// The end index (exclusive) of a match starting at `start`, or nil.
    func match(_ tokens: [Token], at start: Int) -> Int? {
        matchFrom(0, tokens, start)
    }

    private func matchFrom(_ e: Int, _ tokens: [Token], _ i: Int) -> Int? {
        if e == elements.count { return i }
        switch elements[e] {
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
        case .words(let alts, let optional):
            if i < tokens.count, alts.contains(tokens[i].text) {
                if let end = matchFrom(e + 1, tokens, i + 1) { return end }
            }
            return optional ? matchFrom(e + 1, tokens, i) : nil
        }
    }
}

/// One tag's patterns, indexed by their first word.
struct CueMatcher: Sendable {
    var tag: String
    var label: String
    var baseStrength: Double
    var patterns: [PhrasePattern]
    var index: [String: [Int]]

    init(tag: String, label: String, strength: Double, phrases: [String]) {
        self.tag = tag
        self.label = label
        self.baseStrength = strength
        self.patterns = phrases.compactMap(PhrasePattern.init)
        var idx: [String: [Int]] = [:]
        for (k, p) in patterns.enumerated() {
            for w in p.firstWords { idx[w, default: []].append(k) }
        }
        self.index = idx
    }

    struct Match { var start: Int; var end: Int; var strength: Double }

    /// Non-overlapping matches, leftmost-longest, in text order.
    func matches(_ tokens: [Token]) -> [Match] {
        var out: [Match] = []
        var i = 0
        while i < tokens.count {
            var best: Match?
            if let cands = index[tokens[i].text] {
                for k in cands {
                    if let end = patterns[k].match(tokens, at: i), end > i, end > (best?.end ?? i) {
                        best = Match(start: i, end: end, strength: patterns[k].strength ?? baseStrength)
                    }
                }
            }
            if let b = best {
                out.append(b)
                i = b.end
            } else {
                i += 1
            }
        }
        return out
    }
}
