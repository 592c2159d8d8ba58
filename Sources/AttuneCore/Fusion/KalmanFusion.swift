#if canImport(Glibc)
import Glibc
#endif

/// The default fusion stage: per person and per dimension, a mean-reverting
/// (Ornstein–Uhlenbeck) state with Kalman updates.
///
/// Between cues, over `dt` seconds with half-life `h` (λ = ln 2 / h):
///
///     mean     ← baseline + (mean − baseline)·e^(−λ·dt)
///     variance ← σ² + (variance − σ²)·e^(−2λ·dt)          σ = priorSD
///
/// so old cues fade and uncertainty grows back to the prior. A reading `z`
/// with variance `r` from a channel of reliability `ρ` in a cue of confidence
/// `c` is an observation with variance `R = r / (ρ·c)`:
///
///     K = variance / (variance + R);  mean += K·(z − mean);  variance *= (1 − K)
///
/// Tags accumulate as independent evidence (`level ← 1 − (1 − level)(1 − s)`),
/// are held at full strength until an interval's `holdUntil`, then halve every
/// half-life. See `Protocols/fusion.md`.
public struct KalmanFusion: FusionStage {
    public var configuration: FusionConfiguration {
        didSet { tables = Tables(configuration) }
    }
    /// The configuration's name-keyed maps, for the lookups made on every event and tag.
    private var tables: Tables

    public init(configuration: FusionConfiguration = .init()) {
        self.configuration = configuration
        self.tables = Tables(configuration)
    }

    private struct Tables: Sendable {
        let reliability: NameTable<Double>
        let tagHalfLives: NameTable<Double>
        let supersedes: NameTable<[String]>

        init(_ c: FusionConfiguration) {
            reliability = NameTable(c.channelReliability)
            tagHalfLives = NameTable(c.tagHalfLives)
            supersedes = NameTable(c.supersedes)
        }
    }

    public struct State: Sendable {
        var t: Double = 0
        var other = Track()
        var listener = Track()
        var sync = SyncStats()
        var fresh: [String] = []
    }

    public func makeState() -> State {
        var s = State()
        let prior = configuration.priorSD * configuration.priorSD
        for source in Source.allCases {
            s[source].valence = Dimension(mean: configuration.baselineValence, variance: prior)
            s[source].arousal = Dimension(mean: configuration.baselineArousal, variance: prior)
        }
        return s
    }

    public func advance(_ state: inout State, to t: Double) {
        let dt = t - state.t
        state.fresh.removeAll(keepingCapacity: true)
        guard dt > 0 else { return }
        let c = configuration
        sampleSynchrony(&state, until: t)
        let prior = c.priorSD * c.priorSD
        for source in Source.allCases {
            state[source].valence.relax(toward: c.baselineValence, prior: prior, dt: dt, halfLife: c.valenceHalfLife)
            state[source].arousal.relax(toward: c.baselineArousal, prior: prior, dt: dt, halfLife: c.arousalHalfLife)
            state[source].decayTags(from: state.t, to: t, configuration: c)
            state[source].words *= halving(dt, c.talkShareHalfLife)
            state[source].sortTags()
        }
        state.t = t
    }

    public func apply(_ evidence: Evidence, of cue: Cue, channel: ChannelInfo, to state: inout State) {
        let c = configuration
        let weight = (tables.reliability[channel.name] ?? c.defaultReliability) * clamp(evidence.confidence, 0, 1)
        update(&state[cue.source], with: evidence, of: cue, channel: channel, weight: weight)
        if !evidence.tags.isEmpty { state[cue.source].sortTags() }
        for tag in evidence.tags where tag.strength > 0 { state.fresh.append(tag.name) }
    }

    private func update(_ track: inout Track, with evidence: Evidence, of cue: Cue, channel: ChannelInfo, weight: Double) {
        let c = configuration
        track.cues += 1
        if weight > 0 {
            if let r = evidence.valence {
                track.valence.observe(clamp(r.value, -1, 1), variance: max(r.variance, 1e-4) / weight)
                track.noteChannelValence(channel, value: clamp(r.value, -1, 1), variance: max(r.variance, 1e-4) / weight,
                                         t: cue.t, verbal: c.verbalChannels.contains(channel.name))
            }
            if let r = evidence.arousal {
                track.arousal.observe(clamp(r.value, -1, 1), variance: max(r.variance, 1e-4) / weight)
            }
        }
        for tag in evidence.tags where tag.strength > 0 {
            let s = clamp(tag.strength, 0, 1)
            if let superseded = tables.supersedes[tag.name] {
                track.weaken(superseded, by: 1 - s)
            }
            track.addTag(tag, strength: s, channel: channel.name, at: cue.t,
                         halfLife: tag.halfLife ?? tables.tagHalfLives[tag.name] ?? c.tagHalfLife, configuration: c)
        }
        if cue.channel == "text", let text = cue.value["text"]?.string {
            track.words += Double(wordCount(text))
        }
    }

