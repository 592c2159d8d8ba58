import Attune

/// The built-in channels as configured, with a user lexicon for the text channel when given.
func standardChannels(_ configuration: AttuneConfiguration, lexicon path: String?) throws -> ChannelRegistry {
    guard let path else { return .standard(configuration) }
    let text = try readWholeFile(path)
    do {
        return .standard(configuration, lexicon: try TextChannel.parseLexiconTSV(text))
    } catch {
        throw CLIError("\(path): \(error)")
    }
}


enum ArgumentHelpText {
    static let lexicon = "A word table for the text channel (TSV: word, valence, arousal, optional dominance; -1..1, or 1..9 norms with a '#scale: 1-9' line); its entries take precedence over the built-in lexicons. See Protocols/channels/text.md."
}
