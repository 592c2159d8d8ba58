import Testing
@testable import TextChannel

/// The built-in affect table is split into fields on bytes at startup; that must give
/// exactly the fields a split by Character gives.
@Test func affectTableFieldsSplitOnBytesAsByCharacter() {
    for line in AffectWords.table.split(separator: "\n") {
        let byCharacter = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
        #expect(asciiFields(line) == byCharacter, "\(line)")
    }
}
