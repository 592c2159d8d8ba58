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

    /// Every word of every element, to give each a vocabulary slot.
    var allWords: [String] {
        elements.flatMap { e -> [String] in if case .words(let w, _) = e { return w } else { return [] } }
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
}

/// One tag's patterns, as written; the channel matches them compiled (``CompiledMatchers``).
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

/// A list of matchers' patterns compiled against the channel's vocabulary into flat
/// arrays and indexed by their first words, so that a scan reads integers only: no
/// String compares, no copies (and retains) of pattern values.
///
/// A pattern whose second step is a required word is indexed by its first two words
/// (most tries end there: "i" starts dozens of patterns, "i am" a few); the others by
/// their first word. A scan tries both lists in pattern order, which is the order a
/// matcher-by-matcher scan would try them in, so ties are broken the same way.
struct CompiledMatchers: Sendable {
    private struct Step: Sendable {
        enum Kind: UInt8, Sendable { case words, gap, sentenceEnd }
        var kind: Kind
        var optional: Bool
        /// The words are `alternatives[lo..<hi]`.
        var lo: Int32
        var hi: Int32
    }
    private struct Pattern: Sendable {
        var stepLo: Int32
        var stepHi: Int32
        var matcher: Int32
        var strength: Double
        /// Indexed by two words: matching resumes at step 2 after token i + 1.
        var byPair: Bool
    }
    private var steps: [Step] = []
    private var alternatives: [Int32] = []
    private var patterns: [Pattern] = []
    /// The one-word-indexed patterns starting with slot `w` are `singleRefs[singleStart[w]..<singleStart[w + 1]]`.
    private var singleStart: [Int32] = []
    private var singleRefs: [Int32] = []
    /// Open addressing over `pairKey(first, second)` (0: empty); the patterns are `pairRefs[pairLo[k]..<pairHi[k]]`.
    private var pairKeys: [UInt64] = []
    private var pairLo: [Int32] = []
    private var pairHi: [Int32] = []
    private var pairRefs: [Int32] = []
    private var pairMask = 0
    let matcherCount: Int

    @inline(__always) private static func pairKey(_ a: Int32, _ b: Int32) -> UInt64 {
        (UInt64(UInt32(a)) + 1) << 32 | (UInt64(UInt32(b)) + 1)
    }
    @inline(__always) private static func pairHash(_ k: UInt64) -> Int { Int(truncatingIfNeeded: (k &* 0x9E37_79B9_7F4A_7C15) >> 29) }

    /// `slot` must know every word of every pattern (``PhrasePattern/allWords``).
    init(_ matchers: [CueMatcher], vocabularySize: Int, slot: (String) -> Int32) {
        matcherCount = matchers.count
        var singles: [(word: Int32, pattern: Int32)] = []
        var pairs: [(key: UInt64, pattern: Int32)] = []
        for (m, matcher) in matchers.enumerated() {
            for p in matcher.patterns {
                let index = Int32(patterns.count)
                let stepLo = Int32(steps.count)
                for e in p.elements {
                    switch e {
                    case .gap: steps.append(Step(kind: .gap, optional: false, lo: 0, hi: 0))
                    case .sentenceEnd: steps.append(Step(kind: .sentenceEnd, optional: false, lo: 0, hi: 0))
                    case .words(let w, let optional):
                        let lo = Int32(alternatives.count)
                        alternatives += w.map(slot)
                        steps.append(Step(kind: .words, optional: optional, lo: lo, hi: Int32(alternatives.count)))
                    }
                }
                let first = steps[Int(stepLo)]
                var byPair = false
                if Int(stepLo) + 1 < steps.count, steps[Int(stepLo) + 1].kind == .words, !steps[Int(stepLo) + 1].optional {
                    byPair = true
                    let second = steps[Int(stepLo) + 1]
                    for a in Int(first.lo)..<Int(first.hi) {
                        for b in Int(second.lo)..<Int(second.hi) {
                            pairs.append((CompiledMatchers.pairKey(alternatives[a], alternatives[b]), index))
                        }
                    }
                } else {
                    for w in p.firstWords { singles.append((slot(w), index)) }
                }
                patterns.append(Pattern(stepLo: stepLo, stepHi: Int32(steps.count), matcher: Int32(m),
                                        strength: p.strength ?? matcher.baseStrength, byPair: byPair))
            }
        }
        var counts = [Int32](repeating: 0, count: vocabularySize + 1)
        for f in singles { counts[Int(f.word) + 1] += 1 }
        for k in 0..<vocabularySize { counts[k + 1] += counts[k] }
        singleStart = counts
        var fill = counts
        singleRefs = [Int32](repeating: 0, count: singles.count)
        for f in singles {
            singleRefs[Int(fill[Int(f.word)])] = f.pattern
            fill[Int(f.word)] += 1
        }
        // Group by key, keeping pattern order within a key (the sort is stable on the index).
        let sorted = pairs.enumerated().sorted { a, b in a.element.key != b.element.key ? a.element.key < b.element.key : a.offset < b.offset }
        var capacity = 16
        while capacity < sorted.count * 2 { capacity *= 2 }
        pairKeys = [UInt64](repeating: 0, count: capacity)
        pairLo = [Int32](repeating: 0, count: capacity)
        pairHi = [Int32](repeating: 0, count: capacity)
        pairMask = capacity - 1
        pairRefs = sorted.map(\.element.pattern)
        var k = 0
        while k < sorted.count {
            let key = sorted[k].element.key
            var e = k
            while e < sorted.count && sorted[e].element.key == key { e += 1 }
            var h = CompiledMatchers.pairHash(key) & pairMask
            while pairKeys[h] != 0 { h = (h + 1) & pairMask }
            pairKeys[h] = key
            pairLo[h] = Int32(k)
            pairHi[h] = Int32(e)
            k = e
        }
    }

