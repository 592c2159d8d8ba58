extension TextChannel {
    /// Every weight, threshold and word list of the text channel
    /// (`channels.text.<key>` in the global configuration). Scores of single
    /// words are on VADER's -4...4 scale; see Protocols/channels/text.md.
    public struct Configuration: Codable, Sendable, Equatable {
        // MARK: valence rules
        /// Multiplies a word's score when a negator is within `negationWindow` words before it.
        public var negationFactor = -0.74
        /// How many words back a negator or booster still counts (never across a sentence end, "but" or, for negators, a comma).
        public var negationWindow = 3
        public var negators = ["not", "no", "never", "nothing", "nobody", "none", "neither", "nor", "nowhere",
                               "without", "hardly", "barely", "rarely", "seldom", "nope", "cannot", "lack", "lacks"]
        /// Words of longing or lack ("miss", "without"): a following positive word counts as its loss.
        public var absenceWords = ["miss", "missing", "misses", "missed", "lack", "lacking", "lost", "wish", "without"]
        /// Multiplies a positive word's score after an absence word.
        public var absenceFactor = -0.6
        /// Verbs of reducing or preventing ("reduce crime", "prevents pain"): a following negative word counts as its relief.
        public var reliefWords = ["reduce", "reduces", "reduced", "reducing", "decrease", "decreases", "decreasing", "prevent",
                                  "prevents", "prevented", "preventing", "curb", "curbs", "curbing", "combat", "combating",
                                  "fight", "fighting", "eliminate", "eliminates", "eliminating", "avoid", "avoids", "avoided",
                                  "cure", "cures", "cured", "relieve", "relieves", "relieved", "ease", "eases", "eased",
                                  "fewer", "stop", "stopped", "ending", "ended", "end", "beat", "overcome", "overcame", "survived", "survive"]
        /// Multiplies a negative word's score after a relief word.
        public var reliefFactor = -0.4
        /// Fraction added to a word's score per intensifier before it ("really", "so").
        public var intensifierBoost = 0.3
        public var intensifiers = ["really", "very", "so", "extremely", "totally", "completely", "absolutely", "incredibly",
                                   "utterly", "super", "too", "truly", "deeply", "highly", "seriously", "awfully",
                                   "terribly", "especially", "particularly", "quite", "fucking", "freaking", "damn",
                                   "insanely", "most", "more", "entirely", "thoroughly", "such", "hugely", "enormously",
                                   "remarkably", "exceptionally", "unbelievably", "ridiculously", "way", "pretty", "real"]
        /// (An intensifier or dampener directly before a sentiment word carries no sentiment of its own: "pretty good".)
        /// Fraction removed from a word's score per dampener before it ("kind of", "a bit").
        public var dampenerCut = 0.3
        public var dampeners = ["kind of", "sort of", "kinda", "sorta", "somewhat", "slightly", "a bit", "a little",
                                "little", "fairly", "rather", "almost", "partly", "marginally", "mildly", "less",
                                "occasionally", "moderately", "pretty much", "bit"]
        /// Score weight of the words before a contrast word ("good, but ...") in the same sentence.
        public var contrastBefore = 0.5
        /// Score weight of the words after it.
        public var contrastAfter = 1.5
        public var contrastWords = ["but", "however", "yet"]
        /// A clause opened by one of these ("although it was fine, ...") weighs `contrastBefore`, until the next comma.
        public var concessiveWords = ["although", "though", "despite", "while"]
        /// Fraction added to a word's score when it is written in capitals in text that is not all capitals.
        public var capsEmphasis = 0.35
        /// Added to the summed score, in its direction, per "!" (up to `maxExclamations`).
        public var exclamationBoost = 0.3
        public var maxExclamations = 3
        /// The summed score s becomes s / sqrt(s^2 + alpha): larger alpha, milder valence.
        public var normalizationAlpha = 15.0
        /// "like" counts as a sentiment word only after one of these (I like, would like), not as a preposition.
        public var likeVerbAfter = ["i", "you", "we", "they", "would", "really", "do", "not", "to", "also", "still", "just", "did", "does",
                                    "will", "kinda", "sorta", "of", "actually", "totally", "genuinely", "always", "might", "could", "should"]
        /// Look up inflections by stripping common suffixes when a word is not in any lexicon.
        public var stemming = true
        /// Cue tags whose words count for neither valence, arousal nor emotions ("I'm fine" is no joy,
        /// "leave me alone" no loneliness): the tag itself says what they mean.
        public var valenceNeutralCues = ["denial", "uncertainty", "space_request"]

        // MARK: variances
        /// Valence variance with almost no evidence; falls as the summed |score| grows.
        public var valenceVarianceMax = 0.3
        public var valenceVarianceMin = 0.03
        /// How fast the variance falls with evidence (per unit of summed |score| / 4).
        public var valenceVarianceDecay = 2.0
        /// Added (times the share of the minority sign) when positive and negative words mix.
        public var valenceConflictVariance = 0.15
        /// Emit a neutral valence (0, `neutralVariance`) instead of nil when no affect words are found.
        public var neutralReadingWhenNoAffect = false
        public var neutralVariance = 0.35

        // MARK: arousal
        /// Added to arousal per "!" (up to `maxExclamations`).
        public var exclamationArousal = 0.12
        /// Added per word in capitals (up to 3) in text that is not all capitals.
        public var capsArousal = 0.1
        /// Added per intensifier (up to 3).
        public var intensifierArousal = 0.05
        /// Words without an arousal entry whose |VADER score| is at least this count as mildly arousing (0.3).
        public var strongWordArousalThreshold = 2.5
        public var arousalVarianceMax = 0.3
        public var arousalVarianceMin = 0.05
        public var arousalVarianceDecay = 1.5

        // MARK: emotions
        /// An emotion's score is w / (w + 1) for its summed word weights w; a tag is emitted at or above this.
        public var emotionTagThreshold = 0.3
        /// Multiplies a negated emotion word's weight ("not angry"); 0 drops it.
        public var negatedEmotionFactor = 0.0

        // MARK: need cues
        /// A tag's strength is its best pattern's strength plus this per further match, at most 1.
        public var repeatedCueBonus = 0.1
        /// Hostility strength is multiplied by this when the utterance is positive overall ("you always make me laugh").
        public var hostilityPositiveFactor = 0.4
        public var clippedMaxWords = 2
        public var clippedStrength = 0.5
        public var questionStrength = 0.6
        /// A sentence starting with one of these is a question even without "?".
        public var questionWords = ["what", "why", "how", "when", "where", "who", "whom", "which", "whose"]
        /// A sentence starting with one of these followed by a pronoun is a question ("are you", "can we").
        public var questionAuxiliaries = ["do", "does", "did", "is", "are", "was", "were", "can", "could", "will",
                                          "would", "should", "have", "has", "am", "may", "might", "shall"]

        public var riskStrength = 0.9
        public var riskPhrases = [
            "want|wanna (to) die", "wish i was|were dead", "wish i (had) never (been) born", "kill|hurt|cut myself",
            "end|ending it all", "end|ending|take|taking my (own) life", "suicide", "suicidal", "not see the|any point",
            "no point (in) living|trying|anymore|going", "what is the point anymore|$", "better off without me",
            "better off * without me", "better off if i was|were dead|gone", "can not go on", "can not do this anymore",
            "no reason to live|go", "not want to live|be alive", "not want to be here anymore", "nothing to live for",
            "i am a burden", "give up on everything|life", "no way out", "hopeless @0.6", "disappear forever",
            "not wake up", "everyone would be better", "never going to get better @0.7",
            "what is the point of anything|living|trying|life|going", "notice if i was|were gone @0.7",
            "no one|nobody would care|notice|miss me @0.7", "tired of living", "want it all to end|stop",
        ]
        public var spaceRequestStrength = 0.8
        public var spaceRequestPhrases = [
            "leave me alone", "leave me be", "let me be", "go away @0.6", "back off", "give me (some) space|room|time",
            "give me a minute|moment|second|sec|break", "i need|want (some) space|room", "need a minute|moment|second|sec|break",
            "need some time", "need time to think", "need to be alone", "want to be alone", "need to think @0.6",
            "not want to talk|discuss", "not want to get|go into", "not want to get|go * into", "not wanna talk",
            "not ready to talk", "not feel like talking", "can|could we talk|do * later|tomorrow",
            "can|could we talk about it|this later|tomorrow", "talk later", "talk about it later", "not now",
            "not right now @0.6", "drop it @0.7", "stop asking", "i am done talking", "let it go @0.5", "not up for talking",
            "rather not talk|say|discuss", "rather not get into", "prefer not to talk|discuss|say|get",
            "want|need to be left alone", "want|need (some) time to myself", "need some me time",
        ]
        public var connectionBidStrength = 0.7
        public var connectionBidPhrases = [
            "can|could we talk", "need to talk", "need someone|somebody|you to listen|talk", "need (someone|somebody) to talk to",
            "just need someone|somebody", "just need you", "need a hug", "stay with me", "can|could you stay|listen",
            "please listen", "listen to me @0.5", "talk to me", "are you there", "be with me", "do you have a minute|moment|sec",
            "hold me", "i need you", "i need help", "can|could you help me", "want to tell you", "need your help",
            "miss you @0.5", "will you be there", "do not leave @0.8", "do not go @0.6", "can|could we * talk",
            "need someone|somebody", "be here|there with|for me", "come over @0.6", "can i call you", "can|could i talk to you",
        ]
        public var denialStrength = 0.6
        public var denialPhrases = [
            "i am fine", "i am ok|okay|alright|good $ @0.5", "i am totally|really|completely|perfectly fine|ok|okay|alright",
            "it is fine", "it is nothing", "it is ok|okay $ @0.4", "it is no big deal", "no big deal", "not a big deal",
            "does|did not bother|matter|affect|hurt me", "does not matter", "i am over it", "i am * over it",
            "whatever", "i do not care", "i could not care less", "never mind", "nevermind", "forget it",
            "i am not upset|sad|angry|mad|hurt|crying|worried", "not a problem @0.3", "it is all good @0.5",
            "doesn't matter", "no biggie", "i will live", "i will be fine", "do not worry about me",
            "nothing is wrong", "nothing happened @0.5", "i am good $ @0.4", "it is not a big deal",
        ]
        public var uncertaintyStrength = 0.5
        public var uncertaintyPhrases = [
            "i do not know", "not sure", "not * sure", "unsure", "it is complicated", "no idea", "not certain",
            "hard to say", "i am confused", "confused", "maybe @0.3", "i guess @0.35", "i suppose @0.3", "perhaps @0.3",
            "who knows", "i can not decide", "not know what to", "mixed feelings", "do not know how i feel",
            "torn @0.4", "i am not sure",
        ]
        public var hostilityStrength = 0.7
        public var hostilityPhrases = [
            "you always", "you never", "stop !", "stop $ @0.5", "sick of it|you|this", "tired of you|this @0.6",
            "shut up", "it is your fault", "your fault", "because of you", "you do not care|listen|understand|get it",
            "why do you always|never", "what is wrong with you", "how dare you", "screw you", "i hate you",
            "you are so|such|being (a|an) annoying|selfish|useless|stupid|ridiculous|pathetic|unbelievable|impossible|idiot|jerk",
            "are you kidding me", "i already told you", "you ruined|wrecked|broke", "get out", "leave me the hell alone",
            "fuck you", "fuck off", "piss off", "you made me", "thanks for nothing", "you of all people",
        ]

        // MARK: listener responses (Plugins/TextChannel/ResponseKind.swift, Protocols/feedback.md)
        /// Cue phrases of the listener's response kinds, keyed `kind/subkind`, in the pattern syntax above.
        /// Kinds: question, reflection, comfort, space, dismissing, fixing, redirecting, and the tone marker cheerful.
        public var responsePhrases: [String: [String]] = Configuration.defaultResponsePhrases
        /// Strength of a response cue whose pattern sets none.
        public var responseStrength = 0.8
        /// A listener question (found as for the `question` tag) starting with one of these is open, otherwise closed.
        public var openQuestionWords = ["what", "how", "why", "when", "where", "who", "which", "tell"]

        public init() {}
    }
}
