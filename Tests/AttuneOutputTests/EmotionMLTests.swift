import Attune
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Test(.enabled(if: commandExists("xmllint"), "xmllint (Debian libxml2-utils) is not installed"),
      arguments: ["fixture", "hostile", "empty"])
func emotionMLIsWellFormed(input: String) throws {
    let recs: [Recommendation]
    switch input {
    case "fixture": recs = recommendations()
    case "hostile": recs = [handMade(session: "a&b <c> \"d\" 'e' \u{01}\u{FFFE}", reason: "bell\u{07} ]]> </info> & <script>")]
    default: recs = []
    }
    let text = try render(.emotionml, recs)
    let path = "/tmp/attune-emotionml-\(getpid())-\(input).xml"
    writeFile(path, text)
    defer { unlink(path) }
    #expect(shell("xmllint --noout '\(path)'") == 0)
    // Namespace-aware checks through xmllint's XPath: one emotion per person per recommendation.
    let count = "xmllint --xpath \"count(//*[local-name()='emotion' and namespace-uri()='http://www.w3.org/2009/10/emotionml'])\" '\(path)'"
    #expect(shell("test \"$(\(count))\" = \(2 * recs.count)") == 0)
}

@Test func emotionMLStructure() throws {
    let recs = recommendations()
    let text = try render(.emotionml, recs)
    #expect(text.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<emotionml version=\"1.0\" xmlns=\"http://www.w3.org/2009/10/emotionml\""))
    #expect(text.hasSuffix("</emotionml>\n"))
    #expect(occurrences(of: "<emotion ", in: text) == 2 * recs.count)
    #expect(occurrences(of: "<action-tendency ", in: text) == recs.count)
    #expect(occurrences(of: "role=\"experiencedBy\"", in: text) == 2 * recs.count)
    #expect(occurrences(of: "<vocabulary type=\"action-tendency\" id=\"attune-response\">", in: text) == 1)
    // Self dimensions appear only once the listener has cues.
    let selfDims = recs.filter { $0.state.listener.cues > 0 }.count
    #expect(occurrences(of: "<dimension name=\"valence\"", in: text) == recs.count + selfDims)
    // Session-relative time in ms.
    #expect(text.contains("offset-to-start=\"1500\""))
    #expect(text.contains("time-ref-uri=\"urn:x-attune:session:lab%20%22B%22%2C%202%20%3C%26%3E\""))
}

@Test(arguments: [(-1.0, 0.0), (0.0, 0.5), (1.0, 1.0), (-0.5, 0.25), (2.0, 1.0), (Double.nan, 0.0)])
func emotionMLScale(x: Double, expected: Double) {
    #expect(EmotionMLAdapter.scale(x) == expected)
}

@Test func emotionMLDimensionValuesAndConfidence() throws {
    let text = try render(.emotionml, [handMade()], settings: OutputSettings(priorSD: 0.5))
    // valence -0.5 -> 0.25; sd 0.2 of prior 0.5 -> 1 - 0.04/0.25 = 0.84
    #expect(text.contains("<dimension name=\"valence\" value=\"0.25\" confidence=\"0.84\"/>"))
    // arousal 0.3 -> 0.65; sd 0.25 -> 0.75
    #expect(text.contains("<dimension name=\"arousal\" value=\"0.65\" confidence=\"0.75\"/>"))
    #expect(text.contains("<action-tendency name=\"comfort\" value=\"1\" confidence=\"0.75\"/>"))
    #expect(text.contains("expressed-through=\"text\""))
}

@Test func markupEscapesAndDropsCharactersXMLForbids() {
    var m = MarkupBytes()
    m.attribute("a<b>&\"c\"'d'\u{01}\u{FFFE}\u{FFFF}\te")
    #expect(m.string == "a&lt;b&gt;&amp;&quot;c&quot;&#39;d&#39;\u{FFFD}\u{FFFD}\u{FFFD}&#9;e")
    var t = MarkupBytes()
    t.text("</title><script>x</script> & é \u{1F600}")
    #expect(t.string == "&lt;/title&gt;&lt;script&gt;x&lt;/script&gt; &amp; é \u{1F600}")
}

func occurrences(of needle: String, in haystack: String) -> Int {
    let n = Array(needle.utf8), h = Array(haystack.utf8)
    guard !n.isEmpty, h.count >= n.count else { return 0 }
    var count = 0
    var i = 0
    while i <= h.count - n.count {
        if h[i..<(i + n.count)].elementsEqual(n) { count += 1; i += n.count } else { i += 1 }
    }
    return count
}
