/// The emotion categories a text can score on, in the fixed order used in output.
public enum EmotionCategory: Int, CaseIterable, Sendable {
    case anger, sadness, fear, joy, shame, loneliness, surprise

    /// The matching ``Tag`` name.
    public var tagName: String {
        switch self {
        case .anger: return "anger"
        case .sadness: return "sadness"
        case .fear: return "fear"
        case .joy: return "joy"
        case .shame: return "shame"
        case .loneliness: return "loneliness"
        case .surprise: return "surprise"
        }
    }

    init?(name: String) {
        guard let c = EmotionCategory.allCases.first(where: { $0.tagName == name }) else { return nil }
        self = c
    }
}

/// Where a word's valence came from, for the analysis output.
enum LexiconSource: String, Sendable {
    case vader, project, user, emoji
}

/// What the lexicons know about one word or phrase.
struct LexEntry: Sendable {
    /// On VADER's -4...4 scale.
    var valence: Double?
    var valenceSource: LexiconSource = .vader
    var arousal: Double?
    var dominance: Double?
    /// Weight per ``EmotionCategory`` raw value; empty for most words.
    var emotions: [(EmotionCategory, Double)] = []
}

/// A multi-word entry, matched on normalised tokens.
struct PhraseEntry: Sendable {
    var words: [String]
    var entry: LexEntry
    /// `words` as vocabulary slots, filled in by the channel.
    var ids: [Int32] = []
}

/// Word and phrase tables, built once.
struct LexiconTables: Sendable {
    var words: [String: LexEntry] = [:]
    /// Keyed by the first word; longest phrases first.
    var phrases: [String: [PhraseEntry]] = [:]
    var emoticons: Set<String> = []

    mutating func addPhrase(_ words: [String], _ entry: LexEntry) {
        guard let first = words.first else { return }
        phrases[first, default: []].append(PhraseEntry(words: words, entry: entry))
        phrases[first]!.sort { $0.words.count > $1.words.count }
    }

    /// The built-in tables: VADER's words, emoticons and emoji, overlaid with the project's affect words.
    static let builtIn: LexiconTables = {
        var t = LexiconTables()
        let plain = Tokenizer(emoticons: [])
        for line in lines(VaderLexiconData.words) {
            guard let tab = line.utf8.firstIndex(of: 0x09), let v = Double(line[line.index(after: tab)...]) else { continue }
            let key = String(line[..<tab])
            guard let f = key.utf8.first else { continue }
            let isAlnum = (f >= 0x30 && f <= 0x39) || (f >= 0x61 && f <= 0x7A)
            if !isAlnum {
                t.emoticons.insert(key)
                t.words[key] = LexEntry(valence: v)
                continue
            }
            let toks = plain.words(key)
            if toks.count == 1 {
                if t.words[toks[0]] == nil { t.words[toks[0]] = LexEntry(valence: v) }
            } else if toks.count > 1 {
                t.addPhrase(toks, LexEntry(valence: v))
            }
        }
        for line in lines(VaderLexiconData.emoji) {
            guard let tab = line.utf8.firstIndex(of: 0x09), let v = Double(line[line.index(after: tab)...]) else { continue }
            var key = String(line[..<tab])
            key.unicodeScalars.removeAll { $0.value == 0xFE0F }
            t.words[key] = LexEntry(valence: v, valenceSource: .emoji)
        }
        for line in lines(AffectWords.table) {
            let f = asciiFields(line)
            guard f.count == 4, !f[0].hasPrefix("#") else { continue }
            var e = LexEntry()
            if f[1] != "-" {
                for pair in f[1].split(separator: ",") {
                    let kv = pair.split(separator: ":")
                    if kv.count == 2, let c = EmotionCategory(name: String(kv[0])), let w = Double(kv[1]) {
                        e.emotions.append((c, w))
                    }
                }
            }
            e.arousal = Double(f[2])
            let words = f[0].split(separator: "_").map(String.init)
            if words.count == 1 {
                let old = t.words[words[0]]
                e.valence = Double(f[3]) ?? old?.valence
                e.valenceSource = Double(f[3]) != nil ? .project : (old?.valenceSource ?? .vader)
                t.words[words[0]] = e
            } else {
                e.valence = Double(f[3])
                e.valenceSource = .project
                t.addPhrase(words, e)
            }
        }
        return t
    }()
}

/// The non-empty lines of `text`, as `text.split(separator: "\n")` gives them, found on the
/// UTF-8 bytes: a line feed is always a Character of its own (the tables have no "\r\n"),
/// and splitting by Character walks grapheme breaks through ~200 kB of tables at startup.
private func lines(_ text: String) -> [Substring] {
    splitOnBytes(Substring(text)) { $0 == 0x0A }
}

