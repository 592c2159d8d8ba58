/// The one configuration: every threshold, weight and half-life Attune uses,
/// with defaults. `attune config --print-defaults` prints it; `--config FILE`
/// overrides any part of it (a partial JSON object, merged key by key).
/// `Protocols/configuration.md` documents every key.
public struct AttuneConfiguration: Codable, Sendable, Equatable {
    public var bus = BusConfiguration()
    public var fusion = FusionConfiguration()
    public var policy = PolicyConfiguration()
    /// Response scoring, ruptures and repairs (Protocols/feedback.md).
    public var feedback = FeedbackConfiguration()
    public var channels = Channels()

    public struct Channels: Codable, Sendable, Equatable {
        public var affect = Affect()
        public var posture = PostureChannel.Configuration()
        public var voice = VoiceChannel.Configuration()
        public var text = TextChannel.Configuration()
        public init() {}
    }

    /// The `affect` channel's only setting.
    public struct Affect: Codable, Sendable, Equatable {
        /// Variance of an `affect` reading before its confidence is applied.
        public var baseVariance: Double = 0.05
        public init() {}
    }

    public init() {}

    /// The defaults with `overrides` (JSON text, a partial configuration) merged in.
    /// Unknown keys are errors, so a typo cannot silently do nothing.
    public static func load(overrides text: String) throws(ConfigurationError) -> AttuneConfiguration {
        let override: JSONValue
        do { override = try JSONValue.parse(text) } catch { throw ConfigurationError(message: "not valid JSON: \(error)") }
        return try load(overrides: override)
    }

    public static func load(overrides override: JSONValue) throws(ConfigurationError) -> AttuneConfiguration {
        guard override.object != nil else {
            throw ConfigurationError(message: "expected a JSON object at the top level, got \(override.typeName)")
        }
        do {
            let defaults = try JSONValueEncoder().encode(AttuneConfiguration())
            let config = try JSONValueDecoder().decode(AttuneConfiguration.self, from: defaults.merging(override))
            let unknown = override.paths(notIn: try JSONValueEncoder().encode(config))
            if !unknown.isEmpty {
                throw ConfigurationError(message: "unknown key\(unknown.count == 1 ? "" : "s"): \(unknown.joined(separator: ", "))")
            }
            return config
        } catch let e as ConfigurationError {
            throw e
        } catch {
            throw ConfigurationError(message: "\(error)")
        }
    }

    /// The whole configuration as JSON (keys in a fixed order).
    public var json: JSONValue {
        // Encoding a value built from finite defaults cannot fail; a failure here is a bug worth crashing on.
        try! JSONValueEncoder().encode(self)
    }
}

public struct ConfigurationError: Error, CustomStringConvertible, Hashable {
    public var message: String
    public var description: String { "configuration: \(message)" }
}

extension ChannelRegistry {
    /// The built-in channels (`affect`, `text`, `voice`, `posture`) configured as given.
    public static func standard(_ configuration: AttuneConfiguration = .init(), lexicon: UserLexicon = .empty) -> ChannelRegistry {
        var r = ChannelRegistry()
        r.register(AffectChannel(baseVariance: configuration.channels.affect.baseVariance))
        r.register(TextChannel(configuration: configuration.channels.text, lexicon: lexicon))
        r.register(PostureChannel(configuration: configuration.channels.posture))
        r.register(VoiceChannel(configuration: configuration.channels.voice))
        return r
    }

    /// The built-in channels with default settings.
    public static var standard: ChannelRegistry { standard(AttuneConfiguration()) }
}

/// The bus with the default fusion stage and policy.
public typealias StandardBus = CueBus<KalmanFusion, ScoringPolicy>
/// The engine with the default fusion stage and policy.
public typealias StandardEngine = Engine<KalmanFusion, ScoringPolicy>

extension CueBus where Fusion == KalmanFusion, Policy == ScoringPolicy {
    /// A bus configured from one ``AttuneConfiguration``, with the built-in channels plus `extra`.
    public init(configuration: AttuneConfiguration, channels: ChannelRegistry? = nil) {
        self.init(channels: channels ?? .standard(configuration), fusion: configuration.fusion,
                  policy: configuration.policy, configuration: configuration.bus, feedback: configuration.feedback)
    }
}

extension Engine where Fusion == KalmanFusion, Policy == ScoringPolicy {
    /// An engine configured from one ``AttuneConfiguration``.
    ///
    /// ```swift
    /// var channels = ChannelRegistry.standard
    /// channels.register(PhysioChannel())
    /// var engine = StandardEngine(configuration: .init(), channels: channels)
    /// ```
    public init(configuration: AttuneConfiguration = .init(), channels: ChannelRegistry? = nil) {
        self.init(bus: CueBus(configuration: configuration, channels: channels))
    }
}
