@testable import AttuneCore
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