/// The fields of an ``AffectWords`` line, as `line.split(whereSeparator: { $0 == " " || $0 == "\t" })`
/// gives them, found on the UTF-8 bytes: in the table no space or tab combines with a
/// neighbour into one Character (a test checks), and the Character walk was a seventh of startup.
func asciiFields(_ line: Substring) -> [Substring] {
    splitOnBytes(line) { $0 == 0x20 || $0 == 0x09 }
}

/// The non-empty runs of `text` between bytes for which `isSeparator` holds.
private func splitOnBytes(_ text: Substring, _ isSeparator: (UInt8) -> Bool) -> [Substring] {
    var out: [Substring] = []
    let u = text.utf8
    var copy = text
    // Byte offsets from a pointer walk; String indices from them in O(1) (native UTF-8).
    copy.withUTF8 { b in
        var start = 0
        for i in 0..<b.count where isSeparator(b[i]) {
            if start != i { out.append(text[u.index(u.startIndex, offsetBy: start)..<u.index(u.startIndex, offsetBy: i)]) }
            start = i + 1
        }
        if start != b.count { out.append(text[u.index(u.startIndex, offsetBy: start)..<u.endIndex]) }
    }
    return out
}

/// A light suffix stripper: the candidate base forms of an inflected word,
/// so the affect list can hold "worry" and still find "worrying".
func stemCandidates(_ w: String, _ body: (String) -> Bool) {
    let u = w.utf8
    guard u.count >= 5 else { return }
    // Byte-wise suffix tests: String.hasSuffix compares grapheme by grapheme.
    func tryDrop(_ suffix: StaticString, _ replacements: [String]) -> Bool {
        let n = suffix.utf8CodeUnitCount
        let tail = UnsafeBufferPointer(start: suffix.utf8Start, count: n)
        guard u.count > n + 2, u.suffix(n).elementsEqual(tail) else { return false }
        let base = String(decoding: u.dropLast(n), as: UTF8.self)
        for r in replacements where body(base + r) { return true }
        // doubled consonant: "upsetting" -> "upset"
        let b = base.utf8
        if let l = b.last, b.dropLast().last == l, body(String(decoding: b.dropLast(), as: UTF8.self)) { return true }
        return false
    }
    if tryDrop("ied", ["y"]) || tryDrop("ies", ["y"]) || tryDrop("iest", ["y"]) || tryDrop("ier", ["y"]) { return }
    if tryDrop("ing", ["", "e"]) { return }
    if tryDrop("ed", ["", "e"]) { return }
    if tryDrop("ness", [""]) { return }
    if tryDrop("ly", ["", "le"]) { return }
    if tryDrop("es", [""]) { return }
    if tryDrop("s", [""]) { return }
    guard u.count >= 6 else { return }
    if tryDrop("est", ["", "e"]) { return }
    if tryDrop("er", ["", "e"]) { return }
}

/// ``stemCandidates(_:_:)`` for an ASCII word's bytes: the same candidates in the
/// same order, written into one stack buffer instead of a String each.
func asciiStemCandidates(_ u: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Bool) {
    guard u.count >= 5 else { return }
    // Every suffix below ends in d, g, r, s, t or y: most words need no further look.
    switch u[u.count - 1] {
    case 0x64, 0x67, 0x72, 0x73, 0x74, 0x79: break
    default: return
    }
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: u.count + 2) { b in
        func tryDrop(_ suffix: StaticString, _ r0: StaticString, _ r1: StaticString? = nil) -> Bool {
            let n = suffix.utf8CodeUnitCount
            guard u.count > n + 2 else { return false }
            let s = suffix.utf8Start
            for k in 0..<n where u[u.count - n + k] != s[k] { return false }
            let baseLen = u.count - n
            for k in 0..<baseLen { b[k] = u[k] }
            func test(_ r: StaticString) -> Bool {
                let rn = r.utf8CodeUnitCount
                for k in 0..<rn { b[baseLen + k] = r.utf8Start[k] }
                return body(UnsafeBufferPointer(rebasing: b[0..<(baseLen + rn)]))
            }
            if test(r0) { return true }
            if let r1, test(r1) { return true }
            // doubled consonant: "upsetting" -> "upset"
            if u[baseLen - 1] == u[baseLen - 2], body(UnsafeBufferPointer(rebasing: u[0..<(baseLen - 1)])) { return true }
            return false
        }
        if tryDrop("ied", "y") || tryDrop("ies", "y") || tryDrop("iest", "y") || tryDrop("ier", "y") { return }
        if tryDrop("ing", "", "e") { return }
        if tryDrop("ed", "", "e") { return }
        if tryDrop("ness", "") { return }
        if tryDrop("ly", "", "le") { return }
        if tryDrop("es", "") { return }
        if tryDrop("s", "") { return }
        guard u.count >= 6 else { return }
        if tryDrop("est", "", "e") { return }
        if tryDrop("er", "", "e") { return }
    }
}
