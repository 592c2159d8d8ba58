/// A researcher's own word table, consulted before the built-in lexicons.
///
/// Values are on -1...1 (valence: unpleasant...pleasant; arousal:
/// calm...activated; dominance: controlled...in control). See
/// ``TextChannel/parseLexiconTSV(_:)`` for the file format.
public struct UserLexicon: Sendable, Equatable {
    /// One row of the table.
    public struct Entry: Sendable, Equatable {
        /// The word or phrase as normalised tokens ("do not care" for "don't care").
        public var words: [String]
        public var valence: Double
        public var arousal: Double
        public var dominance: Double?
        public init(words: [String], valence: Double, arousal: Double, dominance: Double? = nil) {
            self.words = words
            self.valence = valence
            self.arousal = arousal
            self.dominance = dominance
        }
    }

    /// Entries in file order; a later row for the same word wins.
    public var entries: [Entry]

    public init(entries: [Entry] = []) { self.entries = entries }

    /// An empty table.
    public static let empty = UserLexicon()
}

/// A problem in a lexicon file, with its 1-based line number.
public struct LexiconParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var message: String
    public var description: String { "line \(line): \(message)" }
}

extension TextChannel {
    /// Parses a user lexicon in TSV form.
    ///
    /// One entry a line: `word TAB valence TAB arousal [TAB dominance]`.
    /// Blank lines and lines starting with `#` are skipped; a first row whose
    /// first field is `word` is taken as a header. Values must lie in -1...1,
    /// unless the file says `#scale: 1-9` (on a line of its own, before the
    /// entries), in which case they are read as the 1...9 ratings of common
    /// norms (ANEW, Warriner et al.) and mapped by (x - 5) / 4.
    /// A "word" may be a phrase ("fed up"); it is normalised like the input
    /// text (lowercase, contractions expanded).
    public static func parseLexiconTSV(_ text: String) throws(LexiconParseError) -> UserLexicon {
        var entries: [UserLexicon.Entry] = []
        var nineScale = false
        var seenHeaderOrEntry = false
        let plain = Tokenizer(emoticons: [])
        var lineNo = 0
        // "\r\n" is one Character in Swift, so it needs its own test.
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            lineNo += 1
            var line = Substring(rawLine)
            if line.hasSuffix("\r") { line = line.dropLast() }
            let trimmed = line.drop(while: { $0 == " " })
            if trimmed.isEmpty { continue }
            if trimmed.hasPrefix("#") {
                let directive = trimmed.dropFirst().filter { $0 != " " }.lowercased()
                if directive.hasPrefix("scale:") {
                    let scale = directive.dropFirst("scale:".count)
                    if seenHeaderOrEntry {
                        throw LexiconParseError(line: lineNo, message: "the #scale line must come before the entries")
                    }
                    switch scale {
                    case "1-9", "1..9", "1...9": nineScale = true
                    case "-1-1", "-1..1", "-1...1": nineScale = false
                    default:
                        throw LexiconParseError(line: lineNo, message: "unknown scale \"\(scale)\" (use 1-9 or -1..1)")
                    }
                }
                continue
            }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
                .map { $0.trimmingSpaces() }
            if !seenHeaderOrEntry, fields.first?.lowercased() == "word" {
                seenHeaderOrEntry = true
                continue
            }
            seenHeaderOrEntry = true
            guard fields.count == 3 || fields.count == 4 else {
                throw LexiconParseError(line: lineNo, message:
                    "expected 3 or 4 tab-separated fields (word, valence, arousal, optional dominance), got \(fields.count)")
            }
            let words = plain.words(fields[0])
            guard !words.isEmpty else {
                throw LexiconParseError(line: lineNo, message: "the word field \"\(fields[0])\" has no letters")
            }
            func number(_ i: Int, _ name: String) throws(LexiconParseError) -> Double {
                guard let v = Double(fields[i]), v.isFinite else {
                    throw LexiconParseError(line: lineNo, message: "\(name) \"\(fields[i])\" is not a number")
                }
                if nineScale {
                    guard v >= 1, v <= 9 else {
                        throw LexiconParseError(line: lineNo, message: "\(name) \(fields[i]) is outside 1...9")
                    }
                    return (v - 5) / 4
                }
                guard v >= -1, v <= 1 else {
                    throw LexiconParseError(line: lineNo, message:
                        "\(name) \(fields[i]) is outside -1...1 (for 1-9 norms put \"#scale: 1-9\" at the top)")
                }
                return v
            }
            let valence = try number(1, "valence")
            let arousal = try number(2, "arousal")
            let dominance = fields.count == 4 && !fields[3].isEmpty ? try number(3, "dominance") : nil
            entries.append(.init(words: words, valence: valence, arousal: arousal, dominance: dominance))
        }
        return UserLexicon(entries: entries)
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> String {
        var s = self
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
