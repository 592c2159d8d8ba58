/// The fusion stage keeps a running estimate of each person's affect from the
/// evidence the channel plugins produce. One `State` per session.
///
/// Replaceable: a bus is generic over its fusion stage, so a lab can try
/// another model (a particle filter, a learned one) with the same channels,
/// policy and adapters.
public protocol FusionStage: Sendable {
    associatedtype State: Sendable
    func makeState() -> State
    /// Moves the session's clock forward: estimates relax toward baseline, tags fade.
    func advance(_ state: inout State, to t: Double)
    /// Folds in one cue's evidence (the clock is already at `cue.t`).
    func apply(_ evidence: Evidence, of cue: Cue, channel: ChannelInfo, to state: inout State)
    /// What the policy and the adapters see.
    func snapshot(_ state: State) -> FusedState
    /// The same, written over `out`, so a stage can reuse its arrays' storage
    /// from one event to the next. The default calls ``snapshot(_:)``.
    func snapshot(_ state: State, into out: inout FusedState)
}

extension FusionStage {
    public func snapshot(_ state: State, into out: inout FusedState) { out = snapshot(state) }
}

/// What the bus tells the fusion stage about a channel.
public struct ChannelInfo: Sendable, Hashable {
    public var name: String
    /// Position in the registry; stable for the run.
    public var index: Int
    public init(name: String, index: Int) { self.name = name; self.index = index }
}

/// A tag as it stands now: its level after accumulation and decay, and the
/// latest reason behind it.
public struct TagLevel: Sendable, Hashable {
    public var name: String {
        get { storedName }
        set { storedName = newValue; standardIndex = Tag.standardIndex(of: newValue) }
    }
    public var level: Double
    public var channel: String
    public var reason: String
    /// Stored apart from `name` so that the fusion stage can copy a name and its index
    /// together without the lookup the setter does.
    var storedName: String
    /// `Tag.standardIndex(of: name)`, kept with the name (see `Tag.standard`).
    var standardIndex: Int32

    public init(name: String, level: Double, channel: String, reason: String) {
        self.init(name: name, standardIndex: Tag.standardIndex(of: name), level: level, channel: channel, reason: reason)
    }

    /// For a name whose index is known (`standardIndex` must be `Tag.standardIndex(of: name)`).
    init(name: String, standardIndex: Int32, level: Double, channel: String, reason: String) {
        self.storedName = name
        self.standardIndex = standardIndex
        self.level = level
        self.channel = channel
        self.reason = reason
    }

    /// Whether this tag's name is `name`, whose standard index is `index`: by index when
    /// either is standard (see `Tag.standard`), as Strings otherwise.
    @inline(__always) func isNamed(_ name: String, index: Int32) -> Bool {
        index >= 0 || standardIndex >= 0 ? standardIndex == index : storedName == name
    }
}

/// One person's fused state at a moment.
public struct TrackSnapshot: Sendable, Hashable {
    public var valence: Double = 0
    public var valenceSD: Double = 0.5
    public var arousal: Double = 0
    public var arousalSD: Double = 0.5
    /// 0...1: how much of the prior uncertainty about valence the evidence has
    /// removed. Near 0 at the start and after a long silence.
    public var coverage: Double = 0
    /// 0...1: high arousal with negative valence, or flooding cues.
    public var flooded: Double = 0
    /// The tag the flooding level rests on, when it rests on a tag rather than on the state.
    public var floodedTag: TagLevel?

    /// What the flooding level rests on, in words.
    public var floodedReason: String {
        if let tag = floodedTag { return "\(tag.channel): \(tag.reason)" }
        return "arousal \(signed(arousal)) with valence \(signed(valence))"
    }
    /// 0...1: the share of recent words that are this person's.
    public var talkShare: Double = 0
    /// 0...1: how much the talk share can be trusted (recent words of both people against `talkShareMinWords`).
    public var talkShareWeight: Double = 0
    /// Active tags, strongest first.
    public var tags: [TagLevel] = []
    /// Number of cues applied to this track so far.
    public var cues: Int = 0

    public init() {}

    public func level(of tag: String) -> Double {
        level(of: tag, index: Tag.standardIndex(of: tag))
    }

