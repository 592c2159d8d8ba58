import AttuneCore
import Testing
import TextChannel

let channel = TextChannel(configuration: .init())

func v(_ s: String) -> Double { channel.analyze(s).valence ?? 0 }
func tagNames(_ s: String) -> [String] { channel.analyze(s).tags.map(\.name) }
func tag(_ s: String, _ name: String) -> CueTag? { channel.analyze(s).tags.first { $0.name == name } }

// MARK: - validation

@Test(arguments: [
    (JSONValue.object(JSONObject(["text": "hello"])), nil as String?),
    (.object(JSONObject(["text": ""])), nil),
    (.object(JSONObject(["text": 3])), "value.text: expected a string, got a number"),
    (.object(JSONObject(["text": .null])), "value.text: expected a string, got null"),
    (.object(JSONObject(["words": "hi"])), "value.text: missing (expected a string)"),
    (.string("hello"), "value: expected an object, got a string"),
] as [(JSONValue, String?)])
func validation(value: JSONValue, problem: String?) {
    #expect(channel.validate(value) == problem)
}

@Test func evidenceThroughThePluginContract() {
    var state = channel.makeState()
    let e = channel.evidence(from: Cue(t: 1, channel: "text", value: ["text": "Leave me alone, I'm so angry!"]), state: &state)
    #expect(channel.name == "text")
    #expect((e.valence?.value ?? 0) < 0)
    #expect((e.arousal?.value ?? 0) > 0.3)
    #expect(e.tags.contains { $0.name == Tag.spaceRequest })
    #expect(e.tags.contains { $0.name == Tag.anger })
}

// MARK: - valence rules

@Test(arguments: [
    ("I am happy with it.", "I am not happy with it."),
    ("This is a good plan.", "This isn't a good plan."),
    ("That was nice of you.", "That wasn’t nice of you."),  // curly apostrophe
    ("I like it.", "I dont like it."),                        // no apostrophe
])
func negationFlips(plain: String, negated: String) {
    #expect(v(plain) > 0.2)
    #expect(v(negated) < 0)
}

@Test(arguments: [
    ("It was bad.", "It was not bad."),
    ("I am worried.", "I am not worried."),
])
func negatedNegativeIsMilder(plain: String, negated: String) {
    #expect(v(plain) < 0)
    #expect(v(negated) > v(plain))
}

@Test(arguments: [
    ("The movie was good.", "The movie was really good."),
    ("I feel sad.", "I feel extremely sad."),
    ("That is bad.", "That is so bad."),
])
func intensifiersStrengthen(plain: String, boosted: String) {
    #expect(abs(v(boosted)) > abs(v(plain)))
    #expect((v(boosted) > 0) == (v(plain) > 0))
}

@Test(arguments: [
    ("The movie was good.", "The movie was kind of good."),
    ("I feel sad.", "I feel a bit sad."),
    ("That is bad.", "That is somewhat bad."),
])
func dampenersSoften(plain: String, damped: String) {
    #expect(abs(v(damped)) < abs(v(plain)))
    #expect(abs(v(damped)) > 0)
}

@Test(arguments: [
    ("The food was great, but the service was awful.", -1.0),
    ("The service was awful, but the food was great.", 1.0),
    ("Although the start was awful, the ending was great.", 1.0),
])
func contrastFavoursTheLaterClause(text: String, sign: Double) {
    #expect(v(text) * sign > 0)
}

@Test func capitalsEmphasise() {
    #expect(v("This is GREAT news.") > v("This is great news."))
    #expect(v("I am SO upset.") < v("I am so upset."))
    // An all-capitals text is not emphasis word by word.
    #expect(abs(v("THIS IS GREAT NEWS.") - v("this is great news.")) < 1e-9)
}

@Test func exclamationsEmphasise() {
    #expect(v("That is great!!!") > v("That is great."))
    #expect(v("That is awful!!") < v("That is awful."))
    let calm = channel.analyze("I am happy.").arousal ?? 0
    let loud = channel.analyze("I am happy!!!").arousal ?? 0
    #expect(loud > calm)
}

@Test(arguments: [
    ("See you at noon 😊", 1.0),
    ("See you at noon :)", 1.0),
    ("Missed the bus again :(", -1.0),
    ("The results are in 😭", -1.0),
])
func emojiAndEmoticons(text: String, sign: Double) {
    #expect(v(text) * sign > 0.1)
}

@Test func absenceTurnsAPositiveIntoItsLoss() {
    #expect(v("I have friends around.") > 0)
    #expect(v("I miss having friends around.") < 0)
}

