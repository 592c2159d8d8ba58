/// Token text -> vocabulary slot, looked up on UTF-8 bytes.
///
/// Swift's `[String: Int32]` hashes with SipHash and compares by canonical
/// equivalence, which dominated the per-utterance cost. ASCII text (nearly
/// all tokens) is looked up here in an open-addressing table keyed by FNV-1a
/// over the bytes; for ASCII, byte equality is exactly String equality.
/// Text with any non-ASCII byte still goes through the String dictionary,
/// so canonically equivalent spellings ("café" composed or not) match as before.
struct WordTable: Sendable {
    /// The whole table with Swift's String semantics, for non-ASCII text.
    let strings: [String: Int32]
    private let keys: [UInt8]
    private let slots: [Slot]
    private let mask: Int

    private struct Slot: Sendable {
        var hash: UInt32 = 0
        var id: Int32 = -1
        var start: Int32 = 0
        var count: Int32 = 0
    }

    init(_ strings: [String: Int32]) {
        self.strings = strings
        var entries: [([UInt8], Int32)] = []
        entries.reserveCapacity(strings.count)
        for (key, id) in strings {
            let u = Array(key.utf8)
            if u.allSatisfy({ $0 < 0x80 }) { entries.append((u, id)); continue }
            // KELVIN SIGN, GREEK QUESTION MARK and GREEK VARIA are canonically "K", ";" and "`":
            // a key spelled with them equals an ASCII token, so it is filed under that spelling too.
            var folded: [UInt8] = []
            var foldable = true
            for s in key.unicodeScalars where foldable {
                switch s.value {
                case 0..<0x80: folded.append(UInt8(s.value))
                case 0x212A: folded.append(0x4B)
                case 0x037E: folded.append(0x3B)
                case 0x1FEF: folded.append(0x60)
                default: foldable = false
                }
            }
            if foldable, String(decoding: folded, as: UTF8.self) == key { entries.append((folded, id)) }
        }
        var capacity = 16
        while capacity < entries.count * 2 { capacity *= 2 }
        var slots = [Slot](repeating: Slot(), count: capacity)
        var keys: [UInt8] = []
        for (u, id) in entries {
            let h = WordTable.hash(u)
            var i = Int(h) & (capacity - 1)
            while slots[i].id >= 0 { i = (i + 1) & (capacity - 1) }
            slots[i] = Slot(hash: h, id: id, start: Int32(keys.count), count: Int32(u.count))
            keys += u
        }
        self.keys = keys
        self.slots = slots
        self.mask = capacity - 1
    }

    static let basis: UInt32 = 2_166_136_261
    @inline(__always) static func step(_ h: UInt32, _ c: UInt8) -> UInt32 { (h ^ UInt32(c)) &* 16_777_619 }
    @inline(__always) static func hash<C: Collection<UInt8>>(_ u: C) -> UInt32 {
        var h = basis
        for c in u { h = step(h, c) }
        return h
    }

    /// The slot of this text, or -1.
    func id(_ u: UnsafeBufferPointer<UInt8>) -> Int32 {
        var h = WordTable.basis
        var high: UInt8 = 0
        for c in u { h = WordTable.step(h, c); high |= c }
        if high >= 0x80 { return strings[String(decoding: u, as: UTF8.self)] ?? -1 }
        return id(asciiBytes: u, hash: h)
    }

    /// The slot of ASCII text whose ``hash(_:)`` is known, or -1.
    func id(asciiBytes u: UnsafeBufferPointer<UInt8>, hash h: UInt32) -> Int32 {
        keys.withUnsafeBufferPointer { k in
            slots.withUnsafeBufferPointer { s in
                var i = Int(h) & mask
                while true {
                    let slot = s[i]
                    if slot.id < 0 { return -1 }
                    if slot.hash == h && Int(slot.count) == u.count {
                        var same = true
                        let base = Int(slot.start)
                        for j in 0..<u.count where k[base + j] != u[j] { same = false; break }
                        if same { return slot.id }
                    }
                    i = (i + 1) & mask
                }
            }
        }
    }

    func id(_ u: ArraySlice<UInt8>) -> Int32 { u.withUnsafeBufferPointer { id($0) } }
    func id(_ u: [UInt8]) -> Int32 { u.withUnsafeBufferPointer { id($0) } }
    func id(_ s: String) -> Int32 { strings[s] ?? -1 }
    func contains(_ u: UnsafeBufferPointer<UInt8>) -> Bool { id(u) >= 0 }
}
