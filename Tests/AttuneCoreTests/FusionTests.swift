#if canImport(Glibc)
import Glibc
#endif
import AttuneCore
import Testing

@Suite struct FusionTests {
    let fusion = KalmanFusion()

    func cue(_ t: Double, channel: String = "affect", source: Source = .other, text: String? = nil) -> Cue {
        Cue(t: t, source: source, channel: channel, value: text.map { ["text": .string($0)] } ?? [:])
    }

    func apply(_ e: Evidence, _ c: Cue, _ s: inout KalmanFusion.State) {
        fusion.advance(&s, to: c.t)
        fusion.apply(e, of: c, channel: ChannelInfo(name: c.channel, index: 0), to: &s)
    }

    @Test func kalmanUpdateWeighsReliabilityAndConfidence() {
        var s = fusion.makeState()
        // Prior variance 0.25; affect reliability 0.8; reading variance 0.05 -> R = 0.0625; gain 0.8.
        apply(Evidence(valence: Reading(-0.5, variance: 0.05)), cue(0), &s)
        let snap = fusion.snapshot(s)
        #expect(abs(snap.other.valence - (-0.4)) < 1e-9)
        #expect(abs(snap.other.valenceSD - (0.25 * 0.2).squareRoot()) < 1e-9)
        // Half the confidence: half the precision.
        var s2 = fusion.makeState()
        apply(Evidence(valence: Reading(-0.5, variance: 0.05), confidence: 0.5), cue(0), &s2)
        #expect(abs(fusion.snapshot(s2).other.valence - (-0.5 * 0.25 / (0.25 + 0.125))) < 1e-9)
    }

    @Test func betweenCuesTheMeanHalvesEveryHalfLifeAndUncertaintyReturns() {
        var s = fusion.makeState()
        apply(Evidence(valence: Reading(-0.8, variance: 0.01), arousal: Reading(0.6, variance: 0.01)), cue(0), &s)
        let v0 = fusion.snapshot(s).other.valence
        let a0 = fusion.snapshot(s).other.arousal
        fusion.advance(&s, to: 90)   // one valence half-life, two arousal half-lives
        let snap = fusion.snapshot(s)
        #expect(abs(snap.other.valence - v0 / 2) < 1e-9)
        #expect(abs(snap.other.arousal - a0 / 4) < 1e-9)
        fusion.advance(&s, to: 3600)
        #expect(abs(fusion.snapshot(s).other.valence) < 1e-6)
        #expect(abs(fusion.snapshot(s).other.valenceSD - 0.5) < 1e-6)
        #expect(fusion.snapshot(s).other.coverage < 1e-6)
    }

    @Test func sourcesAreTrackedSeparately() {
        var s = fusion.makeState()
        apply(Evidence(valence: Reading(0.9, variance: 0.01)), cue(0, source: .listener), &s)
        let snap = fusion.snapshot(s)
        #expect(snap.other.valence == 0 && snap.other.cues == 0)
        #expect(snap.listener.valence > 0.5 && snap.listener.cues == 1)
    }

    @Test func tagsAccumulateHoldAndDecay() {
        var s = fusion.makeState()
        let c0 = cue(0, channel: "posture")
        apply(Evidence(tags: [CueTag("withdrawal", strength: 0.5, reason: "turned away", holdUntil: 10)]), c0, &s)
        apply(Evidence(tags: [CueTag("sadness", strength: 0.5, reason: "a"), CueTag("sadness", strength: 0.5, reason: "b")]), cue(0), &s)
        #expect(abs(fusion.snapshot(s).other.level(of: "sadness") - 0.75) < 1e-9)   // 1 - (1-0.5)^2
        fusion.advance(&s, to: 10)
        #expect(abs(fusion.snapshot(s).other.level(of: "withdrawal") - 0.5) < 1e-9)   // held until 10
        #expect(abs(fusion.snapshot(s).other.level(of: "sadness") - 0.75 * pow2(-10 / 45)) < 1e-9)
        fusion.advance(&s, to: 55)   // 45 s after the hold ended: halved
        #expect(abs(fusion.snapshot(s).other.level(of: "withdrawal") - 0.25) < 1e-9)
        fusion.advance(&s, to: 1000)
        #expect(fusion.snapshot(s).other.tags.isEmpty)   // forgotten below the floor
    }

