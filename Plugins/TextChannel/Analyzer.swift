import AttuneCore

/// Per token of one analysis: its word role (as read from the vocabulary), whether a
/// valence-neutral cue masks it, and its contrast weight. One array instead of four.
struct TokenContext {
    var flags: WordRole.Flags = []
    var booster = 0.0
    var masked = false
    var weight = 1.0
}

let questionPronouns: Set<String> = [
    "you", "we", "i", "it", "they", "he", "she", "that", "this", "there", "anyone", "someone", "anybody", "somebody",
]

extension TextChannel {
    /// Analyses one utterance without the bus: valence, arousal, emotion
    /// scores, cue tags and the words behind them. Pure and deterministic.
    public func analyze(_ text: String) -> TextAnalysis {
        analyze(text, tokenizer.tokenize(text), detail: true)
    }

    /// `analyze` of `text` already tokenized (``evidence(from:state:)`` shares the tokens with the response classifier).
    /// Without `detail` the result lacks `matchedWords`, which the bus does not read; every number and tag is the same.
    func analyze(_ text: String, _ tokenized: Tokenized, detail: Bool) -> TextAnalysis {
        let c = configuration
        let core = self.core
        let tokens = tokenized.tokens
        // Quotes are cut from the text's own UTF-8 (O(1) offsets into a native String), not from a copy of it.
        var source = text
        func quote(_ a: Int, _ b: Int) -> String {
            source.withUTF8 { String(decoding: UnsafeBufferPointer(rebasing: $0[tokens[a].start..<tokens[b - 1].end]), as: UTF8.self) }
        }

        // Word count by distinct source words ("I'm" is one word, two tokens).
        var wordCount = 0
        var lastStart = -1
        var anyLower = false
        for t in tokens where t.isWord && t.start != lastStart {
            wordCount += 1
            lastStart = t.start
            if !t.caps { anyLower = true }
        }
        let capsCounts = anyLower  // capitals are emphasis only against lowercase text

        // Need cues. Earlier matchers claim their spans: "can we talk later"
        // is a request for space, not also a bid for connection.
        // The role of each word token, as plain values (no WordRole copies, no retains).
        // Each written once (not filled with defaults, then updated).
        var ctx = [TokenContext](unsafeUninitializedCapacity: tokens.count) { buf, n in
            for (i, t) in tokens.enumerated() {
                var x = TokenContext()
                if t.isWord && t.id >= 0 {
                    x.flags = core.roleFlags[Int(t.id)]
                    x.booster = core.boosters[Int(t.id)]
                }
                (buf.baseAddress! + i).initialize(to: x)
            }
            n = tokens.count
        }
        let allMatches = cueIndex.scan(tokens, punctuation: false)
        var claimed: [(Int, Int)] = []
        // All tags, in their fixed order: need cues, question, clipped, emotions.
        // Room for them all at the first (most utterances make none, and then cost no allocation).
        var tags: [CueTag] = []
        func addTag(_ tag: CueTag) {
            if tags.capacity == 0 { tags.reserveCapacity(8) }
            tags.append(tag)
        }
        var hostilityTag = -1
        for mi in 0..<allMatches.count where !allMatches[mi].isEmpty {
            let m = cueMatchers[mi]
            let masks = core.cueMasks[mi]
            // A match is kept unless an earlier matcher's claims it (this matcher's never overlap).
            let earlier = claimed.count
            var kept = 0
            var best = 0.0
            var quotes: [String] = []
            for x in allMatches[mi] where !claimed[..<earlier].contains(where: { x.start < $0.1 && $0.0 < x.end }) {
                if kept == 0 || x.strength > best { best = x.strength }
                kept += 1
                claimed.append((x.start, x.end))
                if masks { for k in x.start..<x.end { ctx[k].masked = true } }
                let q = quote(x.start, x.end)
                if !quotes.contains(q) { quotes.append(q) }
            }
            guard kept > 0 else { continue }
            let strength = min(1, best + c.repeatedCueBonus * Double(kept - 1))
            if m.tag == Tag.hostility && hostilityTag < 0 { hostilityTag = tags.count }
            addTag(CueTag(m.tag, strength: strength, reason: quotedList(m.label, quotes)))
        }

        // Sentence-level context: contrast weights per token.
        var sentenceStart = 0
        var bangs = 0
        for (i, t) in tokens.enumerated() {
            if t.kind == .bang { bangs += t.count }
            if t.isSentenceEnd || i == tokens.count - 1 {
                let end = t.isSentenceEnd ? i : i + 1
                applyContrast(tokens, sentenceStart, end, &ctx)
                sentenceStart = i + 1
            }
        }

        var sum = 0.0
        var pos = 0.0, neg = 0.0
        // Per emotion category (by raw value), on the stack; the words behind them as (category, word)
        // in order of appearance, one list for all categories (most utterances have none).
        var emoSum = SIMD8<Double>()
        var emoWords: [(category: Int, word: String)] = []
        var arousalSum = 0.0, arousalWeight = 0.0
        var dominanceSum = 0.0, dominanceN = 0.0
        var boosterCount = 0
        var capsWords = 0
        var matched: [TextAnalysis.MatchedWord] = []

        var i = 0
        while i < tokens.count {
            let t = tokens[i]
            guard t.kind == .word || t.kind == .emoji || t.kind == .emoticon else { i += 1; continue }
            if ctx[i].booster != 0 { boosterCount += 1 }
            if t.caps && capsCounts && t.isWord { capsWords += 1 }
            guard let hit = lookup(tokenized, i) else { i += 1; continue }
            let end = hit.end
            let entry = core.lex[Int(hit.entry)]
            var rules: [String] = []
            var scoreMul = 1.0
            var negated = false
            var absent = false
            var relieved = false
            var negatorDistance = -1, reliefDistance = -1
            var pastComma = false
            // Look back within the sentence for negators, absence words and boosters.
            var j = i - 1
            var dist = 0
            while j >= 0, dist < c.negationWindow {
                let p = tokens[j]
                if p.isSentenceEnd { break }
                if p.kind == .comma { pastComma = true }
                if p.isWord {
                    let flags = ctx[j].flags
                    if flags.contains(.contrast) { break }
                    let decay = 1 - 0.05 * Double(dist)
                    if !pastComma {
                        if flags.contains(.negator) { negated = true; if negatorDistance < 0 { negatorDistance = dist } }
                        if flags.contains(.absence) { absent = true }
                        if flags.contains(.relief) { relieved = true; if reliefDistance < 0 { reliefDistance = dist } }
                    }
                    if ctx[j].booster != 0 {
                        scoreMul += ctx[j].booster * decay * (p.caps && capsCounts ? 1 + c.capsEmphasis : 1)
                        if detail { rules.append(ctx[j].booster > 0 ? "intensified" : "dampened") }
                    } else if j > 0, p.id >= 0, let b = pairBooster(Int(p.id), after: tokens[j - 1].id) {
                        scoreMul += b * decay
                        if detail { rules.append(b > 0 ? "intensified" : "dampened") }
                    }
                    dist += 1
                }
                j -= 1
            }
            if t.caps && capsCounts { scoreMul += c.capsEmphasis; if detail { rules.append("caps") } }
            scoreMul = max(0, scoreMul)
            // A negated relief word cancels out: "can't stop shaking" is still shaking.
            if negated && relieved && negatorDistance > reliefDistance {
                negated = false
                relieved = false
            }

            var base = hit.valence
            if base != nil, ctx[i].booster != 0, end == i + 1, i + 1 < tokens.count, tokens[i + 1].isWord,
               lookup(tokenized, i + 1)?.valence != nil {
                base = nil
            }
            // A relief word doing its job ("stopped fighting", "can't stop shaking") carries no
            // valence of its own: the word it acts on does.
            if let b = base, b < 0, ctx[i].flags.contains(.relief) {
                var k = end, seen = 0
                while k < tokens.count, seen < c.negationWindow, !tokens[k].isSentenceEnd {
                    if tokens[k].isWord {
                        if let next = lookup(tokenized, k)?.valence, next < 0 { base = nil; break }
                        seen += 1
                    }
                    k += 1
                }
            }
            if let b = base, marks(t).contains(.like), entry.valenceSource == .vader, b > 0 {
                if i == 0 || !marks(tokens[i - 1]).contains(.likeVerb) { base = nil }
            }
            var contribution: Double?
            if let b = base, b != 0 {
                var v = b * scoreMul
                if negated { v *= c.negationFactor; if detail { rules.append("negated") } }
                else if absent && v > 0 { v *= c.absenceFactor; if detail { rules.append("absence") } }
                else if relieved && v < 0 { v *= c.reliefFactor; if detail { rules.append("relief") } }
                if detail {
                    if ctx[i].weight < 1 { rules.append("contrast_before") } else if ctx[i].weight > 1 { rules.append("contrast_after") }
                }
                v *= ctx[i].weight
                if ctx[i].masked {
                    if detail { rules.append("masked") }
                } else {
                    contribution = v
                    sum += v
                    if v > 0 { pos += v } else { neg -= v }
                }
            }
            let hasEmotions = entry.emotionLo < entry.emotionHi
            let written = detail || hasEmotions ? quote(i, end) : ""
            var emoNames: [String] = []
            let emoMul = negated ? c.negatedEmotionFactor : scoreMul
            if hasEmotions && emoMul > 0 && !ctx[i].masked {
                let lower = written.lowercased()
                for k in Int(entry.emotionLo)..<Int(entry.emotionHi) {
                    let cat = core.emotionCategory[k].rawValue
                    emoSum[cat] += core.emotionWeight[k] * emoMul
                    if !emoWords.contains(where: { $0.category == cat && $0.word == lower }) {
                        if emoWords.isEmpty { emoWords.reserveCapacity(8) }
                        emoWords.append((cat, lower))
                    }
                    if detail { emoNames.append(core.emotionCategory[k].tagName) }
                }
            }
            var ar = entry.arousal
            if ar == nil, let b = base, abs(b) >= c.strongWordArousalThreshold { ar = 0.3 }
            if let a = ar, !negated, !ctx[i].masked {
                let w = scoreMul
                arousalSum += a * w
                arousalWeight += w
            }
            if let d = entry.dominance { dominanceSum += d; dominanceN += 1 }
            if detail && (contribution != nil || !emoNames.isEmpty || ar != nil) {
                matched.append(.init(text: written, baseValence: base.map { $0 / 4 }, valence: contribution.map { $0 / 4 },
                                     arousal: ar, source: entry.valenceSource.rawValue, rules: rules, emotions: emoNames))
            }
            i = end
        }

        // Exclamations push the whole utterance further in its own direction.
        let marks = min(bangs, c.maxExclamations)
        if sum != 0 && marks > 0 { sum += (sum > 0 ? 1 : -1) * c.exclamationBoost * Double(marks) }

        var valence: Double?
        var valenceVariance: Double?
        if pos + neg > 0 {
            valence = sum / (sum * sum + c.normalizationAlpha).squareRoot()
            let mass = (pos + neg) / 4
            let conflict = min(pos, neg) / (pos + neg)
            valenceVariance = max(c.valenceVarianceMin, c.valenceVarianceMax / (1 + c.valenceVarianceDecay * mass))
                + c.valenceConflictVariance * conflict
        } else if c.neutralReadingWhenNoAffect && wordCount > 0 {
            valence = 0
            valenceVariance = c.neutralVariance
        }

        let emphasis = c.exclamationArousal * Double(marks) + c.capsArousal * Double(min(capsWords, 3))
            + c.intensifierArousal * Double(min(boosterCount, 3))
        var arousal: Double?
        var arousalVariance: Double?
        if arousalWeight > 0 || marks > 0 || capsWords > 0 {
            let base = arousalWeight > 0 ? arousalSum / arousalWeight : 0
            arousal = max(-1, min(1, base + emphasis))
            arousalVariance = max(c.arousalVarianceMin, c.arousalVarianceMax / (1 + c.arousalVarianceDecay * arousalWeight))
        }

        if sum > 0, hostilityTag >= 0 {
            tags[hostilityTag].strength *= c.hostilityPositiveFactor
        }
        if let q = questionTag(tokens, quote) { addTag(q) }
        if wordCount > 0 && wordCount <= c.clippedMaxWords {
            let whole = quote(0, tokens.count)
            addTag(CueTag(Tag.clipped, strength: c.clippedStrength, reason: quotedList("very short answer", CollectionOfOne(whole))))
        }

        // The bus reads no emotion scores: without `detail` only the tags above threshold are made.
        var emotions: [TextAnalysis.EmotionScore] = []
        if detail { emotions.reserveCapacity(EmotionCategory.allCases.count) }
        for cat in EmotionCategory.allCases {
            let raw = emoSum[cat.rawValue]
            let s = raw / (raw + 1)
            let tagged = s >= c.emotionTagThreshold
            guard detail || tagged else { continue }
            // The reason quotes the first four words.
            var words: [String] = []
            if !detail { words.reserveCapacity(4) }
            for e in emoWords where e.category == cat.rawValue {
                if !detail && words.count == 4 { break }
                words.append(e.word)
            }
            if detail { emotions.append(.init(category: cat.tagName, score: s, words: words)) }
            if tagged { addTag(CueTag(cat.tagName, strength: s, reason: quotedList(cat.tagName, words.prefix(4)))) }
        }

        return TextAnalysis(
            wordCount: wordCount, valence: valence, valenceVariance: valenceVariance,
            arousal: arousal, arousalVariance: arousalVariance,
            dominance: dominanceN > 0 ? dominanceSum / dominanceN : nil, rawScore: sum,
            emotions: emotions, tags: tags, matchedWords: matched)
    }

