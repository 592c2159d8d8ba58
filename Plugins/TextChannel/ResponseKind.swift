import AttuneCore

/// The listener-response classifier: what a `self` utterance does as a
/// response (asks, reflects, comforts, offers room, dismisses, fixes, turns to
/// itself, sounds cheerful). Its cue phrases are `responsePhrases` in the
/// configuration, keyed `kind/subkind`, in the phrase pattern syntax of the
/// need cues. The channel reports them as `response:<kind>/<subkind>` tags on
/// the listener's evidence; the bus hands them to the feedback tracker, which
/// scores them (Protocols/feedback.md).
extension TextChannel {
    /// The response cues in one listener utterance, in text order. Pure and deterministic.
    ///
    /// ```swift
    /// TextChannel().classifyResponse("That sucks! Just forget it.").map(\.tagName)
    /// // ["response:reflection/validation", "response:dismissing/minimising"]
    /// ```
    public func classifyResponse(_ text: String) -> [ResponseCue] {
        classifyResponse(text, tokenizer.tokenize(text))
    }

    /// `classifyResponse` of `text` already tokenized.
    func classifyResponse(_ text: String, _ tokenized: Tokenized) -> [ResponseCue] {
        let info = core.responseInfo
        return responseMatches(text, tokenized).map { f in
            let (kind, subkind) = f.matcher >= 0 ? (info[f.matcher].kind, info[f.matcher].subkind)
                : ("question", f.matcher == ResponseHit.openQuestion ? "open" : "closed")
            return ResponseCue(kind: kind, subkind: subkind, strength: f.strength, reason: f.reason)
        }
    }

    /// The cues of ``classifyResponse(_:_:)`` as the tags ``ResponseCue/tag`` makes of them,
    /// with the tag names made once per matcher.
    func responseTags(_ text: String, _ tokenized: Tokenized) -> [CueTag] {
        let info = core.responseInfo
        return responseMatches(text, tokenized).map { f in
            let name = f.matcher >= 0 ? info[f.matcher].tagName
                : f.matcher == ResponseHit.openQuestion ? ResponseMatcherInfo.openQuestionTag : ResponseMatcherInfo.closedQuestionTag
            return CueTag(name, strength: f.strength, reason: f.reason)
        }
    }

    /// One response cue found: by response matcher `matcher`, or an asking sentence
    /// (``openQuestion``, ``closedQuestion``).
    struct ResponseHit {
        static let openQuestion = -1
        static let closedQuestion = -2
        var start: Int
        var end: Int
        var matcher: Int
        var strength: Double
        var reason: String
        var isQuestion: Bool
    }

