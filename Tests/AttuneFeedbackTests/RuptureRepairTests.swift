import Attune
import Testing

@Test func missedThenWithdrawalThenAttunedThenEngagement() throws {
    let (recs, totals) = run(fixture: "rupture-repair")
    let ruptures = recs.filter { $0.rupture != nil }
    let repairs = recs.filter { $0.repair != nil }
    #expect(ruptures.count == 1)
    #expect(repairs.count == 1)
    let missed = try #require(recs.first { $0.response?.score == .missed })
    let rupture = try #require(ruptures.first?.rupture)
    #expect(rupture.responseLine == missed.line)
    #expect(rupture.responseT == missed.t)
    #expect(rupture.t == 9.5)  // the turn away
    #expect(rupture.reason.contains("turned_away"))

    let attuned = try #require(recs.first { $0.response?.score == .attuned })
    #expect(attuned.t > rupture.t)
    let repair = try #require(repairs.first?.repair)
    #expect(repair.responseLine == attuned.line)
    #expect(repair.ruptureT == rupture.t)
    #expect(repair.t > attuned.t)
    #expect(abs(repair.timeToRepair - (repair.t - 9.5)) < 1e-9)
    #expect(repair.closes == 1)

    let f = try #require(totals.first?.totals)
    #expect(f.responses == 2 && f.attuned == 1 && f.missed == 1)
    #expect(f.ruptures == 1 && f.repairs == 1 && f.repairedRuptures == 1)
    #expect(f.meanTimeToRepair == repair.timeToRepair)
    #expect(f.attunedShare == 0.5)
}

@Test func ruptureWithoutRepair() throws {
    let (recs, totals) = run(fixture: "rupture-unrepaired")
    #expect(recs.contains { $0.response?.kind == .redirecting && $0.response?.score == .missed })
    #expect(recs.filter { $0.rupture != nil }.count == 1)
    #expect(!recs.contains { $0.repair != nil })
    let f = try #require(totals.first?.totals)
    #expect(f.ruptures == 1 && f.repairs == 0 && f.meanTimeToRepair == nil)
}

/// Variations on the disclosure, then a reply at 8 s, then what follows: (reply, then, ruptures, repairs).
@Test(arguments: [
    // The same turning away after an attuned reply is no rupture.
    ("That must be so humiliating.", [postureLine(9.5, "turned_away"), textLine(10, "Fine.", source: "other")], 0, 0),
    // Withdrawal outside the window is no rupture.
    ("Just forget it.", [postureLine(35, "turned_away")], 0, 0),
    // Rising distress is a rupture too.
    ("Just forget it.", [postureLine(9, "crying"), textLine(9.5, "I feel awful and nobody cares about me.", source: "other")], 1, 0),
    // An attuned reply and returning engagement with no rupture before: nothing to repair.
    ("I'm so sorry, I'm here for you.", [postureLine(10, "lean_forward"), postureLine(10.2, "facing")], 0, 0),
    // Rupture, attuned reply, but only time passes: relaxation toward baseline is no repair.
    ("Just forget it.", [postureLine(9.5, "turned_away"), textLine(12, "I'm sorry, that sounds awful. I'm here."),
                         #"{"t":20,"control":"tick"}"#, #"{"t":30,"control":"tick"}"#], 1, 0),
    // A second missed reply after the rupture does not repair it, even when the other turns back.
    ("Just forget it.", [postureLine(9.5, "turned_away"), textLine(12, "You should just quit."),
                         postureLine(13, "facing"), postureLine(13.2, "lean_forward")], 1, 0),
    // An attuned reply and the other's words turning gentler: a repair by easing distress.
    ("Just forget it.", [postureLine(9.5, "turned_away"), textLine(12, "I'm so sorry. That sounds really humiliating."),
                         textLine(14, "Thanks, I feel a bit better now, talking helps.", source: "other")], 1, 1),
])
func ruptureAndRepairSequences(reply: String, then: [String], ruptures: Int, repairs: Int) {
    let lines = disclosure() + [textLine(8, reply)] + then
    let (recs, totals) = run(lines)
    #expect(recs.filter { $0.rupture != nil }.count == ruptures, "\(reply) \(then)")
    #expect(recs.filter { $0.repair != nil }.count == repairs, "\(reply) \(then)")
    #expect(totals.first?.totals.ruptures == ruptures)
    #expect(totals.first?.totals.repairs == repairs)
}

/// Sessions never share feedback state.
@Test func sessionsAreSeparate() {
    func tagged(_ line: String, _ session: String) -> String {
        "{\"session\":\"\(session)\"," + line.dropFirst()
    }
    let a = streamLines("rupture-repair").map { tagged($0, "a") }
    let b = streamLines("humiliated-reflection").map { tagged($0, "b") }
    var mixed: [String] = []
    for i in 0..<max(a.count, b.count) {
        if i < a.count { mixed.append(a[i]) }
        if i < b.count { mixed.append(b[i]) }
    }
    let totals = run(mixed).totals
    #expect(totals.map(\.session) == ["a", "b"])
    #expect(totals[0].totals.ruptures == 1 && totals[0].totals.repairs == 1)
    #expect(totals[1].totals.ruptures == 0 && totals[1].totals.attuned == 1)
}
