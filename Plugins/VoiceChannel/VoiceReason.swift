import Glibc

/// Builds a tag's reason (the bus adds the `voice: ` prefix), e.g. `quieter (-6.2 dB), slower and more monotone than usual`.
/// Only used when a tag fires, so the cue path builds no strings; when it does, the
/// text is one allocation: the words are literals held in place, not an array of parts
/// joined with `+=` (which allocated an array and regrew the string once per part).
struct VoiceReason {
    /// Room for the most parts a tag names (the flat and agitated tags' five slots).
    private var words: InlineArray<5, String> = .init(repeating: "")
    private var count = 0
    /// The first part's change in its feature's units (`-6.2 dB`), when it has one.
    private var change: String?

    /// Names `slot` when it deviates by at least `minZ` spreads in `direction` (+1 up, -1 down).
    /// The first part named also quotes the change in the units of the feature that gave it.
    mutating func add(_ slots: Slots<VoiceChannel.SlotReading>, _ slot: VoiceSlot, _ direction: Double,
                      _ words: String, _ minZ: Double) {
        let r = slots[slot]
        guard r.n > 0, direction * r.z >= minZ else { return }
        precondition(count < self.words.count, "VoiceReason: more parts than a tag names")
        if count == 0, r.quoted < VoiceFeatures.mapped.count {
            change = Self.change(r.quotedDelta, VoiceFeatures.mapped[r.quoted])
        }
        self.words[count] = words
        count += 1
    }

    /// `a (change), b and c than usual`, or `different from usual` when nothing was named.
    var text: String {
        guard count > 0 else { return "different from usual" }
        let tail = " than usual"
        var n = tail.utf8.count + (change.map { $0.utf8.count + 3 } ?? 0)
        for i in 0..<count { n += words[i].utf8.count + (i == 0 ? 0 : i == count - 1 ? 5 : 2) }
        return String(unsafeUninitializedCapacity: n) { buf in
            var at = 0
            func put(_ s: String) {
                var s = s
                s.withUTF8 { at = UnsafeMutableBufferPointer(rebasing: buf[at...]).initialize(fromContentsOf: $0) + at }
            }
            for i in 0..<count {
                if i > 0 { put(i == count - 1 ? " and " : ", ") }
                put(words[i])
                if i == 0, let change { put(" ("); put(change); put(")") }
            }
            put(tail)
            return at
        }
    }

    /// `-6.2 dB`, `+38 Hz`, `-35%` (log-scale features: the relative change).
    static func change(_ delta: Double, _ f: VoiceFeature) -> String {
        switch f.scale {
        case .log:
            return signed((delta.exp() - 1) * 100, decimals: 0) + "%"
        case .linear:
            return f.unit.isEmpty ? signed(delta, decimals: f.decimals) : signed(delta, decimals: f.decimals) + " " + f.unit
        }
    }

    /// A signed fixed-point number without Foundation: `+12.5`, `-0.030`, `+0`.
    static func signed(_ x: Double, decimals: Int) -> String {
        guard x.isFinite else { return "\(x)" }
        var scale = 1.0
        for _ in 0..<max(0, decimals) { scale *= 10 }
        let scaled = (abs(x) * scale).rounded()
        // Beyond Int's range (a feature of 1e300 is valid JSON) converting would trap.
        guard scaled < 9.0e15 else { return (x < 0 ? "" : "+") + "\(x)" }
        let negative = x < 0 && scaled > 0
        let whole = Int(scaled / scale)
        let frac = Int(scaled - Double(whole) * scale)
        var s = (negative ? "-" : "+") + String(whole)
        if decimals > 0 {
            let digits = String(frac)
            s += "." + String(repeating: "0", count: max(0, decimals - digits.count)) + digits
        }
        return s
    }
}

private extension Double {
    func exp() -> Double { Glibc.exp(self) }
}
