/// The channels a bus knows, by wire name. Registering is one line:
///
/// ```swift
/// var channels = ChannelRegistry.standard      // from the Attune module: affect, text, voice, posture
/// channels.register(PhysioChannel())
/// ```
///
/// Registering a name again replaces the earlier plugin, so a built-in can be swapped out.
public struct ChannelRegistry: Sendable {
    struct Entry: Sendable {
        let name: String
        let validate: @Sendable (JSONValue) -> String?
        let makeSlot: @Sendable () -> any ChannelSlot
    }

    private(set) var entries: [Entry] = []

    /// A registry with only the `affect` channel, which the core itself understands.
    public init() { register(AffectChannel()) }

    /// An empty registry (not even `affect`).
    public static var empty: ChannelRegistry {
        var r = ChannelRegistry()
        r.entries.removeAll()
        return r
    }

    public mutating func register<P: ChannelPlugin>(_ plugin: P) {
        // One copy of the plugin for every session's slot: a slot holds a reference and its state.
        let shared = PluginBox(plugin)
        let entry = Entry(
            name: plugin.name,
            validate: { plugin.validate($0) },
            makeSlot: { TypedSlot(plugin: shared, state: shared.plugin.makeState()) }
        )
        if let i = entries.firstIndex(where: { $0.name == plugin.name }) {
            entries[i] = entry
        } else {
            entries.append(entry)
        }
    }

    /// Removes a channel; its cues are then rejected as unknown.
    public mutating func remove(_ name: String) {
        entries.removeAll { $0.name == name }
    }

    /// The registered channel names, in registration order.
    public var names: [String] { entries.map(\.name) }

    func index(of name: String) -> Int? {
        // Linear: a handful of channels, and short names compare fast.
        for i in entries.indices where entries[i].name == name { return i }
        return nil
    }
}

/// One plugin with its state for one session and source; the existential
/// lets a session hold slots of different plugin types in one array.
protocol ChannelSlot: Sendable {
    /// The plugin's evidence, into an `evidence` that arrives empty (see ``Evidence/reset()``).
    mutating func evidence(from cue: Cue, into evidence: inout Evidence)
}

/// A plugin shared by reference: a session's slot then costs a pointer plus the plugin's state
/// (a plugin value with its configuration is hundreds of bytes; 100,000 sessions hold 800,000 slots).
final class PluginBox<P: ChannelPlugin>: Sendable {
    let plugin: P
    init(_ plugin: P) { self.plugin = plugin }

    /// The plugin's evidence, called on the boxed value in place: `box.plugin.evidence(...)`
    /// from the slot copied the whole plugin (its tables retained and released) per cue.
    func evidence(from cue: Cue, state: inout P.State, into evidence: inout Evidence) {
        plugin.evidence(from: cue, state: &state, into: &evidence)
    }
}

struct TypedSlot<P: ChannelPlugin>: ChannelSlot {
    let plugin: PluginBox<P>
    var state: P.State
    mutating func evidence(from cue: Cue, into evidence: inout Evidence) {
        plugin.evidence(from: cue, state: &state, into: &evidence)
    }
}

/// The `affect` channel: a precomputed estimate, e.g. from a face model:
/// `{"valence": -1..1, "arousal": -1..1, "confidence": 0..1}`.
///
/// Both dimensions are optional but at least one is required. The reading's
/// variance is `baseVariance` (configurable) and the fusion stage scales its
/// weight by `confidence` (default 1).
public struct AffectChannel: ChannelPlugin {
    public let name = "affect"
    public var baseVariance: Double

    public init(baseVariance: Double = 0.05) { self.baseVariance = baseVariance }

    public func validate(_ value: JSONValue) -> String? {
        guard let object = value.object else { return "value: expected an object, got \(value.typeName)" }
        var sawDimension = false
        for key in ["valence", "arousal"] {
            guard let v = object[key] else { continue }
            guard let x = v.double else { return "value.\(key): expected a number, got \(v.typeName)" }
            guard x.isFinite, x >= -1, x <= 1 else { return "value.\(key): expected a number in -1..1, got \(formatForMessage(x))" }
            sawDimension = true
        }
        if !sawDimension { return "value: needs \"valence\" or \"arousal\"" }
        if let c = object["confidence"] {
            guard let x = c.double else { return "value.confidence: expected a number, got \(c.typeName)" }
            guard x.isFinite, x >= 0, x <= 1 else { return "value.confidence: expected a number in 0..1, got \(formatForMessage(x))" }
        }
        return nil
    }

    public func evidence(from cue: Cue, state: inout NoState) -> Evidence {
        let confidence = cue.value["confidence"]?.double ?? 1
        return Evidence(
            valence: cue.value["valence"]?.double.map { Reading($0, variance: baseVariance) },
            arousal: cue.value["arousal"]?.double.map { Reading($0, variance: baseVariance) },
            confidence: confidence
        )
    }
}

/// A number as a person would write it in an error message (no "1e+400" surprises, no 17 digits).
func formatForMessage(_ x: Double) -> String {
    if x.isNaN { return "NaN" }
    if x.isInfinite { return x > 0 ? "Infinity" : "-Infinity" }
    var bytes: [UInt8] = []
    NumberFormat.append(x, decimals: 6, to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
}