    /// The value of the two-word booster ending in slot `word` whose first word is slot `previous`, if any.
    private func pairBooster(_ word: Int, after previous: Int32) -> Double? {
        let c = core
        for k in Int(c.pairStart[word])..<Int(c.pairStart[word + 1]) where c.pairFirst[k] == previous { return c.pairValue[k] }
        return nil
    }

    @inline(__always) func marks(_ t: Token) -> WordInfo.Marks { t.id >= 0 ? core.marks[Int(t.id)] : [] }

    /// A lexicon entry found at a token: `core.lex[entry]`, with `valence` in place of its own
    /// (a phrase without valence has its words' summed valence), covering tokens up to `end`.
    struct LexHit {
        var entry: Int32
        var end: Int
        var valence: Double?
    }

    /// The longest lexicon entry starting at token `i`: user phrases and words
    /// first, then built-in phrases, words and stems.
    private func lookup(_ tokenized: Tokenized, _ i: Int) -> LexHit? {
        let tokens = tokenized.tokens
        let core = self.core
        // Single letters ("U.S." gives "u", "s") and numbers carry no sentiment.
        if tokens[i].isWord && tokens[i].inert { return nil }
        let id = cueId(tokens[i])
        if id >= 0 {
            let k = Int(id)
            for q in Int(core.phraseStart[k])..<Int(core.phraseStart[k + 1]) {
                let lo = Int(core.phraseIdStart[q]), n = Int(core.phraseIdStart[q + 1]) - lo
                guard i + n <= tokens.count else { continue }
                var ok = true
                for m in 1..<n where tokens[i + m].id != core.phraseIds[lo + m] { ok = false; break }
                if ok {
                    // A phrase without its own valence keeps its words' (summed) valence.
                    let e = core.phraseLex[q]
                    var valence = core.lex[Int(e)].valence
                    if valence == nil {
                        var v = 0.0
                        for m in 0..<n {
                            let w = cueId(tokens[i + m])
                            if w >= 0 {
                                let x = core.wordLex[Int(w)]
                                v += x >= 0 ? core.lex[Int(x)].valence ?? 0 : 0
                            }
                        }
                        valence = v == 0 ? nil : v
                    }
                    return LexHit(entry: e, end: i + n, valence: valence)
                }
            }
            let e = core.wordLex[k]
            if e >= 0 { return LexHit(entry: e, end: i + 1, valence: core.lex[Int(e)].valence) }
        }
        guard core.configuration.stemming, tokens[i].isWord else { return nil }
        var found: Int32 = -1
        let t = tokens[i]
        if t.ascii {
            // Most words are too short or end in no suffix's last letter: no candidates (checked again there).
            guard t.textEnd - t.textStart >= 5 else { return nil }
            switch tokenized.text[Int(t.textEnd) - 1] {
            case 0x64, 0x67, 0x72, 0x73, 0x74, 0x79: break
            default: return nil
            }
            tokenized.text.withUnsafeBufferPointer { text in
                asciiStemCandidates(UnsafeBufferPointer(rebasing: text[Int(t.textStart)..<Int(t.textEnd)])) { cand in
                    let k = core.vocab.id(cand)
                    if k >= 0, core.wordLex[Int(k)] >= 0 { found = core.wordLex[Int(k)]; return true }
                    return false
                }
            }
        } else {
            stemCandidates(tokenized.string(i)) { cand in
                if let k = core.vocab.strings[cand], core.wordLex[Int(k)] >= 0 { found = core.wordLex[Int(k)]; return true }
                return false
            }
        }
        return found >= 0 ? LexHit(entry: found, end: i + 1, valence: core.lex[Int(found)].valence) : nil
    }