    @Test func anArrivingTagSupersedesItsOpposite() {
        var s = fusion.makeState()
        apply(Evidence(tags: [CueTag("space_request", strength: 0.8, reason: "leave me alone")]), cue(0, channel: "text"), &s)
        apply(Evidence(tags: [CueTag("connection_bid", strength: 0.75, reason: "can we talk")]), cue(60, channel: "text"), &s)
        let level = fusion.snapshot(s).other.level(of: "space_request")
        #expect(abs(level - 0.8 * pow2(-60 / 180) * 0.25) < 1e-9)
    }

    @Test func incongruenceRisesWhenChannelsDisagree() {
        var agree = fusion.makeState()
        apply(Evidence(valence: Reading(-0.6, variance: 0.05)), cue(0, channel: "text"), &agree)
        apply(Evidence(valence: Reading(-0.7, variance: 0.1)), cue(0.5, channel: "posture"), &agree)
        var disagree = fusion.makeState()
        apply(Evidence(valence: Reading(0.7, variance: 0.05)), cue(0, channel: "text"), &disagree)
        apply(Evidence(valence: Reading(-0.8, variance: 0.1)), cue(0.5, channel: "posture"), &disagree)
        #expect(fusion.snapshot(agree).incongruence == 0)
        let d = fusion.snapshot(disagree)
        #expect(d.incongruence > 0.5)
        #expect(d.incongruenceReason.contains("text") && d.incongruenceReason.contains("posture"))
        // It fades as the readings age.
        fusion.advance(&disagree, to: 120)
        #expect(fusion.snapshot(disagree).incongruence < 0.05)
    }

    @Test func denialWhileTheBodyShowsDistressIsIncongruent() {
        var s = fusion.makeState()
        apply(Evidence(tags: [CueTag("crying", strength: 0.9, reason: "crying")]), cue(0, channel: "posture"), &s)
        #expect(fusion.snapshot(s).incongruence == 0)
        apply(Evidence(tags: [CueTag("denial", strength: 0.8, reason: "\"I'm fine\"")]), cue(1, channel: "text"), &s)
        let snap = fusion.snapshot(s)
        #expect(snap.incongruence > 0.6)
        #expect(snap.incongruenceReason.contains("I'm fine") && snap.incongruenceReason.contains("crying"))
    }

    @Test func floodingNeedsHighArousalWithNegativeValenceOrFloodingCues() {
        var s = fusion.makeState()
        apply(Evidence(valence: Reading(-0.8, variance: 0.01), arousal: Reading(0.9, variance: 0.01)), cue(0, source: .listener), &s)
        #expect(fusion.snapshot(s).listener.flooded > 0.5)
        var happy = fusion.makeState()
        apply(Evidence(valence: Reading(0.8, variance: 0.01), arousal: Reading(0.9, variance: 0.01)), cue(0, source: .listener), &happy)
        #expect(fusion.snapshot(happy).listener.flooded == 0)
        var hostile = fusion.makeState()
        apply(Evidence(tags: [CueTag("hostility", strength: 1, reason: "you never listen")]), cue(0, source: .listener), &hostile)
        #expect(abs(fusion.snapshot(hostile).listener.flooded - 0.5) < 1e-9)
        #expect(fusion.snapshot(hostile).listener.floodedReason == "affect: you never listen")
    }

    @Test func talkShareCountsRecentWords() {
        var s = fusion.makeState()
        apply(.none, cue(0, channel: "text", source: .listener, text: "one two three four five six seven eight nine ten eleven twelve"), &s)
        apply(.none, cue(1, channel: "text", text: "yes and then some more words here"), &s)
        let snap = fusion.snapshot(s)
        #expect(abs(snap.listener.talkShare + snap.other.talkShare - 1) < 1e-9)
        #expect(snap.listener.talkShare > 0.6)
        #expect(snap.listener.talkShareWeight < 1)   // 19 words (decayed) < 20
    }

    @Test func arousalSynchronyNeedsBothToVary() {
        var s = fusion.makeState()
        for i in 0..<12 {
            let a = i % 2 == 0 ? 0.6 : -0.6
            apply(Evidence(arousal: Reading(a, variance: 0.01)), cue(Double(i)), &s)
            apply(Evidence(arousal: Reading(a, variance: 0.01)), cue(Double(i) + 0.1, source: .listener), &s)
        }
        let r = fusion.snapshot(s).sync.arousalCorrelation
        #expect(r != nil && r! > 0.5)
        #expect(KalmanFusion().snapshot(KalmanFusion().makeState()).sync.arousalCorrelation == nil)
    }

