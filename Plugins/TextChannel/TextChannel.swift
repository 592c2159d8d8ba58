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
    public let configuration: Configuration
    public let lexicon: UserLexicon

    let tables: LexiconTables
    let user: LexiconTables
    let tokenizer: Tokenizer
    let cueMatchers: [CueMatcher]
    let boosters: [String: Double]
    /// Two-word boosters keyed by their last word: ("of" -> [("kind", -0.3)]).
    let boosterPairs: [String: [(String, Double)]]
    let negators: Set<String>
    let absence: Set<String>
    let relief: Set<String>
    let contrast: Set<String>
    let concessive: Set<String>
    let questionWords: Set<String>
    let maskTags: Set<String>

    /// Creates the plugin. `lexicon` entries take precedence over the built-in lexicons.
    public init(configuration: Configuration = .init(), lexicon: UserLexicon = .empty) {
        self.configuration = configuration
        self.lexicon = lexicon
        self.tables = LexiconTables.builtIn
        var u = LexiconTables()
        for e in lexicon.entries {
            let entry = LexEntry(valence: e.valence * 4, valenceSource: .user, arousal: e.arousal, dominance: e.dominance)
            if e.words.count == 1 { u.words[e.words[0]] = entry } else { u.addPhrase(e.words, entry) }
        }
        self.user = u
        self.tokenizer = Tokenizer(emoticons: tables.emoticons)
        let c = configuration
        self.cueMatchers = [
            CueMatcher(tag: Tag.risk, label: "hopelessness or self-harm", strength: c.riskStrength, phrases: c.riskPhrases),
            CueMatcher(tag: Tag.spaceRequest, label: "asked for space", strength: c.spaceRequestStrength, phrases: c.spaceRequestPhrases),
            CueMatcher(tag: Tag.hostility, label: "blame aimed at the listener", strength: c.hostilityStrength, phrases: c.hostilityPhrases),
            CueMatcher(tag: Tag.connectionBid, label: "reached out", strength: c.connectionBidStrength, phrases: c.connectionBidPhrases),
            CueMatcher(tag: Tag.denial, label: "minimising", strength: c.denialStrength, phrases: c.denialPhrases),
            CueMatcher(tag: Tag.uncertainty, label: "unsure", strength: c.uncertaintyStrength, phrases: c.uncertaintyPhrases),
        ]
        var b: [String: Double] = [:]
        var pairs: [String: [(String, Double)]] = [:]
        func add(_ words: [String], _ v: Double) {
            for w in words {
                let parts = w.split(separator: " ").map(String.init)
                if parts.count == 1 { b[parts[0]] = v } else if parts.count == 2 { pairs[parts[1], default: []].append((parts[0], v)) }
            }
        }
        add(c.intensifiers, c.intensifierBoost)
        add(c.dampeners, -c.dampenerCut)
        self.boosters = b
        self.boosterPairs = pairs
        self.negators = Set(c.negators)
        self.absence = Set(c.absenceWords)
        self.relief = Set(c.reliefWords)
        self.contrast = Set(c.contrastWords)
        self.concessive = Set(c.concessiveWords)
        self.questionWords = Set(c.questionWords)
        self.maskTags = Set(c.valenceNeutralCues)
    }

    /// `value.text` must be a string.
    public func validate(_ value: JSONValue) -> String? {
        guard let obj = value.object else { return "value: expected an object, got \(value.typeName)" }
        guard let t = obj["text"] else { return "value.text: missing (expected a string)" }
        guard t.string != nil else { return "value.text: expected a string, got \(t.typeName)" }
        return nil
    }

    public func evidence(from cue: Cue, state: inout NoState) -> Evidence {
        guard let text = cue.value["text"]?.string else { return .none }
        return analyze(text).evidence
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
        public var category: String
        public var score: Double
        /// The input words behind it.
        public var words: [String]
    }

    public var wordCount: Int
    /// -1...1, nil when no affect words were found.
    public var valence: Double?
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
