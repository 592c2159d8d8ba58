import AttuneCore

/// The built-in `text` channel: one utterance (`{"text": "..."}`) becomes
/// valence and arousal readings plus cue tags (needs and emotions).
///
/// ```swift
/// let text = TextChannel(configuration: .init())
/// let a = text.analyze("Please just give me some space.")
/// a.tags.map(\.name)   // ["space_request"]
/// ```
public struct TextChannel: ChannelPlugin {
    public let name = "text"
    /// Everything built from the configuration and lexicon, behind one
    /// reference so that copying the plugin (closures capture it) costs one retain.
    let core: Core

    public var configuration: Configuration { core.configuration }
    public var lexicon: UserLexicon { core.lexicon }
    var tokenizer: Tokenizer { core.tokenizer }
    var cueMatchers: [CueMatcher] { core.cueMatchers }
    var cueIndex: CompiledMatchers { core.cueIndex }
    var responseIndex: CompiledMatchers { core.responseIndex }
    var vocab: WordTable { core.vocab }
    var infos: [WordInfo] { core.infos }
    var maskTags: Set<String> { core.maskTags }
    var responseMatchers: [CueMatcher] { core.responseMatchers }

    final class Core: Sendable {
        let configuration: Configuration
        let lexicon: UserLexicon
        let tokenizer: Tokenizer
        let cueMatchers: [CueMatcher]
        /// Everything known about a token, found with one lookup: its index in `infos`.
        let vocab: WordTable
        let infos: [WordInfo]
        let maskTags: Set<String>
        let responseMatchers: [CueMatcher]
        let cueIndex: CompiledMatchers
        let responseIndex: CompiledMatchers
        /// Per vocabulary slot, the parts of its ``WordRole`` the analyzer reads per token, flat.
        let roleFlags: [WordRole.Flags]
        let boosters: [Double]
        /// The slot's pair boosters are `pairFirst[k]`, `pairValue[k]` for k in `pairStart[slot]..<pairStart[slot + 1]`.
        let pairStart: [Int32]
        let pairFirst: [Int32]
        let pairValue: [Double]
        /// Per response matcher, its key and label split once.
        let responseInfo: [ResponseMatcherInfo]
        /// Per need cue matcher: whether its tag is in `maskTags`.
        let cueMasks: [Bool]
        /// Per vocabulary slot, its ``WordInfo/marks``.
        let marks: [WordInfo.Marks]
        /// The lexicon entries as plain values (no arrays inside, so reading one retains nothing):
        /// a slot's word entry is `lex[wordLex[slot]]` (-1: none); its phrases are q in
        /// `phraseStart[slot]..<phraseStart[slot + 1]`, with words `phraseIds[phraseIdStart[q]..<phraseIdStart[q + 1]]`
        /// and entry `lex[phraseLex[q]]`.
        let lex: [FlatEntry]
        let wordLex: [Int32]
        let phraseStart: [Int32]
        let phraseIdStart: [Int32]
        let phraseIds: [Int32]
        let phraseLex: [Int32]
        /// The emotions of `lex[e]` are `emotionCategory[k]`, `emotionWeight[k]` for k in `lex[e].emotionLo..<lex[e].emotionHi`.
        let emotionCategory: [EmotionCategory]
        let emotionWeight: [Double]

        /// A ``LexEntry`` without its emotion array.
        struct FlatEntry {
            var valence: Double?
            var valenceSource: LexiconSource
            var arousal: Double?
            var dominance: Double?
            var emotionLo: Int32
            var emotionHi: Int32
        }

