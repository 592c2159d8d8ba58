@testable import AttuneCore
import Foundation
import Testing

@Suite struct JSONBytesTests {
    @Test(arguments: [
        (0.0, 4, "0"), (1.0, 4, "1"), (-0.5, 4, "-0.5"), (0.12345, 4, "0.1235"), (-0.00004, 4, "0"),
        (123.456789, 6, "123.456789"), (2.5e-7, 6, "0"), (1e20, 4, "1e+20"), (-3.0, 0, "-3"), (0.1, 9, "0.1"),
    ])
    func numbers(x: Double, decimals: Int, expected: String) {
        var bytes: [UInt8] = []
        NumberFormat.append(x, decimals: decimals, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == expected)
    }

    @Test func escapesStringsAndParsesBack() throws {
        let original = "quote \" backslash \\ newline \n tab \t bell \u{7} é 🙂"
        var w = JSONBytes()
        w.string(original)
        let text = String(decoding: w.bytes, as: UTF8.self)
        #expect(text.contains("\\u0007"))
        #expect(try JSONValue.parse(text) == .string(original))
    }

    @Test func valueRoundTripsThroughJSONC() throws {
        let v: JSONValue = ["a": [1, 2.5, "x", nil, true], "b": ["c": -0.25]]
        #expect(try JSONValue.parse(v.jsonText) == v)
        #expect(try JSONValue.parse(v.prettyText()) == v)
    }
}

@Suite struct RawWriterTests {
    /// The reference: RFC 8259 escapes byte by byte, as the writer did before it scanned words.
    private func reference(_ s: String) -> String {
        var out: [UInt8] = [0x22]
        let hex = Array("0123456789abcdef".utf8)
        for b in s.utf8 {
            switch b {
            case 0x22: out += [0x5C, 0x22]
            case 0x5C: out += [0x5C, 0x5C]
            case 0x0A: out += Array("\\n".utf8)
            case 0x0D: out += Array("\\r".utf8)
            case 0x09: out += Array("\\t".utf8)
            case 0..<0x20, 0x7F: out += Array("\\u00".utf8) + [hex[Int(b >> 4)], hex[Int(b & 0xF)]]
            default: out.append(b)
            }
        }
        out.append(0x22)
        return String(decoding: out, as: UTF8.self)
    }

    @Test func escapesEveryByteInEveryPositionOfAWord() throws {
        // Each ASCII byte at each offset of strings around the 8-byte scan width, and a few
        // multi-byte characters next to it, compared with the byte-by-byte reference.
        for b in 0..<128 {
            let c = String(UnicodeScalar(UInt8(b)))
            // Every length the short-string path takes (1-16), and the general loop's edges.
            for length in Array(1...17) + [23, 24, 25] {
                for at in 0..<length {
                    var chars = Array(repeating: "a", count: length)
                    chars[at] = c
                    let s = chars.joined() + (at % 3 == 0 ? "é🙂" : "")
                    var w = JSONBytes()
                    w.string(s)
                    let text = String(decoding: w.bytes, as: UTF8.self)
                    #expect(text == reference(s), "byte \(b) at \(at) of \(length)")
                    #expect(try JSONValue.parse(text) == .string(s))
                }
            }
        }
    }

    @Test func aLineTooBigForItsRoomIsWrittenAgainInFull() {
        var w = JSONBytes()
        w.bytes.append(contentsOf: Array("prefix:".utf8))
        let long = String(repeating: "\u{1}x\"", count: 5_000)   // 15,000 bytes, 35,000 escaped
        w.render(bound: 16) { $0.string(long); $0.byte(UInt8(ascii: ",")); $0.number(-12.5, decimals: 2) }
        #expect(String(decoding: w.bytes, as: UTF8.self) == "prefix:" + reference(long) + ",-12.5")
    }

    /// The formatter as it was before it stopped calling libm's `round` (signed, `rounded(.toNearestOrAwayFromZero)`).
    private func previousFormat(_ x: Double, decimals: Int) -> String {
        guard x.isFinite else { return "null" }
        let d = min(max(decimals, 0), 9)
        var unit: Int64 = 1
        for _ in 0..<d { unit *= 10 }
        let scaled = (x * Double(unit)).rounded(.toNearestOrAwayFromZero)
        guard abs(scaled) < 9.0e15 else { return String(x.description.prefix(NumberFormat.maxBytes)) }
        var n = Int64(scaled)
        if n == 0 { return "0" }
        var out = ""
        if n < 0 { out = "-"; n = -n }
        out += String(n / unit)
        var frac = n % unit
        guard frac != 0 else { return out }
        var width = d
        while frac % 10 == 0 { frac /= 10; width -= 1 }
        let digits = String(frac)
        return out + "." + String(repeating: "0", count: width - digits.count) + digits
    }

