import AttuneCore
import Foundation
import Testing
@testable import TextChannel

@Test func tuneDump() throws {
    let rows = try #require(loadNYT())
    let ch = TextChannel(configuration: .init())
    var res: [(Double, Double, String, String)] = []
    for (y, t) in rows {
        let a = ch.analyze(t)
        let v = a.valence ?? 0
        res.append((y / 4 - v, y, t, a.matchedWords.map { "\($0.text):\(($0.valence ?? 0) * 4)" }.joined(separator: " ")))
    }
    // Positive residual: humans more positive than us.
    for x in res.sorted(by: { $0.0 > $1.0 }).prefix(25) { print("UNDER", x.1, x.2.prefix(160), "|", x.3) }
    for x in res.sorted(by: { $0.0 < $1.0 }).prefix(25) { print("OVER", x.1, x.2.prefix(160), "|", x.3) }
    // zero-valence rows with strong human ratings
    let zeros = rows.filter { ch.analyze($0.1).valence == nil }
    print("no-affect rows", zeros.count, "mean|y|", zeros.map { abs($0.0) }.reduce(0, +) / Double(zeros.count))
    for z in zeros.sorted(by: { abs($0.0) > abs($1.0) }).prefix(30) { print("ZERO", z.0, z.1.prefix(160)) }
}

@Test func genreDump() throws {
    guard let s = readFile("/tmp/genre/s.tsv"), let v = readFile("/tmp/genre/vader.txt") else { return }
    let ch = TextChannel(configuration: .init())
    let vader = v.split(separator: "\n").map { Double($0)! }
    var ys: [Double] = [], mine: [Double] = []
    for (k, line) in s.split(separator: "\n").enumerated() {
        let f = line.split(separator: "\t", maxSplits: 1)
        let a = ch.analyze(String(f[1]))
        ys.append(Double(f[0])!); mine.append(a.valence ?? 0)
        print(f[0], String(format: "%.2f", a.valence ?? 0) as String, vader[k], f[1], a.matchedWords.map { "\($0.text):\(($0.valence ?? 0) * 4)\($0.rules)" })
    }
    print("genre r mine", pearson(mine, ys), "vader", pearson(vader, ys))
}