        init(configuration: Configuration, lexicon: UserLexicon, tokenizer: Tokenizer, cueMatchers: [CueMatcher],
             responseMatchers: [CueMatcher], cueIndex: CompiledMatchers, responseIndex: CompiledMatchers,
             vocab: WordTable, infos: [WordInfo], maskTags: Set<String>) {
            self.cueIndex = cueIndex
            self.responseIndex = responseIndex
            roleFlags = infos.map { $0.role?.flags ?? [] }
            boosters = infos.map { $0.role?.booster ?? 0 }
            var start: [Int32] = [0], first: [Int32] = [], value: [Double] = []
            for info in infos {
                for (w, v) in info.role?.pairBoosterIds ?? [] { first.append(w); value.append(v) }
                start.append(Int32(first.count))
            }
            pairStart = start
            pairFirst = first
            pairValue = value
            marks = infos.map(\.marks)
            var lex: [FlatEntry] = [], cats: [EmotionCategory] = [], weights: [Double] = []
            func flat(_ e: LexEntry) -> Int32 {
                let lo = Int32(cats.count)
                for (cat, w) in e.emotions { cats.append(cat); weights.append(w) }
                lex.append(FlatEntry(valence: e.valence, valenceSource: e.valenceSource, arousal: e.arousal, dominance: e.dominance,
                                     emotionLo: lo, emotionHi: Int32(cats.count)))
                return Int32(lex.count - 1)
            }
            var wordLex: [Int32] = [], phraseStart: [Int32] = [0], phraseIdStart: [Int32] = [0]
            var phraseIds: [Int32] = [], phraseLex: [Int32] = []
            wordLex.reserveCapacity(infos.count)
            phraseStart.reserveCapacity(infos.count + 1)
            for info in infos {
                wordLex.append(info.entry.map(flat) ?? -1)
                for p in info.phrases {
                    phraseIds += p.ids
                    phraseIdStart.append(Int32(phraseIds.count))
                    phraseLex.append(flat(p.entry))
                }
                phraseStart.append(Int32(phraseLex.count))
            }
            self.lex = lex
            self.wordLex = wordLex
            self.phraseStart = phraseStart
            self.phraseIdStart = phraseIdStart
            self.phraseIds = phraseIds
            self.phraseLex = phraseLex
            emotionCategory = cats
            emotionWeight = weights
            self.responseMatchers = responseMatchers
            self.configuration = configuration
            self.lexicon = lexicon
            self.tokenizer = tokenizer
            self.cueMatchers = cueMatchers
            self.vocab = vocab
            self.infos = infos
            self.maskTags = maskTags
            cueMasks = cueMatchers.map { maskTags.contains($0.tag) }
            responseInfo = responseMatchers.map(ResponseMatcherInfo.init)
        }
    }

    /// Creates the plugin. `lexicon` entries take precedence over the built-in lexicons.
    public init(configuration: Configuration = .init(), lexicon: UserLexicon = .empty) {
        let tables = LexiconTables.builtIn
        var u = LexiconTables()
        for e in lexicon.entries {
            let entry = LexEntry(valence: e.valence * 4, valenceSource: .user, arousal: e.arousal, dominance: e.dominance)
            if e.words.count == 1 { u.words[e.words[0]] = entry } else { u.addPhrase(e.words, entry) }
        }
        let c = configuration
        let cueMatchers = [
            CueMatcher(tag: Tag.risk, label: "hopelessness or self-harm", strength: c.riskStrength, phrases: c.riskPhrases),
            CueMatcher(tag: Tag.spaceRequest, label: "asked for space", strength: c.spaceRequestStrength, phrases: c.spaceRequestPhrases),
            CueMatcher(tag: Tag.hostility, label: "blame aimed at the listener", strength: c.hostilityStrength, phrases: c.hostilityPhrases),
            CueMatcher(tag: Tag.connectionBid, label: "reached out", strength: c.connectionBidStrength, phrases: c.connectionBidPhrases),
            CueMatcher(tag: Tag.denial, label: "minimising", strength: c.denialStrength, phrases: c.denialPhrases),
            CueMatcher(tag: Tag.uncertainty, label: "unsure", strength: c.uncertaintyStrength, phrases: c.uncertaintyPhrases),
        ]
        let responseMatchers = TextChannel.makeResponseMatchers(configuration)
        var roles: [String: WordRole] = [:]
        func mark(_ words: [String], _ flag: WordRole.Flags) {
            for w in words { roles[w, default: WordRole()].flags.insert(flag) }
        }
        mark(c.negators, .negator)
        mark(c.absenceWords, .absence)
        mark(c.reliefWords, .relief)
        mark(c.contrastWords, .contrast)
        mark(c.concessiveWords, .concessive)
        func boost(_ words: [String], _ v: Double) {
            for w in words {
                let parts = w.split(separator: " ").map(String.init)
                if parts.count == 1 {
                    roles[parts[0], default: WordRole()].booster = v
                } else if parts.count == 2 {
                    roles[parts[1], default: WordRole()].pairBoosters.append((parts[0], v))
                }
            }
        }
        boost(c.intensifiers, c.intensifierBoost)
        boost(c.dampeners, -c.dampenerCut)
        // The merged table's slot numbers depend on dictionary order, but only
        // ever point back into it, so output does not.
        var vocab: [String: Int32] = [:]
        var infos: [WordInfo] = []
        func slot(_ w: String) -> Int {
            if let k = vocab[w] { return Int(k) }
            infos.append(WordInfo())
            vocab[w] = Int32(infos.count - 1)
            return infos.count - 1
        }
        for (w, e) in tables.words { infos[slot(w)].entry = e }
        for (w, e) in u.words { infos[slot(w)].entry = e }
        for (w, ps) in tables.phrases { infos[slot(w)].phrases = ps }
        for (w, ps) in u.phrases { let k = slot(w); infos[k].phrases = ps + infos[k].phrases }
        for (w, r) in roles { infos[slot(w)].role = r }
        for matcher in cueMatchers + responseMatchers {
            for p in matcher.patterns { for w in p.allWords { _ = slot(w) } }
        }
        // Every other word a rule compares a token with gets a slot too, so that
        // comparing token slots is comparing texts (a token without a slot equals none of them).
        func marks(_ words: [String], _ flag: WordInfo.Marks) {
            for w in words { infos[slot(w)].marks.insert(flag) }
        }
        marks(c.questionWords, .questionWord)
        marks(c.questionAuxiliaries, .questionAuxiliary)
        marks(Array(questionPronouns), .questionPronoun)
        marks(["you", "we", "i", "it", "they", "he", "she", "that", "this", "there"], .askPronoun)
        marks(c.openQuestionWords, .openQuestionWord)
        marks(c.likeVerbAfter, .likeVerb)
        marks(["like"], .like)
        marks(["it", "that", "this"], .thing)
        marks(["do", "does", "did", "have", "has"], .doOrHave)
        for w in ["!", "?", ".", ","] { _ = slot(w) }
        for k in infos.indices {
            for p in infos[k].phrases.indices {
                let words = infos[k].phrases[p].words
                let ids = words.map { Int32(slot($0)) }
                infos[k].phrases[p].ids = ids
            }
        }
        for k in infos.indices {
            guard let pairs = infos[k].role?.pairBoosters else { continue }
            let ids = pairs.map { (Int32(slot($0.0)), $0.1) }
            infos[k].role!.pairBoosterIds = ids
        }
        let cueIndex = CompiledMatchers(cueMatchers, vocabularySize: infos.count) { vocab[$0]! }
        let responseIndex = CompiledMatchers(responseMatchers, vocabularySize: infos.count) { vocab[$0]! }
        let table = WordTable(vocab)
        self.core = Core(configuration: configuration, lexicon: lexicon, tokenizer: Tokenizer(emoticons: tables.emoticons, vocab: table),
                         cueMatchers: cueMatchers, responseMatchers: responseMatchers, cueIndex: cueIndex,
                         responseIndex: responseIndex, vocab: table, infos: infos,
                         maskTags: Set(c.valenceNeutralCues))
    }

