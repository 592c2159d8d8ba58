import AttuneCore
import Glibc

/// The built-in `voice` channel: utterance- or window-level prosody features,
/// read against the speaker's own running baseline.
///
/// ```json
/// {"t": 6.3, "channel": "voice", "value": {"f0_mean_hz": 184, "f0_sd_hz": 11, "loudness_db": -32,
///                                          "speech_rate_sps": 3.3, "pause_ratio": 0.5}}
/// ```
///
/// Accepts plain names (`f0_mean_hz`, `loudness_db`, ...) and openSMILE eGeMAPSv02
/// Functionals names (`loudness_sma3_amean`, ...), each mapped onto one of eight
/// ``VoiceSlot``s. Every feature name keeps its own ``RunningBaseline`` per session
/// and source, so units never mix. Deviations from the baseline become arousal
/// (louder, faster, higher, more varied pitch: up), a weak high-variance valence,
/// and the tags `flat_low_energy`, `tense_or_shaky` and `agitated`.
///
/// ```swift
/// let voice = VoiceChannel(configuration: .init())
/// var state = voice.makeState()
/// let evidence = voice.evidence(from: cue, state: &state)
/// ```
public struct VoiceChannel: ChannelPlugin {
    public let name = "voice"
    public let configuration: Configuration
    /// Each feature's baseline settings (its spread floor, the shared adaptation and clipping),
    /// resolved once from the configuration, indexed like the feature table; shared by every state.
    private let settings: [RunningBaseline.Settings]
    private let weights: Slots<Double>

    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
        settings = VoiceFeatures.mapped.map {
            RunningBaseline(spreadFloor: configuration.spreadFloors[$0.name] ?? $0.defaultSpreadFloor,
                            adaptation: configuration.baselineAdaptation,
                            clip: configuration.baselineClip, clipAfter: configuration.baselineClipAfter).settings
        }
        var w = Slots<Double>(repeating: 0)
        for s in VoiceSlot.allCases { w[s] = max(0, configuration.arousalWeight(s)) }
        weights = w
    }

    /// Per session and source: one baseline per accepted feature name, and the names already warned about.
    /// Kept small (a session has two, and 24 bytes fit in a plugin slot without a box): the
    /// baselines' settings live in the channel, not in every state.
    public struct State: Sendable {
        /// Indexed like the feature table: one baseline per accepted name, in that name's units
        /// (24 bytes a feature; a whole `RunningBaseline` is 56).
        var baselines: [RunningBaseline.Estimate]
        var warnedUnknown: [String] = []
        var warnedNoFeature = false
    }

    public func makeState() -> State {
        State(baselines: Array(repeating: RunningBaseline.Estimate(), count: settings.count))
    }

    /// The baseline of an accepted feature name in `state`, nil for names the channel does not use.
    public func baseline(for feature: String, in state: State) -> RunningBaseline? {
        guard let i = VoiceFeatures.index[feature], i >= 0 else { return nil }
        return RunningBaseline(estimate: state.baselines[i], settings: settings[i])
    }

    // MARK: - Validation

    public func validate(_ value: JSONValue) -> String? {
        guard let object = value.object else { return "value: expected an object, got \(value.typeName)" }
        for member in object {
            guard let i = VoiceFeatures.index[member.key] else { continue }
            guard let x = member.value.double else {
                return "value.\(member.key): expected a number, got \(member.value.typeName)"
            }
            guard x.isFinite else { return "value.\(member.key): expected a finite number" }
            guard i >= 0 else { continue }
            let f = VoiceFeatures.mapped[i]
            if f.nonNegative && x < 0 { return "value.\(member.key): expected a number >= 0, got \(x)" }
            if f.atMostOne && x > 1 { return "value.\(member.key): expected a number in 0...1, got \(x)" }
        }
        return nil
    }

    // MARK: - Evidence

    /// Per-cue, per-slot accumulation: fixed storage, no allocation.
    struct SlotReading {
        var zSum = 0.0
        var n = 0
        var confidenceSum = 0.0
        /// The highest-priority feature present (lowest table index), for the number in a reason.
        var quoted = Int.max
        var quotedDelta = 0.0
        var z: Double { n > 0 ? zSum / Double(n) : 0 }
        var confidence: Double { n > 0 ? confidenceSum / Double(n) : 0 }
    }

    public func evidence(from cue: Cue, state: inout State) -> Evidence {
        var evidence = Evidence.none
        self.evidence(from: cue, state: &state, into: &evidence)
        return evidence
    }

    /// Appends into the bus's reused evidence: its tag array keeps its storage from cue to cue.
    public func evidence(from cue: Cue, state: inout State, into evidence: inout Evidence) {
        guard let object = cue.value.object else { return }
        var slots = Slots(repeating: SlotReading())
        var warnings: [String] = []
        var anyKnown = false

        for member in object.members {
            guard let i = VoiceFeatures.index[member.key] else {
                noteUnknown(member.key, state: &state, warnings: &warnings)
                continue
            }
            anyKnown = true
            guard i >= 0, var x = member.value.double, x.isFinite else { continue }
            let feature = VoiceFeatures.mapped[i]
            if feature.scale == .log {
                guard x > 0 else { continue }
                x = log(x)
            }
            let before = state.baselines[i]
            let z = RunningBaseline.update(&state.baselines[i], x, settings[i])
            guard before.count > 0, let slot = feature.slot else { continue }
            let soft = configuration.zCap > 0 ? configuration.zCap * tanh(z / configuration.zCap) : z
            slots[slot].zSum += soft
            slots[slot].n += 1
            slots[slot].confidenceSum += RunningBaseline.confidence(before, halfAt: configuration.baselineHalfConfidence)
            if i < slots[slot].quoted {
                slots[slot].quoted = i
                slots[slot].quotedDelta = x - before.mean
            }
        }

        if !anyKnown && !state.warnedNoFeature {
            state.warnedNoFeature = true
            warnings.append("voice: no known feature in value (expected e.g. f0_mean_hz, loudness_db, speech_rate_sps); cue ignored")
        }
        evidence.warnings = warnings
        assess(slots, into: &evidence)
    }

    private func noteUnknown(_ key: String, state: inout State, warnings: inout [String]) {
        guard state.warnedUnknown.count < configuration.maxUnknownWarnings,
              !state.warnedUnknown.contains(key) else { return }
        state.warnedUnknown.append(key)
        warnings.append("voice: unknown feature \"\(key)\" ignored")
    }

    /// Direction of each slot on the arousal axis: more pausing and a clearer (higher-HNR) voice count down.
    private static let arousalSign = Slots<Double>(pitchLevel: 1, pitchVariability: 1, loudness: 1, rate: 1,
                                                   pausing: -1, jitter: 1, shimmer: 1, hnr: -1)

    /// The low-energy picture, with the direction that counts as "low".
    private static let lowEnergySlots: [(VoiceSlot, Double)] = [(.loudness, -1), (.rate, -1), (.pitchVariability, -1), (.pausing, 1)]
    /// The tense or shaky voice: more jitter and shimmer, less harmonic.
    private static let tenseSlots: [(VoiceSlot, Double)] = [(.jitter, 1), (.shimmer, 1), (.hnr, -1)]

    /// Fills `evidence` (its warnings already set) from the slots' deviations.
    private func assess(_ s: Slots<SlotReading>, into evidence: inout Evidence) {
        let c = configuration
        // Arousal: weighted mean signed deviation over the slots present.
        var wSum = 0.0, wAll = 0.0, score = 0.0, confW = 0.0, nPresent = 0, confPlain = 0.0
        for slot in VoiceSlot.allCases {
            let w = weights[slot]
            wAll += w
            let r = s[slot]
            guard r.n > 0 else { continue }
            nPresent += 1
            confPlain += r.confidence
            guard w > 0 else { continue }
            wSum += w
            score += w * Self.arousalSign[slot] * r.z
            confW += w * r.confidence
        }
        guard nPresent > 0 else {
            if !evidence.warnings.isEmpty { evidence.confidence = 0 }
            return
        }
        // Baseline trust: over the arousal slots when any are present, else over whatever is present.
        let confidence = wSum > 0 ? confW / wSum : confPlain / Double(nPresent)

        var arousal: Reading?
        var arousalValue = 0.0
        if wSum > 0 {
            let mean = score / wSum
            let excess = max(0, abs(mean) - c.arousalDeadZone)
            arousalValue = (mean < 0 ? -1 : 1) * tanh(excess / max(c.arousalScale, 1e-9))
            let coverage = max(0.1, wSum / max(wAll, 1e-9))
            arousal = Reading(arousalValue,
                              variance: c.arousalVariance / coverage + c.warmUpVariance * (1 - confidence))
        }

        // flat_low_energy: quieter, slower, monotone, pausing more.
        var lowSum = 0.0, lowN = 0, lowStrong = 0
        for (slot, sign) in Self.lowEnergySlots where s[slot].n > 0 {
            let d = sign * s[slot].z
            lowSum += max(0, d)
            lowN += 1
            if d >= c.reasonMinZ { lowStrong += 1 }
        }
        let flatStrength = lowN > 0 && lowStrong >= c.flatMinFeatures ? ramp(lowSum / Double(lowN), c.flatOnset, c.flatFull) : 0

        // tense_or_shaky: jitter or shimmer up, HNR down.
        var tenseSum = 0.0, tenseN = 0
        for (slot, sign) in Self.tenseSlots where s[slot].n > 0 {
            tenseSum += max(0, sign * s[slot].z)
            tenseN += 1
        }
        let tenseStrength = tenseN > 0 ? ramp(tenseSum / Double(tenseN), c.tenseOnset, c.tenseFull) : 0

        // agitated: strongly raised arousal.
        let agitatedStrength = ramp(arousalValue, c.agitatedOnset, c.agitatedFull)

        // Strengths first, so the tag array is grown once, to its final size (and not at all
        // once the bus's reused array has room).
        let firing = (flatStrength > 0 ? 1 : 0) + (tenseStrength > 0 ? 1 : 0) + (agitatedStrength > 0 ? 1 : 0)
        if firing > 0 { evidence.tags.reserveCapacity(evidence.tags.count + firing) }
        if flatStrength > 0 {
            var parts = VoiceReason()
            parts.add(s, .loudness, -1, "quieter", c.reasonMinZ)
            parts.add(s, .rate, -1, "slower", c.reasonMinZ)
            parts.add(s, .pitchLevel, -1, "lower-pitched", c.reasonMinZ)
            parts.add(s, .pitchVariability, -1, "more monotone", c.reasonMinZ)
            parts.add(s, .pausing, 1, "pausing more", c.reasonMinZ)
            evidence.tags.append(CueTag(Tag.flatLowEnergy, strength: flatStrength, reason: parts.text))
        }
        if tenseStrength > 0 {
            var parts = VoiceReason()
            parts.add(s, .jitter, 1, "more jitter", c.reasonMinZ)
            parts.add(s, .shimmer, 1, "more shimmer", c.reasonMinZ)
            parts.add(s, .hnr, -1, "less clear (lower HNR)", c.reasonMinZ)
            evidence.tags.append(CueTag(Tag.tenseOrShaky, strength: tenseStrength, reason: parts.text))
        }
        if agitatedStrength > 0 {
            var parts = VoiceReason()
            parts.add(s, .loudness, 1, "louder", c.reasonMinZ)
            parts.add(s, .rate, 1, "faster", c.reasonMinZ)
            parts.add(s, .pitchLevel, 1, "higher-pitched", c.reasonMinZ)
            parts.add(s, .pitchVariability, 1, "more varied in pitch", c.reasonMinZ)
            parts.add(s, .pausing, -1, "pausing less", c.reasonMinZ)
            evidence.tags.append(CueTag(Tag.agitated, strength: agitatedStrength, reason: parts.text))
        }

        // Valence: only what low energy or a shaky voice suggest, and loosely; agitation is
        // as likely joy as anger, so it says nothing here.
        var valence: Reading?
        if flatStrength > 0 || tenseStrength > 0 {
            let v = max(-1, min(1, c.flatValence * flatStrength + c.tenseValence * tenseStrength))
            valence = Reading(v, variance: c.valenceVariance + c.warmUpVariance * (1 - confidence))
        }

        evidence.valence = valence
        evidence.arousal = arousal
        evidence.confidence = confidence
    }

    /// 0 below `onset`, 1 at or above `full`, linear between.
    private func ramp(_ x: Double, _ onset: Double, _ full: Double) -> Double {
        guard x > onset else { return 0 }
        guard full > onset else { return 1 }
        return min(1, (x - onset) / (full - onset))
    }
}

