import AttuneCore

/// The prosody dimensions the voice channel reasons about. Every accepted
/// feature name feeds exactly one slot (or none, for eGeMAPS features that are
/// recognised but not used).
public enum VoiceSlot: Int, Sendable, CaseIterable {
    case pitchLevel, pitchVariability, loudness, rate, pausing, jitter, shimmer, hnr
}

/// One accepted feature name and how to read it.
struct VoiceFeature: Sendable {
    enum Scale: Sendable { case linear, log }

    let name: String
    /// Nil: a known eGeMAPS name we do not use (accepted silently, not warned about).
    let slot: VoiceSlot?
    /// `.log` for ratio-scale values whose natural comparison is relative (openSMILE loudness):
    /// the baseline runs on ln(x) and reasons show a percentage.
    let scale: Scale
    /// Unit shown in reasons ("dB", "Hz"); empty for unitless ratios.
    let unit: String
    /// Decimals shown in reasons.
    let decimals: Int
    /// Default smallest spread of this feature's baseline, in its own (possibly log) units:
    /// roughly its utterance-to-utterance measurement noise.
    let defaultSpreadFloor: Double
    /// Values below zero are invalid (rates, ratios, Hz).
    let nonNegative: Bool
    /// Values above one are invalid (pause_ratio).
    let atMostOne: Bool

    init(_ name: String, _ slot: VoiceSlot?, _ unit: String = "", decimals: Int = 1, floor: Double = 0,
         scale: Scale = .linear, nonNegative: Bool = true, atMostOne: Bool = false) {
        self.name = name
        self.slot = slot
        self.scale = scale
        self.unit = unit
        self.decimals = decimals
        self.defaultSpreadFloor = floor
        self.nonNegative = nonNegative
        self.atMostOne = atMostOne
    }
}

enum VoiceFeatures {
    /// The features that feed a slot. Order is priority within a slot: the first one present
    /// gives the number quoted in a reason (so real dB beat openSMILE's loudness units).
    static let mapped: [VoiceFeature] = [
        // Plain names (any extractor: Praat, librosa, a custom pipeline).
        VoiceFeature("f0_mean_hz", .pitchLevel, "Hz", decimals: 0, floor: 6),
        VoiceFeature("f0_sd_hz", .pitchVariability, "Hz", decimals: 1, floor: 2),
        VoiceFeature("loudness_db", .loudness, "dB", decimals: 1, floor: 1.5, nonNegative: false),
        VoiceFeature("speech_rate_sps", .rate, "syl/s", decimals: 1, floor: 0.25),
        VoiceFeature("pause_ratio", .pausing, "", decimals: 2, floor: 0.03, atMostOne: true),
        VoiceFeature("jitter", .jitter, "", decimals: 3, floor: 0.002),
        VoiceFeature("shimmer", .shimmer, "", decimals: 3, floor: 0.005),
        VoiceFeature("hnr_db", .hnr, "dB", decimals: 1, floor: 1, nonNegative: false),
        // openSMILE eGeMAPSv02 Functionals, as `opensmile` / SMILExtract name them.
        VoiceFeature("equivalentSoundLevel_dBp", .loudness, "dB", decimals: 1, floor: 1, nonNegative: false),
        VoiceFeature("loudness_sma3_amean", .loudness, "%", decimals: 0, floor: 0.05, scale: .log),
        VoiceFeature("F0semitoneFrom27.5Hz_sma3nz_amean", .pitchLevel, "st", decimals: 1, floor: 0.5),
        VoiceFeature("F0semitoneFrom27.5Hz_sma3nz_stddevNorm", .pitchVariability, "", decimals: 2, floor: 0.02),
        VoiceFeature("F0semitoneFrom27.5Hz_sma3nz_pctlrange0-2", .pitchVariability, "st", decimals: 1, floor: 0.5),
        VoiceFeature("VoicedSegmentsPerSec", .rate, "/s", decimals: 1, floor: 0.2),
        VoiceFeature("loudnessPeaksPerSec", .rate, "/s", decimals: 1, floor: 0.3),
        VoiceFeature("MeanUnvoicedSegmentLength", .pausing, "s", decimals: 2, floor: 0.02),
        VoiceFeature("jitterLocal_sma3nz_amean", .jitter, "", decimals: 3, floor: 0.002),
        VoiceFeature("shimmerLocaldB_sma3nz_amean", .shimmer, "dB", decimals: 2, floor: 0.1),
        VoiceFeature("HNRdBACF_sma3nz_amean", .hnr, "dB", decimals: 1, floor: 0.5, nonNegative: false),
    ]

