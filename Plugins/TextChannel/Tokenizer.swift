/// What a token is. Punctuation is kept because the rules need it
/// ("stop!", a trailing "?", clause boundaries for negation and "but").
enum TokenKind: UInt8, Sendable {
    case word, emoticon, emoji, bang, question, period, comma
}

/// One token of normalised text. `start..<end` are UTF-8 offsets into the
/// original text so reasons can quote the person's own spelling.
struct Token: Sendable {
    var kind: TokenKind
    /// Written in capitals (2+ letters, no lowercase): emphasis when the rest of the text is not shouting.
    var caps: Bool
    var start: Int
    var end: Int
    /// For `bang` and `question`: how many marks in the run ("!!!" is 3).
    var count: Int
    /// The vocabulary slot of the normalised text, -1 when the channel's vocabulary lacks it.
    /// Every word a rule or pattern compares with has a slot, so comparing slots is comparing texts.
    var id: Int32
    /// The normalised text (lowercased, apostrophes folded to `'`, contractions expanded:
    /// "don't" gives "do" and "not") is `text[textStart..<textEnd]` of the ``Tokenized``.
    var textStart: Int32
    var textEnd: Int32
    /// The normalised text is ASCII (byte tables and byte-wise stemming apply).
    var ascii: Bool
    /// The normalised text is one byte or all digits: a word that carries no sentiment ("u", "2019").
    var inert: Bool

    var isWord: Bool { kind == .word }
    var isSentenceEnd: Bool { kind == .bang || kind == .question || kind == .period }
}

/// The tokens of one text and their normalised texts, back to back in one buffer
/// (one allocation instead of a String per token).
struct Tokenized {
    var tokens: [Token] = []
    var text: [UInt8] = []

    func bytes(_ i: Int) -> ArraySlice<UInt8> { text[Int(tokens[i].textStart)..<Int(tokens[i].textEnd)] }

    /// Appends a token whose normalised text is `text[at...]`; `known` gives its ``Token/ascii`` and
    /// ``Token/inert`` when the caller has them already, otherwise they are read off the bytes.
    mutating func appendToken(_ kind: TokenKind, caps: Bool, start: Int, end: Int, id: Int32, textFrom at: Int,
                              known: (ascii: Bool, inert: Bool)? = nil) {
        var flags = known ?? (true, true)
        if known == nil {
            var high: UInt8 = 0
            var digitsOnly = true
            for k in at..<text.count {
                high |= text[k]
                if text[k] < 0x30 || text[k] > 0x39 { digitsOnly = false }
            }
            flags = (high < 0x80, text.count - at == 1 || digitsOnly)
        }
        tokens.append(Token(kind: kind, caps: caps, start: start, end: end, count: 1, id: id,
                            textStart: Int32(at), textEnd: Int32(text.count), ascii: flags.ascii, inert: flags.inert))
    }
    func string(_ i: Int) -> String { String(decoding: bytes(i), as: UTF8.self) }
}

/// Splits text into tokens in one pass over its UTF-8 bytes.
///
/// Emoticons (":)", ":-(", "<3") are recognised as whole whitespace-separated
/// chunks by looking them up in `emoticons`, since their characters are
/// otherwise punctuation.
struct Tokenizer: Sendable {
    let emoticons: WordTable
    /// Gives tokens their `id`; nil (all -1) for the plain tokenizer that normalises lexicon entries and patterns.
    let vocab: WordTable?
    private let punctuationIds: (bang: Int32, question: Int32, period: Int32, comma: Int32)

    init(emoticons: Set<String>, vocab: WordTable? = nil) {
        var e: [String: Int32] = [:]
        for s in emoticons { e[s] = 0 }
        self.emoticons = WordTable(e)
        self.vocab = vocab
        punctuationIds = (vocab?.id("!") ?? -1, vocab?.id("?") ?? -1, vocab?.id(".") ?? -1, vocab?.id(",") ?? -1)
    }

    func tokenize(_ input: String) -> Tokenized {
        var text = input
        return text.withUTF8 { run($0) }
    }

