import Glibc

/// Builds a tag's reason (the bus adds the `voice: ` prefix), e.g. `quieter (-6.2 dB), slower and more monotone than usual`.
/// Only used when a tag fires, so the cue path builds no strings.
struct VoiceReason {
    private var parts: [String] = []

    /// Names `slot` when it deviates by at least `minZ` spreads in `direction` (+1 up, -1 down).
    /// The first part named also quotes the change in the units of the feature that gave it.
    mutating func add(_ slots: Slots<VoiceChannel.SlotReading>, _ slot: VoiceSlot, _ direction: Double,
                      _ words: String, _ minZ: Double) {
        let r = slots[slot]
        guard r.n > 0, direction * r.z >= minZ else { return }
        if parts.isEmpty, r.quoted < VoiceFeatures.mapped.count {
            parts.append("\(words) (\(Self.change(r.quotedDelta, VoiceFeatures.mapped[r.quoted])))")
        } else {
            parts.append(words)
        }
    }

    var text: String {
        var s = ""
        for (i, p) in parts.enumerated() {
            if i > 0 { s += i == parts.count - 1 ? " and " : ", " }
            s += p
        }
        return parts.isEmpty ? "different from usual" : s + " than usual"
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