    /// Samples both arousal tracks on a fixed grid of session time (every
    /// `syncSampleInterval` s), as they stood at each grid point, so the
    /// correlation does not depend on who happened to speak when.
    private func sampleSynchrony(_ state: inout State, until t: Double) {
        let c = configuration
        let step = max(c.syncSampleInterval, 1e-3)
        if state.sync.next.isNaN {
            // The session's first event: sampling starts at the next grid point.
            state.sync.next = (t / step).rounded(.up) * step
            if state.sync.next == t { state.sync.next += step }
            return
        }
        let keep = halving(step, c.syncHalfLife)
        var n = 0
        while state.sync.next <= t && n < 256 {
            let dt = state.sync.next - state.t
            let k = halving(dt, c.arousalHalfLife)
            let other = c.baselineArousal + (state.other.arousal.mean - c.baselineArousal) * k
            let listener = c.baselineArousal + (state.listener.arousal.mean - c.baselineArousal) * k
            state.sync.observe(other: other, listener: listener, keep: keep)
            state.sync.next += step
            n += 1
        }
        // After a long silence both tracks sit at baseline: older grid points add nothing.
        if state.sync.next <= t { state.sync.next = ((t / step).rounded(.down) + 1) * step }
    }

    public func snapshot(_ state: State) -> FusedState {
        var out = FusedState()
        snapshot(state, into: &out)
        return out
    }

    /// Rebuilds `out` in place: its tag arrays keep their storage from one event to the next.
    public func snapshot(_ state: State, into out: inout FusedState) {
        let c = configuration
        out.t = state.t
        state.other.snapshot(into: &out.other, configuration: c, t: state.t)
        state.listener.snapshot(into: &out.listener, configuration: c, t: state.t)
        let totalWords = state.other.words + state.listener.words
        // `out` is reused: every field is written on every call, these included.
        out.other.talkShare = 0
        out.listener.talkShare = 0
        out.other.talkShareWeight = 0
        out.listener.talkShareWeight = 0
        if totalWords > 0.5 {
            out.other.talkShare = state.other.words / totalWords
            out.listener.talkShare = state.listener.words / totalWords
            let weight = clamp(totalWords / max(c.talkShareMinWords, 1), 0, 1)
            out.other.talkShareWeight = weight
            out.listener.talkShareWeight = weight
        }
        let (inc, detail) = state.other.incongruence(configuration: c, t: state.t)
        out.incongruence = inc
        out.incongruenceDetail = detail
        out.sync = Synchrony(arousalCorrelation: state.sync.correlation, mirroring: mirroring(state.other, state.listener))
        // Element copies, not the array: sharing it would make the next event's
        // `removeAll(keepingCapacity:)` allocate a new buffer.
        out.freshTags.removeAll(keepingCapacity: true)
        out.freshTags.append(contentsOf: state.fresh)
    }

    /// Overlap of the two people's current posture tags (Ruzicka similarity of levels).
    private func mirroring(_ a: Track, _ b: Track) -> Double {
        var minSum = 0.0, maxSum = 0.0
        // b's posture tags matched by one of a's, so the second loop need not compare names again
        // (names are unique in a track: at most one match each). Beyond 64 tags, compare as before.
        var matched: UInt64 = 0
        for tag in a.tags where tag.posture {
            var other = 0.0
            if let j = b.tags.firstIndex(where: { $0.posture && sameName($0, tag) }) {
                other = b.tags[j].effective
                if j < 64 { matched |= 1 << UInt64(j) }
            }
            minSum += min(tag.effective, other)
            maxSum += max(tag.effective, other)
        }
        for (j, tag) in b.tags.enumerated() where tag.posture {
            let seen = j < 64 ? matched & (1 << UInt64(j)) != 0
                : a.tags.contains(where: { $0.posture && sameName($0, tag) })
            if !seen { maxSum += tag.effective }
        }
        return maxSum > 0 ? minSum / maxSum : 0
    }
}

