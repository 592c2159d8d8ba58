// Codable <-> JSONValue, so configuration structs can be read and written
// without Foundation's JSON coders (json-c does the text side).

/// Turns an `Encodable` value into a `JSONValue` tree.
///
/// Struct members come out in the order the type encodes them (its `CodingKeys`
/// order for synthesized conformances). Dictionary members are sorted by key
/// (numerically for `Int` keys) because `Dictionary` iterates in a per-process
/// random order and the output must be byte-for-byte stable.
public struct JSONValueEncoder: Sendable {
    public init() {}

    /// Encodes `value`; throws `JSONValueCodingError` for non-finite floats or
    /// integers a JSON number (a `Double`) cannot hold exactly.
    public func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        let encoder = EncoderImpl(node: Node(), codingPath: [])
        do { try encoder.put(value) } catch let error as EncodingError { throw JSONValueCodingError(error) }
        return encoder.node.value
    }
}

/// Builds a `Decodable` value from a `JSONValue` tree.
///
/// Strict: no type coercion (a string never becomes a number), integers must be
/// integral and in range, and every error names where it happened.
public struct JSONValueDecoder: Sendable {
    public init() {}

    /// Decodes `type` from `value`; throws `JSONValueCodingError`.
    public func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        do { return try DecoderImpl(value: value, codingPath: []).get(T.self) } catch let error as DecodingError {
            throw JSONValueCodingError(error)
        }
    }
}

/// A coding failure: where (`fusion.halfLife`, `policy.rules[2].name`, empty at
/// the root) and what, in words meant for someone editing a configuration file.
public struct JSONValueCodingError: Error, CustomStringConvertible, Equatable {
    public var path: String
    public var message: String

    public init(path: String, message: String) { self.path = path; self.message = message }

    /// `path: message`, or just the message at the root.
    public var description: String { path.isEmpty ? message : "\(path): \(message)" }

    init(_ error: DecodingError) {
        switch error {
        case .keyNotFound(let key, let context):
            self.init(path: Self.format(context.codingPath), message: "missing key \"\(key.stringValue)\"")
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            self.init(path: Self.format(context.codingPath), message: context.debugDescription)
        @unknown default:
            self.init(path: "", message: "\(error)")
        }
    }

    init(_ error: EncodingError) {
        switch error {
        case .invalidValue(_, let context):
            self.init(path: Self.format(context.codingPath), message: context.debugDescription)
        @unknown default:
            self.init(path: "", message: "\(error)")
        }
    }