@Test func noAffectWordsGiveNoValence() {
    let a = channel.analyze("So what are you cooking tonight?")
    #expect(a.valence == nil)
    #expect(a.evidence.valence == nil)
    var c = TextChannel.Configuration()
    c.neutralReadingWhenNoAffect = true
    let n = TextChannel(configuration: c).analyze("So what are you cooking tonight?")
    #expect(n.valence == 0)
    #expect((n.valenceVariance ?? 0) >= 0.3)
}

@Test func moreAffectMeansLowerVariance() {
    let one = channel.analyze("It was okay.").valenceVariance ?? 1
    let two = channel.analyze("It was good.").valenceVariance ?? 1
    let many = channel.analyze("It was wonderful, amazing, a fantastic and joyful day!").valenceVariance ?? 1
    #expect(one > two)
    #expect(two > many)
    let mixed = channel.analyze("It was wonderful and awful.").valenceVariance ?? 0
    let pure = channel.analyze("It was wonderful and great.").valenceVariance ?? 1
    #expect(mixed > pure)
}

// MARK: - need cues

@Test(arguments: [
    ("Leave me alone.", Tag.spaceRequest),
    ("I need a minute.", Tag.spaceRequest),
    ("I don't want to talk about it.", Tag.spaceRequest),
    ("I dont wanna talk about it", Tag.spaceRequest),
    ("Can we talk later?", Tag.spaceRequest),
    ("Give me some space.", Tag.spaceRequest),
    ("I don't want to get into this.", Tag.spaceRequest),
    ("I'd rather not discuss it right now.", Tag.spaceRequest),
    ("Can we talk?", Tag.connectionBid),
    ("I just need someone to listen.", Tag.connectionBid),
    ("Can you stay with me tonight?", Tag.connectionBid),
    ("Could you please listen to me for once", Tag.connectionBid),
    ("I'm fine.", Tag.denial),
    ("It doesn't bother me.", Tag.denial),
    ("Whatever.", Tag.denial),
    ("I'm over it.", Tag.denial),
    ("Honestly I'm not upset.", Tag.denial),
    ("I don't know.", Tag.uncertainty),
    ("I'm not sure.", Tag.uncertainty),
    ("It's complicated.", Tag.uncertainty),
    ("I have no idea what to do", Tag.uncertainty),
    ("I don't see the point anymore.", Tag.risk),
    ("Everyone would be better off without me.", Tag.risk),
    ("I want to die.", Tag.risk),
    ("Sometimes I think about ending my life", Tag.risk),
    ("You always do this.", Tag.hostility),
    ("You never listen.", Tag.hostility),
    ("Stop!", Tag.hostility),
    ("I'm sick of you.", Tag.hostility),
    ("This is all your fault.", Tag.hostility),
    // wordings that are not in the lists verbatim
    ("I'd prefer not to talk about it.", Tag.spaceRequest),
    ("I just want to be left alone right now", Tag.spaceRequest),
    ("Could we maybe talk tonight?", Tag.connectionBid),
    ("can you just be here with me for a bit", Tag.connectionBid),
    ("It's fine, really. Don't worry about me.", Tag.denial),
    ("What's the point of anything", Tag.risk),
    ("Why are you ALWAYS on my case?!", Tag.hostility),
])

func needCue(text: String, expected: String) {
    #expect(tagNames(text).contains(expected), "\(text) -> \(tagNames(text))")
}

@Test func askingForSpaceIsNotLoneliness() {
    let names = tagNames("Leave me alone.")
    #expect(names.contains(Tag.spaceRequest))
    #expect(!names.contains(Tag.loneliness))
}

@Test func spaceRequestIsNotAlsoABid() {
    let names = tagNames("I really don't want to get into this right now. Can we talk later?")
    #expect(names.contains(Tag.spaceRequest))
    #expect(!names.contains(Tag.connectionBid))
}

@Test func reasonsQuoteTheWords() {
    #expect(tag("Just leave me alone!", Tag.spaceRequest)?.reason == "asked for space: \"leave me alone\"")
    let sad = tag("I feel so empty and I miss her.", Tag.sadness)?.reason ?? ""
    #expect(sad.hasPrefix("sadness: "))
    #expect(sad.contains("\"empty\"") && sad.contains("\"miss\""))
    #expect(tag("I don’t know", Tag.uncertainty)?.reason == "unsure: \"I don’t know\"")
}

@Test func phraseListsAreConfigurable() {
    var c = TextChannel.Configuration()
    c.spaceRequestPhrases.append("i need|want (some) air @0.6")
    let custom = TextChannel(configuration: c)
    let t = custom.analyze("I need some air.").tags.first { $0.name == Tag.spaceRequest }
    #expect(t?.strength == 0.6)
    #expect(!tagNames("I need some air.").contains(Tag.spaceRequest))
}

