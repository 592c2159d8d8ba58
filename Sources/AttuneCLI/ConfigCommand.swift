import ArgumentParser
import Attune

extension AttuneCommand {
    struct Config: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the configuration: every threshold, weight and half-life.",
            discussion: """
                attune config --print-defaults prints the built-in configuration as JSON. Copy the parts \
                you want to change into a file and pass it with attune run --config FILE: it is merged \
                key by key over the defaults, and an unknown key is an error. \
                attune config --config FILE prints the merged result. Every key is documented in \
                Protocols/configuration.md.
                """
        )

        @Flag(name: .customLong("print-defaults"), help: "Print the defaults.")
        var printDefaults = false

        @Option(help: ArgumentHelp("Print this override file merged over the defaults.", valueName: "file"))
        var config: String?

        func run() throws {
            guard printDefaults || config != nil else {
                throw ValidationError("say --print-defaults, or --config FILE to see a merged configuration")
            }
            let configuration = printDefaults && config == nil ? AttuneConfiguration() : try loadConfiguration(config)
            print(configuration.json.prettyText())
        }
    }
}