    static func format(_ path: [any CodingKey]) -> String {
        path.reduce(into: "") { out, key in
            if let index = key as? IndexKey {
                out += "[\(index.index)]"
            } else {
                out += out.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
    }
}

extension JSONValue {
    /// Deep merge: objects merge member by member (recursively; new members are
    /// appended in `override`'s order); anything else, arrays included, is replaced.
    public func merging(_ override: JSONValue) -> JSONValue {
        guard case .object(var base) = self, case .object(let top) = override else { return override }
        for member in top {
            base[member.key] = base[member.key].map { $0.merging(member.value) } ?? member.value
        }
        return .object(base)
    }

    /// Dotted paths of object members in `self` (typically a user override) that
    /// `other` (typically the decoded configuration re-encoded) lacks, in `self`'s
    /// document order: the keys decoding silently ignored, such as `fusion.halfLif`.
    ///
    /// Arrays are compared element by element (`rules[1].nmae`). Members whose value
    /// is `null` are never reported: an optional set to nil is dropped on encoding,
    /// so it would always look unknown.
    public func paths(notIn other: JSONValue) -> [String] {
        var found: [String] = []
        collectPaths(self, other, prefix: "", into: &found)
        return found
    }
}

private func collectPaths(_ mine: JSONValue, _ other: JSONValue, prefix: String, into found: inout [String]) {
    switch (mine, other) {
    case (.object(let a), .object(let b)):
        for member in a where !member.value.isNull {
            let path = prefix.isEmpty ? member.key : prefix + "." + member.key
            if let theirs = b[member.key] {
                collectPaths(member.value, theirs, prefix: path, into: &found)
            } else {
                found.append(path)
            }
        }
    case (.array(let a), .array(let b)):
        for (i, element) in a.enumerated() where i < b.count {
            collectPaths(element, b[i], prefix: prefix + "[\(i)]", into: &found)
        }
    default:
        break
    }
}

/// `JSONValue` as a field of a Codable type (e.g. an opaque plugin section).
/// The JSONValue coders pass it through untouched, preserving member order; other
/// coders go through this generic path.
extension JSONValue: Codable {
    public init(from decoder: any Decoder) throws {
        if let c = try? decoder.container(keyedBy: AnyKey.self) {
            self = .object(JSONObject(try c.allKeys.map { .init(key: $0.stringValue, value: try c.decode(JSONValue.self, forKey: $0)) }))
        } else if var c = try? decoder.unkeyedContainer() {
            var elements: [JSONValue] = []
            while !c.isAtEnd { elements.append(try c.decode(JSONValue.self)) }
            self = .array(elements)
        } else {
            let c = try decoder.singleValueContainer()
            if c.decodeNil() { self = .null }
            else if let b = try? c.decode(Bool.self) { self = .bool(b) }
            else if let n = try? c.decode(Double.self) { self = .number(n) }
            else { self = .string(try c.decode(String.self)) }
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .null: var c = encoder.singleValueContainer(); try c.encodeNil()
        case .bool(let b): var c = encoder.singleValueContainer(); try c.encode(b)
        case .number(let n): var c = encoder.singleValueContainer(); try c.encode(n)
        case .string(let s): var c = encoder.singleValueContainer(); try c.encode(s)
        case .array(let a): var c = encoder.unkeyedContainer(); for v in a { try c.encode(v) }
        case .object(let o):
            var c = encoder.container(keyedBy: AnyKey.self)
            for m in o { try c.encode(m.value, forKey: AnyKey(stringValue: m.key)) }
        }
    }
}

// MARK: - Keys and scalars

private struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { return nil }
}

/// An array position; a distinct type so paths print it as `[i]`, not `.i`.
struct IndexKey: CodingKey {
    var index: Int
    var stringValue: String { String(index) }
    var intValue: Int? { index }
    init(_ index: Int) { self.index = index }
    init?(stringValue: String) { return nil }
    init(intValue: Int) { self.index = intValue }
}

/// The types containers handle directly, with the strict conversions.
private protocol JSONScalar {
    func json(at path: [any CodingKey]) throws -> JSONValue
    static func from(_ value: JSONValue, at path: [any CodingKey]) throws -> Self
}

private func mismatch(_ expected: String, _ value: JSONValue, _ path: [any CodingKey], _ type: Any.Type) -> DecodingError {
    let context = DecodingError.Context(codingPath: path, debugDescription: "expected \(expected), got \(value.typeName)")
    return value.isNull ? .valueNotFound(type, context) : .typeMismatch(type, context)
}

private func corrupt(_ message: String, _ path: [any CodingKey]) -> DecodingError {
    .dataCorrupted(.init(codingPath: path, debugDescription: message))
}

/// Integral numbers without the ".0", so messages read "300 is out of range".
private func show(_ d: Double) -> String {
    d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)
}

extension Bool: JSONScalar {
    fileprivate func json(at path: [any CodingKey]) throws -> JSONValue { .bool(self) }
    fileprivate static func from(_ value: JSONValue, at path: [any CodingKey]) throws -> Bool {
        guard case .bool(let b) = value else { throw mismatch("a boolean", value, path, Bool.self) }
        return b
    }
}

extension String: JSONScalar {
    fileprivate func json(at path: [any CodingKey]) throws -> JSONValue { .string(self) }
    fileprivate static func from(_ value: JSONValue, at path: [any CodingKey]) throws -> String {
        guard case .string(let s) = value else { throw mismatch("a string", value, path, String.self) }
        return s
    }
}

extension JSONScalar where Self: BinaryFloatingPoint {
    func json(at path: [any CodingKey]) throws -> JSONValue {
        guard isFinite else {
            throw EncodingError.invalidValue(Double(self), .init(codingPath: path, debugDescription: "cannot encode non-finite number \(self)"))
        }
        return .number(Double(self))
    }
    static func from(_ value: JSONValue, at path: [any CodingKey]) throws -> Self {
        guard case .number(let d) = value else { throw mismatch("a number", value, path, Self.self) }
        let x = Self(d)
        guard d.isFinite, x.isFinite else { throw corrupt("\(show(d)) is out of range for \(Self.self)", path) }
        return x
    }
}

