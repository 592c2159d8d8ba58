import Attune

/// The built-in channels as configured, with a user lexicon for the text channel when given.
func standardChannels(_ configuration: AttuneConfiguration, lexicon path: String?) throws -> ChannelRegistry {
    .standard(configuration, lexicon: try loadLexicon(path))
}

/// The user lexicon from `--lexicon`, parsed once (each thread of `attune run --threads` builds its channels from it).
func loadLexicon(_ path: String?) throws -> UserLexicon {
    guard let path else { return .empty }
    let text = try readWholeFile(path)
    do {
        return try TextChannel.parseLexiconTSV(text)
    } catch {
        throw CLIError("\(path): \(error)")
    }
}


enum ArgumentHelpText {
    static let lexicon = "A word table for the text channel (TSV: word, valence, arousal, optional dominance; -1..1, or 1..9 norms with a '#scale: 1-9' line); its entries take precedence over the built-in lexicons. See Protocols/channels/text.md."
}
