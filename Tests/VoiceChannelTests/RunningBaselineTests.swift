import AttuneCore
import Testing

@Suite struct RunningBaselineTests {
    @Test func firstSampleScoresZeroAndSetsTheMean() {
        var b = RunningBaseline(spreadFloor: 0.5)
        #expect(b.update(42) == 0)
        #expect(b.count == 1)
        #expect(b.mean == 42)
        #expect(b.spread == 0.5)
    }

    @Test func spreadTracksTheDataScale() {
        // Alternating ±1 around 10: standard deviation 1.
        var b = RunningBaseline(spreadFloor: 1e-6)
        for i in 0..<40 { b.update(i % 2 == 0 ? 9 : 11) }
        #expect(abs(b.mean - 10) < 0.2)
        #expect(b.spread > 0.8 && b.spread < 1.6)
        #expect(abs(b.zScore(13) - 3) < 1)
    }

    @Test func spreadFloorKeepsScoresSane() {
        var b = RunningBaseline(spreadFloor: 2)
        for _ in 0..<10 { b.update(70) }
        #expect(b.spread == 2)
        #expect(b.zScore(74) == 2)
    }

    @Test func outburstIsReportedButBarelyAbsorbed() {
        var b = RunningBaseline(spreadFloor: 0.1)
        for x in [-26.0, -25.2, -26.6, -25.8, -26.3, -25.5] { b.update(x) }
        let before = b.mean
        let z1 = b.update(-13)
        let z2 = b.update(-13)
        #expect(z1 > 10)
        #expect(z2 > 0.6 * z1, "the second outburst must still stand out: \(z1) then \(z2)")
        #expect(b.mean - before < 3, "mean moved from \(before) to \(b.mean)")
    }

    @Test func lastingChangeIsEventuallyAbsorbed() {
        var b = RunningBaseline(spreadFloor: 0.1)
        for x in [-26.0, -25.2, -26.6, -25.8, -26.3, -25.5] { b.update(x) }
        var z = 0.0
        for i in 0..<120 { z = b.update(-20 + (i % 2 == 0 ? 0.4 : -0.4)) }
        #expect(abs(z) < 2, "after a long stretch at a new level it is the new normal: z=\(z)")
    }

    @Test func nonFiniteSamplesAreIgnored() {
        var b = RunningBaseline()
        b.update(1)
        #expect(b.update(.nan) == 0)
        #expect(b.update(.infinity) == 0)
        #expect(b.count == 1)
        #expect(b.mean == 1)
    }

    @Test(arguments: [(0, 0.0), (3, 0.5), (9, 0.75)])
    func confidenceGrowsWithCount(n: Int, expected: Double) {
        var b = RunningBaseline()
        for i in 0..<n { b.update(Double(i)) }
        #expect(abs(b.confidence(halfAt: 3) - expected) < 1e-12)
    }

    @Test func theSplitFormMatchesTheWholeBaseline() {
        // The voice channel keeps estimates and settings apart; every number must be the same.
        var whole = RunningBaseline(spreadFloor: 0.3, adaptation: 0.1, clip: 2, clipAfter: 4)
        var estimate = RunningBaseline.Estimate()
        let settings = whole.settings
        for (i, x) in [3.0, 3.4, 2.9, 9.0, 3.1, .nan, 3.3, -4.0, 3.2].enumerated() {
            let a = whole.update(x), b = RunningBaseline.update(&estimate, x, settings)
            #expect(a.bitPattern == b.bitPattern, "sample \(i)")
            #expect(whole.estimate == estimate)
            #expect(RunningBaseline(estimate: estimate, settings: settings) == whole)
            #expect(RunningBaseline.confidence(estimate, halfAt: 3) == whole.confidence(halfAt: 3))
        }
        #expect(whole.count == 8)
    }
}