extension JSONScalar where Self: FixedWidthInteger {
    func json(at path: [any CodingKey]) throws -> JSONValue {
        let d = Double(self)
        guard Self(exactly: d) == self else {
            throw EncodingError.invalidValue(d, .init(codingPath: path, debugDescription: "integer \(self) cannot be represented exactly as a JSON number"))
        }
        return .number(d)
    }
    static func from(_ value: JSONValue, at path: [any CodingKey]) throws -> Self {
        guard case .number(let d) = value else { throw mismatch("an integer", value, path, Self.self) }
        guard d.isFinite, d == d.rounded(.towardZero) else { throw corrupt("expected an integer, got \(show(d))", path) }
        guard let i = Self(exactly: d) else { throw corrupt("\(show(d)) is out of range for \(Self.self)", path) }
        return i
    }
}

extension Double: JSONScalar {}
extension Float: JSONScalar {}
extension Int: JSONScalar {}
extension Int8: JSONScalar {}
extension Int16: JSONScalar {}
extension Int32: JSONScalar {}
extension Int64: JSONScalar {}
extension UInt: JSONScalar {}
extension UInt8: JSONScalar {}
extension UInt16: JSONScalar {}
extension UInt32: JSONScalar {}
extension UInt64: JSONScalar {}

/// Lets the encoder recognise dictionaries, whose members it sorts.
private protocol KeySortedDictionary {
    static func keyPrecedes(_ a: String, _ b: String) -> Bool
}

extension Dictionary: KeySortedDictionary {
    fileprivate static func keyPrecedes(_ a: String, _ b: String) -> Bool {
        if Key.self == Int.self, let x = Int(a), let y = Int(b) { return x < y }
        return a < b
    }
}

// MARK: - Encoding

/// A mutable tree node: containers hand out references to their children, so
/// nested containers can keep writing after the call that created them returns.
private final class Node {
    enum Kind { case empty, scalar(JSONValue), object, array }
    var kind = Kind.empty
    var keys: [String] = []
    var members: [String: Node] = [:]
    var elements: [Node] = []

    var isObject: Bool { if case .object = kind { true } else { false } }
    var isArray: Bool { if case .array = kind { true } else { false } }

    func child(_ key: String) -> Node {
        if let existing = members[key] { return existing }
        let node = Node()
        members[key] = node
        keys.append(key)
        return node
    }

    func appendChild() -> Node {
        let node = Node()
        elements.append(node)
        return node
    }

    var value: JSONValue {
        switch kind {
        case .empty: return .object(JSONObject())
        case .scalar(let v): return v
        case .object: return .object(JSONObject(keys.map { .init(key: $0, value: members[$0]!.value) }))
        case .array: return .array(elements.map(\.value))
        }
    }
}

