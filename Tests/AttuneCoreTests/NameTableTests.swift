@testable import AttuneCore
import Testing

@Suite struct NameTableTests {
    @Test func answersAsTheDictionaryDoes() {
        var dictionary: [String: Int] = [:]
        for i in 0..<300 { dictionary["name_\(i)"] = i }
        dictionary[""] = -1
        let table = NameTable(dictionary)
        #expect(table.count == dictionary.count)
        for (k, v) in dictionary { #expect(table[k] == v) }
        for probe in ["name_300", "Name_1", "name_1 ", "", "name_", "x"] { #expect(table[probe] == dictionary[probe]) }
    }

    @Test func canonicallyEquivalentKeysFindTheirEntry() {
        // Swift's String == is canonical equivalence: the Kelvin sign is "K", "é" is "e" + U+0301.
        let dictionary = ["\u{212A}elvin": 1, "caf\u{E9}": 2, "plain": 3]
        let table = NameTable(dictionary)
        for probe in ["Kelvin", "\u{212A}elvin", "cafe\u{301}", "caf\u{E9}", "plain", "kelvin", "cafe"] {
            #expect(table[probe] == dictionary[probe], "\(probe.debugDescription)")
        }
    }

    @Test func laterEntriesReplaceEarlierOnes() {
        var table = NameTable<Int>()
        for i in 0..<100 { table["k\(i % 10)"] = i }
        #expect(table.count == 10)
        for j in 0..<10 { #expect(table["k\(j)"] == 90 + j) }
    }
}