    /// ``level(of:)`` for a name whose standard index is known.
    func level(of tag: String, index: Int32) -> Double {
        // Through the buffer: `for t in tags` copied each TagLevel (three Strings retained).
        tags.withUnsafeBufferPointer { tags in
            for i in tags.indices where tags[i].isNamed(tag, index: index) { return tags[i].level }
            return 0
        }
    }
}

/// How the two people move together.
public struct Synchrony: Sendable, Hashable {
    /// Exponentially windowed correlation of the two arousal tracks (-1...1), nil until both vary.
    public var arousalCorrelation: Double?
    /// 0...1: overlap of the two people's current posture cues.
    public var mirroring: Double = 0
    public init(arousalCorrelation: Double? = nil, mirroring: Double = 0) {
        self.arousalCorrelation = arousalCorrelation
        self.mirroring = mirroring
    }
}

/// The fusion stage's output for one moment of one session.
public struct FusedState: Sendable, Hashable {
    public var t: Double = 0
    public var other = TrackSnapshot()
    public var listener = TrackSnapshot()
    /// 0...1: how much the other person's channels disagree (words vs voice vs body).
    public var incongruence: Double = 0
    /// Why, in words: which channels disagree and how. Written out when read
    /// (the fusion stage keeps the values it is made of: this runs on every event).
    public var incongruenceReason: String {
        get { incongruenceDetail.reason }
        set { incongruenceDetail = .written(reason: newValue, channels: incongruenceDetail.channels) }
    }
    /// The channels that disagree, `a+b`.
    public var incongruenceChannels: String {
        get { incongruenceDetail.channels }
        set { incongruenceDetail = .written(reason: incongruenceDetail.reason, channels: newValue) }
    }
    var incongruenceDetail = IncongruenceDetail.written(reason: "", channels: "")
    public var sync = Synchrony()
    /// Tags that arrived with the cue just applied (new evidence, as opposed to lingering).
    public var freshTags: [String] = []
    /// The listener's recent responses (serve and return). Not fusion's: the bus fills it
    /// in from the feedback tracker before the policy decides.
    public var responses = ResponseHistory()
    public init() {}
}

/// What ``FusedState/incongruenceReason`` is made of. Equal when the words are.
enum IncongruenceDetail: Sendable, Hashable {
    case written(reason: String, channels: String)
    /// Two channels' valence readings disagree.
    case pair(String, Double, String, Double)
    /// Words minimise while another channel shows distress: the denial's reason,
    /// the channel, and its reason (a tag's) or its valence (a reading).
    case denial(String, channel: String, tagReason: String?, valence: Double)

    var reason: String {
        switch self {
        case .written(let reason, _): return reason
        case .pair(let a, let av, let b, let bv): return "\(a) says valence \(signed(av)) but \(b) says \(signed(bv))"
        case .denial(let why, let channel, let tagReason, let valence):
            let shown = tagReason ?? "\(channel) valence \(signed(valence))"
            return "words minimise (\(why)) while \(channel) shows distress (\(shown))"
        }
    }

    /// ``reason``'s words as UTF-8 bytes, for the JSON writer's path that builds no Strings.
    func writeReason(into w: inout RawWriter) {
        switch self {
        case .written(let reason, _): w.utf8(reason)
        case .pair(let a, let av, let b, let bv):
            w.utf8(a); w.raw(" says valence "); w.signed2(av); w.raw(" but "); w.utf8(b); w.raw(" says "); w.signed2(bv)
        case .denial(let why, let channel, let tagReason, let valence):
            w.raw("words minimise ("); w.utf8(why); w.raw(") while "); w.utf8(channel); w.raw(" shows distress (")
            if let tagReason { w.utf8(tagReason) } else { w.utf8(channel); w.raw(" valence "); w.signed2(valence) }
            w.byte(UInt8(ascii: ")"))
        }
    }

    var channels: String {
        switch self {
        case .written(_, let channels): return channels
        case .pair(let a, _, let b, _): return "\(a)+\(b)"
        case .denial(_, let channel, _, _): return "text+\(channel)"
        }
    }

    static func == (a: IncongruenceDetail, b: IncongruenceDetail) -> Bool {
        a.reason == b.reason && a.channels == b.channels
    }

    func hash(into h: inout Hasher) {
        h.combine(reason)
        h.combine(channels)
    }
}