private final class EncoderImpl: Encoder, SingleValueEncodingContainer {
    let node: Node
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(node: Node, codingPath: [any CodingKey]) { self.node = node; self.codingPath = codingPath }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if !node.isObject { node.kind = .object }
        return KeyedEncodingContainer(KeyedEncoder<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if !node.isArray { node.kind = .array }
        return UnkeyedEncoder(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { self }

    func put<T: Encodable>(_ value: T) throws {
        if let scalar = value as? any JSONScalar { return try set(scalar) }
        if let json = value as? JSONValue { node.kind = .scalar(json); return }
        try value.encode(to: self)
        if let dictionary = value as? any KeySortedDictionary, node.isObject {
            node.keys.sort(by: type(of: dictionary).keyPrecedes)
        }
    }

    func set(_ value: some JSONScalar) throws { node.kind = .scalar(try value.json(at: codingPath)) }

    func encodeNil() throws { node.kind = .scalar(.null) }
    func encode(_ v: Bool) throws { try set(v) }
    func encode(_ v: String) throws { try set(v) }
    func encode(_ v: Double) throws { try set(v) }
    func encode(_ v: Float) throws { try set(v) }
    func encode(_ v: Int) throws { try set(v) }
    func encode(_ v: Int8) throws { try set(v) }
    func encode(_ v: Int16) throws { try set(v) }
    func encode(_ v: Int32) throws { try set(v) }
    func encode(_ v: Int64) throws { try set(v) }
    func encode(_ v: UInt) throws { try set(v) }
    func encode(_ v: UInt8) throws { try set(v) }
    func encode(_ v: UInt16) throws { try set(v) }
    func encode(_ v: UInt32) throws { try set(v) }
    func encode(_ v: UInt64) throws { try set(v) }
    func encode<T: Encodable>(_ v: T) throws { try put(v) }
}

private struct KeyedEncoder<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: Node
    let codingPath: [any CodingKey]

    private func at(_ key: any CodingKey) -> EncoderImpl {
        EncoderImpl(node: node.child(key.stringValue), codingPath: codingPath + [key])
    }

    mutating func encodeNil(forKey key: Key) throws { try at(key).encodeNil() }
    mutating func encode(_ v: Bool, forKey key: Key) throws { try at(key).set(v) }
    mutating func encode(_ v: String, forKey key: Key) throws { try at(key).set(v) }
    mutating func encode(_ v: Double, forKey key: Key) throws { try at(key).set(v) }
    mutating func encode(_ v: Float, forKey key: Key) throws { try at(key).set(v) }
    mutating func encode(_ v: Int, forKey key: Key) throws { try at(key).set(v) }
    mutating func encode(_ v: Int8, forKey key: Key) throws { try at(key).set(v) }
    mutating func encode(_ v: Int16, forKey key: Key) throws { try at(key).set(v) }
    mutating func encode(_ v: Int32, forKey key: Key) throws { try at(key).set(v) }
    mutating func encode(_ v: Int64, forKey key: Key) throws { try at(key).set(v) }
    mutating func encode(_ v: UInt, forKey key: Key) throws { try at(key).set(v) }
    mutating func encode(_ v: UInt8, forKey key: Key) throws { try at(key).set(v) }
    mutating func encode(_ v: UInt16, forKey key: Key) throws { try at(key).set(v) }
    mutating func encode(_ v: UInt32, forKey key: Key) throws { try at(key).set(v) }
    mutating func encode(_ v: UInt64, forKey key: Key) throws { try at(key).set(v) }
    mutating func encode<T: Encodable>(_ v: T, forKey key: Key) throws { try at(key).put(v) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        at(key).container(keyedBy: type)
    }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer { at(key).unkeyedContainer() }
    mutating func superEncoder() -> any Encoder { at(AnyKey(stringValue: "super")) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { at(key) }
}

private struct UnkeyedEncoder: UnkeyedEncodingContainer {
    let node: Node
    let codingPath: [any CodingKey]
    var count: Int { node.elements.count }

    private func next() -> EncoderImpl {
        let path = codingPath + [IndexKey(count)]
        return EncoderImpl(node: node.appendChild(), codingPath: path)
    }

    mutating func encodeNil() throws { try next().encodeNil() }
    mutating func encode(_ v: Bool) throws { try next().set(v) }
    mutating func encode(_ v: String) throws { try next().set(v) }
    mutating func encode(_ v: Double) throws { try next().set(v) }
    mutating func encode(_ v: Float) throws { try next().set(v) }
    mutating func encode(_ v: Int) throws { try next().set(v) }
    mutating func encode(_ v: Int8) throws { try next().set(v) }
    mutating func encode(_ v: Int16) throws { try next().set(v) }
    mutating func encode(_ v: Int32) throws { try next().set(v) }
    mutating func encode(_ v: Int64) throws { try next().set(v) }
    mutating func encode(_ v: UInt) throws { try next().set(v) }
    mutating func encode(_ v: UInt8) throws { try next().set(v) }
    mutating func encode(_ v: UInt16) throws { try next().set(v) }
    mutating func encode(_ v: UInt32) throws { try next().set(v) }
    mutating func encode(_ v: UInt64) throws { try next().set(v) }
    mutating func encode<T: Encodable>(_ v: T) throws { try next().put(v) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        next().container(keyedBy: type)
    }
    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { next().unkeyedContainer() }
    mutating func superEncoder() -> any Encoder { next() }
}

// MARK: - Decoding

private struct DecoderImpl: Decoder, SingleValueDecodingContainer {
    let value: JSONValue
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let object) = value else { throw mismatch("an object", value, codingPath, JSONObject.self) }
        return KeyedDecodingContainer(KeyedDecoder<Key>(object: object, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value else { throw mismatch("an array", value, codingPath, [JSONValue].self) }
        return UnkeyedDecoder(elements: elements, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    func get<T: Decodable>(_ type: T.Type) throws -> T {
        if let scalar = type as? any JSONScalar.Type { return try scalar.from(value, at: codingPath) as! T }
        if type == JSONValue.self { return value as! T }
        return try T(from: self)
    }

    func decodeNil() -> Bool { value.isNull }
    func decode(_ t: Bool.Type) throws -> Bool { try t.from(value, at: codingPath) }
    func decode(_ t: String.Type) throws -> String { try t.from(value, at: codingPath) }
    func decode(_ t: Double.Type) throws -> Double { try t.from(value, at: codingPath) }
    func decode(_ t: Float.Type) throws -> Float { try t.from(value, at: codingPath) }
    func decode(_ t: Int.Type) throws -> Int { try t.from(value, at: codingPath) }
    func decode(_ t: Int8.Type) throws -> Int8 { try t.from(value, at: codingPath) }
    func decode(_ t: Int16.Type) throws -> Int16 { try t.from(value, at: codingPath) }
    func decode(_ t: Int32.Type) throws -> Int32 { try t.from(value, at: codingPath) }
    func decode(_ t: Int64.Type) throws -> Int64 { try t.from(value, at: codingPath) }
    func decode(_ t: UInt.Type) throws -> UInt { try t.from(value, at: codingPath) }
    func decode(_ t: UInt8.Type) throws -> UInt8 { try t.from(value, at: codingPath) }
    func decode(_ t: UInt16.Type) throws -> UInt16 { try t.from(value, at: codingPath) }
    func decode(_ t: UInt32.Type) throws -> UInt32 { try t.from(value, at: codingPath) }
    func decode(_ t: UInt64.Type) throws -> UInt64 { try t.from(value, at: codingPath) }
    func decode<T: Decodable>(_ t: T.Type) throws -> T { try get(t) }
}

private struct KeyedDecoder<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let object: JSONObject
    let codingPath: [any CodingKey]
    /// Hashed once so decoding a large object is not quadratic; the last duplicate wins, as in `JSONObject`.
    private let index: [String: JSONValue]

    init(object: JSONObject, codingPath: [any CodingKey]) {
        self.object = object
        self.codingPath = codingPath
        self.index = Dictionary(object.members.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
    }

    var allKeys: [Key] {
        var seen = Set<String>()
        return object.members.compactMap { seen.insert($0.key).inserted ? Key(stringValue: $0.key) : nil }
    }

    func contains(_ key: Key) -> Bool { index[key.stringValue] != nil }

    private func at(_ key: any CodingKey) throws -> DecoderImpl {
        guard let value = index[key.stringValue] else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "missing key \"\(key.stringValue)\""))
        }
        return DecoderImpl(value: value, codingPath: codingPath + [key])
    }

    func decodeNil(forKey key: Key) throws -> Bool { try at(key).decodeNil() }
    func decode(_ t: Bool.Type, forKey key: Key) throws -> Bool { try at(key).decode(t) }
    func decode(_ t: String.Type, forKey key: Key) throws -> String { try at(key).decode(t) }
    func decode(_ t: Double.Type, forKey key: Key) throws -> Double { try at(key).decode(t) }
    func decode(_ t: Float.Type, forKey key: Key) throws -> Float { try at(key).decode(t) }
    func decode(_ t: Int.Type, forKey key: Key) throws -> Int { try at(key).decode(t) }
    func decode(_ t: Int8.Type, forKey key: Key) throws -> Int8 { try at(key).decode(t) }
    func decode(_ t: Int16.Type, forKey key: Key) throws -> Int16 { try at(key).decode(t) }
    func decode(_ t: Int32.Type, forKey key: Key) throws -> Int32 { try at(key).decode(t) }
    func decode(_ t: Int64.Type, forKey key: Key) throws -> Int64 { try at(key).decode(t) }
    func decode(_ t: UInt.Type, forKey key: Key) throws -> UInt { try at(key).decode(t) }
    func decode(_ t: UInt8.Type, forKey key: Key) throws -> UInt8 { try at(key).decode(t) }
    func decode(_ t: UInt16.Type, forKey key: Key) throws -> UInt16 { try at(key).decode(t) }
    func decode(_ t: UInt32.Type, forKey key: Key) throws -> UInt32 { try at(key).decode(t) }
    func decode(_ t: UInt64.Type, forKey key: Key) throws -> UInt64 { try at(key).decode(t) }
    func decode<T: Decodable>(_ t: T.Type, forKey key: Key) throws -> T { try at(key).get(t) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try at(key).container(keyedBy: type)
    }
    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer { try at(key).unkeyedContainer() }
    func superDecoder() throws -> any Decoder { try at(AnyKey(stringValue: "super")) }
    func superDecoder(forKey key: Key) throws -> any Decoder { try at(key) }
}

private struct UnkeyedDecoder: UnkeyedDecodingContainer {
    let elements: [JSONValue]
    let codingPath: [any CodingKey]
    var currentIndex = 0
    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    init(elements: [JSONValue], codingPath: [any CodingKey]) { self.elements = elements; self.codingPath = codingPath }

