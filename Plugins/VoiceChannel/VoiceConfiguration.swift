extension VoiceChannel {
    /// Every threshold and weight of the voice channel (`channels.voice.<key>` in the
    /// global configuration). Keys missing from a configuration file keep their defaults;
    /// `spreadFloors` entries are merged over the defaults name by name.
    /// See Protocols/channels/voice.md for what each one does.
    public struct Configuration: Codable, Sendable, Equatable {
        // MARK: - Baseline
        /// The per-speaker baseline is trusted half after this many utterances
        /// (confidence = n / (n + this)): the warm-up.
        public var baselineHalfConfidence: Double = 3
        /// Minimum weight of a new utterance in an old baseline (≈ 1 / utterances remembered).
        public var baselineAdaptation: Double = 0.05
        /// Utterances enter the baseline winsorised at ± this many spreads, so an outburst barely moves it.
        public var baselineClip: Double = 2.5
        /// Winsorising starts after this many utterances of a feature.
        public var baselineClipAfter: Int = 3
        /// Smallest spread per feature name, in the feature's units (ln units for `loudness_sma3_amean`).
        public var spreadFloors: [String: Double] = VoiceChannel.Configuration.defaultSpreadFloors
        /// Deviations are soft-limited to ± this many spreads (z' = cap·tanh(z/cap)).
        public var zCap: Double = 4

        // MARK: - Arousal
        /// Weights of each slot's deviation in the arousal score. Pausing counts negatively
        /// (more pausing, less arousal); the voice-quality slots are off by default.
        public var arousalWeightPitchLevel: Double = 1.0
        public var arousalWeightPitchVariability: Double = 0.7
        public var arousalWeightLoudness: Double = 1.2
        public var arousalWeightRate: Double = 1.0
        public var arousalWeightPausing: Double = 0.7
        public var arousalWeightJitter: Double = 0
        public var arousalWeightShimmer: Double = 0
        public var arousalWeightHNR: Double = 0
        /// Weighted mean deviations (in spreads) within ± this are treated as "as usual".
        public var arousalDeadZone: Double = 0.5
        /// arousal = tanh((|score| − deadZone) / scale): the score that gives ≈ 0.76.
        public var arousalScale: Double = 2.0
        /// Variance of an arousal reading from a fully warmed-up baseline with every slot present.
        public var arousalVariance: Double = 0.06
        /// Extra variance while the baseline warms up: added × (1 − baseline confidence).
        public var warmUpVariance: Double = 0.25

        // MARK: - Tags
        /// `flat_low_energy`: mean low-energy deviation (quieter, slower, monotone, pausing; in spreads)
        /// where the tag starts, and where it reaches full strength.
        public var flatOnset: Double = 1.0
        public var flatFull: Double = 3.0
        /// ...and how many of those four must each be at least `reasonMinZ` in the low direction.
        public var flatMinFeatures: Int = 2
        /// `tense_or_shaky`: mean of jitter up, shimmer up, HNR down (in spreads): start and full strength.
        public var tenseOnset: Double = 1.5
        public var tenseFull: Double = 3.5
        /// `agitated`: arousal reading where the tag starts and where it is at full strength.
        public var agitatedOnset: Double = 0.6
        public var agitatedFull: Double = 0.9
        /// A slot is named in a reason when it deviates by at least this many spreads.
        public var reasonMinZ: Double = 1.0

        // MARK: - Valence (weak)
        /// Valence reading per unit of `flat_low_energy` strength (negative: sad, low).
        public var flatValence: Double = -0.4
        /// Valence reading per unit of `tense_or_shaky` strength.
        public var tenseValence: Double = -0.2
        /// Variance of voice valence readings: high, prosody says little about valence.
        public var valenceVariance: Double = 0.3

        // MARK: - Warnings
        /// Distinct unknown feature names warned about per session and source; more are ignored quietly.
        public var maxUnknownWarnings: Int = 32

        public init() {}

        /// Default `spreadFloors`: about each feature's utterance-to-utterance noise.
        public static let defaultSpreadFloors: [String: Double] = {
            var d: [String: Double] = [:]
            for f in VoiceFeatures.mapped { d[f.name] = f.defaultSpreadFloor }
            return d
        }()

        private enum CodingKeys: String, CodingKey {
            case baselineHalfConfidence, baselineAdaptation, baselineClip, baselineClipAfter, spreadFloors, zCap
            case arousalWeightPitchLevel, arousalWeightPitchVariability, arousalWeightLoudness, arousalWeightRate
            case arousalWeightPausing, arousalWeightJitter, arousalWeightShimmer, arousalWeightHNR
            case arousalDeadZone, arousalScale, arousalVariance, warmUpVariance
            case flatOnset, flatFull, flatMinFeatures, tenseOnset, tenseFull, agitatedOnset, agitatedFull, reasonMinZ
            case flatValence, tenseValence, valenceVariance, maxUnknownWarnings
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            func read<T: Decodable>(_ key: CodingKeys, _ value: inout T) throws {
                if let v = try c.decodeIfPresent(T.self, forKey: key) { value = v }
            }
            try read(.baselineHalfConfidence, &baselineHalfConfidence)
            try read(.baselineAdaptation, &baselineAdaptation)
            try read(.baselineClip, &baselineClip)
            try read(.baselineClipAfter, &baselineClipAfter)
            if let floors = try c.decodeIfPresent([String: Double].self, forKey: .spreadFloors) {
                spreadFloors.merge(floors) { _, new in new }
            }
            try read(.zCap, &zCap)
            try read(.arousalWeightPitchLevel, &arousalWeightPitchLevel)
            try read(.arousalWeightPitchVariability, &arousalWeightPitchVariability)
            try read(.arousalWeightLoudness, &arousalWeightLoudness)
            try read(.arousalWeightRate, &arousalWeightRate)
            try read(.arousalWeightPausing, &arousalWeightPausing)
            try read(.arousalWeightJitter, &arousalWeightJitter)
            try read(.arousalWeightShimmer, &arousalWeightShimmer)
            try read(.arousalWeightHNR, &arousalWeightHNR)
            try read(.arousalDeadZone, &arousalDeadZone)
            try read(.arousalScale, &arousalScale)
            try read(.arousalVariance, &arousalVariance)
            try read(.warmUpVariance, &warmUpVariance)
            try read(.flatOnset, &flatOnset)
            try read(.flatFull, &flatFull)
            try read(.flatMinFeatures, &flatMinFeatures)
            try read(.tenseOnset, &tenseOnset)
            try read(.tenseFull, &tenseFull)
            try read(.agitatedOnset, &agitatedOnset)
            try read(.agitatedFull, &agitatedFull)
            try read(.reasonMinZ, &reasonMinZ)
            try read(.flatValence, &flatValence)
            try read(.tenseValence, &tenseValence)
            try read(.valenceVariance, &valenceVariance)
            try read(.maxUnknownWarnings, &maxUnknownWarnings)
        }

        /// The arousal weight of a slot (pausing's sign is applied by the channel, not here).
        func arousalWeight(_ slot: VoiceSlot) -> Double {
            switch slot {
            case .pitchLevel: return arousalWeightPitchLevel
            case .pitchVariability: return arousalWeightPitchVariability
            case .loudness: return arousalWeightLoudness
            case .rate: return arousalWeightRate
            case .pausing: return arousalWeightPausing
            case .jitter: return arousalWeightJitter
            case .shimmer: return arousalWeightShimmer
            case .hnr: return arousalWeightHNR
            }
        }
    }
}
