/// Number formatting for output lines: fixed decimals, trailing zeros
/// trimmed, no locale, no `String(format:)` (5-30x slower per line), and the
/// same bytes on every machine.
enum NumberFormat {
    /// The most bytes ``write(_:decimals:to:)`` writes: a sign, 16 integer digits, a point
    /// and 9 decimals, or Swift's shortest form of a huge double ("-1.7976931348623157e+308").
    static let maxBytes = 32

    /// Exact powers of ten as doubles (a switch, not a static array: no lazy-global check per number).
    @inline(__always) private static func power(_ d: Int) -> Double {
        switch d {
        case 0: return 1
        case 1: return 10
        case 2: return 100
        case 3: return 1_000
        case 4: return 10_000
        case 5: return 100_000
        case 6: return 1_000_000
        case 7: return 10_000_000
        case 8: return 100_000_000
        default: return 1_000_000_000
        }
    }

    static func append(_ x: Double, decimals: Int, to out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maxBytes) { buf in
            let n = write(x, decimals: decimals, to: buf.baseAddress!)
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[..<n]))
        }
    }

    /// Writes `x` at `p` (room for ``maxBytes``) and returns the byte count: the digits
    /// are produced straight into place, no per-digit array append.
    static func write(_ x: Double, decimals: Int, to p: UnsafeMutablePointer<UInt8>) -> Int {
        guard x.isFinite else {
            p[0] = UInt8(ascii: "n"); p[1] = UInt8(ascii: "u"); p[2] = UInt8(ascii: "l"); p[3] = UInt8(ascii: "l")
            return 4
        }
        let d = min(max(decimals, 0), 9)
        let y = x * power(d)
        let a = abs(y)
        // Tested on the unrounded value: from 2^52 up every double is an integer, so this is
        // the same test as on the rounded one.
        guard a < 9.0e15 else {
            // Beyond exact-integer range: rare (a huge `t`), let Swift's shortest round-trip form speak.
            var text = x.description
            return text.withUTF8 { u in
                let n = min(u.count, maxBytes)
                p.update(from: u.baseAddress!, count: n)
                return n
            }
        }
        // Half away from zero, as `rounded(.toNearestOrAwayFromZero)`, without the libm call:
        // below 2^53 the fraction `a - trunc(a)` is exact. Unsigned: division by 10 is cheaper.
        var n = UInt64(a)
        if a - Double(n) >= 0.5 { n &+= 1 }
        if n == 0 { p[0] = UInt8(ascii: "0"); return 1 }
        var count = 0
        if y < 0 { p[0] = UInt8(ascii: "-"); count = 1 }
        // Split by a constant power of ten (a multiply, where a variable divisor is a slow `div`):
        // four decimals are most of the output's numbers, six its times, two its reasons' words.
        var whole: UInt64, frac: UInt64
        switch d {
        case 0: whole = n; frac = 0
        case 2: whole = n / 100; frac = n &- whole &* 100
        case 4: whole = n / 10_000; frac = n &- whole &* 10_000
        case 6: whole = n / 1_000_000; frac = n &- whole &* 1_000_000
        default:
            let unit = UInt64(power(d))
            whole = n / unit; frac = n % unit
        }
        // Integer part: most are one digit; otherwise count the digits, then fill from the right.
        if whole < 10 {
            p[count] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: whole)
            count += 1
        } else {
            var digits = 2
            var probe = whole / 100
            while probe > 0 { probe /= 10; digits += 1 }
            var i = count + digits
            while whole >= 10 { lastTwoDigits(of: &whole, before: &i, in: p) }
            if i > count { p[count] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: whole) }
            count += digits
        }
        guard frac != 0 else { return count }
        // All `d` decimals, leading zeros included, two at a time; then the trailing zeros dropped.
        p[count] = UInt8(ascii: ".")
        count += 1
        var j = count + d
        let end = j
        var k = d
        while k >= 2 { lastTwoDigits(of: &frac, before: &j, in: p); k -= 2 }
        if k == 1 { p[j - 1] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: frac) }
        var last = end
        // Stops at a nonzero decimal: `frac` was not zero.
        while p[last - 1] == UInt8(ascii: "0") { last -= 1 }
        return last
    }

    /// Writes `v`'s last two digits just before `i`, moves `i` back past them, and drops them from `v`.
    @inline(__always) private static func lastTwoDigits(of v: inout UInt64, before i: inout Int, in p: UnsafeMutablePointer<UInt8>) {
        let q = v / 100
        let r = Int(truncatingIfNeeded: v &- q &* 100) &* 2
        let pairs = digitPairs.utf8Start
        i -= 2
        p[i] = pairs[r]; p[i + 1] = pairs[r + 1]
        v = q
    }

    /// "00" "01" ... "99": two digits per lookup, half the divisions. Computed, not a stored
    /// static: a stored one is checked for initialisation on every access.
    @inline(__always) private static var digitPairs: StaticString {
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"
    }
}