    /// The other eGeMAPSv02 Functionals (88 in all with the mapped ones): a full openSMILE export
    /// is normal input, so these are accepted without a warning and ignored. Checked against
    /// opensmile 2.6.0 (`Smile(FeatureSet.eGeMAPSv02, FeatureLevel.Functionals).feature_names`).
    static let ignoredEGeMAPS: [String] = [
        "F0semitoneFrom27.5Hz_sma3nz_percentile20.0", "F0semitoneFrom27.5Hz_sma3nz_percentile50.0",
        "F0semitoneFrom27.5Hz_sma3nz_percentile80.0", "F0semitoneFrom27.5Hz_sma3nz_meanRisingSlope",
        "F0semitoneFrom27.5Hz_sma3nz_stddevRisingSlope", "F0semitoneFrom27.5Hz_sma3nz_meanFallingSlope",
        "F0semitoneFrom27.5Hz_sma3nz_stddevFallingSlope",
        "loudness_sma3_stddevNorm", "loudness_sma3_percentile20.0", "loudness_sma3_percentile50.0",
        "loudness_sma3_percentile80.0", "loudness_sma3_pctlrange0-2", "loudness_sma3_meanRisingSlope",
        "loudness_sma3_stddevRisingSlope", "loudness_sma3_meanFallingSlope", "loudness_sma3_stddevFallingSlope",
        "spectralFlux_sma3_amean", "spectralFlux_sma3_stddevNorm",
        "mfcc1_sma3_amean", "mfcc1_sma3_stddevNorm", "mfcc2_sma3_amean", "mfcc2_sma3_stddevNorm",
        "mfcc3_sma3_amean", "mfcc3_sma3_stddevNorm", "mfcc4_sma3_amean", "mfcc4_sma3_stddevNorm",
        "jitterLocal_sma3nz_stddevNorm", "shimmerLocaldB_sma3nz_stddevNorm", "HNRdBACF_sma3nz_stddevNorm",
        "logRelF0-H1-H2_sma3nz_amean", "logRelF0-H1-H2_sma3nz_stddevNorm",
        "logRelF0-H1-A3_sma3nz_amean", "logRelF0-H1-A3_sma3nz_stddevNorm",
        "F1frequency_sma3nz_amean", "F1frequency_sma3nz_stddevNorm",
        "F1bandwidth_sma3nz_amean", "F1bandwidth_sma3nz_stddevNorm",
        "F1amplitudeLogRelF0_sma3nz_amean", "F1amplitudeLogRelF0_sma3nz_stddevNorm",
        "F2frequency_sma3nz_amean", "F2frequency_sma3nz_stddevNorm",
        "F2bandwidth_sma3nz_amean", "F2bandwidth_sma3nz_stddevNorm",
        "F2amplitudeLogRelF0_sma3nz_amean", "F2amplitudeLogRelF0_sma3nz_stddevNorm",
        "F3frequency_sma3nz_amean", "F3frequency_sma3nz_stddevNorm",
        "F3bandwidth_sma3nz_amean", "F3bandwidth_sma3nz_stddevNorm",
        "F3amplitudeLogRelF0_sma3nz_amean", "F3amplitudeLogRelF0_sma3nz_stddevNorm",
        "alphaRatioV_sma3nz_amean", "alphaRatioV_sma3nz_stddevNorm",
        "hammarbergIndexV_sma3nz_amean", "hammarbergIndexV_sma3nz_stddevNorm",
        "slopeV0-500_sma3nz_amean", "slopeV0-500_sma3nz_stddevNorm",
        "slopeV500-1500_sma3nz_amean", "slopeV500-1500_sma3nz_stddevNorm",
        "spectralFluxV_sma3nz_amean", "spectralFluxV_sma3nz_stddevNorm",
        "mfcc1V_sma3nz_amean", "mfcc1V_sma3nz_stddevNorm", "mfcc2V_sma3nz_amean", "mfcc2V_sma3nz_stddevNorm",
        "mfcc3V_sma3nz_amean", "mfcc3V_sma3nz_stddevNorm", "mfcc4V_sma3nz_amean", "mfcc4V_sma3nz_stddevNorm",
        "alphaRatioUV_sma3nz_amean", "hammarbergIndexUV_sma3nz_amean", "slopeUV0-500_sma3nz_amean",
        "slopeUV500-1500_sma3nz_amean", "spectralFluxUV_sma3nz_amean",
        "MeanVoicedSegmentLengthSec", "StddevVoicedSegmentLengthSec", "StddevUnvoicedSegmentLength",
    ]

    /// Name -> index: `0..<mapped.count` for a mapped feature, `-1` for a recognised but unused one.
    /// Built once; one cheap byte-hash lookup per member on the cue path (validation hashes every member).
    static let index: NameTable<Int> = {
        var d = NameTable<Int>(capacity: mapped.count + ignoredEGeMAPS.count)
        for (i, f) in mapped.enumerated() { d[f.name] = i }
        for n in ignoredEGeMAPS { d[n] = -1 }
        return d
    }()
}