    /// A token's slot as the need cues and lexicon see it: "." and "," (which patterns may name) count as no word.
    @inline(__always) func cueId(_ t: Token) -> Int32 { t.kind == .period || t.kind == .comma ? -1 : t.id }

    /// Weights words around "but"/"however" and inside concessive clauses.
    private func applyContrast(_ tokens: [Token], _ start: Int, _ end: Int, _ ctx: inout [TokenContext]) {
        let c = configuration
        var k = start
        while k < end {
            if ctx[k].flags.contains(.contrast), k > start {
                for m in start..<k where ctx[m].weight == 1 { ctx[m].weight = c.contrastBefore }
                for m in (k + 1)..<end { ctx[m].weight = c.contrastAfter }
            } else if ctx[k].flags.contains(.concessive) {
                var m = k + 1
                while m < end && tokens[m].kind != .comma { ctx[m].weight = c.contrastBefore; m += 1 }
                k = m
                continue
            }
            k += 1
        }
    }

    private func questionTag(_ tokens: [Token], _ quote: (Int, Int) -> String) -> CueTag? {
        let c = configuration
        var s = 0
        var k = 0
        while k <= tokens.count {
            if k == tokens.count || tokens[k].isSentenceEnd {
                if s < k || (k < tokens.count && tokens[k].kind == .question) {
                    let endsQ = k < tokens.count && tokens[k].kind == .question
                    var first = s
                    while first < k && !tokens[first].isWord { first += 1 }
                    var asks = endsQ
                    if !asks, first < k {
                        let w = marks(tokens[first])
                        if w.contains(.questionWord) { asks = true }
                        else if w.contains(.questionAuxiliary), first + 1 < k {
                            // "do it now", "have this" are orders, "is it", "are you" questions
                            let next = marks(tokens[first + 1])
                            let thing = next.contains(.thing)
                            let doOrHave = w.contains(.doOrHave)
                            if next.contains(.questionPronoun) && !(thing && doOrHave) { asks = true }
                        }
                    }
                    if asks, first < tokens.count {
                        let end = min(tokens.count, k + 1)
                        let q = clipQuote(quote(first, max(end, first + 1)))
                        return CueTag(Tag.question, strength: c.questionStrength, reason: quotedList("asked a question", CollectionOfOne(q)))
                    }
                }
                s = k + 1
            }
            k += 1
        }
        return nil
    }
}

