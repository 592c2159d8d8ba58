import Testing
import AttuneCore
import TextChannel

/// The NYT editorial snippets (Hutto & Gilbert 2014): ID TAB mean human rating (-4...4) TAB text.
/// The file lives beside the repository, in `<repo>/../shared/data/sentiment-nyt/`.
func loadNYT() -> [(Double, String)]? {
    var path = #filePath
    for _ in 0..<3 { path = String(path[..<path.lastIndex(of: "/")!]) }  // repo root
    path = String(path[..<path.lastIndex(of: "/")!]) + "/shared/data/sentiment-nyt/nytEditorialSnippets_GroundTruth.txt"
    guard let data = readFile(path) else { return nil }
    var rows: [(Double, String)] = []
    for line in data.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
        let f = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false)
        guard f.count == 3, let y = Double(f[1]) else { continue }
        rows.append((y, String(f[2])))
    }
    return rows
}

func pearson(_ x: [Double], _ y: [Double]) -> Double {
    let n = Double(x.count)
    let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
    var sxy = 0.0, sxx = 0.0, syy = 0.0
    for (a, b) in zip(x, y) { sxy += (a - mx) * (b - my); sxx += (a - mx) * (a - mx); syy += (b - my) * (b - my) }
    return sxy / (sxx * syy).squareRoot()
}

@Test func nytValenceCorrelationBeatsVADER() throws {
    let rows = try #require(loadNYT(), "shared/data/sentiment-nyt missing next to the repository")
    #expect(rows.count > 5000)
    let channel = TextChannel(configuration: .init())
    let predicted = rows.map { channel.analyze($0.1).valence ?? 0 }
    let r = pearson(predicted, rows.map(\.0))
    print("NYT editorial snippets: n=\(rows.count) r=\(r)")
    #expect(r >= 0.52)
}