    @Test func numbersMatchThePreviousFormatter() {
        // Ties at every decimal count (where the rounding rule shows), the exact-integer edge,
        // and a spread of magnitudes from a fixed generator (same values every run).
        var values: [Double] = [0.5, 1.5, 2.5, -0.5, -2.5, 0.00005, -0.00005, 0.125, 0.375, 4503599627370495.5,
                                4503599627370496, 8_999_999_999_999_999, 9e15, -8.9999e15, 0.1 + 0.2, 1 - 1e-16]
        for k in 0...9 {
            var p = 1.0
            for _ in 0..<k { p *= 10 }
            for m in [0.5, 1.5, 12.5, 99.5, 12345.5] { values += [m / p, -m / p] }
        }
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<20_000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let mantissa = Double(state >> 11) / Double(1 << 53)
            let exponent = Int((state >> 3) % 40) - 20
            values.append((state & 1 == 0 ? 1 : -1) * mantissa * pow(10, Double(exponent)))
        }
        for x in values {
            for d in 0...9 {
                var a: [UInt8] = []
                NumberFormat.append(x, decimals: d, to: &a)
                #expect(String(decoding: a, as: UTF8.self) == previousFormat(x, decimals: d), "\(x) with \(d) decimals")
            }
        }
    }

    @Test func numbersMatchTheArrayPath() {
        var values: [Double] = [0, -0.0, 1, -1, 0.5, 0.12345, 1e-10, 123_456_789.123, 8.9e15, 9.1e15, -9.1e15, 1e300,
                                .infinity, -.infinity, .nan, 0.000049, 0.00005, 999_999.99995, 12, 1_000_000]
        for i in 0..<500 { values.append(Double(i) * 0.377 - 90.0001) }
        for x in values {
            for d in 0...9 {
                var a: [UInt8] = []
                NumberFormat.append(x, decimals: d, to: &a)
                var w = JSONBytes()
                w.render(bound: 8) { $0.number(x, decimals: d) }
                #expect(a == w.bytes, "\(x) with \(d) decimals")
            }
        }
    }
}

@Suite struct ReasonWordsTests {
    /// The JSON writer composes a reason's words as bytes (``ReasonText/write(into:)``); read as a
    /// String (``ReasonText/text``, interpolation for the rarer ones) they must be the same words.
    @Test func bytesMatchTheText() {
        let tag = TagLevel(name: "crying", level: 0.8, channel: "posture", reason: "tears, \"head down\" é")
        let cases: [ReasonText] = [
            .tag(channel: "text", reason: "sadness: \"I miss her\""), .tag(channel: "", reason: ""),
            .valence(-0.4449, sd: 0.2851), .valence(0, sd: 0.5), .arousal(0.005), .arousal(-1),
            .expressed(valence: -0.455, coverage: 0.6649), .coverage(0.12, noCues: false), .coverage(0, noCues: true),
            .incongruence(.written(reason: "text says +0.3 but posture says -0.8", channels: "text+posture")),
            .incongruence(.pair("text", 0.333, "voice", -0.805)),
            .incongruence(.denial("minimising: \"I'm fine\"", channel: "posture", tagReason: "slumped", valence: -0.5)),
            .incongruence(.denial("minimising: \"fine\"", channel: "voice", tagReason: nil, valence: -0.615)),
            .flooded(listener: true, tag: tag, arousal: 0.9, valence: -0.7),
            .flooded(listener: true, tag: nil, arousal: 0.9, valence: -0.7),
            .flooded(listener: false, tag: tag, arousal: 0.85, valence: 0.1),
            .flooded(listener: false, tag: nil, arousal: 0.855, valence: -0.004),
            .talkShare(0.845), .talkShare(1), .answeredQuestion, .questionRun(3), .questionRun(12), .comfortGiven,
        ]
        for reason in cases {
            let bytes = RawWriter.compose(1_024) { reason.write(into: &$0) }
            #expect(bytes == reason.text, "\(reason)")
        }
    }
}
