/// A person's own running baseline for one numeric feature (pitch, loudness,
/// heart rate...), robust to outliers: how far is this reading from what is
/// usual *for them*?
///
/// ```swift
/// var hr = RunningBaseline(spreadFloor: 2)          // bpm: never trust a spread below 2 bpm
/// for bpm in [72, 70, 74, 71, 73] { _ = hr.update(bpm) }
/// let z = hr.update(110)                             // ≈ +19: far above their usual
/// ```
///
/// The method, in short (all O(1), no allocation, a value type you keep in a
/// plugin's `State`):
/// - **Location and spread** are exponentially weighted estimates of the mean
///   and of the mean absolute deviation (scaled by √(π/2) so `spread` is on the
///   scale of a standard deviation for normal data). The weight of a new sample
///   is `1/(n+1)` while the baseline is young (a plain average, so a few samples
///   already give a usable baseline) and never less than `adaptation`, so the
///   baseline keeps following slow drifts over roughly `1/adaptation` samples.
/// - **Winsorised updates**: once `clipAfter` samples are in, a new sample
///   enters the estimates clipped to `mean ± clip·spread`. An outburst is
///   reported at full size by `update(_:)` but moves the baseline only as much
///   as a `clip`-sigma sample would, so the next outburst still stands out; a
///   lasting change still gets absorbed, because every clipped sample widens the
///   spread a little and moves the mean a little.
/// - **Spread floor**: the spread is never taken below `spreadFloor` (the
///   feature's measurement noise, in its own units): with few or very steady
///   samples the raw spread can be near zero and every wobble would look huge.
public struct RunningBaseline: Sendable, Hashable {
    /// What the samples so far have taught: the part of a baseline that changes.
    public private(set) var estimate = Estimate()
    /// How it learns: the same for every baseline of one feature.
    public private(set) var settings: Settings

    /// Samples included so far.
    public var count: Int { estimate.count }
    /// The robust running mean (0 before the first sample).
    public var mean: Double { estimate.mean }

    /// The smallest spread ever used, in the feature's own units (> 0).
    public var spreadFloor: Double {
        get { settings.spreadFloor }
        set { settings.spreadFloor = newValue }
    }
    /// Minimum weight of a new sample once the baseline is old (0...1): about 1/samples remembered.
    public var adaptation: Double {
        get { settings.adaptation }
        set { settings.adaptation = newValue }
    }
    /// Samples enter the baseline clipped to `mean ± clip·spread` (in spreads).
    public var clip: Double {
        get { settings.clip }
        set { settings.clip = newValue }
    }
    /// Clipping starts once this many samples are in (before that, the spread is too uncertain to clip with).
    public var clipAfter: Int {
        get { settings.clipAfter }
        set { settings.clipAfter = newValue }
    }

    /// The changing part alone, 24 bytes: a plugin that keeps many baselines per session
    /// with shared settings (the voice channel: one per feature name and person) stores
    /// these and the settings once, instead of a whole `RunningBaseline` (56 bytes) each.
    public struct Estimate: Sendable, Hashable {
        public var count: Int = 0
        public var mean: Double = 0
        /// Exponentially weighted mean absolute deviation from `mean`, bias-corrected for small counts.
        public var absDev: Double = 0
        public init() {}
    }

    /// The parameters of ``init(spreadFloor:adaptation:clip:clipAfter:)``, sanitised the same
    /// way; take them from a `RunningBaseline` made with that initialiser (`.settings`).
    /// Use the static ``update(_:_:_:)`` and friends on an `Estimate` with these.
    public struct Settings: Sendable, Hashable {
        public var spreadFloor: Double
        public var adaptation: Double
        public var clip: Double
        public var clipAfter: Int
    }

    /// - Parameters:
    ///   - spreadFloor: the smallest spread ever used, in the feature's units; a small positive number
    ///     (not 0) so that z-scores stay finite.
    ///   - adaptation: the floor on a new sample's weight, 0.05 ≈ remembers the last ~20 samples.
    ///   - clip: winsorising limit in spreads.
    ///   - clipAfter: samples before clipping starts.
    public init(spreadFloor: Double = 1e-9, adaptation: Double = 0.05, clip: Double = 2.5, clipAfter: Int = 3) {
        settings = Settings(spreadFloor: spreadFloor > 0 ? spreadFloor : 1e-9,
                            adaptation: min(1, max(0, adaptation)),
                            clip: clip > 0 ? clip : 2.5,
                            clipAfter: max(1, clipAfter))
    }

    public init(estimate: Estimate, settings: Settings) {
        self.estimate = estimate
        self.settings = settings
    }

    /// A standard-deviation-like robust spread, never below `spreadFloor`.
    public var spread: Double { Self.spread(estimate, settings) }

    /// How far `x` lies from the baseline, in spreads (0 while the baseline is empty). Does not update.
    public func zScore(_ x: Double) -> Double {
        count == 0 ? 0 : (x - mean) / spread
    }

    /// A 0...1 trust in the baseline that grows with its sample count: `count / (count + halfAt)`,
    /// so it is 0.5 after `halfAt` samples.
    public func confidence(halfAt: Double) -> Double { Self.confidence(estimate, halfAt: halfAt) }

    /// Scores `x` against the baseline as it was *before* `x`, then folds `x` in
    /// (winsorised). Returns the z-score, 0 for the first sample. Non-finite
    /// samples are ignored (returns 0, changes nothing).
    @discardableResult
    public mutating func update(_ x: Double) -> Double { Self.update(&estimate, x, settings) }

    @inline(__always)
    public static func spread(_ e: Estimate, _ s: Settings) -> Double {
        // √(π/2): mean absolute deviation -> standard deviation for normal data.
        max(e.absDev * 1.2533141373155003, s.spreadFloor)
    }

    @inline(__always)
    public static func confidence(_ e: Estimate, halfAt: Double) -> Double {
        let n = Double(e.count)
        return halfAt > 0 ? n / (n + halfAt) : (e.count > 0 ? 1 : 0)
    }

    /// ``update(_:)`` on the parts.
    @inline(__always)
    public static func update(_ e: inout Estimate, _ x: Double, _ settings: Settings) -> Double {
        guard x.isFinite else { return 0 }
        if e.count == 0 {
            e.mean = x
            e.count = 1
            return 0
        }
        let s = spread(e, settings)
        let z = (x - e.mean) / s
        var xi = x
        if e.count >= settings.clipAfter {
            let limit = settings.clip * s
            xi = min(e.mean + limit, max(e.mean - limit, x))
        }
        let n = Double(e.count)
        let w = max(1 / (n + 1), settings.adaptation)
        let d = xi - e.mean
        // |x - previous mean| overstates the deviation from the true mean by √(1+1/n) on average
        // while n is small; correct it so early z-scores are not inflated.
        let dev = abs(d) / (1 + 1 / n).squareRoot()
        // The spread averages n-1... deviations: the first one gets full weight.
        let wDev = max(1 / n, settings.adaptation)
        e.absDev += wDev * (dev - e.absDev)
        e.mean += w * d
        e.count += 1
        return z
    }
}
