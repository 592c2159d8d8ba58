/// A channel plugin turns one cue of its channel into ``Evidence``.
///
/// It is the one thing to write to teach Attune a new channel. The bus keeps
/// one `State` per session and per source (the other person and the listener
/// are never mixed) and hands it to you `inout`, in timestamp order:
///
/// ```swift
/// struct PhysioChannel: ChannelPlugin {
///     let name = "physio"
///     struct State: Sendable { var heartRate = RunningBaseline() }
///     func makeState() -> State { State() }
///     func evidence(from cue: Cue, state: inout State) -> Evidence {
///         guard let hr = cue.value["hr_bpm"]?.double else { return .none }
///         let z = state.heartRate.update(hr)          // deviation from this person's own baseline
///         return Evidence(arousal: Reading(max(-1, min(1, z / 3)), variance: 0.2))
///     }
/// }
/// ```
///
/// The contract:
/// - `validate(_:)` is stateless and runs when the line is decoded: return a
///   problem ("value.hr_bpm: expected a number") to reject the line, counted
///   and reported with its line number. `evidence(from:state:)` may then assume
///   a valid value.
/// - `evidence(from:state:)` is deterministic: the same cues in the same order
///   give the same evidence. No clocks, no randomness, no shared mutable state;
///   keep everything per-session in `State`, a value type.
/// - Readings are on -1...1 with an honest variance; tags have strength 0...1
///   and a reason that quotes the input where it can.
/// - The plugin is a `Sendable` value, created once and shared by every
///   session; it must not block (no I/O in `evidence`). Plugins in another
///   language or process go through `--plugin NAME=COMMAND` instead
///   (`AttuneExec`, Protocols/exec-plugin.md).
/// - Register it with `channels.register(PhysioChannel())`; a name already
///   registered is replaced.
///
/// A test to paste into your plugin's test target (it checks the contract with
/// the `AttuneTestKit` product; put your own values in `values`):
///
/// ```swift
/// import AttuneTestKit
/// import Testing
///
/// @Test func followsThePluginContract() throws {
///     let values: [JSONValue] = (0..<10).map { ["hr_bpm": .number(70 + Double($0 % 3))] } + [["hr_bpm": 110]]
///     let a = try PluginRun.evidence(PhysioChannel(), for: values)   // validates, then runs in order
///     let b = try PluginRun.evidence(PhysioChannel(), for: values)
///     #expect(a == b)                                               // deterministic
///     for e in a {
///         for r in [e.valence, e.arousal].compactMap({ $0 }) {
///             #expect((-1...1).contains(r.value) && r.variance > 0)
///         }
///         #expect((0...1).contains(e.confidence))
///         for tag in e.tags { #expect((0...1).contains(tag.strength) && !tag.reason.isEmpty) }
///     }
///     var bus = EmbeddedBus(channels: [PhysioChannel()])           // the real bus, in memory
///     for (i, v) in values.enumerated() { try bus.writeCue(t: Double(i), channel: "physio", value: v) }
///     #expect(throws: LineError.self) { try bus.writeLine(#"{"t":99,"channel":"physio","value":"?"}"#) }
///     #expect(bus.finish().count == values.count)                  // one recommendation per cue
///     #expect(bus.counts.rejected == 1)
/// }
/// ```
///
/// Protocols/plugins.md walks through a complete plugin package.
public protocol ChannelPlugin: Sendable {
    /// Per-session, per-source memory (a baseline, an open interval). `NoState` if none.
    associatedtype State: Sendable = NoState

    /// The channel name on the wire (`"channel": "physio"`).
    var name: String { get }

    /// A fresh state for a new session or source.
    func makeState() -> State

    /// Checks a cue's `value` before it is queued; nil when it is fine.
    func validate(_ value: JSONValue) -> String?

    /// The evidence in one cue.
    func evidence(from cue: Cue, state: inout State) -> Evidence

    /// The same evidence, written into `evidence`, which arrives empty (as ``Evidence/none``,
    /// its arrays emptied with their storage kept). Optional: the default assigns
    /// ``evidence(from:state:)``'s result. The bus calls this one, with one `Evidence` it reuses
    /// from cue to cue, so a plugin that appends its tags here allocates no tag array per cue
    /// (the built-in posture and voice channels do). Both must give the same evidence.
    func evidence(from cue: Cue, state: inout State, into evidence: inout Evidence)
}

/// The state of a plugin that needs none.
public struct NoState: Sendable, Hashable { public init() {} }

extension ChannelPlugin where State == NoState {
    public func makeState() -> NoState { NoState() }
}

extension ChannelPlugin {
    public func evidence(from cue: Cue, state: inout State, into evidence: inout Evidence) {
        evidence = self.evidence(from: cue, state: &state)
    }

    public func validate(_ value: JSONValue) -> String? {
        value.object == nil ? "value: expected an object, got \(value.typeName)" : nil
    }
}