/// Writes JSON straight into a fixed span of memory, checking room once per
/// call rather than once per byte (an `Array.append` per byte checks
/// uniqueness and capacity every time, and was most of an output line's cost).
/// When the span is too small it stops writing and sets ``overflow``; the
/// owner (``JSONBytes/render(bound:_:)``) then retries with a bigger one, so
/// callers never see a partial line.
struct RawWriter {
    let base: UnsafeMutablePointer<UInt8>
    let capacity: Int
    private(set) var count = 0
    private(set) var overflow = false

    init(base: UnsafeMutablePointer<UInt8>, capacity: Int) {
        self.base = base
        self.capacity = capacity
    }

    @inline(__always) private mutating func room(_ n: Int) -> Bool {
        if count &+ n <= capacity { return true }
        overflow = true
        return false
    }

    @inline(__always) mutating func raw(_ s: StaticString) {
        s.withUTF8Buffer { u in
            guard room(u.count) else { return }
            (base + count).update(from: u.baseAddress!, count: u.count)
            count += u.count
        }
    }

    @inline(__always) mutating func bytes(_ u: UnsafeBufferPointer<UInt8>) {
        guard !u.isEmpty, room(u.count) else { return }
        (base + count).update(from: u.baseAddress!, count: u.count)
        count += u.count
    }

    @inline(__always) mutating func byte(_ b: UInt8) {
        guard room(1) else { return }
        base[count] = b
        count += 1
    }

    @inline(__always) mutating func number(_ x: Double, decimals: Int = 4) {
        guard room(NumberFormat.maxBytes) else { return }
        count += NumberFormat.write(x, decimals: decimals, to: base + count)
    }

    @inline(__always) mutating func int(_ n: Int) { number(Double(n), decimals: 0) }

    /// A String of at most `capacity` UTF-8 bytes written by `body`, in one allocation: for
    /// reason texts. `body` must fit (callers pass exact lengths, or bounds on fixed words
    /// plus ``NumberFormat/maxBytes`` per number); overflowing is a programming error.
    static func compose(_ capacity: Int, _ body: (inout RawWriter) -> Void) -> String {
        String(unsafeUninitializedCapacity: capacity) { buffer in
            var w = RawWriter(base: buffer.baseAddress!, capacity: capacity)
            body(&w)
            precondition(!w.overflow, "text longer than its capacity")
            return w.count
        }
    }

    /// A number with an explicit sign and two decimals, as reasons write it ("+0.35", "-0.6").
    mutating func signed2(_ x: Double) {
        if x >= 0 { byte(UInt8(ascii: "+")) }
        number((x * 100).rounded() / 100, decimals: 2)
    }

    /// A String's UTF-8 bytes as they are (no quotes, no escapes): for composing text, not JSON.
    @inline(__always) mutating func utf8(_ s: String) {
        // Read in place: `var s = s; s.withUTF8` copied the String first, an atomic retain and
        // release of its storage for every reason and heap-allocated name written (a couple of
        // dozen a printed line).
        // Native Strings (all of them on Linux) are contiguous; the copy is only the fallback.
        if s.utf8.withContiguousStorageIfAvailable({ bytes($0) }) != nil { return }
        var s = s
        s.withUTF8 { bytes($0) }
    }

    @inline(__always) mutating func bool(_ b: Bool) { b ? raw("true") : raw("false") }

    /// A JSON string literal with the escapes RFC 8259 requires.
    mutating func string(_ s: String) {
        // In place, as in ``utf8(_:)``.
        if s.utf8.withContiguousStorageIfAvailable({ quoted($0) }) != nil { return }
        var s = s
        s.withUTF8 { quoted($0) }
    }