    /// The normalised words of `input`, for building tables.
    func words(_ input: String) -> [String] {
        // Most lexicon keys are one plain lowercase word, which tokenizes to itself
        // unless it is a contraction ("cant"); that shortcut halves building the tables.
        let u = input.utf8
        if !u.isEmpty, u.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) }) {
            var plain = input
            if plain.withUTF8({ expansionTable.id($0) }) < 0 { return [input] }
        }
        let t = tokenize(input)
        return t.tokens.indices.filter { t.tokens[$0].isWord }.map { t.string($0) }
    }

    /// The scan's state, as a struct so that its updates are plain stores (local functions
    /// capturing these variables cost a dynamic exclusivity check per byte).
    private struct Scan {
        var out = Tokenized()
        // The word being read is the last `wordLen` bytes of `out.text`, so that a plain word
        // becomes its own token in place; its FNV-1a hash, high bits and apostrophes are kept as it grows.
        var wordLen = 0
        var hash = WordTable.basis
        var high: UInt8 = 0
        var apostrophes = 0
        var nonDigits = 0
        var wordStart = 0
        var upper = 0, lower = 0

        mutating func punct(_ kind: TokenKind, _ ch: UInt8, _ id: Int32, _ s: Int, _ e: Int) {
            let at = out.text.count
            out.text.append(ch)
            out.appendToken(kind, caps: false, start: s, end: e, id: id, textFrom: at)
        }

        @inline(__always) mutating func add(_ u: UInt8) {
            if wordLen == 0 { hash = WordTable.basis; high = 0; apostrophes = 0; nonDigits = 0 }
            out.text.append(u)
            wordLen += 1
            hash = WordTable.step(hash, u)
            high |= u
            if u == 0x27 { apostrophes += 1 }
            if u < 0x30 || u > 0x39 { nonDigits += 1 }
        }

        /// `t` is a parameter, not a stored property: copying a Tokenizer retains all its tables.
        mutating func flushWord(_ end: Int, _ t: borrowing Tokenizer) {
            guard wordLen > 0 else { return }
            // A trailing apostrophe is a quote mark, not part of the word.
            if out.text.last == 0x27 {
                while wordLen > 0 && out.text.last == 0x27 { out.text.removeLast(); wordLen -= 1; apostrophes -= 1; nonDigits -= 1 }
                hash = WordTable.hash(out.text[(out.text.count - wordLen)...])
            }
            if wordLen > 0 {
                let caps = upper >= 2 && lower == 0
                t.emitWord(at: out.text.count - wordLen, hash: hash, ascii: high < 0x80, apostrophe: apostrophes > 0,
                           inert: wordLen == 1 || nonDigits == 0,
                           caps: caps, start: wordStart, end: end, into: &out)
            }
            wordLen = 0
            upper = 0; lower = 0
        }
    }

    private func run(_ b: UnsafeBufferPointer<UInt8>) -> Tokenized {
        var sc = Scan()
        sc.out.tokens.reserveCapacity(b.count / 4 + 4)
        sc.out.text.reserveCapacity(b.count + 16)
        var i = 0
        let n = b.count
        var atChunkStart = true

        while i < n {
            let c = b[i]
            if atChunkStart && c != 0x20 && !isASCIIAlnum(c) && c < 0x80 {
                // Possible emoticon: look the whole chunk up.
                var j = i
                while j < n && b[j] != 0x20 && b[j] != 0x0A && b[j] != 0x09 && b[j] != 0x0D { j += 1 }
                if j - i >= 2 && j - i <= 8 {
                    let chunk = UnsafeBufferPointer(rebasing: b[i..<j])
                    if emoticons.contains(chunk) {
                        let at = sc.out.text.count
                        sc.out.text.append(contentsOf: chunk)
                        sc.out.appendToken(.emoticon, caps: false, start: i, end: j, id: vocab?.id(chunk) ?? -1, textFrom: at)
                        i = j
                        atChunkStart = false
                        continue
                    }
                }
            }
            atChunkStart = false
            if c < 0x80 {
                if c >= 0x41 && c <= 0x5A {  // A-Z
                    if sc.wordLen == 0 { sc.wordStart = i }
                    sc.add(c | 0x20); sc.upper += 1
                } else if (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) {
                    if sc.wordLen == 0 { sc.wordStart = i }
                    sc.add(c)
                    if c >= 0x61 { sc.lower += 1 }
                } else if c == 0x27 {  // '
                    if sc.wordLen > 0 { sc.add(0x27) }
                } else {
                    sc.flushWord(i, self)
                    switch c {
                    case 0x21, 0x3F:  // ! ?
                        let kind: TokenKind = c == 0x21 ? .bang : .question
                        if let last = sc.out.tokens.last, last.kind == kind, last.end == i {
                            sc.out.tokens[sc.out.tokens.count - 1].count += 1
                            sc.out.tokens[sc.out.tokens.count - 1].end = i + 1
                        } else {
                            sc.punct(kind, c, c == 0x21 ? punctuationIds.bang : punctuationIds.question, i, i + 1)
                        }
                    case 0x2E, 0x0A:  // . and newline end a sentence
                        if let last = sc.out.tokens.last, last.isSentenceEnd { break }
                        if sc.out.tokens.isEmpty { break }
                        sc.punct(.period, 0x2E, punctuationIds.period, i, i + 1)
                    case 0x2C, 0x3B, 0x3A:  // , ; :
                        sc.punct(.comma, 0x2C, punctuationIds.comma, i, i + 1)
                    default: break
                    }
                    if c == 0x20 || c == 0x0A || c == 0x09 || c == 0x0D { atChunkStart = true }
                }
                i += 1
                continue
            }
            // Multi-byte scalar: decode it.
            let (scalar, len) = decode(b, i)
            let v = scalar.value
            if v == 0x2019 || v == 0x2018 || v == 0x02BC || v == 0x2032 {  // ’ ‘ ʼ ′ fold to '
                if sc.wordLen > 0 { sc.add(0x27) }
            } else if v == 0x2026 {  // …
                sc.flushWord(i, self)
                if let last = sc.out.tokens.last, !last.isSentenceEnd {
                    sc.punct(.period, 0x2E, punctuationIds.period, i, i + len)
                }
            } else if v == 0xFE0F || v == 0x200D || (v >= 0x1F3FB && v <= 0x1F3FF) {
                // variation selector, zero-width joiner, skin tones: part of the emoji before
            } else if scalar.properties.isAlphabetic {
                if sc.wordLen == 0 { sc.wordStart = i }
                if scalar.properties.isUppercase { sc.upper += 1 } else { sc.lower += 1 }
                for u in scalar.properties.lowercaseMapping.utf8 { sc.add(u) }
            } else if v >= 0x2190 && (scalar.properties.isEmoji || scalar.properties.isEmojiPresentation) {
                sc.flushWord(i, self)
                let at = sc.out.text.count
                sc.out.text.append(contentsOf: String(Character(scalar)).utf8)
                let id = sc.out.text.withUnsafeBufferPointer { vocab?.id(UnsafeBufferPointer(rebasing: $0[at...])) ?? -1 }
                sc.out.appendToken(.emoji, caps: false, start: i, end: i + len, id: id, textFrom: at)
            } else {
                sc.flushWord(i, self)
                if v == 0x00A0 || v == 0x2003 || v == 0x2002 { atChunkStart = true }
            }
            i += len
        }
        sc.flushWord(n, self)
        return sc.out
    }

    @inline(__always) private func isASCIIAlnum(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
    }

    private func decode(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> (Unicode.Scalar, Int) {
        let c = b[i]
        var len = 1
        var v = UInt32(c)
        if c & 0xE0 == 0xC0 { len = 2; v = UInt32(c & 0x1F) }
        else if c & 0xF0 == 0xE0 { len = 3; v = UInt32(c & 0x0F) }
        else if c & 0xF8 == 0xF0 { len = 4; v = UInt32(c & 0x07) }
        else { return (Unicode.Scalar(0xFFFD)!, 1) }
        if i + len > b.count { return (Unicode.Scalar(0xFFFD)!, b.count - i) }
        for k in 1..<len { v = (v << 6) | UInt32(b[i + k] & 0x3F) }
        return (Unicode.Scalar(v) ?? Unicode.Scalar(0xFFFD)!, len)
    }

    /// Turns the word in `out.text[at...]` into its tokens: itself, or expanded contractions
    /// and split clitics ("didn't", "she's"). `hash` is its FNV-1a hash.
    fileprivate func emitWord(at: Int, hash: UInt32, ascii: Bool, apostrophe: Bool, inert: Bool, caps: Bool, start: Int, end: Int,
                          into out: inout Tokenized) {
        func push<C: Collection<UInt8>>(_ u: C) {
            let at = out.text.count
            out.text.append(contentsOf: u)
            let id = out.text.withUnsafeBufferPointer { vocab?.id(UnsafeBufferPointer(rebasing: $0[at...])) ?? -1 }
            out.appendToken(.word, caps: caps, start: start, end: end, id: id, textFrom: at)
        }
        guard ascii else {
            // Rare: keep the String rules (grapheme-wise suffix tests, canonical equivalence) as they were.
            let bytes = Array(out.text[at...])
            out.text.removeSubrange(at...)
            for p in splitWord(bytes) { push(p.utf8) }
            return
        }
        let e = out.text.withUnsafeBufferPointer { expansionTable.id(asciiBytes: UnsafeBufferPointer(rebasing: $0[at...]), hash: hash) }
        if e >= 0 {
            out.text.removeSubrange(at...)
            for p in expansionParts[Int(e)] { push(p) }
            return
        }
        guard apostrophe else {
            // The common case: the word is its own token, already in place.
            let id = out.text.withUnsafeBufferPointer {
                vocab?.id(asciiBytes: UnsafeBufferPointer(rebasing: $0[at...]), hash: hash) ?? -1
            }
            out.appendToken(.word, caps: caps, start: start, end: end, id: id, textFrom: at, known: (true, inert))
            return
        }
        let bytes = Array(out.text[at...])
        out.text.removeSubrange(at...)
        bytes.withUnsafeBufferPointer { w in
            guard let apos = w.lastIndex(of: 0x27) else { push(w); return }
            let stem = UnsafeBufferPointer(rebasing: w[..<apos])
            let suffix = UnsafeBufferPointer(rebasing: w[(apos + 1)...])
            if suffix.count == 1 && suffix[0] == 0x74, stem.last == 0x6E {  // "didn't" splits as "didn" + "t"
                let base = UnsafeBufferPointer(rebasing: stem.dropLast())
                let e = expansionTable.id(Array(base) + [0x27, 0x74])
                if e >= 0 { for p in expansionParts[Int(e)] { push(p) }; return }
                push(base); push("not".utf8); return
            }
            let s = suffix.count <= 2 ? (Int(suffix.first ?? 0) << 8 | Int(suffix.count == 2 ? suffix[1] : 0)) : -1
            switch s {
            case 0x6D00: push(stem); push("am".utf8)  // 'm
            case 0x7265: push(stem); push("are".utf8)  // 're
            case 0x7665: push(stem); push("have".utf8)  // 've
            case 0x6C6C: push(stem); push("will".utf8)  // 'll
            case 0x6400: push(stem); push("would".utf8)  // 'd
            case 0x7300:  // 's
                push(stem)
                if pronounTable.contains(stem) { push("is".utf8) }
            default: push(w)
            }
        }
    }
}