    /// Runs `body` on the current element and advances only if it succeeds, as the protocol requires.
    private mutating func next<R>(_ type: R.Type, _ body: (DecoderImpl) throws -> R) throws -> R {
        let path = codingPath + [IndexKey(currentIndex)]
        guard !isAtEnd else { throw DecodingError.valueNotFound(type, .init(codingPath: path, debugDescription: "unexpected end of array")) }
        let result = try body(DecoderImpl(value: elements[currentIndex], codingPath: path))
        currentIndex += 1
        return result
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, elements[currentIndex].isNull else { return false }
        currentIndex += 1
        return true
    }
    mutating func decode(_ t: Bool.Type) throws -> Bool { try next(t) { try $0.decode(t) } }
    mutating func decode(_ t: String.Type) throws -> String { try next(t) { try $0.decode(t) } }
    mutating func decode(_ t: Double.Type) throws -> Double { try next(t) { try $0.decode(t) } }
    mutating func decode(_ t: Float.Type) throws -> Float { try next(t) { try $0.decode(t) } }
    mutating func decode(_ t: Int.Type) throws -> Int { try next(t) { try $0.decode(t) } }
    mutating func decode(_ t: Int8.Type) throws -> Int8 { try next(t) { try $0.decode(t) } }
    mutating func decode(_ t: Int16.Type) throws -> Int16 { try next(t) { try $0.decode(t) } }
    mutating func decode(_ t: Int32.Type) throws -> Int32 { try next(t) { try $0.decode(t) } }
    mutating func decode(_ t: Int64.Type) throws -> Int64 { try next(t) { try $0.decode(t) } }
    mutating func decode(_ t: UInt.Type) throws -> UInt { try next(t) { try $0.decode(t) } }
    mutating func decode(_ t: UInt8.Type) throws -> UInt8 { try next(t) { try $0.decode(t) } }
    mutating func decode(_ t: UInt16.Type) throws -> UInt16 { try next(t) { try $0.decode(t) } }
    mutating func decode(_ t: UInt32.Type) throws -> UInt32 { try next(t) { try $0.decode(t) } }
    mutating func decode(_ t: UInt64.Type) throws -> UInt64 { try next(t) { try $0.decode(t) } }
    mutating func decode<T: Decodable>(_ t: T.Type) throws -> T { try next(t) { try $0.get(t) } }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try next(KeyedDecodingContainer<NestedKey>.self) { try $0.container(keyedBy: type) }
    }
    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try next((any UnkeyedDecodingContainer).self) { try $0.unkeyedContainer() }
    }
    mutating func superDecoder() throws -> any Decoder { try next((any Decoder).self) { $0 } }
}