    /// UTF-8 bytes as a JSON string literal (``string(_:)`` for bytes that are not a String).
    @inline(__always) mutating func quoted(_ utf8: UnsafeBufferPointer<UInt8>) {
        byte(UInt8(ascii: "\""))
        escaped(utf8)
        byte(UInt8(ascii: "\""))
    }

    /// UTF-8 bytes with the escapes RFC 8259 requires, no quotes: for a literal written in pieces.
    mutating func escaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        // Worst case every byte becomes \u00XX.
        guard room(utf8.count &* 6) else { return }
        if utf8.count <= 16, plainShort(utf8) { return }
        var out = base + count
        // Runs of bytes that need no escape are copied in one go (most strings are one run).
        var run = 0
        var i = 0
        let n = utf8.count
        let src = utf8.baseAddress
        while i < n {
            // Eight bytes at a time while none needs an escape (nearly all text): a quote,
            // a backslash, a control byte or DEL. Each test is exact for "any byte in the word".
            if i &+ 8 <= n {
                let x = UnsafeRawPointer(src.unsafelyUnwrapped + i).loadUnaligned(as: UInt64.self)
                if !Self.needsEscape(x) { i &+= 8; continue }
            } else if n >= 8 {
                // The last 1-7 bytes, tested with the word that ends the string (overlapping
                // bytes already tested, which is still exact).
                let x = UnsafeRawPointer(src.unsafelyUnwrapped + (n &- 8)).loadUnaligned(as: UInt64.self)
                if !Self.needsEscape(x) { i = n; break }
            } else {
                // The last 1-7 bytes, tested as one word padded with a byte that needs no
                // escape: most names and reasons end here, and byte by byte was most of their cost.
                var x: UInt64 = 0x6161_6161_6161_6161
                withUnsafeMutableBytes(of: &x) { $0.baseAddress!.copyMemory(from: src.unsafelyUnwrapped + i, byteCount: n &- i) }
                if !Self.needsEscape(x) { i = n; break }
            }
            let b = src.unsafelyUnwrapped[i]
            if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") || b < 0x20 || b == 0x7F {
                if run < i {
                    out.update(from: src.unsafelyUnwrapped + run, count: i - run)
                    out += i - run
                }
                run = i + 1
                out.pointee = UInt8(ascii: "\\")
                switch b {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): out[1] = b; out += 2
                case 0x0A: out[1] = UInt8(ascii: "n"); out += 2
                case 0x0D: out[1] = UInt8(ascii: "r"); out += 2
                case 0x09: out[1] = UInt8(ascii: "t"); out += 2
                default:
                    out[1] = UInt8(ascii: "u"); out[2] = UInt8(ascii: "0"); out[3] = UInt8(ascii: "0")
                    out[4] = Self.hex(b >> 4); out[5] = Self.hex(b & 0xF)
                    out += 6
                }
            }
            i += 1
        }
        if run < n {
            out.update(from: src.unsafelyUnwrapped + run, count: n - run)
            out += n - run
        }
        count = out - base
    }

    /// At most 16 bytes that need no escape (names, channels, sessions: most strings of a
    /// line), copied as at most two overlapping loads and stores, without the general loop's
    /// library copies. Returns false, having written nothing, if a byte needs an escape.
    /// Loads and stores stay inside the `n` bytes; room for them was checked by the caller.
    @inline(__always) private mutating func plainShort(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = utf8.count
        guard n > 0 else { return true }
        let src = UnsafeRawPointer(utf8.baseAddress.unsafelyUnwrapped)
        let out = UnsafeMutableRawPointer(base + count)
        if n >= 8 {
            let head = src.loadUnaligned(as: UInt64.self), tail = src.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self)
            guard !Self.needsEscape(head), !Self.needsEscape(tail) else { return false }
            out.storeBytes(of: head, as: UInt64.self)
            out.storeBytes(of: tail, toByteOffset: n &- 8, as: UInt64.self)
        } else if n >= 4 {
            let head = src.loadUnaligned(as: UInt32.self), tail = src.loadUnaligned(fromByteOffset: n &- 4, as: UInt32.self)
            guard !Self.needsEscape(UInt64(head) | UInt64(tail) << 32) else { return false }
            out.storeBytes(of: head, as: UInt32.self)
            out.storeBytes(of: tail, toByteOffset: n &- 4, as: UInt32.self)
        } else {
            // 1-3 bytes: the first, the middle and the last cover them; the rest of the word is
            // padded with a byte that needs no escape.
            let b0 = src.load(as: UInt8.self), b1 = src.load(fromByteOffset: n >> 1, as: UInt8.self)
            let b2 = src.load(fromByteOffset: n &- 1, as: UInt8.self)
            let x = UInt64(b0) | UInt64(b1) << 8 | UInt64(b2) << 16 | 0x6161_6161_6100_0000
            guard !Self.needsEscape(x) else { return false }
            out.storeBytes(of: b0, as: UInt8.self)
            out.storeBytes(of: b1, toByteOffset: n >> 1, as: UInt8.self)
            out.storeBytes(of: b2, toByteOffset: n &- 1, as: UInt8.self)
        }
        count &+= n
        return true
    }

    /// Drops what was written after the first `n` bytes (a piece that turned out not to be wanted).
    mutating func truncate(to n: Int) {
        precondition(n <= count)
        count = n
    }

    /// Any ``JSONValue``, members in their stored order.
    mutating func value(_ v: JSONValue) {
        switch v {
        case .null: raw("null")
        case .bool(let b): bool(b)
        case .number(let n): number(n, decimals: 9)
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

    @inline(__always) private static func needsEscape(_ x: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func hasZero(_ v: UInt64) -> Bool { (v &- ones) & ~v & highs != 0 }
        let control = (x &- ones &* 0x20) & ~x & highs != 0          // some byte < 0x20
        return control || hasZero(x ^ (ones &* 0x22)) || hasZero(x ^ (ones &* 0x5C)) || hasZero(x ^ (ones &* 0x7F))
    }

    @inline(__always) private static func hex(_ n: UInt8) -> UInt8 { n < 10 ? UInt8(ascii: "0") + n : UInt8(ascii: "a") + n - 10 }
}

/// Appends JSON to a byte array. The writer trusts its caller for structure
/// (the output shapes are fixed) and takes care of escaping and numbers.
struct JSONBytes {
    var bytes: [UInt8]
    /// Room for ranking a recommendation's reasons, kept from line to line (see
    /// ``DeferredReasons/writeJSON(into:scratch:)``); empty between lines.
    var rankedReasons: [RankedReason] = []

    init(capacity: Int = 512) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Appends to an existing buffer (the caller should drop its own reference, or appending copies it).
    init(adopting bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Appends what `body` writes, straight into the array's storage: `bound` bytes are
    /// made room for (zero-filled by one copy from a zero page), `body` writes into them,
    /// and the rest is dropped. If `body` needs more, it runs again with four times the room,
    /// so `body` must write the same bytes every time it runs (it only reads its inputs).
    @inline(__always)
    mutating func render(bound: Int, _ body: (inout RawWriter) -> Void) {
        render(bound: bound, ()) { _, w in body(&w) }
    }

    /// ``render(bound:_:)`` for a body that reads a large value: `context` is handed to `body`
    /// as an argument. A closure that captured it instead (a recommendation's `self`) copied
    /// the whole value, every array and String in it retained and released, once a line.
    @inline(__always)
    mutating func render<Context>(bound: Int, _ context: Context, _ body: (Context, inout RawWriter) -> Void) {
        var room = max(bound, 64)
        while true {
            let start = bytes.count
            Self.appendZeros(room, to: &bytes)
            let (written, overflow) = bytes.withUnsafeMutableBufferPointer { p -> (Int, Bool) in
                var w = RawWriter(base: p.baseAddress! + start, capacity: room)
                body(context, &w)
                return (w.count, w.overflow)
            }
            if !overflow {
                bytes.removeLast(room - written)
                return
            }
            bytes.removeLast(room)
            room *= 4
        }
    }

    private static let zeroPage = [UInt8](repeating: 0, count: 4096)

    private static func appendZeros(_ n: Int, to bytes: inout [UInt8]) {
        var left = n
        zeroPage.withUnsafeBufferPointer { zeros in
            while left > 0 {
                let k = min(left, zeros.count)
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: zeros[..<k]))
                left -= k
            }
        }
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
        render(bound: s.utf8.count * 6 + 2) { $0.string(s) }
    }

    /// `"key":`
    mutating func key(_ k: StaticString) {
        bytes.append(UInt8(ascii: "\""))
        raw(k)
        raw("\":")
    }

    /// Any ``JSONValue``, members in their stored order.
    mutating func value(_ v: JSONValue) {
        render(bound: 256) { $0.value(v) }
    }
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