extension KalmanFusion.State {
    subscript(source: Source) -> Track {
        get { source == .other ? other : listener }
        // In place: a copy out and back would share the tag arrays and make every mutation copy them.
        _modify {
            if source == .other { yield &other } else { yield &listener }
        }
    }
}

// MARK: - Pieces of a track

struct Dimension: Sendable {
    var mean: Double = 0
    var variance: Double = 0.25

    mutating func relax(toward baseline: Double, prior: Double, dt: Double, halfLife: Double) {
        let k = halving(dt, halfLife)
        mean = baseline + (mean - baseline) * k
        variance = prior + (variance - prior) * k * k
    }

    mutating func observe(_ z: Double, variance r: Double) {
        let gain = variance / (variance + r)
        mean = clamp(mean + gain * (z - mean), -1, 1)
        variance *= (1 - gain)
    }
}

struct ActiveTag: Sendable {
    var name: String
    /// The decaying part.
    var level: Double
    /// The held part (an interval annotation still running), and until when.
    var held: Double
    var holdUntil: Double
    var halfLife: Double
    var channel: String
    var reason: String
    /// Looked up once when the tag arrives, not on every event: the flooding
    /// weight of this tag, and whether it is a denial or a nonverbal distress tag.
    var floodWeight: Double?
    var denial: Bool
    var distress: Bool
    var posture: Bool
    /// `Tag.standardIndex(of: name)`, looked up once and handed on to the snapshot's ``TagLevel``.
    /// Here, after the flags, it fits in their padding: a tag's stride stays 112 bytes.
    var standardIndex: Int32
    /// The name's hash when it is ASCII (nil otherwise), for comparing names without String (see ``sameName(_:_:)``).
    var nameKey: UInt64?

    static func nameKey(_ name: String) -> UInt64? {
        var name = name
        return name.withUTF8 { bytes in bytes.contains { $0 >= 0x80 } ? nil : NameTable<Int>.hash(bytes) }
    }

    var effective: Double { 1 - (1 - level) * (1 - held) }
}

/// Last valence reading per channel, for measuring disagreement between channels.
struct ChannelValence: Sendable {
    var channel: String
    var value: Double
    /// The reading's effective variance (after reliability and confidence).
    var variance: Double
    var t: Double
    var verbal: Bool
}

struct Track: Sendable {
    var valence = Dimension()
    var arousal = Dimension()
    var tags: [ActiveTag] = []
    var channelValence: [ChannelValence] = []
    /// Exponentially decayed word count, for talk share.
    var words: Double = 0
    var cues: Int = 0

    mutating func addTag(_ tag: CueTag, strength s: Double, channel: String, at t: Double, halfLife: Double,
                         configuration c: FusionConfiguration) {
        let i = tags.firstIndex { $0.name == tag.name } ?? {
            tags.append(ActiveTag(name: tag.name, level: 0, held: 0, holdUntil: t, halfLife: halfLife, channel: channel, reason: tag.reason,
                                  floodWeight: c.flooding.tags[tag.name], denial: c.denialTags.contains(tag.name),
                                  distress: c.nonverbalDistressTags.contains(tag.name), posture: channel == "posture",
                                  standardIndex: Tag.standardIndex(of: tag.name), nameKey: ActiveTag.nameKey(tag.name)))
            return tags.count - 1
        }()
        if let until = tag.holdUntil, until > t {
            tags[i].held = max(tags[i].held, s)
            tags[i].holdUntil = max(tags[i].holdUntil, until)
        } else {
            tags[i].level = 1 - (1 - tags[i].level) * (1 - s)
        }
        tags[i].halfLife = halfLife
        tags[i].channel = channel
        tags[i].posture = channel == "posture"
        tags[i].reason = tag.reason
    }

    mutating func weaken(_ names: [String], by factor: Double) {
        for i in tags.indices where names.contains(tags[i].name) {
            tags[i].level *= factor
            tags[i].held *= factor
        }
    }

