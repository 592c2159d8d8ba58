/// Number formatting for output lines: fixed decimals, trailing zeros
/// trimmed, no locale, no `String(format:)` (5-30x slower per line), and the
/// same bytes on every machine.
enum NumberFormat {
    private static let powers: [Double] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000]

    static func append(_ x: Double, decimals: Int, to out: inout [UInt8]) {
        guard x.isFinite else { out.append(contentsOf: "null".utf8); return }
        let d = min(max(decimals, 0), 9)
        let scaled = (x * powers[d]).rounded(.toNearestOrAwayFromZero)
        guard abs(scaled) < 9.0e15 else {
            // Beyond exact-integer range: rare (a huge `t`), let Swift's shortest round-trip form speak.
            out.append(contentsOf: x.description.utf8)
            return
        }
        var n = Int64(scaled)
        if n == 0 { out.append(UInt8(ascii: "0")); return }
        if n < 0 { out.append(UInt8(ascii: "-")); n = -n }
        let unit = Int64(powers[d])
        var whole = n / unit
        var frac = n % unit
        // Integer part.
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buf in
            repeat {
                buf[count] = UInt8(ascii: "0") + UInt8(whole % 10)
                whole /= 10
                count += 1
            } while whole > 0
            for i in stride(from: count - 1, through: 0, by: -1) { out.append(buf[i]) }
        }
        guard frac != 0 else { return }
        var width = d
        while frac % 10 == 0 { frac /= 10; width -= 1 }
        out.append(UInt8(ascii: "."))
        var div = Int64(powers[width - 1])
        while div > 0 {
            out.append(UInt8(ascii: "0") + UInt8((frac / div) % 10))
            div /= 10
        }
    }
}

/// Appends JSON to a byte array. The writer trusts its caller for structure
/// (the output shapes are fixed) and takes care of escaping and numbers.
struct JSONBytes {
    var bytes: [UInt8]

    init(capacity: Int = 512) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Appends to an existing buffer (the caller should drop its own reference, or appending copies it).
    init(adopting bytes: [UInt8]) {
        self.bytes = bytes
    }

    @inline(__always) mutating func raw(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    @inline(__always) mutating func byte(_ b: UInt8) { bytes.append(b) }

    mutating func number(_ x: Double, decimals: Int = 4) {
        NumberFormat.append(x, decimals: decimals, to: &bytes)
    }

    mutating func int(_ n: Int) {
        NumberFormat.append(Double(n), decimals: 0, to: &bytes)
    }

    mutating func bool(_ b: Bool) { b ? raw("true") : raw("false") }

    /// A JSON string literal with the escapes RFC 8259 requires.
    mutating func string(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { utf8 in
            // Runs of bytes that need no escape are copied in one go (most strings are one run).
            var run = 0
            for i in 0..<utf8.count {
                let b = utf8[i]
                guard b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") || b < 0x20 || b == 0x7F else { continue }
                if run < i { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run..<i])) }
                run = i + 1
                switch b {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\")); bytes.append(b)
                case 0x0A: raw("\\n")
                case 0x0D: raw("\\r")
                case 0x09: raw("\\t")
                default:
                    raw("\\u00")
                    bytes.append(hex(b >> 4))
                    bytes.append(hex(b & 0xF))
                }
            }
            if run < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run...])) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// `"key":`
    mutating func key(_ k: StaticString) {
        bytes.append(UInt8(ascii: "\""))
        raw(k)
        raw("\":")
    }

    /// Any ``JSONValue``, members in their stored order.
    mutating func value(_ v: JSONValue) {
        switch v {
        case .null: raw("null")
        case .bool(let b): bool(b)
        case .number(let n): NumberFormat.append(n, decimals: 9, to: &bytes)
        case .string(let s): string(s)
        case .array(let items):
            byte(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { byte(UInt8(ascii: ",")) }
                value(item)
            }
            byte(UInt8(ascii: "]"))
        case .object(let o):
            byte(UInt8(ascii: "{"))
            for (i, m) in o.members.enumerated() {
                if i > 0 { byte(UInt8(ascii: ",")) }
                string(m.key)
                byte(UInt8(ascii: ":"))
                value(m.value)
            }
            byte(UInt8(ascii: "}"))
        }
    }

    private func hex(_ n: UInt8) -> UInt8 { n < 10 ? UInt8(ascii: "0") + n : UInt8(ascii: "a") + n - 10 }
}

extension JSONValue {
    /// Compact JSON text, members in stored order, numbers with up to 9 decimals.
    public var jsonText: String {
        var w = JSONBytes()
        w.value(self)
        return String(decoding: w.bytes, as: UTF8.self)
    }

    /// Indented JSON text for people (`attune config --print-defaults`).
    public func prettyText(indent: Int = 2) -> String {
        var out = ""
        pretty(into: &out, level: 0, indent: indent)
        return out
    }

    private func pretty(into out: inout String, level: Int, indent: Int) {
        let pad = String(repeating: " ", count: (level + 1) * indent)
        let closePad = String(repeating: " ", count: level * indent)
        switch self {
        case .array(let items) where !items.isEmpty && items.contains(where: { $0.object != nil || $0.array != nil }):
            out += "[\n"
            for (i, item) in items.enumerated() {
                out += pad
                item.pretty(into: &out, level: level + 1, indent: indent)
                out += i + 1 < items.count ? ",\n" : "\n"
            }
            out += closePad + "]"
        case .object(let o) where o.count > 0:
            out += "{\n"
            for (i, m) in o.members.enumerated() {
                out += pad + JSONValue.string(m.key).jsonText + ": "
                m.value.pretty(into: &out, level: level + 1, indent: indent)
                out += i + 1 < o.count ? ",\n" : "\n"
            }
            out += closePad + "}"
        default:
            out += jsonText
        }
    }
}
