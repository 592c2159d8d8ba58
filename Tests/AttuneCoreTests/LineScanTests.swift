@testable import AttuneCore
import Testing

/// The decoder's line scan has a vector path (SSE2, in the C shim) and a Swift path
/// (eight bytes at a time) for other machines; both must agree with the plain
/// byte-by-byte definitions on every input, whatever its length and alignment.
@Suite struct LineScanTests {
    /// The definitions, one byte at a time.
    func reference(_ bytes: [UInt8]) -> LineScan {
        var colons = 0
        var inString = false
        for b in bytes {
            if b == 0x22 { inString.toggle() } else if b == 0x3A, !inString { colons += 1 }
        }
        return LineScan(isPlainASCII: !bytes.contains { $0 == 0 || $0 >= 0x80 },
                        hasBackslash: bytes.contains(0x5C), colons: colons)
    }

    func check(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            let want = reference(bytes)
            for got in [scanLine(raw), scanLineWords(raw)] {
                #expect(got.isPlainASCII == want.isPlainASCII && got.hasBackslash == want.hasBackslash, "\(bytes)")
                if !want.hasBackslash {
                    #expect(got.colons == want.colons, "\(bytes)")
                    #expect(got.colons == writtenKeyCount(raw), "\(bytes)")
                }
            }
        }
    }

    @Test func agreesOnRandomLines() {
        var rng = SystemRandomNumberGenerator()
        let alphabet: [UInt8] = Array(#"":{},[]a0 "#.utf8) + [0x5C, 0x00, 0x7F, 0x80, 0xC3, 0xA9, 0xFF]
        for _ in 0..<20_000 {
            let n = Int.random(in: 1...70, using: &rng)
            var bytes = (0..<n).map { _ in alphabet.randomElement(using: &rng)! }
            // Mostly lines without backslashes or odd bytes, where the colon count is used.
            if Bool.random(using: &rng) { bytes = bytes.map { $0 == 0x5C || $0 == 0 || $0 >= 0x7F ? 0x61 : $0 } }
            check(bytes)
        }
    }

    @Test func agreesOnEveryTailLength() {
        let line = Array(#"{"t":1,"session":"a:b","channel":"voice","value":{"f0_mean_hz":153.7,"x":":"}}"#.utf8)
        for n in 1...line.count { check(Array(line.prefix(n))); check(Array(line.suffix(n))) }
    }
}