    mutating func decayTags(from t0: Double, to t1: Double, configuration c: FusionConfiguration) {
        // In place: copying a tag out and back costs three String retains and releases per tag per event.
        var i = 0
        while i < tags.count {
            tags[i].level *= halving(t1 - t0, tags[i].halfLife)
            if tags[i].held > 0, tags[i].holdUntil < t1 {
                // The interval ended between t0 and t1: from then on its strength decays too.
                let released = tags[i].held * halving(t1 - max(tags[i].holdUntil, t0), tags[i].halfLife)
                tags[i].level = 1 - (1 - tags[i].level) * (1 - released)
                tags[i].held = 0
            }
            if tags[i].effective < c.tagFloor {
                tags.remove(at: i)
            } else {
                i += 1
            }
        }
    }

    mutating func noteChannelValence(_ channel: ChannelInfo, value: Double, variance: Double, t: Double, verbal: Bool) {
        let reading = ChannelValence(channel: channel.name, value: value, variance: variance, t: t, verbal: verbal)
        if let i = channelValence.firstIndex(where: { $0.channel == channel.name }) {
            channelValence[i] = reading
        } else {
            channelValence.append(reading)
        }
    }

    func snapshot(into s: inout TrackSnapshot, configuration c: FusionConfiguration, t: Double) {
        s.valence = valence.mean
        s.valenceSD = valence.variance.squareRoot()
        s.arousal = arousal.mean
        s.arousalSD = arousal.variance.squareRoot()
        let prior = c.priorSD * c.priorSD
        s.coverage = clamp(1 - valence.variance / prior, 0, 1)
        s.cues = cues
        writeSortedTags(into: &s.tags)
        // Flooding: the state says it, or the tags do.
        let f = c.flooding
        let byState = clamp((arousal.mean - f.arousalThreshold) / f.arousalRange, 0, 1)
            * clamp(-valence.mean / f.valenceRange, 0, 1)
        var byTags = 0.0
        var strongest = -1, strongestScore = 0.0
        for i in tags.indices {
            guard let w = tags[i].floodWeight else { continue }
            let score = w * tags[i].effective
            byTags = 1 - (1 - byTags) * (1 - score)
            if score > strongestScore { strongest = i; strongestScore = score }
        }
        s.flooded = max(byState, byTags)
        s.floodedTag = nil
        if strongest >= 0, byTags > byState {
            let tag = tags[strongest]
            s.floodedTag = TagLevel(name: tag.name, standardIndex: tag.standardIndex, level: tag.effective,
                                    channel: tag.channel, reason: tag.reason)
        }
    }

    /// Keeps `tags` strongest first (ties by name), the order a snapshot lists them in, so a
    /// snapshot copies them without sorting. Run after every change of levels: between two
    /// events the order barely moves (one new or renewed tag, decay at a handful of
    /// half-lives), so insertion sort does about one comparison a tag, where sorting the
    /// arrival order afresh for every snapshot cost ~n²/4 (a track holds about 20 tags).
    mutating func sortTags() {
        let n = tags.count
        guard n > 1 else { return }
        // Through the buffer: swaps move the tags (no String retained), and each level is worked
        // out once, kept beside its tag in scratch while they are sorted.
        tags.withUnsafeMutableBufferPointer { tags in
            withUnsafeTemporaryAllocation(of: Double.self, capacity: n) { levels in
                var sorted = true
                for i in 0..<n {
                    levels[i] = tags[i].effective
                    if i > 0, !Track.before(i - 1, i, levels, tags) { sorted = false }
                }
                guard !sorted else { return }
                for i in 1..<n {
                    var j = i
                    while j > 0, !Track.before(j - 1, j, levels, tags) {
                        tags.swapAt(j - 1, j)
                        levels.swapAt(j - 1, j)
                        j -= 1
                    }
                }
            }
        }
    }

    /// Whether tag `a` lists before tag `b`: stronger first, then by name
    /// (names are unique in a track, so the order is total).
    @inline(__always) private static func before(_ a: Int, _ b: Int, _ levels: UnsafeMutableBufferPointer<Double>,
                                                  _ tags: UnsafeMutableBufferPointer<ActiveTag>) -> Bool {
        levels[a] != levels[b] ? levels[a] > levels[b] : tags[a].name < tags[b].name
    }