    private func responseMatches(_ text: String, _ tokenized: Tokenized) -> [ResponseHit] {
        let tokens = tokenized.tokens
        guard !tokens.isEmpty else { return [] }
        let info = core.responseInfo
        var source = text
        func quote(_ a: Int, _ b: Int) -> String {
            clipQuote(source.withUTF8 {
                String(decoding: UnsafeBufferPointer(rebasing: $0[tokens[a].start..<tokens[max(a, b - 1)].end]), as: UTF8.self)
            })
        }
        var found: [ResponseHit] = []
        var claimed: [(Int, Int)] = []
        var misattunedSpans: [(Int, Int)] = []
        // Leftmost-longest over all kinds ("you must feel humiliated" names a feeling, though
        // "you must" starts advice); on an exact tie the earlier matcher (misattuned first) wins.
        var candidates: [(m: Int, x: CueMatcher.Match)] = []
        // Patterns may start with punctuation here: every token's slot counts.
        for (k, xs) in responseIndex.scan(tokens, punctuation: true).enumerated() {
            for x in xs { candidates.append((k, x)) }
        }
        candidates.sort { a, b in
            a.x.start != b.x.start ? a.x.start < b.x.start : a.x.end != b.x.end ? a.x.end > b.x.end : a.m < b.m
        }
        for (k, x) in candidates where !claimed.contains(where: { x.start < $0.1 && $0.0 < x.end }) {
            claimed.append((x.start, x.end))
            if info[k].misattuned { misattunedSpans.append((x.start, x.end)) }
            found.append(ResponseHit(start: x.start, end: x.end, matcher: k, strength: x.strength,
                                     reason: info[k].label + ": \"" + quote(x.start, x.end) + "\"", isQuestion: info[k].kind == "question"))
        }
        for q in askingSentences(tokens) {
            // "why don't you just..." asks nothing; a question already named by a phrase is not counted twice.
            if misattunedSpans.contains(where: { q.start < $0.1 && $0.0 < q.end }) { continue }
            if found.contains(where: { $0.isQuestion && q.start < $0.end && $0.start < q.end }) { continue }
            // Open when a question word leads a clause near the start: "what...", "hey, how...", "so why...".
            var open = false
            var words = 0
            for k in q.start..<q.end where !open {
                let tok = tokens[k]
                guard tok.isWord else { continue }
                let clauseStart = k == q.start || tokens[k - 1].kind == .comma
                if marks(tok).contains(.openQuestionWord) && (clauseStart || words < 2) { open = true }
                words += 1
            }
            found.append(ResponseHit(start: q.start, end: q.end, matcher: open ? ResponseHit.openQuestion : ResponseHit.closedQuestion,
                                     strength: configuration.responseStrength,
                                     reason: (open ? "asked an open question" : "asked a closed question") + ": \"" + quote(q.start, q.end) + "\"",
                                     isQuestion: true))
        }
        found.sort { a, b in a.start != b.start ? a.start < b.start : a.end < b.end }
        return found
    }

    /// Sentences that ask, as for the `question` tag: ending in "?", or opening with a
    /// question word, or with an auxiliary before a pronoun. Ranges of tokens, sentence end included.
    func askingSentences(_ tokens: [Token]) -> [(start: Int, end: Int)] {
        var out: [(Int, Int)] = []
        var s = 0
        var k = 0
        while k <= tokens.count {
            if k == tokens.count || tokens[k].isSentenceEnd {
                var first = s
                while first < k && !tokens[first].isWord { first += 1 }
                if first < k {
                    var asks = k < tokens.count && tokens[k].kind == .question
                    // "how exciting!" exclaims
                    let exclaims = k < tokens.count && tokens[k].kind == .bang
                    let w = marks(tokens[first])
                    if exclaims { s = k + 1; k += 1; continue }
                    if !asks && w.contains(.questionWord) { asks = true }
                    if !asks, w.contains(.questionAuxiliary), first + 1 < k {
                        asks = marks(tokens[first + 1]).contains(.askPronoun)
                    }
                    if asks { out.append((first, min(tokens.count, k + 1))) }
                }
                s = k + 1
            }
            k += 1
        }
        return out
    }

    /// One matcher per `kind/subkind` key: misattuned kinds first (on a tie they claim
    /// the words), then the attuned ones, then the tone marker; keys of one kind in
    /// name order, so the result never depends on dictionary order.
    static func makeResponseMatchers(_ c: Configuration) -> [CueMatcher] {
        let order = ["dismissing", "redirecting", "fixing", "reflection", "comfort", "space", "question", "cheerful"]
        let keys = c.responsePhrases.keys.sorted { a, b in
            let ka = order.firstIndex(of: ResponseMatcherKey.split(a).kind) ?? order.count
            let kb = order.firstIndex(of: ResponseMatcherKey.split(b).kind) ?? order.count
            return ka != kb ? ka < kb : a < b
        }
        return keys.map { key in
            CueMatcher(tag: key, label: ResponseMatcherKey.label(key), strength: c.responseStrength,
                       phrases: c.responsePhrases[key] ?? [])
        }
    }
}

/// What a response matcher's key and label give, split once.
struct ResponseMatcherInfo: Sendable {
    static let openQuestionTag = ResponseCue(kind: "question", subkind: "open").tagName
    static let closedQuestionTag = ResponseCue(kind: "question", subkind: "closed").tagName
    var kind: String
    var subkind: String
    var label: String
    /// ``ResponseCue/tagName`` of its cues.
    var tagName: String
    /// Dismissing, fixing or redirecting: an asking sentence overlapping it asks nothing.
    var misattuned: Bool