@Test(arguments: ["ok.", "fine.", "Sure", "whatever", "k"])
func clipped(text: String) {
    #expect(tagNames(text).contains(Tag.clipped))
}

@Test(arguments: ["I'm okay, just tired from work.", "Fine by me, let's go."])
func notClipped(text: String) {
    #expect(!tagNames(text).contains(Tag.clipped))
}

@Test(arguments: [
    ("So what are you cooking tonight?", true),
    ("Why would you say that", true),
    ("Are you coming with me", true),
    ("Is it my fault?", true),
    ("I ate pasta.", false),
    ("Do it now.", false),
    ("I wonder what he meant.", false),
])
func question(text: String, asks: Bool) {
    #expect(tagNames(text).contains(Tag.question) == asks, "\(text)")
}

// MARK: - emotions and arousal

@Test(arguments: [
    ("I'm so angry at him.", Tag.anger),
    ("This is so frustrating.", Tag.anger),
    ("I feel really sad today.", Tag.sadness),
    ("I'm terrified of the results.", Tag.fear),
    ("I'm anxious about tomorrow.", Tag.fear),
    ("I'm so happy for you!", Tag.joy),
    ("I'm ashamed of what I did.", Tag.shame),
    ("I feel so guilty.", Tag.shame),
    ("I feel so lonely.", Tag.loneliness),
    ("Nobody ever calls, I'm always alone.", Tag.loneliness),
    ("Wow, I'm shocked!", Tag.surprise),
])
func emotion(text: String, expected: String) {
    #expect(tagNames(text).contains(expected), "\(text) -> \(tagNames(text))")
}

@Test func negatedEmotionIsNotTagged() {
    #expect(!tagNames("I'm not angry.").contains(Tag.anger))
}

@Test func arousalFollowsEmotion() {
    let high = channel.analyze("I'm furious and terrified!").arousal ?? 0
    let low = channel.analyze("I feel lonely and sad.").arousal ?? 0
    #expect(high > 0.5)
    #expect(low < 0)
}

@Test func analysisHasEverythingAResearcherWants() {
    let a = channel.analyze("I'm not really happy, I'm kind of scared!")
    #expect(a.wordCount == 8)
    #expect(a.emotions.map(\.category) == ["anger", "sadness", "fear", "joy", "shame", "loneliness", "surprise"])
    #expect(a.matchedWords.contains { $0.text == "happy" && $0.rules.contains("negated") && $0.rules.contains("intensified") })
    #expect(a.matchedWords.contains { $0.text == "scared" && $0.rules.contains("dampened") })
    guard case .object(let o) = a.json else { Issue.record("json not an object"); return }
    #expect(o.keys == ["word_count", "valence", "valence_variance", "arousal", "arousal_variance", "dominance",
                       "raw_score", "emotions", "tags", "matched_words"])
}

@Test(arguments: ["", "   ", "...", "!!!", "😐"])
func nothingToSay(text: String) {
    let a = channel.analyze(text)
    #expect(a.wordCount == 0)
    #expect(a.valence == nil)
    #expect(!a.tags.contains { $0.name == Tag.clipped })
}

@Test func sameInputSameOutput() {
    let s = "Honestly?? I'm SO done with this :( but thanks for asking, I guess."
    #expect(channel.analyze(s) == TextChannel(configuration: .init()).analyze(s))
}

@Test(arguments: [
    ("zork * blat", "zork one two three blat", true),
    ("zork * blat", "zork one two three four blat", false),   // a gap skips at most three words
    ("zork * blat", "zork one. blat", false),                 // never across a sentence end
    ("zork (very) blat", "zork blat", true),
    ("zork (very) blat", "zork very blat", true),
    ("zork glim|blat", "Zork BLAT", true),
    ("zork $", "I said zork.", true),
    ("zork $", "zork it", false),
    ("zork !", "zork!!", true),
    ("do not zork", "I don’t zork", true),                    // contractions in patterns and input alike
    ("do not zork", "I dont zork", true),
])
func phrasePatternSyntax(pattern: String, text: String, matches: Bool) {
    var c = TextChannel.Configuration()
    c.uncertaintyPhrases = [pattern + " @0.42"]
    let t = TextChannel(configuration: c).analyze(text).tags.first { $0.name == Tag.uncertainty }
    #expect((t != nil) == matches, "\(pattern) on \(text)")
    if let t { #expect(t.strength == 0.42) }
}
