/// The output formats `attune run --format` knows.
public enum OutputFormat: String, Sendable, Hashable, CaseIterable {
    /// Protocol v1 JSON lines (the default).
    case jsonl
    /// One flat CSV row per recommendation.
    case csv
    /// A readable, optionally coloured line per mode change.
    case tty
    /// A W3C EmotionML 1.0 document.
    case emotionml
}

/// One `--output FORMAT:PATH`: a format and where it goes (`-` is standard output).
public struct OutputTarget: Sendable, Hashable, CustomStringConvertible {
    public var format: OutputFormat
    public var path: String

    public init(format: OutputFormat, path: String = "-") {
        self.format = format
        self.path = path
    }

    public var isStandardOutput: Bool { path == "-" }

    /// Parses `csv:run.csv`, `jsonl:-`, or a bare `tty` (standard output). The
    /// path is everything after the first colon, so it may contain colons.
    public init(parsing text: String) throws(OutputTargetError) {
        let name: Substring
        let path: Substring
        if let colon = text.firstIndex(of: ":") {
            name = text[..<colon]
            path = text[text.index(after: colon)...]
        } else {
            name = text[...]
            path = "-"
        }
        guard let format = OutputFormat(rawValue: String(name)) else {
            throw OutputTargetError(message: "unknown output format \"\(name)\" in \"\(text)\" (known: \(OutputFormat.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        guard !path.isEmpty else { throw OutputTargetError(message: "no path after \"\(name):\" (use - for standard output)") }
        self.init(format: format, path: String(path))
    }

    /// Checks a set of targets: at most one on standard output, no file twice.
    public static func check(_ targets: [OutputTarget]) throws(OutputTargetError) {
        if targets.filter(\.isStandardOutput).count > 1 {
            throw OutputTargetError(message: "only one output may go to standard output (-); send the others to files, e.g. --output csv:run.csv")
        }
        var seen: Set<String> = []
        for t in targets where !t.isStandardOutput {
            if !seen.insert(t.path).inserted { throw OutputTargetError(message: "two outputs write to \(t.path)") }
        }
    }

    public var description: String { "\(format.rawValue):\(path)" }
}

public struct OutputTargetError: Error, Hashable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// Settings the adapters need from outside (the terminal, the configuration).
public struct OutputSettings: Sendable, Hashable {
    /// ANSI colour for `tty` output.
    public var color = false
    /// `fusion.priorSD`, for EmotionML confidences.
    public var priorSD = 0.5
    public init(color: Bool = false, priorSD: Double = 0.5) {
        self.color = color
        self.priorSD = priorSD
    }
}

extension OutputFormat {
    /// An adapter writing this format to `sink`.
    public func makeAdapter(sink: ByteSink, settings: OutputSettings = .init()) -> any OutputAdapter {
        switch self {
        case .jsonl: return JSONLinesAdapter(sink: sink)
        case .csv: return CSVAdapter(sink: sink)
        case .tty: return TerminalAdapter(sink: sink, color: settings.color)
        case .emotionml: return EmotionMLAdapter(sink: sink, priorSD: settings.priorSD)
        }
    }
}

/// Several adapters fed the same recommendations, in order.
public struct FanOutAdapter: OutputAdapter {
    public var adapters: [any OutputAdapter]

    public init(_ adapters: [any OutputAdapter]) { self.adapters = adapters }

    public mutating func write(_ recommendation: Recommendation) throws {
        for i in adapters.indices { try adapters[i].write(recommendation) }
    }

    public mutating func finish(_ counts: RunCounts) throws {
        for i in adapters.indices { try adapters[i].finish(counts) }
    }
}

/// Paces a recorded stream by its timestamps for `attune replay`: given the
/// event time and the wall-clock time now (both in seconds), how long to
/// wait before handing the event on. Time only moves forward: an event
/// earlier than one already replayed goes at once. Several sessions share
/// one timeline, as they were recorded.
public struct Pacer: Sendable, Hashable {
    /// 1 = real time, 10 = ten times faster.
    public var speed: Double
    private var origin: (t: Double, wall: Double)?
    private var latest = -Double.infinity

    public init(speed: Double = 1) { self.speed = speed }

    /// Seconds to wait (>= 0) before the event at session time `t`.
    public mutating func delay(before t: Double, now: Double) -> Double {
        guard t.isFinite else { return 0 }
        guard let origin else {
            self.origin = (t, now)
            latest = t
            return 0
        }
        latest = max(latest, t)
        let due = origin.wall + (latest - origin.t) / speed
        return max(0, due - now)
    }

    public static func == (a: Pacer, b: Pacer) -> Bool {
        a.speed == b.speed && a.latest == b.latest && a.origin?.t == b.origin?.t && a.origin?.wall == b.origin?.wall
    }

    public func hash(into h: inout Hasher) {
        h.combine(speed); h.combine(latest); h.combine(origin?.t); h.combine(origin?.wall)
    }
}
