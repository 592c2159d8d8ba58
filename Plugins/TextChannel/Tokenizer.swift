/// What a token is. Punctuation is kept because the rules need it
/// ("stop!", a trailing "?", clause boundaries for negation and "but").
enum TokenKind: UInt8, Sendable {
    case word, emoticon, emoji, bang, question, period, comma
}

/// One token of normalised text. `start..<end` are UTF-8 offsets into the
/// original text so reasons can quote the person's own spelling.
struct Token: Sendable {
    /// Lowercased, apostrophes folded to `'`, contractions expanded ("don't" gives "do" and "not").
    var text: String
    var kind: TokenKind
    /// Written in capitals (2+ letters, no lowercase): emphasis when the rest of the text is not shouting.
    var caps: Bool
    var start: Int
    var end: Int
    /// For `bang` and `question`: how many marks in the run ("!!!" is 3).
    var count: Int

    var isWord: Bool { kind == .word }
    var isSentenceEnd: Bool { kind == .bang || kind == .question || kind == .period }
}

/// Splits text into tokens in one pass over its UTF-8 bytes.
///
/// Emoticons (":)", ":-(", "<3") are recognised as whole whitespace-separated
/// chunks by looking them up in `emoticons`, since their characters are
/// otherwise punctuation.
struct Tokenizer {
    let emoticons: Set<String>

    func tokenize(_ input: String) -> [Token] {
        var text = input
        return text.withUTF8 { run($0) }
    }

    private func run(_ b: UnsafeBufferPointer<UInt8>) -> [Token] {
        var tokens: [Token] = []
        tokens.reserveCapacity(b.count / 4 + 4)
        var word: [UInt8] = []
        word.reserveCapacity(32)
        var wordStart = 0
        var upper = 0, lower = 0
        var i = 0
        let n = b.count
        var atChunkStart = true

        func flushWord(_ end: Int) {
            guard !word.isEmpty else { return }
            // A trailing apostrophe is a quote mark, not part of the word.
            while word.last == 0x27 { word.removeLast() }
            if !word.isEmpty {
                let caps = upper >= 2 && lower == 0
                emitWord(word, caps: caps, start: wordStart, end: end, into: &tokens)
            }
            word.removeAll(keepingCapacity: true)
            upper = 0; lower = 0
        }

        while i < n {
            let c = b[i]
            if atChunkStart && c != 0x20 && !isASCIIAlnum(c) && c < 0x80 {
                // Possible emoticon: look the whole chunk up.
                var j = i
                while j < n && b[j] != 0x20 && b[j] != 0x0A && b[j] != 0x09 && b[j] != 0x0D { j += 1 }
                if j - i >= 2 && j - i <= 8 {
                    let chunk = String(decoding: UnsafeBufferPointer(rebasing: b[i..<j]), as: UTF8.self)
                    if emoticons.contains(chunk) {
                        tokens.append(Token(text: chunk, kind: .emoticon, caps: false, start: i, end: j, count: 1))
                        i = j
                        atChunkStart = false
                        continue
                    }
                }
            }
            atChunkStart = false
            if c < 0x80 {
                if c >= 0x41 && c <= 0x5A {  // A-Z
                    if word.isEmpty { wordStart = i }
                    word.append(c | 0x20); upper += 1
                } else if (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) {
                    if word.isEmpty { wordStart = i }
                    word.append(c)
                    if c >= 0x61 { lower += 1 }
                } else if c == 0x27 {  // '
                    if !word.isEmpty { word.append(0x27) }
                } else {
                    flushWord(i)
                    switch c {
                    case 0x21, 0x3F:  // ! ?
                        let kind: TokenKind = c == 0x21 ? .bang : .question
                        if let last = tokens.last, last.kind == kind, last.end == i {
                            tokens[tokens.count - 1].count += 1
                            tokens[tokens.count - 1].end = i + 1
                        } else {
                            tokens.append(Token(text: c == 0x21 ? "!" : "?", kind: kind, caps: false, start: i, end: i + 1, count: 1))
                        }
                    case 0x2E, 0x0A:  // . and newline end a sentence
                        if let last = tokens.last, last.isSentenceEnd { break }
                        if tokens.isEmpty { break }
                        tokens.append(Token(text: ".", kind: .period, caps: false, start: i, end: i + 1, count: 1))
                    case 0x2C, 0x3B, 0x3A:  // , ; :
                        tokens.append(Token(text: ",", kind: .comma, caps: false, start: i, end: i + 1, count: 1))
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
                if !word.isEmpty { word.append(0x27) }
            } else if v == 0x2026 {  // …
                flushWord(i)
                if let last = tokens.last, !last.isSentenceEnd {
                    tokens.append(Token(text: ".", kind: .period, caps: false, start: i, end: i + len, count: 1))
                }
            } else if v == 0xFE0F || v == 0x200D || (v >= 0x1F3FB && v <= 0x1F3FF) {
                // variation selector, zero-width joiner, skin tones: part of the emoji before
            } else if scalar.properties.isAlphabetic {
                if word.isEmpty { wordStart = i }
                if scalar.properties.isUppercase { upper += 1 } else { lower += 1 }
                for u in scalar.properties.lowercaseMapping.utf8 { word.append(u) }
            } else if v >= 0x2190 && (scalar.properties.isEmoji || scalar.properties.isEmojiPresentation) {
                flushWord(i)
                tokens.append(Token(text: String(Character(scalar)), kind: .emoji, caps: false, start: i, end: i + len, count: 1))
            } else {
                flushWord(i)
                if v == 0x00A0 || v == 0x2003 || v == 0x2002 { atChunkStart = true }
            }
            i += len
        }
        flushWord(n)
        return tokens
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

private let isPronounLike: Set<String> = [
    "it", "that", "what", "there", "here", "he", "she", "who", "where", "how", "this", "everything",
    "nothing", "something", "everyone", "someone", "when", "why",
]

private func emitWord(_ bytes: [UInt8], caps: Bool, start: Int, end: Int, into tokens: inout [Token]) {
    let w = String(decoding: bytes, as: UTF8.self)
    func push(_ s: String) { tokens.append(Token(text: s, kind: .word, caps: caps, start: start, end: end, count: 1)) }
    if let parts = expansions[w] {
        for p in parts { push(p) }
        return
    }
    guard let apos = bytes.lastIndex(of: 0x27) else { push(w); return }
    let stem = String(decoding: bytes[..<apos], as: UTF8.self)
    let suffix = bytes[(apos + 1)...]
    if suffix.elementsEqual("t".utf8), stem.hasSuffix("n") {
        // "didn't" splits as "didn" + "t"
        let base = String(stem.dropLast())
        if let parts = expansions[base + "'t"] { for p in parts { push(p) }; return }
        push(base); push("not"); return
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
}
