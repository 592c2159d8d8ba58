/// Appends XML/HTML text to a byte array with escaping, for the EmotionML
/// adapter and the HTML report. Like ``JSONBytes`` it trusts its caller for
/// structure and owns the two things easy to get wrong: escaping and numbers.
public struct MarkupBytes {
    public var bytes: [UInt8]

    public init(capacity: Int = 4096) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Markup written as is (element names, fixed attribute text).
    @inline(__always) public mutating func raw(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Trusted text built from trusted parts (numbers, class names); not escaped.
    public mutating func rawString(_ s: String) { bytes.append(contentsOf: s.utf8) }

    /// Character data: `&`, `<`, `>` escaped.
    public mutating func text(_ s: String) { escape(s, quotes: false) }

    /// An attribute value (to go between double quotes): also `"` and `'` escaped.
    public mutating func attribute(_ s: String) { escape(s, quotes: true) }

    /// Fixed decimals, trailing zeros trimmed, `NaN`/infinity as an empty string
    /// (never the JSON `null`, which would read as a number in a chart).
    public mutating func number(_ x: Double, decimals: Int = 2) {
        guard x.isFinite else { return }
        NumberFormat.append(x, decimals: decimals, to: &bytes)
    }

    public mutating func int(_ n: Int) { NumberFormat.append(Double(n), decimals: 0, to: &bytes) }

    public var string: String { String(decoding: bytes, as: UTF8.self) }

    private mutating func escape(_ s: String, quotes: Bool) {
        var s = s
        s.withUTF8 { utf8 in
            var i = 0
            let n = utf8.count
            while i < n {
                let b = utf8[i]
                switch b {
                case UInt8(ascii: "&"): raw("&amp;")
                case UInt8(ascii: "<"): raw("&lt;")
                case UInt8(ascii: ">"): raw("&gt;")
                case UInt8(ascii: "\"") where quotes: raw("&quot;")
                case UInt8(ascii: "'") where quotes: raw("&#39;")
                case 0x09, 0x0A, 0x0D:
                    // Newlines in an attribute would be normalised to spaces by the parser; keep them.
                    if quotes { raw("&#"); int(Int(b)); bytes.append(UInt8(ascii: ";")) } else { bytes.append(b) }
                case 0..<0x20, 0x7F:
                    // XML 1.0 forbids C0 controls even as character references: a document
                    // carrying one is not well-formed. Replace with U+FFFD.
                    replacement()
                case 0xEF where i + 2 < n && utf8[i + 1] == 0xBF && (utf8[i + 2] == 0xBE || utf8[i + 2] == 0xBF):
                    // U+FFFE and U+FFFF are not XML characters either.
                    replacement()
                    i += 2
                default:
                    bytes.append(b)
                }
                i += 1
            }
        }
    }

    private mutating func replacement() { bytes.append(contentsOf: [0xEF, 0xBF, 0xBD]) }
}