// MARK: - Fixed per-slot storage

/// One value per ``VoiceSlot`` in stored properties: no heap, no hashing on the cue path.
struct Slots<T: Sendable>: Sendable {
    var pitchLevel, pitchVariability, loudness, rate, pausing, jitter, shimmer, hnr: T

    init(repeating v: T) {
        (pitchLevel, pitchVariability, loudness, rate, pausing, jitter, shimmer, hnr) = (v, v, v, v, v, v, v, v)
    }

    init(pitchLevel: T, pitchVariability: T, loudness: T, rate: T, pausing: T, jitter: T, shimmer: T, hnr: T) {
        (self.pitchLevel, self.pitchVariability, self.loudness, self.rate) = (pitchLevel, pitchVariability, loudness, rate)
        (self.pausing, self.jitter, self.shimmer, self.hnr) = (pausing, jitter, shimmer, hnr)
    }

    subscript(slot: VoiceSlot) -> T {
        get {
            switch slot {
            case .pitchLevel: return pitchLevel
            case .pitchVariability: return pitchVariability
            case .loudness: return loudness
            case .rate: return rate
            case .pausing: return pausing
            case .jitter: return jitter
            case .shimmer: return shimmer
            case .hnr: return hnr
            }
        }
        set {
            switch slot {
            case .pitchLevel: pitchLevel = newValue
            case .pitchVariability: pitchVariability = newValue
            case .loudness: loudness = newValue
            case .rate: rate = newValue
            case .pausing: pausing = newValue
            case .jitter: jitter = newValue
            case .shimmer: shimmer = newValue
            case .hnr: hnr = newValue
            }
        }
    }
}