    /// `value.text` must be a string.
    public func validate(_ value: JSONValue) -> String? {
        guard let obj = value.object else { return "value: expected an object, got \(value.typeName)" }
        guard let t = obj["text"] else { return "value.text: missing (expected a string)" }
        guard t.string != nil else { return "value.text: expected a string, got \(t.typeName)" }
        return nil
    }

    /// The analysis of `value.text` as evidence (nothing for a value without text).
    /// A listener's (`self`) utterance also carries its response cues, as `response:<kind>/<subkind>` tags.
    public func evidence(from cue: Cue, state: inout NoState) -> Evidence {
        guard let text = cue.value["text"]?.string else { return .none }
        let tokens = tokenizer.tokenize(text)
        var evidence = analyze(text, tokens, detail: false).evidence
        if cue.source == .listener { evidence.tags += responseTags(text, tokens) }
        return evidence
    }
}

/// The part a word plays for the words after it.
struct WordRole: Sendable {
    struct Flags: OptionSet, Sendable {
        let rawValue: UInt8
        static let negator = Flags(rawValue: 1)
        static let absence = Flags(rawValue: 2)
        static let relief = Flags(rawValue: 4)
        static let contrast = Flags(rawValue: 8)
        static let concessive = Flags(rawValue: 16)
    }
    var flags: Flags = []
    /// Intensifier (> 0) or dampener (< 0) as a single word.
    var booster: Double = 0
    /// As the last word of a two-word booster ("kind of"): (first word, value).
    var pairBoosters: [(String, Double)] = []
    /// `pairBoosters` with the first words as vocabulary slots.
    var pairBoosterIds: [(Int32, Double)] = []
}

/// What the lexicons, the rules and the cue patterns know about one token text.
struct WordInfo: Sendable {
    var entry: LexEntry?
    /// Phrases starting with this word: the user's first, then the built-in ones, longest first.
    var phrases: [PhraseEntry] = []
    var role: WordRole?
    var marks: Marks = []

