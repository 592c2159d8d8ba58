/// A read-only map from short names (feature names, tag names) to values, built
/// once and looked up on every cue.
///
/// Why not a `Dictionary<String, Value>`: Swift's `String` hashing is SipHash
/// over normalised code units, several hundred instructions for a 12-byte name,
/// and a voice cue looks up six of them. Here a lookup is FNV-1a over the UTF-8
/// bytes and one probe of an open-addressed table, then a byte comparison.
///
/// Lookups compare bytes. Swift's `String ==` compares canonical equivalence
/// instead ("K" and the Kelvin sign "\u{212A}" are equal), so a table made
/// from a dictionary keeps the dictionary for the cases bytes cannot decide: a
/// key that is not ASCII, or any key when the dictionary has a non-ASCII key.
/// Lookups give exactly the dictionary's answers; the fast path is for the
/// ASCII names that nearly every configuration and input uses.
public struct NameTable<Value: Sendable>: Sendable {
    // Inlinable (and so usableFromInline) because the table is generic: without it every
    // lookup from another module goes through unspecialised generic code.
    @usableFromInline var keys: [String?]
    @usableFromInline var values: [Value?]
    @usableFromInline var hashes: [UInt64]
    @usableFromInline var mask: Int
    public private(set) var count = 0
    /// The dictionary a table was made from, when it has a non-ASCII key (see above);
    /// `consultAlways` says whether ASCII misses must ask it too.
    @usableFromInline var fallback: [String: Value]? = nil
    @usableFromInline var consultAlways = false

    /// A table with the dictionary's entries, answering every lookup as the dictionary would.
    public init(_ dictionary: [String: Value]) {
        self.init(capacity: dictionary.count)
        var nonASCII = false
        // Sorted, so the table's layout does not depend on the dictionary's per-process order.
        for (k, v) in dictionary.sorted(by: { $0.key < $1.key }) {
            if k.utf8.contains(where: { $0 >= 0x80 }) { nonASCII = true }
            self[k] = v
        }
        fallback = dictionary
        consultAlways = nonASCII
    }

    /// An empty table with room for `capacity` names before it grows.
    public init(capacity: Int = 8) {
        var size = 8
        while size < capacity * 2 { size <<= 1 }
        keys = Array(repeating: nil, count: size)
        values = Array(repeating: nil, count: size)
        hashes = Array(repeating: 0, count: size)
        mask = size - 1
    }

    public init<S: Sequence>(_ pairs: S) where S.Element == (String, Value) {
        self.init()
        for (k, v) in pairs { self[k] = v }
    }

    /// The value for `key`; setting replaces it (later entries win, as with a dictionary).
    /// A table not made from a dictionary compares bytes only.
    public subscript(key: String) -> Value? {
        @inlinable get {
            let h = Self.hash(key)
            var i = Int(truncatingIfNeeded: h) & mask
            while let k = keys[i] {
                if hashes[i] == h, k == key { return values[i] }
                i = (i + 1) & mask
            }
            guard let fallback, consultAlways || key.utf8.contains(where: { $0 >= 0x80 }) else { return nil }
            return fallback[key]
        }
        set {
            guard let newValue else { preconditionFailure("NameTable does not remove entries") }
            if (count + 1) * 2 > keys.count { grow() }
            let h = Self.hash(key)
            var i = Int(truncatingIfNeeded: h) & mask
            while let k = keys[i] {
                if hashes[i] == h, k == key { values[i] = newValue; fallback?[key] = newValue; return }
                i = (i + 1) & mask
            }
            keys[i] = key
            values[i] = newValue
            hashes[i] = h
            count += 1
            if fallback != nil {
                fallback![key] = newValue
                if key.utf8.contains(where: { $0 >= 0x80 }) { consultAlways = true }
            }
        }
    }

    private mutating func grow() {
        var bigger = NameTable(capacity: keys.count)
        for i in keys.indices { if let k = keys[i], let v = values[i] { bigger[k] = v } }
        bigger.fallback = fallback
        bigger.consultAlways = consultAlways
        self = bigger
    }

    /// FNV-1a, 64 bits, over the UTF-8 bytes.
    @inlinable @inline(__always)
    public static func hash(_ key: String) -> UInt64 {
        var key = key
        return key.withUTF8 { hash($0) }
    }

    @inlinable @inline(__always)
    public static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes {
            h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3
        }
        // Fold the high bits in: the table index uses the low ones.
        return h ^ (h >> 29)
    }
}