    /// Leftmost-longest, non-overlapping matches of every matcher, in one pass: a matcher's
    /// patterns are tried where a token starts one of them, from where its last match ended.
    /// Without `punctuation`, "." and "," tokens start none (the need cues); the second word of a pair is any token.
    /// One list per matcher, indexed like the matchers; empty when nothing matched (most
    /// utterances, which then cost no allocation).
    func scan(_ tokens: [Token], punctuation: Bool) -> [[CueMatcher.Match]] {
        var out: [[CueMatcher.Match]] = []
        // Per matcher: where its next match may start, and its best match at this token (on the stack).
        struct Lane { var nextFree: Int; var best: CueMatcher.Match? }
        withUnsafeTemporaryAllocation(of: Lane.self, capacity: matcherCount) { lanes in
        withUnsafeTemporaryAllocation(of: Int.self, capacity: matcherCount) { touched in
        lanes.initialize(repeating: Lane(nextFree: 0, best: nil))
        var touchedCount = 0
        tokens.withUnsafeBufferPointer { toks in
        steps.withUnsafeBufferPointer { st in
        alternatives.withUnsafeBufferPointer { alts in
        patterns.withUnsafeBufferPointer { pats in
        singleRefs.withUnsafeBufferPointer { singleRefs in
        singleStart.withUnsafeBufferPointer { singleStart in
        pairRefs.withUnsafeBufferPointer { pairRefs in
            for i in 0..<toks.count {
                let t = toks[i]
                let id = Int(punctuation || (t.kind != .period && t.kind != .comma) ? t.id : -1)
                guard id >= 0 else { continue }
                var s = Int(singleStart[id]), sEnd = Int(singleStart[id + 1])
                var q = 0, qEnd = 0
                if i + 1 < toks.count, toks[i + 1].id >= 0 {
                    let key = CompiledMatchers.pairKey(Int32(id), toks[i + 1].id)
                    var h = CompiledMatchers.pairHash(key) & pairMask
                    while pairKeys[h] != 0 {
                        if pairKeys[h] == key { q = Int(pairLo[h]); qEnd = Int(pairHi[h]); break }
                        h = (h + 1) & pairMask
                    }
                }
                while s < sEnd || q < qEnd {
                    let r: Int
                    if q >= qEnd || (s < sEnd && singleRefs[s] <= pairRefs[q]) { r = Int(singleRefs[s]); s += 1 }
                    else { r = Int(pairRefs[q]); q += 1 }
                    let p = pats[r]
                    let m = Int(p.matcher)
                    guard i >= lanes[m].nextFree else { continue }
                    // Token i (and for a pair, token i + 1) are the words the pattern was found by.
                    let skip = p.byPair ? 2 : 1
                    if let end = CompiledMatchers.match(Int(p.stepLo) + skip, Int(p.stepHi), st, alts, toks, i + skip),
                       end > i, end > (lanes[m].best?.end ?? i) {
                        if lanes[m].best == nil { touched[touchedCount] = m; touchedCount += 1 }
                        lanes[m].best = .init(start: i, end: end, strength: p.strength)
                    }
                }
                guard touchedCount > 0 else { continue }
                if out.isEmpty { out = .init(repeating: [], count: matcherCount) }
                for k in 0..<touchedCount {
                    let m = touched[k]
                    out[m].append(lanes[m].best!)
                    lanes[m].nextFree = lanes[m].best!.end
                    lanes[m].best = nil
                }
                touchedCount = 0
            }
        }}}}}}}}}
        return out
    }

    /// The end (exclusive) of a match of `steps[e..<end]` from token `i`, or nil.
    private static func match(_ e: Int, _ end: Int, _ st: UnsafeBufferPointer<Step>, _ alts: UnsafeBufferPointer<Int32>,
                              _ toks: UnsafeBufferPointer<Token>, _ i: Int) -> Int? {
        if e == end { return i }
        let step = st[e]
        switch step.kind {
        case .sentenceEnd:
            if i == toks.count || toks[i].isSentenceEnd { return i }
            return nil
        case .gap:
            var j = i
            var skipped = 0
            while true {
                if let x = match(e + 1, end, st, alts, toks, j) { return x }
                guard skipped < 3, j < toks.count, !toks[j].isSentenceEnd else { return nil }
                j += 1
                skipped += 1
            }
        case .words:
            if i < toks.count {
                // A token without a slot (-1) equals no pattern word: they all have one.
                let id = toks[i].id
                var hit = false
                for k in Int(step.lo)..<Int(step.hi) where alts[k] == id { hit = true; break }
                if hit, let x = match(e + 1, end, st, alts, toks, i + 1) { return x }
            }
            return step.optional ? match(e + 1, end, st, alts, toks, i) : nil
        }
    }
}