/// Contractions and their apostrophe-less chat spellings, expanded so that
/// negation and phrase patterns see one form: "don't", "dont", "do not".
private let expansions: [String: [String]] = {
    var m: [String: [String]] = [
        "can't": ["can", "not"], "cant": ["can", "not"], "cannot": ["can", "not"],
        "won't": ["will", "not"], "wont": ["will", "not"], "shan't": ["shall", "not"],
        "ain't": ["is", "not"], "aint": ["is", "not"],
        "i'm": ["i", "am"], "im": ["i", "am"], "ive": ["i", "have"],
        "youre": ["you", "are"], "theyre": ["they", "are"], "thats": ["that", "is"],
        "whats": ["what", "is"], "hes": ["he", "is"], "shes": ["she", "is"],
        "let's": ["let", "us"],
        "gonna": ["going", "to"], "wanna": ["want", "to"], "gotta": ["got", "to"],
        "dunno": ["do", "not", "know"], "idk": ["i", "do", "not", "know"],
    ]
    for base in ["do", "does", "did", "is", "are", "was", "were", "have", "has", "had",
                 "could", "would", "should", "must", "need", "might", "dare"] {
        m[base + "nt"] = [base, "not"]
    }
    // "wont"/"cant" above win over these bare-stem forms.
    m["wasnt"] = ["was", "not"]
    return m
}()

