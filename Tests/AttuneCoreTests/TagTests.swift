@testable import AttuneCore
import Testing

/// The standard tag numbering (`Tag.standard`): the policy and the feedback tracker
/// compare tags by it instead of by name, which is right only if an index stands
/// for exactly the names String equality would match.
@Suite struct TagTests {
    @Test func standardNamesAreUniqueLowercaseASCII() {
        #expect(Set(Tag.standard).count == Tag.standard.count)
        for name in Tag.standard {
            #expect(!name.isEmpty && name.utf8.allSatisfy { (0x61...0x7A).contains($0) || $0 == 0x5F }, "\(name)")
        }
        for (i, name) in Tag.standard.enumerated() { #expect(Tag.standardIndex(of: name) == Int32(i)) }
    }

    /// The premise of comparing by index: no scalar outside ASCII is canonically equal to a
    /// lowercase letter or `_` (the singletons that decompose to ASCII, such as the Kelvin sign,
    /// decompose to other characters), so a string equal to a standard name has its bytes.
    @Test func noOtherScalarEqualsALowercaseLetterOrUnderscore() {
        let targets = Set((UInt8(ascii: "a")...UInt8(ascii: "z")).map { String(UnicodeScalar($0)) } + ["_"])
        var equal: [UInt32] = []
        for v in UInt32(0x80)...0x10FFFF {
            guard let scalar = UnicodeScalar(v) else { continue }
            if targets.contains(String(scalar)) { equal.append(v) }
        }
        #expect(equal.isEmpty, "\(equal.map { String($0, radix: 16) })")
        // The check can fail: it does find the Kelvin sign's "K".
        #expect(String(UnicodeScalar(0x212A)!) == "K")
    }

    @Test func indexFollowsTheName() {
        var tag = TagLevel(name: "joy", level: 0.5, channel: "text", reason: "r")
        #expect(tag.standardIndex == Tag.standardIndex(of: "joy") && tag.standardIndex >= 0)
        tag.name = "my_custom_tag"
        #expect(tag.standardIndex == -1)
        tag.name = "sadness"
        #expect(tag.standardIndex == Tag.standardIndex(of: "sadness"))
        #expect(tag == TagLevel(name: "sadness", level: 0.5, channel: "text", reason: "r"))
        // Bytes, not equivalence: a decomposed "é" is not a standard name, and not "e".
        #expect(Tag.standardIndex(of: "joy ") == -1 && Tag.standardIndex(of: "Joy") == -1)
    }

    /// `level(of:)` by index gives what a scan comparing Strings gives, for standard names,
    /// custom names, and non-ASCII names equal only under canonical equivalence.
    @Test func levelByIndexMatchesLevelByName() {
        let names = ["joy", "sadness", "caf\u{E9}", "crying", "custom_one", "\u{212A}elvin"]
        var s = TrackSnapshot()
        s.tags = names.enumerated().map { TagLevel(name: $0.element, level: Double($0.offset + 1) / 10, channel: "c", reason: "") }
        let probes = names + ["cafe\u{301}", "Kelvin", "kelvin", "fear", "joy\u{301}", "", "openness"]
        for probe in probes {
            let byName = s.tags.first { $0.name == probe }?.level ?? 0
            #expect(s.level(of: probe) == byName, "\(probe.debugDescription)")
        }
        #expect(s.level(of: "cafe\u{301}") == 0.3 && s.level(of: "Kelvin") == 0.6)
    }

    /// The policy's weights by index are the configuration's weights by name: standard names,
    /// custom ones, and a non-ASCII key that a standard-looking name must not reach.
    @Test func policyWeightsByIndexMatchTheConfiguration() {
        var c = PolicyConfiguration()
        c.weights["my_custom_tag"] = ModeScores(question: 0.7)
        c.weights["caf\u{E9}"] = ModeScores(comfort: 0.1)
        c.weights["joy"] = ModeScores(space: 0.25)
        c.weights["sadness"] = nil
        let tables = ScoringTables(c)
        for name in Tag.standard + ["my_custom_tag", "cafe\u{301}", "caf\u{E9}", "unknown", ""] {
            #expect(tables.weights(of: TagLevel(name: name, level: 1, channel: "c", reason: "")) == c.weights[name], "\(name)")
        }
    }
}

/// What the index costs in memory: nothing per active tag (it sits in the flags' padding).
@Suite struct TagLayoutTests {
    @Test func activeTagStrideIsUnchanged() {
        #expect(MemoryLayout<ActiveTag>.stride == 112)
        #expect(MemoryLayout<TagLevel>.stride == 64)
    }
}
