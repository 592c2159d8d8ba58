@_exported import Attune

/// An engine in memory for tests, in the spirit of swift-nio's `EmbeddedChannel`:
/// write cues or lines in, read recommendations out, no stdin, no threads.
///
/// ```swift
/// var bus = EmbeddedBus(channels: [PhysioChannel()])          // the standard channels + yours
/// try bus.writeCue(t: 0, channel: "physio", value: ["hr_bpm": 72])
/// let first = bus.readRecommendation()                        // emitted for that cue
/// try bus.writeLine(#"{"t":1,"channel":"physio","value":{"hr_bpm":120}}"#)
/// let rest = bus.finish()                                     // end of input: everything left
/// ```
///
/// Read into a local before `#require`/`#expect` (`let r = bus.readRecommendation()`):
/// those macros cannot call a `mutating` method.
///
/// Two settings differ from `attune run`'s defaults so a test sees one
/// recommendation per cue, at once: `emit` is `every` and `maxLateness` is 0
/// (so out-of-order cues count as late instead of being reordered). Pass a
/// configuration to get the real defaults back.
public struct EmbeddedBus {
    public private(set) var engine: StandardEngine
    private var inbox: [Recommendation] = []
    private var warnings: [String] = []
    public private(set) var isFinished = false

    /// The configuration ``EmbeddedBus`` uses when none is given: the defaults with `emit: every`, `maxLateness: 0`.
    public static var testConfiguration: AttuneConfiguration {
        var c = AttuneConfiguration()
        c.bus.emit = .every
        c.bus.maxLateness = 0
        return c
    }

    /// A bus with exactly the channels of `registry`.
    public init(registry: ChannelRegistry, configuration: AttuneConfiguration = EmbeddedBus.testConfiguration) {
        engine = StandardEngine(configuration: configuration, channels: registry)
    }

    /// A bus with the standard channels plus `channels` (which replace a built-in of the same name).
    public init(channels: [any ChannelPlugin] = [], configuration: AttuneConfiguration = EmbeddedBus.testConfiguration) {
        var registry = ChannelRegistry.standard(configuration)
        for plugin in channels { registry.registerExistential(plugin) }
        self.init(registry: registry, configuration: configuration)
    }

    /// Pushes a cue built in code. Throws the ``LineError`` if it is rejected (also counted).
    public mutating func writeCue(_ cue: Cue) throws(LineError) {
        precondition(!isFinished, "EmbeddedBus: writeCue after finish()")
        let result = engine.push(cue)
        collect()
        if case .failure(let e) = result { throw e }
    }

    /// Pushes a cue from its parts.
    public mutating func writeCue(t: Double, channel: String, value: JSONValue,
                                  session: String = "default", source: Source = .other) throws(LineError) {
        try writeCue(Cue(t: t, session: session, source: source, channel: channel, value: value))
    }

    /// Pushes one wire protocol line (a cue or a control line). Throws the ``LineError`` if it is rejected.
    public mutating func writeLine(_ line: String) throws(LineError) {
        precondition(!isFinished, "EmbeddedBus: writeLine after finish()")
        let result = engine.ingest(line: line)
        collect()
        if case .failure(let e) = result { throw e }
    }

    /// The oldest recommendation not read yet, or nil.
    public mutating func readRecommendation() -> Recommendation? {
        inbox.isEmpty ? nil : inbox.removeFirst()
    }

    /// Every recommendation not read yet, oldest first.
    public mutating func readAllRecommendations() -> [Recommendation] {
        defer { inbox.removeAll() }
        return inbox
    }

    /// The oldest plugin warning not read yet (each distinct message once), or nil.
    public mutating func readWarning() -> String? {
        warnings.isEmpty ? nil : warnings.removeFirst()
    }

    /// End of input: flushes every session and returns every recommendation not read yet.
    @discardableResult
    public mutating func finish() -> [Recommendation] {
        if !isFinished {
            isFinished = true
            engine.finish()
            collect()
        }
        return readAllRecommendations()
    }

    /// Lines read, accepted, rejected, late, sessions, recommendations, warnings.
    public var counts: RunCounts { engine.counts }

    private mutating func collect() {
        // Through values, not a closure: a closure appending to self.inbox while
        // engine.drain mutates self.engine would be two overlapping accesses to self.
        let emitted = engine.drain()
        inbox += emitted
        let newWarnings = engine.drainWarnings()
        warnings += newWarnings.map(\.message)
    }
}

extension ChannelRegistry {
    /// Registers a plugin given as an existential (opens it to call the generic `register`).
    mutating func registerExistential(_ plugin: any ChannelPlugin) {
        register(plugin)
    }
}

/// Runs one plugin alone on a sequence of values, keeping its state as the bus
/// would for one person: the quickest way to test what a plugin makes of its input.
///
/// ```swift
/// var run = PluginRun(PhysioChannel())
/// let calm = try run.feed(["hr_bpm": 70], at: 0)
/// let all = try PluginRun.evidence(PhysioChannel(), for: [["hr_bpm": 70], ["hr_bpm": 71]])
/// ```
public struct PluginRun<Plugin: ChannelPlugin> {
    public let plugin: Plugin
    /// Keeps one state per session and source, exactly as the bus does.
    private var probe: ChannelProbe

    public init(_ plugin: Plugin) {
        self.plugin = plugin
        var registry = ChannelRegistry.empty
        registry.register(plugin)
        probe = registry.probe(plugin.name)!
    }

    /// Validates `value` (throwing the problem as a ``LineError``), then returns its evidence.
    public mutating func feed(_ value: JSONValue, at t: Double, session: String = "default",
                              source: Source = .other) throws(LineError) -> Evidence {
        try probe.evidence(for: Cue(t: t, session: session, source: source, channel: plugin.name, value: value))
    }

    /// The evidence for each value in turn, at t = 0, interval, 2·interval, ...
    public static func evidence(_ plugin: Plugin, for values: [JSONValue], interval: Double = 1,
                                session: String = "default", source: Source = .other) throws(LineError) -> [Evidence] {
        var run = PluginRun(plugin)
        var out: [Evidence] = []
        for (i, v) in values.enumerated() {
            out.append(try run.feed(v, at: Double(i) * interval, session: session, source: source))
        }
        return out
    }

    /// The evidence for each value in turn as the bus gets it: `evidence(from:state:into:)` into one
    /// `Evidence` reused from cue to cue (``Evidence/reset()`` between them). Equal to
    /// ``evidence(_:for:interval:session:source:)`` unless the plugin's `into` variant
    /// depends on a fresh value.
    public static func evidenceIntoReusedValue(_ plugin: Plugin, for values: [JSONValue], interval: Double = 1,
                                               session: String = "default", source: Source = .other) throws(LineError) -> [Evidence] {
        var state = plugin.makeState()
        var reused = Evidence.none
        var out: [Evidence] = []
        for (i, v) in values.enumerated() {
            if let problem = plugin.validate(v) {
                throw LineError(line: i + 1, kind: .invalidValue, message: "\(plugin.name): \(problem)")
            }
            reused.reset()
            plugin.evidence(from: Cue(t: Double(i) * interval, session: session, source: source, channel: plugin.name, value: v),
                            state: &state, into: &reused)
            out.append(reused)
        }
        return out
    }

    /// What `validate` says about each value (nil where it is fine).
    public static func problems(_ plugin: Plugin, in values: [JSONValue]) -> [String?] {
        values.map { plugin.validate($0) }
    }
}