    /// Word lists the question and "like" rules test tokens against.
    struct Marks: OptionSet, Sendable {
        let rawValue: UInt16
        static let questionWord = Marks(rawValue: 1)
        static let questionAuxiliary = Marks(rawValue: 2)
        /// Analyzer.swift's `questionPronouns` (the `question` tag).
        static let questionPronoun = Marks(rawValue: 4)
        /// The pronouns after an auxiliary that make a listener's sentence ask.
        static let askPronoun = Marks(rawValue: 8)
        static let openQuestionWord = Marks(rawValue: 16)
        static let likeVerb = Marks(rawValue: 32)
        static let like = Marks(rawValue: 64)
        /// "it", "that", "this"
        static let thing = Marks(rawValue: 128)
        /// "do", "does", "did", "have", "has"
        static let doOrHave = Marks(rawValue: 256)
    }
}

/// Everything the text channel makes of one utterance, for the bus and for researchers.
public struct TextAnalysis: Sendable, Equatable {
    /// One word or phrase that carried valence or emotion.
    public struct MatchedWord: Sendable, Equatable {
        /// As written in the input.
        public var text: String
        /// Lexicon valence on -1...1 before rules (nil if the word only carries emotion/arousal).
        public var baseValence: Double?
        /// Contribution after negation, boosters, caps and contrast, on -1...1 (x4 = VADER scale).
        public var valence: Double?
        public var arousal: Double?
        /// Where the valence came from: vader, project, user, emoji.
        public var source: String
        /// Rules that applied: negated, absence, intensified, dampened, caps, contrast_before, contrast_after, masked.
        public var rules: [String]
        /// Emotion categories this word counts for.
        public var emotions: [String]
    }

    /// Score per emotion category, 0...1.
    public struct EmotionScore: Sendable, Equatable {
        /// The ``Tag`` name of the category ("anger").
        public var category: String
        public var score: Double
        /// The input words behind it.
        public var words: [String]
    }

    /// Words as written ("I'm" is one; emoji and punctuation are not words).
    public var wordCount: Int
    /// -1...1, nil when no affect words were found.
    public var valence: Double?
    /// The honest uncertainty of `valence`: lower with more and stronger affect words, higher when they disagree.
    public var valenceVariance: Double?
    /// -1...1, nil when nothing spoke to arousal.
    public var arousal: Double?
    public var arousalVariance: Double?
    /// Mean dominance of user-lexicon words, when the user lexicon gives it.
    public var dominance: Double?
    /// The summed word scores on VADER's scale, before squashing to -1...1.
    public var rawScore: Double
    /// All seven categories in fixed order (anger, sadness, fear, joy, shame, loneliness, surprise).
    public var emotions: [EmotionScore]
    /// Need cues and emotion tags above threshold, in a fixed order.
    public var tags: [CueTag]
    public var matchedWords: [MatchedWord]

    /// What the bus gets.
    public var evidence: Evidence {
        Evidence(
            valence: valence.map { Reading($0, variance: valenceVariance ?? 0.3) },
            arousal: arousal.map { Reading($0, variance: arousalVariance ?? 0.3) },
            tags: tags)
    }

    /// The analysis as a JSON value (members in a fixed order), for `attune analyze text`.
    public var json: JSONValue {
        func num(_ d: Double?) -> JSONValue { d.map { .number(($0 * 10000).rounded() / 10000) } ?? .null }
        let tagsJSON: [JSONValue] = tags.map { ["name": .string($0.name), "strength": num($0.strength), "reason": .string($0.reason)] }
        let emo: [JSONObject.Member] = emotions.map { .init(key: $0.category, value: num($0.score)) }
        let words: [JSONValue] = matchedWords.map { w in
            [
                "text": .string(w.text), "base_valence": num(w.baseValence), "valence": num(w.valence),
                "arousal": num(w.arousal), "source": .string(w.source),
                "rules": .array(w.rules.map { .string($0) }), "emotions": .array(w.emotions.map { .string($0) }),
            ]
        }
        return [
            "word_count": .number(Double(wordCount)),
            "valence": num(valence), "valence_variance": num(valenceVariance),
            "arousal": num(arousal), "arousal_variance": num(arousalVariance),
            "dominance": num(dominance), "raw_score": num(rawScore),
            "emotions": .object(JSONObject(emo)),
            "tags": .array(tagsJSON),
            "matched_words": .array(words),
        ]
    }
}