    /// Writes the tags over `out` in their order (``sortTags()``), entry by entry: where an entry
    /// already holds the same String it is kept rather than released and retained again, and no
    /// array of TagLevels is built.
    private func writeSortedTags(into out: inout [TagLevel]) {
        let n = tags.count
        guard n > 0 else { if !out.isEmpty { out.removeAll(keepingCapacity: true) }; return }
        // Through buffer pointers: subscripting the arrays copied whole ActiveTags (three Strings retained).
        tags.withUnsafeBufferPointer { tags in
            // Position by position. `out` is the bus's one scratch snapshot, so it last held
            // another session's list: moving its entries into place (tried) found too few to pay
            // for the search. Strings are compared as raw words in place (reading them out retained).
            let reuse = Swift.min(out.count, n)
            out.withUnsafeMutableBufferPointer { out in
                let levelName = MemoryLayout<TagLevel>.offset(of: \TagLevel.storedName)!
                let levelChannel = MemoryLayout<TagLevel>.offset(of: \TagLevel.channel)!
                let levelReason = MemoryLayout<TagLevel>.offset(of: \TagLevel.reason)!
                let activeName = MemoryLayout<ActiveTag>.offset(of: \ActiveTag.name)!
                let activeChannel = MemoryLayout<ActiveTag>.offset(of: \ActiveTag.channel)!
                let activeReason = MemoryLayout<ActiveTag>.offset(of: \ActiveTag.reason)!
                for k in 0..<reuse {
                    let to = UnsafeRawPointer(out.baseAddress.unsafelyUnwrapped + k)
                    let from = UnsafeRawPointer(tags.baseAddress.unsafelyUnwrapped + k)
                    if !sameBits(to, levelName, from, activeName) {
                        out[k].storedName = tags[k].name
                        out[k].standardIndex = tags[k].standardIndex
                    }
                    out[k].level = tags[k].effective
                    if !sameBits(to, levelChannel, from, activeChannel) { out[k].channel = tags[k].channel }
                    if !sameBits(to, levelReason, from, activeReason) { out[k].reason = tags[k].reason }
                }
            }
            // One at a time: `removeSubrange` goes through the generic `replaceSubrange` (about
            // 900 instructions), and it is nearly always one tag that expired.
            while out.count > n { out.removeLast() }
            for k in reuse..<n {
                out.append(TagLevel(name: tags[k].name, standardIndex: tags[k].standardIndex, level: tags[k].effective,
                                    channel: tags[k].channel, reason: tags[k].reason))
            }
        }
    }

    /// Disagreement between channels about valence, and denial in words while the body shows distress.
    func incongruence(configuration c: FusionConfiguration, t: Double) -> (Double, IncongruenceDetail) {
        // No words here: the detail keeps the values, written out only if read. Read through
        // buffers: `for tag in tags` and `channelValence[i]` copied each element (its Strings
        // retained and released), on every event.
        channelValence.withUnsafeBufferPointer { cvs in
            tags.withUnsafeBufferPointer { tags in
                var best = 0.0, bestPair = (-1, -1)
                if cvs.count >= 2 {
                    // Each reading's freshness once, not once per pair it is in (same values, same products).
                    withUnsafeTemporaryAllocation(of: Double.self, capacity: cvs.count) { fresh in
                        for i in cvs.indices { fresh[i] = halving(t - cvs[i].t, c.incongruenceHalfLife) }
                        for i in cvs.indices {
                            for j in cvs.indices where j > i {
                                let z = abs(cvs[i].value - cvs[j].value) / (cvs[i].variance + cvs[j].variance).squareRoot()
                                let d = clamp((z - c.incongruenceOnset) / (c.incongruenceFull - c.incongruenceOnset), 0, 1)
                                    * (fresh[i] * fresh[j])
                                if d > best {
                                    best = d
                                    bestPair = (i, j)
                                }
                            }
                        }
                    }
                }
                var detail = IncongruenceDetail.written(reason: "", channels: "")
                if bestPair.0 >= 0 {
                    let a = bestPair.0, b = bestPair.1
                    detail = .pair(cvs[a].channel, cvs[a].value, cvs[b].channel, cvs[b].value)
                }
                var denial = 0.0, denialAt = -1
                for k in tags.indices where tags[k].denial && tags[k].effective > denial {
                    denial = tags[k].effective
                    denialAt = k
                }
                if denialAt >= 0 {
                    var shown = 0.0, shownTag = -1, shownReading = -1
                    for k in tags.indices where tags[k].distress && tags[k].effective > shown {
                        shown = tags[k].effective
                        shownTag = k
                    }
                    for i in cvs.indices where !cvs[i].verbal {
                        // A confident negative reading counts fully; one as vague as the prior barely.
                        let sure = 0.25 / (0.25 + cvs[i].variance)
                        let neg = max(0, -cvs[i].value) * sure * halving(t - cvs[i].t, c.incongruenceHalfLife) * 2
                        if neg > shown {
                            shown = min(1, neg)
                            shownReading = i
                        }
                    }
                    let d = denial * shown
                    if d > best {
                        best = d
                        // d > 0, so something was shown; a reading, found after the tags, beat the tag.
                        if shownReading >= 0 {
                            detail = .denial(tags[denialAt].reason, channel: cvs[shownReading].channel, tagReason: nil,
                                             valence: cvs[shownReading].value)
                        } else {
                            detail = .denial(tags[denialAt].reason, channel: tags[shownTag].channel,
                                             tagReason: tags[shownTag].reason, valence: 0)
                        }
                    }
                }
                return (clamp(best, 0, 1), detail)
            }
        }
    }
}

