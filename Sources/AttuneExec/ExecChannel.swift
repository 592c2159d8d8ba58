import AttuneCore

/// The ``ChannelPlugin`` face of an ``ExecPlugin``: what goes into the registry.
///
/// Two deliberate departures from the usual plugin contract, both because the
/// real plugin lives in another process:
/// - `validate(_:)` is not stateless: once the plugin has failed it rejects
///   every cue of the channel with `channel disabled: <why>`, which is how the
///   engine's existing accounting counts those cues as rejected (no engine hook
///   needed). Otherwise any JSON value is accepted; the plugin judges it.
/// - The per-session state lives in the plugin process, which sees `session`
///   and `source` in every cue line, so the bus-side `State` is `NoState`.
///
/// Determinism still holds when the plugin is deterministic: the bus applies
/// cues in timestamp order and asks synchronously, one cue, one reply.
public struct ExecChannel: ChannelPlugin {
    public let process: ExecPlugin
    public var name: String { process.channelName }

    public init(process: ExecPlugin) { self.process = process }

    public func validate(_ value: JSONValue) -> String? { process.rejection() }

    public func evidence(from cue: Cue, state: inout NoState) -> Evidence { process.evidence(for: cue) }
}

/// Several exec plugins started from `NAME=COMMAND` specs (the CLI's `--plugin`).
///
/// ```swift
/// let plugins = try ExecPluginSet(specs: ["physio=python3 physio_plugin.py"])
/// plugins.start()
/// var engine = StandardEngine(channels: plugins.registering(into: .standard))
/// ```
public final class ExecPluginSet: @unchecked Sendable {
    // @unchecked: holds ExecPlugins, which are used by the one thread driving the engine.
    public let plugins: [ExecPlugin]

    public init(plugins: [ExecPlugin] = []) { self.plugins = plugins }

    /// Parses `NAME=COMMAND` specs. Throws on a malformed spec or a channel named twice.
    public convenience init(specs: [String], options: ExecPlugin.Options = .init()) throws(ExecWireError) {
        var list: [ExecPlugin] = []
        for spec in specs {
            let (name, command) = try ExecPluginSet.parse(spec)
            if list.contains(where: { $0.channelName == name }) {
                throw ExecWireError("--plugin \(name)=...: channel \"\(name)\" is given twice")
            }
            list.append(ExecPlugin(channel: name, command: command, options: options))
        }
        self.init(plugins: list)
    }

    /// Splits `NAME=COMMAND` at the first `=`; NAME must be a channel name (letters, digits, `_`, `-`).
    public static func parse(_ spec: String) throws(ExecWireError) -> (name: String, command: String) {
        guard let eq = spec.firstIndex(of: "=") else {
            throw ExecWireError("--plugin \(clip(spec)): expected NAME=COMMAND, e.g. physio=./physio_plugin.py")
        }
        let name = String(spec[..<eq])
        let command = String(spec[spec.index(after: eq)...])
        let ok = !name.isEmpty && name.utf8.count <= 64 && name.utf8.allSatisfy {
            ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || ($0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z"))
                || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-")
        }
        guard ok else { throw ExecWireError("--plugin \(clip(spec)): \"\(clip(name))\" is not a channel name (letters, digits, _ and -)") }
        guard command.contains(where: { !$0.isWhitespace }) else { throw ExecWireError("--plugin \(name)=: the command is empty") }
        return (name, command)
    }

    /// Starts every plugin (each spawn + handshake); failures are kept for ``drainFailures()``.
    public func start() {
        for p in plugins { p.start() }
    }

    /// `registry` with every plugin's channel registered (replacing a built-in of the same name).
    public func registering(into registry: ChannelRegistry) -> ChannelRegistry {
        var r = registry
        for p in plugins { r.register(p.channel) }
        return r
    }

    /// New failures across all plugins.
    public func drainFailures() -> [ExecPluginFailure] { plugins.flatMap { $0.drainFailures() } }

    /// Whether any plugin has failed.
    public var anyFailed: Bool { plugins.contains { $0.counts.failures > 0 } }

    /// One summary line per plugin.
    public var summaryLines: [String] { plugins.map(\.summary) }

    /// Shuts every plugin down (close input, wait, kill, reap).
    public func shutdown() {
        for p in plugins { p.shutdown() }
    }
}