    init(_ m: CueMatcher) {
        (kind, subkind) = ResponseMatcherKey.split(m.tag)
        label = m.label
        tagName = ResponseCue(kind: kind, subkind: subkind).tagName
        misattuned = kind == "dismissing" || kind == "fixing" || kind == "redirecting"
    }
}

enum ResponseMatcherKey {
    static func split(_ key: String) -> (kind: String, subkind: String) {
        guard let slash = key.firstIndex(of: "/") else { return (key, "") }
        return (String(key[..<slash]), String(key[key.index(after: slash)...]))
    }

    static func label(_ key: String) -> String {
        switch split(key).kind {
        case "question": return split(key).subkind == "open" ? "asked an open question"
            : split(key).subkind == "closed" ? "asked a closed question" : "asked"
        case "reflection": return "named or mirrored the feeling"
        case "comfort": return "comforted"
        case "space": return "offered room"
        case "dismissing": return "dismissed the feeling"
        case "fixing": return "gave advice"
        case "redirecting": return "turned to themselves"
        case "cheerful": return "cheerful words"
        default: return key
        }
    }
}

extension TextChannel.Configuration {
    private static let feelings = "hurt|sad|angry|mad|upset|humiliated|embarrassed|ashamed|scared|afraid|frightened|"
        + "frustrated|alone|lonely|worried|anxious|nervous|overwhelmed|betrayed|disappointed|furious|devastated|"
        + "heartbroken|stressed|exhausted|helpless|hopeless|lost|confused|jealous|guilty|rejected|ignored|"
        + "unappreciated|disrespected|crushed|shaken|hurting|miserable|down|low|terrible|awful|drained|tired"
    private static let hard = "hard|difficult|tough|painful|awful|terrible|horrible|frustrating|scary|upsetting|"
        + "stressful|lonely|exhausting|overwhelming|hurtful|humiliating|infuriating|embarrassing|heartbreaking|rough|"
        + "unfair|sad|confusing|frightening|maddening|draining|devastating|crushing"

