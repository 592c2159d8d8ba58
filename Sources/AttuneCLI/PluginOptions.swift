import ArgumentParser
import Attune
import AttuneExec

/// `attune run --plugin NAME=COMMAND --plugin-timeout S`: out-of-process channel
/// plugins (Protocols/exec-plugin.md). Kept apart from Run.swift, which only
/// starts them, reports their failures and prints their summary lines.
struct PluginOptions: ParsableArguments {
    @Option(name: .customLong("plugin"), help: ArgumentHelp(
        "Run COMMAND (via /bin/sh -c) as the plugin for channel NAME: one JSON cue per line on its stdin, one JSON evidence line back per cue (see Protocols/exec-plugin.md). Repeatable.",
        valueName: "NAME=COMMAND"))
    var specs: [String] = []

    @Option(name: .customLong("plugin-timeout"), help: ArgumentHelp(
        "Seconds a plugin has for its handshake and for each reply (default 2). A plugin that is late, crashes or answers garbage is killed and its channel disabled (with --strict: the run stops, exit status 69).",
        valueName: "seconds"))
    var timeout: Double = 2

    func validate() throws {
        guard timeout > 0, timeout.isFinite else { throw ValidationError("--plugin-timeout must be a number > 0") }
        do { _ = try ExecPluginSet(specs: specs) } catch { throw ValidationError(error.message) }
    }

    /// Starts the plugins (spawn + handshake). Failures are kept for `report`.
    func start() throws -> ExecPluginSet {
        var options = ExecPlugin.Options()
        options.replyTimeout = timeout
        options.handshakeTimeout = timeout
        options.exitTimeout = timeout
        let set: ExecPluginSet
        do { set = try ExecPluginSet(specs: specs, options: options) } catch { throw CLIError(error.message) }
        set.start()
        return set
    }
}

extension ExecPluginSet {
    /// Prints new failures (`attune: plugin physio (./p.py): no reply within 2 s; channel physio disabled`);
    /// true if there were any.
    func report() -> Bool {
        let failures = drainFailures()
        for f in failures { printError("attune: \(f)") }
        return !failures.isEmpty
    }
}
