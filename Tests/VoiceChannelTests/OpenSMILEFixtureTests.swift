import AttuneCore
import Testing
@testable import VoiceChannel

/// eGeMAPSv02 features extracted by openSMILE from espeak-ng speech (see Fixtures/make_fixture.py):
/// 8 calm utterances for the baseline, then calm, agitated and flat ones interleaved.
@Suite struct OpenSMILEFixtureTests {
    let voice = VoiceChannel(configuration: .init())

    func run() -> [(FixtureUtterance, Evidence)] {
        var state = voice.makeState()
        return readFixture().map { u in (u, voice.evidence(from: cue(u.value, t: u.t), state: &state)) }
    }

    @Test func fixtureIsAFullEGeMAPSExport() {
        let utterances = readFixture()
        #expect(utterances.count == 17)
        #expect(utterances.allSatisfy { $0.features.count == 88 })
        #expect(utterances.allSatisfy { voice.validate($0.value) == nil })
    }

    @Test func noWarningsForRealOpenSMILENames() {
        let warnings = run().flatMap { $0.1.warnings }
        #expect(warnings.isEmpty, "\(warnings)")
    }

    @Test func agitatedAboveCalmAboveFlat() throws {
        let results = run().filter { $0.0.label != "calm_baseline" }
        func arousal(_ label: String) throws -> [Double] {
            try results.filter { $0.0.label == label }.map { try #require($0.1.arousal).value }
        }
        let (calm, agitated, flat) = (try arousal("calm"), try arousal("agitated"), try arousal("flat"))
        #expect(calm.count == 4 && agitated.count == 3 && flat.count == 2)
        #expect(agitated.min()! > calm.max()! + 0.3, "agitated \(agitated) vs calm \(calm)")
        #expect(flat.max()! < calm.min()!, "flat \(flat) vs calm \(calm)")
        #expect(calm.allSatisfy { abs($0) < 0.5 }, "\(calm)")
    }

    @Test func tagsOnTheRightUtterances() {
        for (u, e) in run() where u.label != "calm_baseline" {
            switch u.label {
            case "agitated": #expect(e.tag(Tag.agitated) != nil, "t=\(u.t)")
            case "flat": #expect(e.tag(Tag.flatLowEnergy) != nil, "t=\(u.t)")
            default: #expect(e.tag(Tag.agitated) == nil && e.tag(Tag.flatLowEnergy) == nil, "t=\(u.t): \(e.tags)")
            }
        }
    }
}