/// Exponentially windowed covariance of the two arousal tracks.
struct SyncStats: Sendable {
    var w = 0.0, mo = 0.0, ms = 0.0, vo = 0.0, vs = 0.0, cov = 0.0
    /// The next grid time to sample (NaN until the session has a clock).
    var next = Double.nan

    mutating func observe(other: Double, listener: Double, keep: Double) {
        w *= keep
        // West's weighted incremental update with unit weight for the new sample.
        let nw = w + 1
        let dOther = other - mo, dSelf = listener - ms
        mo += dOther / nw
        ms += dSelf / nw
        vo = (vo * w + dOther * (other - mo)) / nw
        vs = (vs * w + dSelf * (listener - ms)) / nw
        cov = (cov * w + dOther * (listener - ms)) / nw
        w = nw
    }

    var correlation: Double? {
        guard w >= 3, vo > 1e-6, vs > 1e-6 else { return nil }
        return clamp(cov / (vo * vs).squareRoot(), -1, 1)
    }
}

// MARK: - Helpers

/// Whether the Strings stored at `a + aOffset` and `b + bOffset` are the same value bit for bit
/// (one storage, or the same small string): then they have the same bytes. Not `==`, which is
/// also true for different bytes that are canonically equivalent, and the bytes are what gets
/// written out. Read in place: copying the Strings out to compare them retained each.
@inline(__always) func sameBits(_ a: UnsafeRawPointer, _ aOffset: Int, _ b: UnsafeRawPointer, _ bOffset: Int) -> Bool {
    a.load(fromByteOffset: aOffset, as: UInt64.self) == b.load(fromByteOffset: bOffset, as: UInt64.self)
        && a.load(fromByteOffset: aOffset + 8, as: UInt64.self) == b.load(fromByteOffset: bOffset + 8, as: UInt64.self)
}

/// `a.name == b.name`, with a cheap no from the names' hashes when both are ASCII (two ASCII
/// strings are equal only when their bytes are). Others go to String's canonical comparison.
@inline(__always) func sameName(_ a: ActiveTag, _ b: ActiveTag) -> Bool {
    if let ka = a.nameKey, let kb = b.nameKey, ka != kb { return false }
    return a.name == b.name
}

/// e^(−ln2·dt/halfLife): the factor a quantity keeps after `dt` seconds.
@inline(__always) func halving(_ dt: Double, _ halfLife: Double) -> Double {
    guard dt > 0 else { return 1 }
    guard halfLife > 0 else { return 0 }
    return exp(-0.6931471805599453 * dt / halfLife)
}

@inline(__always) func clamp(_ x: Double, _ lo: Double, _ hi: Double) -> Double {
    x.isNaN ? lo : min(max(x, lo), hi)
}

/// `x` with its sign and two decimals ("+0.35", "-0.6"), as reasons write it.
func signed(_ x: Double) -> String { RawWriter.compose(NumberFormat.maxBytes + 1) { $0.signed2(x) } }

func wordCount(_ text: String) -> Int {
    var text = text
    // Over the contiguous bytes: iterating `String.UTF8View` costs several times more per byte.
    return text.withUTF8 { bytes in
        var n = 0, inWord = false
        for b in bytes {
            let space = b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D
            if !space && !inWord { n += 1 }
            inWord = !space
        }
        return n
    }
}
