import Attune
import Testing

/// The text channel's response classifier on its own: each kind and subkind.
@Test(arguments: [
    ("What happened?", "question/open"),
    ("Are you okay?", "question/closed"),
    ("Hey, how are you holding up?", "question/open"),
    ("Can you tell me more about it?", "question/open"),
    ("It sounds like you feel really let down.", "reflection/mirroring"),
    ("That must have been so hard.", "reflection/naming"),
    ("You must feel humiliated.", "reflection/naming"),
    ("That's so unfair.", "reflection/validation"),
    ("I'm here for you.", "comfort/presence"),
    ("It's going to be okay.", "comfort/reassurance"),
    ("I'm so sorry.", "comfort/sympathy"),
    ("Take your time.", "space/offer"),
    ("We can talk later if you want.", "space/offer"),
    ("Just forget it.", "dismissing/minimising"),
    ("It's not a big deal.", "dismissing/minimising"),
    ("You're overreacting.", "dismissing/invalidating"),
    ("Calm down.", "dismissing/invalidating"),
    ("You should talk to HR.", "fixing/advice"),
    ("Why don't you just quit?", "fixing/advice"),
    ("Have you tried talking to him?", "fixing/advice"),
    ("That happened to me too, my boss did the same thing.", "redirecting/self_story"),
    ("By the way, did you see the game?", "redirecting/topic_change"),
    ("Cheer up, look on the bright side!", "cheerful/upbeat"),
])
func classifierFindsTheKind(text: String, expected: String) {
    let cues = TextChannel().classifyResponse(text)
    let names = cues.map { $0.kind + "/" + $0.subkind }
    #expect(names.contains(expected), "\(text): \(names)")
    // Every cue quotes the words behind it.
    for cue in cues { #expect(cue.reason.contains("\""), "\(cue.reason)") }
}

/// Advice phrased as a question asks nothing; a question that is only a question is counted once.
@Test(arguments: ["Why don't you just quit?", "Have you tried talking to him?", "Why not just ignore her?"])
func adviceQuestionsAreNotQuestions(text: String) {
    let kinds = TextChannel().classifyResponse(text).map(\.kind)
    #expect(!kinds.contains("question"), "\(text): \(kinds)")
    #expect(kinds.contains("fixing"))
}

@Test(arguments: ["Mm.", "Okay.", "I see.", "The weather is nice today."])
func noCueNoKind(text: String) {
    #expect(TextChannel().classifyResponse(text).isEmpty, "\(text)")
}

@Test func onlyTheListenersWordsCarryResponseTags() {
    let text = TextChannel()
    var state = NoState()
    let mine = text.evidence(from: Cue(t: 1, source: .listener, channel: "text", value: ["text": "I'm here for you."]), state: &state)
    let theirs = text.evidence(from: Cue(t: 1, source: .other, channel: "text", value: ["text": "I'm here for you."]), state: &state)
    #expect(mine.tags.contains { $0.name == "response:comfort/presence" })
    #expect(!theirs.tags.contains { $0.name.hasPrefix("response:") })
}

@Test func responseTagsRoundTrip() {
    let cue = ResponseCue(kind: "question", subkind: "open", strength: 0.7, reason: "asked")
    #expect(cue.tagName == "response:question/open")
    #expect(ResponseCue(tag: cue.tag) == cue)
    #expect(ResponseCue(tag: CueTag("sadness", strength: 1, reason: "")) == nil)
}

@Test func phrasesAreConfigurable() throws {
    let config = try AttuneConfiguration.load(overrides: #"{"channels":{"text":{"responsePhrases":{"comfort/presence":["i have your back"]}}}}"#)
    let text = TextChannel(configuration: config.channels.text)
    #expect(text.classifyResponse("I have your back.").map(\.tagName) == ["response:comfort/presence"])
    // Merging replaced that one list and kept the others.
    #expect(text.classifyResponse("I'm here for you.").isEmpty)
    #expect(text.classifyResponse("Take your time.").map(\.tagName) == ["response:space/offer"])
}

// MARK: - Kinds that need the other's state or the listener's history

private func score(_ text: String, against d: Decision?, other: FusedState?, t: Double = 10,
                   tracker: FeedbackTracker = FeedbackTracker(), state: inout FeedbackTracker.State) -> ScoredResponse {
    let channel = TextChannel()
    return tracker.score(cues: channel.classifyResponse(text), valence: channel.analyze(text).valence,
                         t: t, line: 1, decision: d, prior: other, state: &state)
}

private func score(_ text: String, against d: Decision?, other: FusedState?) -> ScoredResponse {
    var state = FeedbackTracker().makeState()
    return score(text, against: d, other: other, state: &state)
}

@Test func cheerfulWordsMissADistressedPerson() {
    let sad = otherState(valence: -0.6, tags: [("sadness", 0.7)])
    let r = score("Cheer up, it's a beautiful day!", against: decision(.comfort), other: sad)
    #expect(r.kind == .mismatchedTone)
    #expect(r.score == .missed)
    // Cheerful without a cue phrase: the utterance's own valence is enough.
    let r2 = score("Wow, what a wonderful, amazing, fantastic day!", against: decision(.comfort), other: sad)
    #expect(r2.kind == .mismatchedTone)
}

@Test func cheerfulWordsShareJoy() {
    let glad = otherState(valence: 0.6, tags: [("joy", 0.8)])
    let r = score("Yay, that's awesome!", against: decision(.reflect), other: glad)
    #expect(r.kind == .reflection)
    #expect(r.subkind == "shared_joy")
    #expect(r.score == .attuned)
}

@Test func adviceIsTooEarlyUntilTheFeelingIsAcknowledged() {
    let sad = otherState(valence: -0.6, tags: [("sadness", 0.7)])
    let early = score("You should talk to HR.", against: decision(.comfort), other: sad)
    #expect(early.kind == .fixing)
    #expect(early.score == .missed)

    var state = FeedbackTracker().makeState()
    _ = score("That must have been awful.", against: decision(.comfort), other: sad, t: 10, state: &state)
    let later = score("You should talk to HR.", against: decision(.comfort), other: sad, t: 20, state: &state)
    #expect(later.kind == .advice)
    #expect(later.score == .partly)
    // Acknowledgement in the same breath counts too.
    let same = score("That must have been awful. You should talk to HR.", against: decision(.comfort), other: sad)
    #expect(same.kind != .fixing)
}

@Test func backchannelsAreNotScored() {
    let r = score("Okay.", against: decision(.comfort), other: otherState(valence: -0.5))
    #expect(r.kind == .other)
    #expect(r.score == nil)
}
