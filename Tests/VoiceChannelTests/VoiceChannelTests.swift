import AttuneCore
import AttuneTestKit
import Testing
@testable import VoiceChannel

@Suite struct VoiceChannelTests {
    let voice = VoiceChannel(configuration: .init())

    // MARK: - Evidence into the bus's reused value

    /// The bus calls `evidence(from:state:into:)` with one `Evidence` it empties between cues
    /// (storage kept); it must give what `evidence(from:state:)` gives, cue after cue.
    @Test func evidenceIntoAReusedValueMatchesTheReturnedOne() throws {
        var values = (0..<8).map(calmValue)
        values += [
            ["loudness_db": -12, "speech_rate_sps": 6.5, "f0_mean_hz": 260, "f0_sd_hz": 45, "pause_ratio": 0.05],  // agitated
            ["loudness_db": -36, "speech_rate_sps": 2.8, "f0_sd_hz": 8, "pause_ratio": 0.6],                    // flat
            ["jitter": 0.05, "shimmer": 0.08, "hnr_db": 3, "loudness_db": -20],                                // tense
            ["made_up_feature": 1, "f0_mean_hz": 205],                                                            // a warning
            ["nothing_known": 1],                                                                                 // no feature
            calmValue(3),
        ]
        let reused = try PluginRun.evidenceIntoReusedValue(voice, for: values)
        #expect(reused == (try PluginRun.evidence(voice, for: values)))
        let tagged = reused.filter { !$0.tags.isEmpty }.count, warned = reused.filter { !$0.warnings.isEmpty }.count
        #expect(tagged >= 3)
        #expect(warned >= 2)
    }

    // MARK: - Directions

    struct Deviation: Sendable, CustomTestStringConvertible {
        var feature: String
        var value: Double
        var arousalUp: Bool
        var testDescription: String { "\(feature)=\(value) -> arousal \(arousalUp ? "up" : "down")" }
    }

