import ArgumentParser
import Attune

@main
struct AttuneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attune",
        abstract: "Stay attuned: fuse cues about a person into a recommended response mode.",
        discussion: """
            Attune reads timestamped cues (words, voice prosody, posture, precomputed affect) about the \
            person you are with, as JSON lines, and recommends how to respond right now: comfort, space, \
            question (check in) or reflect (mirror it back), with a confidence and the reasons.

              producer | attune run                 recommendations as JSON lines
              attune run --plugin physio=./p.py     a channel plugin in any language (Protocols/exec-plugin.md)
              attune run --format tty session.jsonl one readable line per mode change
              attune report session.jsonl -o r.html an HTML chart of a session
              attune validate recordings/*.jsonl    check files against the protocol
              attune replay --speed 10 s.jsonl      play a recording at its own pace
              attune analyze text < lines.txt       what one channel makes of its input
              attune config --print-defaults        every threshold, weight and half-life

            Attune supports research and training. It is not a crisis tool.
            """,
        subcommands: [Run.self, Replay.self, Report.self, Validate.self, Analyze.self, Config.self],
        defaultSubcommand: nil
    )
}