/// `head: "a", "b"` (each item quoted, comma-separated) made with one allocation:
/// `+` and `+=` grow the string, copying it, once per piece.
func quotedList<C: Collection<String>>(_ head: String, _ items: C) -> String {
    var n = head.utf8.count + 1
    var first = true
    for w in items { n += w.utf8.count + (first ? 3 : 4); first = false }
    if first { n += 1 }
    return String(unsafeUninitializedCapacity: n) { buf in
        var at = 0
        func put<U: Collection<UInt8>>(_ u: U) {
            at = UnsafeMutableBufferPointer(rebasing: buf[at...]).initialize(fromContentsOf: u) + at
        }
        put(head.utf8)
        put(":".utf8)
        var first = true
        for w in items {
            put((first ? " \"" : ", \"").utf8)
            put(w.utf8)
            put("\"".utf8)
            first = false
        }
        if first { put(" ".utf8) }
        return at
    }
}

/// `q`, cut to 77 Characters and "..." when longer than 80 Characters.
func clipQuote(_ q: String) -> String {
    guard q.utf8.count > 80 else { return q }
    // Printable ASCII is one Character a byte: no grapheme walk (bytes read through a pointer).
    var copy = q
    let cut: String? = copy.withUTF8 { b in
        for c in b where c < 0x20 || c >= 0x7F { return nil }
        return String(decoding: UnsafeBufferPointer(rebasing: b[..<77]), as: UTF8.self) + "..."
    }
    if let cut { return cut }
    return q.count > 80 ? String(q.prefix(77)) + "..." : q
}