    @Test(arguments: [
        Deviation(feature: "f0_mean_hz", value: 250, arousalUp: true),
        Deviation(feature: "f0_mean_hz", value: 160, arousalUp: false),
        Deviation(feature: "f0_sd_hz", value: 40, arousalUp: true),
        Deviation(feature: "f0_sd_hz", value: 9, arousalUp: false),
        Deviation(feature: "loudness_db", value: -16, arousalUp: true),
        Deviation(feature: "loudness_db", value: -34, arousalUp: false),
        Deviation(feature: "speech_rate_sps", value: 6.2, arousalUp: true),
        Deviation(feature: "speech_rate_sps", value: 3.0, arousalUp: false),
        Deviation(feature: "pause_ratio", value: 0.6, arousalUp: false),
        Deviation(feature: "pause_ratio", value: 0.02, arousalUp: true),
    ])
    func eachFeatureMovesArousalItsWay(d: Deviation) throws {
        var state = voice.makeState()
        warmUp(voice, &state)
        var value = calmValue(0)
        value = .object({ var o = value.object!; o[d.feature] = .number(d.value); return o }())
        let e = voice.evidence(from: cue(value, t: 10), state: &state)
        let a = try #require(e.arousal).value
        if d.arousalUp { #expect(a > 0.02) } else { #expect(a < -0.02) }
    }

    @Test func usualUtteranceReadsAsUsual() throws {
        var state = voice.makeState()
        warmUp(voice, &state, 8)
        let e = voice.evidence(from: cue(calmValue(3), t: 10), state: &state)
        #expect(abs(try #require(e.arousal).value) < 0.15)
        #expect(e.tags.isEmpty)
        #expect(e.valence == nil)
    }

    // MARK: - Scenario-shaped cues (baseline of 6, as in the calibration scenarios)

    @Test func flatLowEnergyLine() throws {
        var state = voice.makeState()
        warmUp(voice, &state)
        let e = voice.evidence(from: cue(["f0_mean_hz": 184, "f0_sd_hz": 11, "loudness_db": -32,
                                          "speech_rate_sps": 3.3, "pause_ratio": 0.5, "jitter": 0.011]),
                               state: &state)
        let flat = try #require(e.tag(Tag.flatLowEnergy))
        #expect(flat.strength > 0.8)
        #expect(flat.reason.hasPrefix("quieter (-6."), "\(flat.reason)")
        #expect(flat.reason.contains("slower") && flat.reason.contains("monotone") && flat.reason.hasSuffix("than usual"))
        #expect(try #require(e.arousal).value < -0.6)
        let v = try #require(e.valence)
        #expect(v.value < -0.2 && v.variance >= 0.25)
        #expect(e.tag(Tag.agitated) == nil)
        #expect(e.confidence > 0.6)
    }

    @Test func outburstIsAgitated() throws {
        var state = voice.makeState()
        warmUp(voice, &state)
        let e = voice.evidence(from: cue(["f0_mean_hz": 280, "f0_sd_hz": 46.2, "loudness_db": -13,
                                          "speech_rate_sps": 6.38, "pause_ratio": 0.25, "jitter": 0.011]),
                               state: &state)
        #expect(try #require(e.arousal).value > 0.8)
        let tag = try #require(e.tag(Tag.agitated))
        #expect(tag.strength > 0.7)
        #expect(tag.reason.hasPrefix("louder (+1"), "\(tag.reason)")
        #expect(e.valence == nil, "agitation says nothing about valence")
        #expect(e.tag(Tag.flatLowEnergy) == nil)
    }

    @Test func shakyQuietLine() throws {
        var state = voice.makeState()
        warmUp(voice, &state)
        let e = voice.evidence(from: cue(["f0_mean_hz": 200, "f0_sd_hz": 22, "loudness_db": -31,
                                          "speech_rate_sps": 3.52, "pause_ratio": 0.45, "jitter": 0.03]),
                               state: &state)
        let tense = try #require(e.tag(Tag.tenseOrShaky))
        #expect(tense.reason == "more jitter (+0.020) than usual")
        #expect(e.tag(Tag.flatLowEnergy) != nil)
    }

    @Test func strongerOutburstReadsHigher() throws {
        func arousal(_ v: JSONValue) throws -> Double {
            var state = voice.makeState()
            warmUp(voice, &state)
            return try #require(voice.evidence(from: cue(v), state: &state).arousal).value
        }
        let mild = try arousal(["f0_mean_hz": 215, "f0_sd_hz": 25, "loudness_db": -23, "speech_rate_sps": 4.9, "pause_ratio": 0.25])
        let strong = try arousal(["f0_mean_hz": 280, "f0_sd_hz": 46, "loudness_db": -13, "speech_rate_sps": 6.4, "pause_ratio": 0.2])
        #expect(mild > 0.1 && strong > mild + 0.2)
    }

    // MARK: - Warm-up

    @Test func firstUtteranceSaysNothingThenConfidenceGrows() throws {
        var state = voice.makeState()
        let evidence = warmUp(voice, &state, 8)
        #expect(evidence[0].arousal == nil && evidence[0].tags.isEmpty && evidence[0].valence == nil)
        for i in 2..<evidence.count {
            #expect(evidence[i].confidence > evidence[i - 1].confidence)
            let (now, before) = (try #require(evidence[i].arousal), try #require(evidence[i - 1].arousal))
            #expect(now.variance < before.variance)
        }
        #expect(evidence[1].confidence < 0.3)
        #expect(evidence[1].tags.isEmpty)
    }

    @Test func secondUtteranceCannotFireTagsAtFullConfidence() {
        // Baseline of one: a big difference is noted, but with little trust.
        var state = voice.makeState()
        _ = voice.evidence(from: cue(calmValue(0)), state: &state)
        let e = voice.evidence(from: cue(["loudness_db": -40, "speech_rate_sps": 2.5, "f0_sd_hz": 8, "pause_ratio": 0.6]), state: &state)
        #expect(e.confidence <= 0.25)
        #expect((e.arousal?.variance ?? 1) > 0.2)
    }

    // MARK: - Robustness

    @Test func repeatedOutburstsStillStandOut() throws {
        let outburst: JSONValue = ["f0_mean_hz": 280, "f0_sd_hz": 46, "loudness_db": -13, "speech_rate_sps": 6.4, "pause_ratio": 0.2]
        var state = voice.makeState()
        warmUp(voice, &state)
        var arousals: [Double] = []
        for k in 0..<3 {
            arousals.append(try #require(voice.evidence(from: cue(outburst), state: &state).arousal).value)
            let calm = try #require(voice.evidence(from: cue(calmValue(k + 2)), state: &state).arousal).value
            #expect(abs(calm) < 0.35, "a usual utterance after outburst \(k) still reads usual: \(calm)")
        }
        #expect(arousals.allSatisfy { $0 > 0.75 }, "\(arousals)")
        #expect(voice.baseline(for: "loudness_db", in: state)!.mean < -24)
    }

    @Test func singleWildValueInWarmUpDoesNotBlindTheBaseline() throws {
        var state = voice.makeState()
        warmUp(voice, &state, 4)
        _ = voice.evidence(from: cue(["loudness_db": -5]), state: &state)   // clipping glitch
        warmUp(voice, &state, 4)
        let e = voice.evidence(from: cue(["f0_sd_hz": 11, "loudness_db": -32, "speech_rate_sps": 3.3, "pause_ratio": 0.5]), state: &state)
        #expect(e.tag(Tag.flatLowEnergy) != nil)
    }

    // MARK: - Names

    @Test func unknownFeatureWarnedOncePerState() {
        var state = voice.makeState()
        var value = calmValue(0).object!
        value["foo"] = 1
        value["bar_text"] = "x"
        let first = voice.evidence(from: cue(.object(value)), state: &state)
        #expect(first.warnings == ["voice: unknown feature \"foo\" ignored", "voice: unknown feature \"bar_text\" ignored"])
        let second = voice.evidence(from: cue(.object(value)), state: &state)
        #expect(second.warnings.isEmpty)
        var other = voice.makeState()
        #expect(voice.evidence(from: cue(.object(value)), state: &other).warnings.count == 2)
    }

    @Test func noKnownFeatureIsAcceptedWithOneWarning() {
        var state = voice.makeState()
        #expect(voice.validate([:]) == nil)
        let e = voice.evidence(from: cue([:]), state: &state)
        #expect(e.arousal == nil && e.tags.isEmpty)
        #expect(e.warnings.count == 1 && e.warnings[0].hasPrefix("voice: no known feature"))
        #expect(voice.evidence(from: cue([:]), state: &state).warnings.isEmpty)
    }

    struct Mapping: Sendable, CustomTestStringConvertible {
        var name: String
        var slot: VoiceSlot
        var testDescription: String { "\(name) -> \(slot)" }
    }

    @Test(arguments: [
        Mapping(name: "F0semitoneFrom27.5Hz_sma3nz_amean", slot: .pitchLevel),
        Mapping(name: "F0semitoneFrom27.5Hz_sma3nz_stddevNorm", slot: .pitchVariability),
        Mapping(name: "F0semitoneFrom27.5Hz_sma3nz_pctlrange0-2", slot: .pitchVariability),
        Mapping(name: "loudness_sma3_amean", slot: .loudness),
        Mapping(name: "equivalentSoundLevel_dBp", slot: .loudness),
        Mapping(name: "VoicedSegmentsPerSec", slot: .rate),
        Mapping(name: "loudnessPeaksPerSec", slot: .rate),
        Mapping(name: "MeanUnvoicedSegmentLength", slot: .pausing),
        Mapping(name: "jitterLocal_sma3nz_amean", slot: .jitter),
        Mapping(name: "shimmerLocaldB_sma3nz_amean", slot: .shimmer),
        Mapping(name: "HNRdBACF_sma3nz_amean", slot: .hnr),
        Mapping(name: "f0_mean_hz", slot: .pitchLevel),
        Mapping(name: "f0_sd_hz", slot: .pitchVariability),
        Mapping(name: "loudness_db", slot: .loudness),
        Mapping(name: "speech_rate_sps", slot: .rate),
        Mapping(name: "pause_ratio", slot: .pausing),
        Mapping(name: "jitter", slot: .jitter),
        Mapping(name: "shimmer", slot: .shimmer),
        Mapping(name: "hnr_db", slot: .hnr),
    ])
    func featureNameMapsToSlot(m: Mapping) throws {
        let i = try #require(VoiceFeatures.index[m.name])
        #expect(i >= 0)
        #expect(VoiceFeatures.mapped[i].slot == m.slot)
    }

    struct EGeMAPSDeviation: Sendable, CustomTestStringConvertible {
        var name: String, base: Double, step: Double, deviant: Double
        var arousalSign: Double, tag: String?
        var testDescription: String { "\(name): \(base) -> \(deviant)" }
    }

    @Test(arguments: [
        EGeMAPSDeviation(name: "loudness_sma3_amean", base: 0.63, step: 0.03, deviant: 1.5, arousalSign: 1, tag: nil),
        EGeMAPSDeviation(name: "loudness_sma3_amean", base: 0.63, step: 0.03, deviant: 0.25, arousalSign: -1, tag: nil),
        EGeMAPSDeviation(name: "F0semitoneFrom27.5Hz_sma3nz_amean", base: 21.5, step: 0.6, deviant: 27, arousalSign: 1, tag: nil),
        EGeMAPSDeviation(name: "equivalentSoundLevel_dBp", base: -25.2, step: 0.5, deviant: -14, arousalSign: 1, tag: nil),
        EGeMAPSDeviation(name: "VoicedSegmentsPerSec", base: 2.3, step: 0.3, deviant: 4.5, arousalSign: 1, tag: nil),
        EGeMAPSDeviation(name: "MeanUnvoicedSegmentLength", base: 0.14, step: 0.02, deviant: 0.4, arousalSign: -1, tag: nil),
        EGeMAPSDeviation(name: "jitterLocal_sma3nz_amean", base: 0.013, step: 0.002, deviant: 0.04, arousalSign: 0, tag: Tag.tenseOrShaky),
        EGeMAPSDeviation(name: "shimmerLocaldB_sma3nz_amean", base: 1.45, step: 0.1, deviant: 2.6, arousalSign: 0, tag: Tag.tenseOrShaky),
        EGeMAPSDeviation(name: "HNRdBACF_sma3nz_amean", base: 4, step: 0.5, deviant: -1, arousalSign: 0, tag: Tag.tenseOrShaky),
    ])
    func eGeMAPSFeatureDirection(d: EGeMAPSDeviation) throws {
        var state = voice.makeState()
        for k in 0..<6 {
            let v: JSONValue = .object(JSONObject([.init(key: d.name, value: .number(d.base + d.step * wobble[k]))]))
            _ = voice.evidence(from: cue(v), state: &state)
        }
        let v: JSONValue = .object(JSONObject([.init(key: d.name, value: .number(d.deviant))]))
        let e = voice.evidence(from: cue(v), state: &state)
        #expect(e.warnings.isEmpty)
        if d.arousalSign != 0 {
            #expect(try #require(e.arousal).value * d.arousalSign > 0.3)
        } else {
            #expect(e.arousal == nil, "voice quality alone does not move arousal by default")
        }
        if let tag = d.tag { #expect(e.tag(tag) != nil) }
    }

    @Test func memberOrderAndChangingNameSetsDoNotMatter() {
        // The per-state name cache must give the same evidence as a fresh lookup.
        var shuffled = voice.makeState(), plain = voice.makeState()
        for k in 0..<12 {
            var value = calmValue(k).object!
            if k == 10 { value["loudness_db"] = -14 }
            let members = value.members
            var rotated = Array(members[(k % members.count)...] + members[..<(k % members.count)])
            if k % 3 == 0 { rotated.insert(.init(key: "zzz_\(k % 2)", value: 0), at: k % 4) }
            if k % 4 == 1 { rotated.removeLast() }
            let kept = JSONObject(members.filter { m in rotated.contains { $0.key == m.key } })
            var a = voice.evidence(from: cue(.object(JSONObject(rotated))), state: &shuffled)
            let b = voice.evidence(from: cue(.object(kept)), state: &plain)
            a.warnings = []
            #expect(a.arousal?.value == b.arousal?.value && a.tags == b.tags, "cue \(k)")
            if k == 10 { #expect(b.tag(Tag.agitated) != nil || (b.arousal?.value ?? 0) > 0.2) }
        }
    }

    // MARK: - Validation

    @Test(arguments: [
        ("not an object", JSONValue.string("loud"), "value: expected an object, got a string"),
        ("string feature", ["loudness_db": "loud"], "value.loudness_db: expected a number, got a string"),
        ("null feature", ["f0_mean_hz": nil], "value.f0_mean_hz: expected a number, got null"),
        ("bool eGeMAPS", ["VoicedSegmentsPerSec": true], "value.VoicedSegmentsPerSec: expected a number, got a boolean"),
        ("unused eGeMAPS name still typed", ["mfcc1_sma3_amean": "x"], "value.mfcc1_sma3_amean: expected a number, got a string"),
        ("negative rate", ["speech_rate_sps": -1], "value.speech_rate_sps: expected a number >= 0, got -1.0"),
        ("pause ratio above 1", ["pause_ratio": 1.5], "value.pause_ratio: expected a number in 0...1, got 1.5"),
        ("non-finite", ["jitter": .number(.infinity)], "value.jitter: expected a finite number"),
    ] as [(String, JSONValue, String)])
    func validateRejects(_ label: String, value: JSONValue, problem: String) {
        #expect(voice.validate(value) == problem)
    }

    @Test(arguments: [
        ["loudness_db": -20, "name": "clip-1.wav", "start": "0:00:01"],   // unknown members may be anything
        ["loudness_db": -20, "hnr_db": -3],                                // dB may be negative
        [:],
    ] as [JSONValue])
    func validateAccepts(value: JSONValue) {
        #expect(voice.validate(value) == nil)
    }

    // MARK: - Reasons

    @Test(arguments: [(6.24, 1, "+6.2"), (-6.25, 1, "-6.3"), (0.02, 3, "+0.020"), (-0.04, 1, "+0.0"), (38.4, 0, "+38"), (-1.05, 2, "-1.05")])
    func signedNumbers(x: Double, decimals: Int, expected: String) {
        #expect(VoiceReason.signed(x, decimals: decimals) == expected)
    }

    /// The reason's words for slots deviating as given (z in spreads; the quoted feature is the
    /// slot's first plain one, with `delta` in its units, or none for `quoted: nil`).
    func reasonText(_ deviations: [(VoiceSlot, Double)], delta: Double = -6.24, quoted: Int? = 2) -> String {
        var slots = Slots(repeating: VoiceChannel.SlotReading())
        for (slot, z) in deviations {
            slots[slot] = .init(zSum: z, n: 1, confidenceSum: 1, quoted: quoted ?? Int.max, quotedDelta: delta)
        }
        var parts = VoiceReason()
        parts.add(slots, .loudness, -1, "quieter", 1)
        parts.add(slots, .rate, -1, "slower", 1)
        parts.add(slots, .pitchLevel, -1, "lower-pitched", 1)
        parts.add(slots, .pitchVariability, -1, "more monotone", 1)
        parts.add(slots, .pausing, 1, "pausing more", 1)
        return parts.text
    }

    @Test func reasonWordsJoinedInOrder() {
        // Composed in one buffer: every joining form, checked against the spelled-out words.
        #expect(reasonText([]) == "different from usual")
        #expect(reasonText([(.loudness, 0.5)]) == "different from usual")   // below the 1-spread minimum
        #expect(reasonText([(.loudness, -2)]) == "quieter (-6.2 dB) than usual")
        #expect(reasonText([(.loudness, -2)], quoted: nil) == "quieter than usual")
        #expect(reasonText([(.rate, -2), (.pausing, 3)], delta: -0.44, quoted: 3) == "slower (-0.4 syl/s) and pausing more than usual")
        #expect(reasonText([(.loudness, -2), (.rate, -2), (.pitchLevel, -1.5)])
                == "quieter (-6.2 dB), slower and lower-pitched than usual")
        #expect(reasonText([(.loudness, -2), (.rate, -2), (.pitchLevel, -2), (.pitchVariability, -2), (.pausing, 2)])
                == "quieter (-6.2 dB), slower, lower-pitched, more monotone and pausing more than usual")
        // Upward deviations are not named by the downward words.
        #expect(reasonText([(.loudness, 2), (.rate, -2)], quoted: nil) == "slower than usual")
    }
}
