/// Strings a decoder has made before, found again by their bytes.
///
/// A stream names the same few hundred sessions and the same object keys over and
/// over; a session id such as `conv-000187-call` (16 bytes) is over Swift's 15-byte
/// small-string limit, so making it anew costs a malloc and a UTF-8 check on every
/// line. The cache hands back the String it made the first time (a retain).
///
/// Direct-mapped and fixed-size: a miss overwrites the slot, so a stream of millions
/// of distinct ids costs a bounded amount of memory and no more than a miss each.
/// Only strings of up to `maxBytes` are kept (a text utterance is rarely repeated).
/// Owned by one ``LineDecoder`` (one per thread); the storage is raw memory behind
/// `let` pointers so a lookup pays no exclusivity check.
final class StringCache {
    /// Longest string kept, in bytes: the key is held inline as four words.
    static let maxBytes = 32
    private static let slotCount = 1024

    /// A string's bytes, zero-padded to 32, and its length (0 marks an empty slot:
    /// the empty string is never looked up).
    private struct Key: Equatable {
        var w0: UInt64 = 0, w1: UInt64 = 0, w2: UInt64 = 0, w3: UInt64 = 0
        var length: Int = 0
    }

    private let keys: UnsafeMutablePointer<Key>
    private let strings: UnsafeMutablePointer<String>

    init() {
        keys = .allocate(capacity: Self.slotCount)
        keys.initialize(repeating: Key(), count: Self.slotCount)
        strings = .allocate(capacity: Self.slotCount)
        strings.initialize(repeating: "", count: Self.slotCount)
    }

    deinit {
        keys.deinitialize(count: Self.slotCount)
        keys.deallocate()
        strings.deinitialize(count: Self.slotCount)
        strings.deallocate()
    }

    /// The String of the `count` bytes at `p`, as `String(decoding:as: UTF8.self)` makes it
    /// (ill-formed bytes repaired the same way: the cache only remembers its result).
    @inline(__always)
    func string(_ p: UnsafePointer<UInt8>, count: Int) -> String {
        guard count > 0, count <= Self.maxBytes else {
            return String(decoding: UnsafeBufferPointer(start: p, count: count), as: UTF8.self)
        }
        var key = Key(length: count)
        withUnsafeMutableBytes(of: &key) { raw in
            raw.baseAddress!.copyMemory(from: p, byteCount: count)
        }
        // Any mix will do: the slot's full key is compared before it is trusted.
        var h = key.w0 &* 0x9E37_79B9_7F4A_7C15
        h ^= (key.w1 &+ UInt64(truncatingIfNeeded: count)) &* 0xC2B2_AE3D_27D4_EB4F
        h ^= (key.w2 ^ (key.w3 &<< 1)) &* 0x1656_67B1_9E37_79F9
        let slot = Int(truncatingIfNeeded: (h ^ (h &>> 29)) & UInt64(Self.slotCount - 1))
        if keys[slot] == key { return strings[slot] }
        let s = String(decoding: UnsafeBufferPointer(start: p, count: count), as: UTF8.self)
        keys[slot] = key
        strings[slot] = s
        return s
    }
}
