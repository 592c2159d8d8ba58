import AttuneCore
import Testing
import TextChannel

@Test func parsesATable() throws {
    let tsv = "# my words\nword\tvalence\tarousal\tdominance\r\nzorgful\t0.8\t0.5\t0.2\r\n\nfed up\t-0.6\t0.3\n"
    let lex = try TextChannel.parseLexiconTSV(tsv)
    #expect(lex.entries.count == 2)
    #expect(lex.entries[0] == .init(words: ["zorgful"], valence: 0.8, arousal: 0.5, dominance: 0.2))
    #expect(lex.entries[1].words == ["fed", "up"])
    #expect(lex.entries[1].dominance == nil)
}

@Test func convertsNineScaleNormsWhenFlagged() throws {
    let lex = try TextChannel.parseLexiconTSV("#scale: 1-9\nsunshine\t8.6\t5\t7\n")
    let e = try #require(lex.entries.first)
    #expect(abs(e.valence - 0.9) < 1e-9)
    #expect(e.arousal == 0)
    #expect(e.dominance == 0.5)
}

@Test(arguments: [
    ("zorgful\t0.8\n", 1, "expected 3 or 4 tab-separated fields"),
    ("ok\t0.1\t0.1\nzorgful\tgood\t0.5\n", 2, "valence \"good\" is not a number"),
    ("# c\n\nzorgful\t0.8\t1.5\n", 3, "arousal 1.5 is outside -1...1"),
    ("zorgful\t7\t5\n", 1, "valence 7 is outside -1...1 (for 1-9 norms"),
    ("#scale: 1-9\nzorgful\t0.5\t5\n", 2, "valence 0.5 is outside 1...9"),
    ("#scale: 0-100\n", 1, "unknown scale"),
    ("!!!\t0.5\t0.5\n", 1, "has no letters"),
])
func badLinesNameTheirLine(text: String, line: Int, message: String) {
    do {
        _ = try TextChannel.parseLexiconTSV(text)
        Issue.record("no error for \(text)")
    } catch {
        #expect(error.line == line)
        #expect(error.message.contains(message), "\(error)")
        #expect(error.description.hasPrefix("line \(line): "))
    }
}

@Test func userWordsTakePrecedence() throws {
    let lex = try TextChannel.parseLexiconTSV("zorgful\t-0.9\t0.8\t-0.5\ngood\t-0.5\t0\nfeel blah\t-0.7\t-0.6\n")
    let custom = TextChannel(configuration: .init(), lexicon: lex)
    #expect(channel.analyze("I feel zorgful.").valence == nil)
    let a = custom.analyze("I feel zorgful.")
    #expect((a.valence ?? 0) < -0.3)
    #expect((a.arousal ?? 0) > 0.5)
    #expect(a.dominance == -0.5)
    #expect(a.matchedWords.first?.source == "user")
    #expect((custom.analyze("It is good.").valence ?? 0) < 0)
    #expect((custom.analyze("I feel blah today").valence ?? 0) < 0)
    // negation applies to user words too
    #expect((custom.analyze("I am not zorgful.").valence ?? 0) > 0)
}
