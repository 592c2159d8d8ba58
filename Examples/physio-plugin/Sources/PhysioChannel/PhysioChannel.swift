import Attune

/// The `physio` channel: heart rate and skin conductance, each against the
/// person's own running baseline, as evidence about arousal.
///
/// Value: `{"hr_bpm": 72, "eda_us": 4.1}` — heart rate in beats per minute,
/// electrodermal activity (skin conductance) in microsiemens; either may be
/// missing, not both.
///
/// Physiology says how activated someone is, not whether it is pleasant, so
/// this channel never reports valence. A resting 90 bpm is nobody's alarm:
/// only departures from *this person's* usual count, which is what
/// ``RunningBaseline`` gives (robust to the very spikes we look for).
///
/// Register it in one line:
///
/// ```swift
/// var channels = ChannelRegistry.standard
/// channels.register(PhysioChannel())
/// ```
public struct PhysioChannel: ChannelPlugin {
    /// Every threshold and weight; `channels.physio.<key>` if wired into a configuration file.
    public struct Configuration: Codable, Sendable, Equatable {
        /// Heart-rate measurement noise in bpm: the smallest spread the baseline will use.
        public var heartRateSpreadFloor: Double = 2
        /// Skin-conductance measurement noise in µS.
        public var skinConductanceSpreadFloor: Double = 0.2
        /// Baseline adaptation: about 1/samples remembered.
        public var adaptation: Double = 0.05
        /// Samples per feature before it says anything (the baseline is being learnt).
        public var warmup: Int = 5
        /// A deviation of this many spreads maps to arousal 1.
        public var fullScaleZ: Double = 3
        /// Variance of an arousal reading from a warmed-up baseline.
        public var variance: Double = 0.12
        /// Deviation (in spreads, both features averaged) from which `physio_arousal_up` is tagged.
        public var tagZ: Double = 2
        /// The deviation at which the tag reaches strength 1.
        public var tagFullZ: Double = 4
        /// The baseline's trust reaches 0.5 after this many samples (it scales confidence).
        public var confidenceHalfAt: Double = 5
        public init() {}
    }

    /// The tag for a clear rise above baseline.
    public static let arousalUpTag = "physio_arousal_up"

    public let name = "physio"
    public var configuration: Configuration

    public init(configuration: Configuration = .init()) { self.configuration = configuration }

    /// One baseline per feature, per session and source (the bus keeps one State each).
    public struct State: Sendable {
        var heartRate: RunningBaseline
        var skinConductance: RunningBaseline
    }

    public func makeState() -> State {
        State(heartRate: RunningBaseline(spreadFloor: configuration.heartRateSpreadFloor, adaptation: configuration.adaptation),
              skinConductance: RunningBaseline(spreadFloor: configuration.skinConductanceSpreadFloor, adaptation: configuration.adaptation))
    }

    public func validate(_ value: JSONValue) -> String? {
        guard let object = value.object else { return "value: expected an object, got \(value.typeName)" }
        var any = false
        for (key, range) in [("hr_bpm", 20.0...260.0), ("eda_us", 0.0...100.0)] {
            guard let v = object[key], !v.isNull else { continue }
            guard let x = v.double else { return "value.\(key): expected a number, got \(v.typeName)" }
            guard x.isFinite, range.contains(x) else {
                return "value.\(key): expected a number in \(Int(range.lowerBound))..\(Int(range.upperBound))"
            }
            any = true
        }
        return any ? nil : "value: needs \"hr_bpm\" or \"eda_us\""
    }

    public func evidence(from cue: Cue, state: inout State) -> Evidence {
        var deviations: [(z: Double, what: String)] = []
        var learnt = Int.max
        if let hr = cue.value["hr_bpm"]?.double {
            learnt = min(learnt, state.heartRate.count)
            deviations.append((state.heartRate.update(hr), "heart rate \(Int(hr.rounded())) bpm"))
        }
        if let eda = cue.value["eda_us"]?.double {
            learnt = min(learnt, state.skinConductance.count)
            deviations.append((state.skinConductance.update(eda), "skin conductance \(rounded1(eda)) µS"))
        }
        // Still learning this person's usual: say nothing rather than guess.
        guard !deviations.isEmpty, learnt >= configuration.warmup else { return .none }

        let z = deviations.map(\.z).reduce(0, +) / Double(deviations.count)
        let trust = min(state.heartRate.confidence(halfAt: configuration.confidenceHalfAt),
                        deviations.count == 2 ? state.skinConductance.confidence(halfAt: configuration.confidenceHalfAt) : 1)
        var evidence = Evidence(
            arousal: Reading(max(-1, min(1, z / configuration.fullScaleZ)), variance: configuration.variance),
            confidence: trust
        )
        if z >= configuration.tagZ {
            let strength = min(1, z / configuration.tagFullZ) * trust
            let what = deviations.map(\.what).joined(separator: ", ")
            evidence.tags.append(CueTag(Self.arousalUpTag, strength: strength,
                                        reason: "\(what): \(rounded1(z)) spreads above their baseline"))
        }
        return evidence
    }
}

private func rounded1(_ x: Double) -> String {
    let r = (x * 10).rounded() / 10
    return r == r.rounded() ? "\(Int(r))" : "\(r)"
}
