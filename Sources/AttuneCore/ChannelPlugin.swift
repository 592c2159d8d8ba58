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
}

/// The state of a plugin that needs none.
public struct NoState: Sendable, Hashable { public init() {} }

extension ChannelPlugin where State == NoState {
    public func makeState() -> NoState { NoState() }
}

extension ChannelPlugin {
    public func validate(_ value: JSONValue) -> String? {
        value.object == nil ? "value: expected an object, got \(value.typeName)" : nil
    }
}