    /// The built-in response cue phrases (`channels.text.responsePhrases`).
    public static let defaultResponsePhrases: [String: [String]] = [
        "reflection/naming": [
            "it|that|this must be|have * \(hard)", "it|that|this sounds (really|so|very|pretty|incredibly) \(hard)",
            "you are|were|feel|felt|seem|sound|must * \(feelings)", "are|were you feeling|feel * \(feelings)",
            "do you feel * \(feelings)", "feeling \(feelings)",
            "i can see|tell|hear how|that|why", "no wonder you", "of course you are|feel|were|would|felt",
            "it makes|made sense (that) you", "anyone|anybody would be|feel",
        ],
        "reflection/mirroring": [
            "it|that sounds like", "sounds like you", "what i am hearing", "what i hear is", "if i hear|understand you",
            "so you are saying", "you are saying", "so you feel|felt|think|thought",
            "it seems like you", "seems like you",
        ],
        "reflection/validation": [
            "that|it|this is|was not right|fair|ok|okay|acceptable|cool @0.6", "that|it|this sucks|stinks @0.6",
            "that|it|this is|was|sounds (so|really|just|very|completely|totally) \(hard)|wrong|cruel|messed @0.6",
            "what a \(hard) (thing|situation|day) @0.6", "that is a lot @0.6", "so much to deal with @0.6",
            "he|she|they should not have|treat|talk|humiliate|do @0.6", "you did not deserve @0.6",
            "you have every right @0.6", "your feelings make sense @0.6", "makes total|complete|perfect sense @0.6",
        ],
        "comfort/presence": [
            "i am (right) here", "here for you", "i am with you", "not going anywhere", "you are not alone",
            "we will get through", "i have got you", "i got you", "lean on me", "you can count on me",
            "i am always here", "i will stay", "i will be (right) here", "i am on your side", "i am listening",
        ],
        "comfort/reassurance": [
            "it|everything|things|we|you will|is|are * be ok|okay|alright|fine|better|all",
            "it is ok|okay|alright $", "it is ok|okay|alright to", "not your fault", "you did nothing wrong",
            "you did your best", "you are safe", "do not blame yourself", "you will get through",
            "you are (so) strong|brave", "you matter", "we will figure",
        ],
        "comfort/sympathy": [
            "i am (so|really|very|truly) sorry", "sorry to hear", "sorry that happened|you", "so sorry",
            "sending (you) hugs|love", "give you a hug", "hug @0.7", "i wish i could", "my heart goes",
        ],
        "space/offer": [
            "take your time", "no rush", "no pressure", "whenever you are ready", "when you are ready",
            "we can talk later|tomorrow|another", "we can talk about it later|tomorrow|another",
            "we do not have to talk|discuss", "you do not have to talk|say|explain|tell", "no need to talk|say|explain",
            "i will give you (some) space|room|time", "i will leave you alone|be", "i will let you be",
            "if you want to talk", "if you need me", "when you want to talk", "only if you want",
            "i will back off", "let me know when|if you want|need", "i will check on you later",
            "i will be here when|if", "here if you", "it is ok|okay not to talk",
        ],
        "question/open": [
            "tell me more|about|what|how", "i would love|like to hear", "walk me through", "help me understand",
            "want to tell me", "what was that like", "what happened",
        ],
        "dismissing/minimising": [
            "just forget (about) it|him|her|them|that", "forget about it|him|her|them", "forget it",
            "not (such|that) (a) big|huge deal", "no big deal", "not that bad", "could be worse", "could have been worse",
            "do not worry about it", "it is nothing", "at least", "it happens", "happens to everyone|everybody",
            "who cares", "it does not matter", "not worth it", "shake it off", "let it go", "get over it",
            "move on", "everything happens for a reason", "it is not the end of the world", "others have it worse",
            "it is just a job|thing|game", "do not let it get to you", "do not take it personally",
        ],
        "dismissing/invalidating": [
            "you are overreacting|overthinking", "you are (being) too sensitive|dramatic|emotional",
            "you are being dramatic|silly|ridiculous", "calm down", "relax @0.6", "stop crying|complaining|whining",
            "do not be sad|upset|angry|silly|so", "do not be like that", "why are you so upset|worked",
            "you should not feel", "there is no reason to feel|be", "man up", "toughen up",
        ],
        "dismissing/deflecting": [
            "whatever", "anyway", "let us talk about something else", "on another note", "enough about that",
        ],
        "fixing/advice": [
            "you should", "you need|have|ought|got to", "you must", "why do not you", "why not (just)",
            "just tell|ignore|quit|go|talk|do|try|leave|report|stand|confront|find|get|say|call|email",
            "have you tried|considered", "have you thought about", "you could (just|always|try)", "if i were you",
            "what you need to do", "what you should do", "the trick|key|solution|answer is", "my advice", "i would just",
            "next time (just)", "you just need|have", "all you have to do",
        ],
        "redirecting/self_story": [
            "that happened to me", "same thing happened", "i had|have the same", "me too", "i know exactly how",
            "when that happened to me", "when i was", "that reminds me", "let me tell you about", "i remember when i",
            "i have been there", "i went through", "i once", "my boss|ex|mom|dad|sister|brother|friend * too|also",
            "i had a|an * like that", "you think that is bad",
        ],
        "redirecting/topic_change": [
            "speaking of", "by the way", "did i tell you", "guess what", "changing the subject",
        ],
        "cheerful/upbeat": [
            "cheer up", "look on the bright side", "bright side", "smile @0.6", "lol", "haha", "hahaha", "yay",
            "lighten up", "that is great|awesome|amazing|wonderful|fantastic|brilliant|exciting", "congrats",
            "congratulations", "good for you", "so happy for you", "how exciting", "awesome !",
        ],
    ]
}
