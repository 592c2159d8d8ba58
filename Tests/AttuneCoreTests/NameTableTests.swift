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

    /// Keys of every length up to past a probe's bytes, the empty key, and a table grown from 8
    /// slots many times over: lookups find exactly the keys set, by their bytes.
    @Test func findsKeysByTheirBytesAcrossGrowth() {
        var table = NameTable<Int>()
        var keys: [String] = [""]
        for n in 1...40 { keys.append(String(repeating: "a", count: n)); keys.append("k\(n)_" + String(repeating: "z", count: n % 7)) }
        for (i, k) in keys.enumerated() { table[k] = i }
        #expect(table.count == keys.count)
        for (i, k) in keys.enumerated() { #expect(table[k] == i, "\(k)") }
        for probe in ["b", "aa ", String(repeating: "a", count: 41), "k1", "k1_zz", "K1_z"] { #expect(table[probe] == nil, "\(probe)") }
    }
}