    /// The snapshot's tags are strongest first, ties by name, also when written over a snapshot
    /// of another session with other tags (the bus reuses one for every session).
    @Test func snapshotTagsAreSortedByLevelThenNameWhenReused() {
        var a = fusion.makeState()
        apply(Evidence(tags: [CueTag("zeta", strength: 0.5, reason: "z"), CueTag("alpha", strength: 0.5, reason: "a"),
                              CueTag("mid", strength: 0.9, reason: "m"), CueTag("low", strength: 0.2, reason: "l")]), cue(0), &a)
        var b = fusion.makeState()
        apply(Evidence(tags: [CueTag("only", strength: 0.3, reason: "o")]), cue(0), &b)
        var out = FusedState()
        fusion.snapshot(b, into: &out)
        fusion.snapshot(a, into: &out)
        #expect(out.other.tags.map(\.name) == ["mid", "alpha", "zeta", "low"])
        #expect(out.other.tags.map(\.reason) == ["m", "a", "z", "l"])
        #expect(out == fusion.snapshot(a))
        fusion.snapshot(b, into: &out)
        #expect(out.other.tags.map(\.name) == ["only"])
        #expect(out == fusion.snapshot(b))
    }

    /// The track keeps its tags in snapshot order as levels move (decay at different half-lives,
    /// held intervals ending, renewals, superseding, expiry), so a snapshot lists them without
    /// sorting: after every step the list must be what sorting it afresh gives.
    @Test func snapshotTagsStaySortedAsLevelsCross() {
        var c = FusionConfiguration()
        c.supersedes["calm"] = ["anger"]
        let fusion = KalmanFusion(configuration: c)
        let names = ["anger", "calm", "fear", "joy", "sadness", "shame", "withdrawal", "zeal"]
        var rng = SplitMix(seed: 7)
        var s = fusion.makeState()
        var out = FusedState()
        var t = 0.0
        var reordered = 0, previous: [String] = []
        for step in 0..<600 {
            t += Double(rng.next() % 40) / 10
            var tags: [CueTag] = []
            for _ in 0..<Int(rng.next() % 3) {
                let name = names[Int(rng.next() % UInt64(names.count))]
                let strength = Double(rng.next() % 100) / 100
                let hold: Double? = rng.next() % 4 == 0 ? t + Double(rng.next() % 30) : nil
                let halfLife: Double? = rng.next() % 2 == 0 ? Double(1 + rng.next() % 60) : nil
                tags.append(CueTag(name, strength: strength, reason: "\(name) \(step)", holdUntil: hold, halfLife: halfLife))
            }
            if step % 5 == 4 {
                fusion.advance(&s, to: t)   // time passes with no cue
            } else {
                apply(Evidence(tags: tags), cue(t), &s)
            }
            fusion.snapshot(s, into: &out)
            let listed = out.other.tags
            let sorted = listed.sorted { $0.level != $1.level ? $0.level > $1.level : $0.name < $1.name }
            #expect(listed == sorted, "step \(step)")
            #expect(Set(listed.map(\.name)).count == listed.count)
            #expect(out == fusion.snapshot(s))
            if listed.map(\.name) != previous.filter({ n in listed.contains { $0.name == n } }) { reordered += 1 }
            previous = listed.map(\.name)
        }
        // The walk must have moved tags past each other, or it tested nothing.
        #expect(reordered > 50)
    }

    /// Mirroring is the Ruzicka similarity of the two people's posture tag levels; other channels' tags do not count.
    @Test func mirroringComparesPostureTagsByName() {
        var s = fusion.makeState()
        apply(Evidence(tags: [CueTag("approach", strength: 0.8, reason: "leaning in"), CueTag("closed", strength: 0.4, reason: "arms")]),
              cue(0, channel: "posture"), &s)
        apply(Evidence(tags: [CueTag("approach", strength: 0.5, reason: "leaning in"), CueTag("engagement", strength: 0.6, reason: "nod")]),
              cue(0, channel: "posture", source: .listener), &s)
        apply(Evidence(tags: [CueTag("closed", strength: 0.9, reason: "words")]), cue(0, channel: "text", source: .listener), &s)
        // min: approach 0.5; max: approach 0.8 + closed 0.4 (the listener's is not posture) + engagement 0.6.
        #expect(abs(fusion.snapshot(s).sync.mirroring - 0.5 / 1.8) < 1e-12)
    }
}

func pow2(_ x: Double) -> Double { exp2(x) }

/// A seeded generator, so a failing walk can be replayed.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