/// `expansions` on bytes: key -> index into `expansionParts`.
private let expansionKeys = Array(expansions.keys)
private let expansionTable = WordTable(Dictionary(uniqueKeysWithValues: expansionKeys.enumerated().map { ($1, Int32($0)) }))
private let expansionParts: [[[UInt8]]] = expansionKeys.map { expansions[$0]!.map { Array($0.utf8) } }
private let pronounTable = WordTable(Dictionary(uniqueKeysWithValues: isPronounLike.map { ($0, Int32(0)) }))

private let isPronounLike: Set<String> = [
    "it", "that", "what", "there", "here", "he", "she", "who", "where", "how", "this", "everything",
    "nothing", "something", "everyone", "someone", "when", "why",
]

    /// The tokens of one word as Strings, with String semantics throughout; for words with non-ASCII letters.
private func splitWord(_ bytes: [UInt8]) -> [String] {
    var out: [String] = []
    let w = String(decoding: bytes, as: UTF8.self)
    func push(_ s: String) { out.append(s) }
    if let parts = expansions[w] {
        for p in parts { push(p) }
        return out
    }
    guard let apos = bytes.lastIndex(of: 0x27) else { push(w); return out }
    let stem = String(decoding: bytes[..<apos], as: UTF8.self)
    let suffix = bytes[(apos + 1)...]
    if suffix.elementsEqual("t".utf8), stem.hasSuffix("n") {
        // "didn't" splits as "didn" + "t"
        let base = String(stem.dropLast())
        if let parts = expansions[base + "'t"] { for p in parts { push(p) }; return out }
        push(base); push("not"); return out
    }
    switch String(decoding: suffix, as: UTF8.self) {
    case "m": push(stem); push("am")
    case "re": push(stem); push("are")
    case "ve": push(stem); push("have")
    case "ll": push(stem); push("will")
    case "d": push(stem); push("would")
    case "s":
        push(stem)
        if isPronounLike.contains(stem) { push("is") }
    default: push(w)
    }
    return out
}
