import AttuneCore
import Testing

// A miniature of the real configuration: nesting, arrays, optionals, dictionaries, enums.
private enum Mode: String, Codable, Equatable { case comfort, space, question, reflect }

private struct Fusion: Codable, Equatable {
    var halfLife = 30.0
    var window = 8
    var weights: [String: Double] = ["text": 1, "voice": 0.5]
}

private struct Policy: Codable, Equatable {
    var mode = Mode.reflect
    var thresholds: [Double] = [0.2, 0.5, 0.8]
    var label: String? = nil
    var matrix: [[Int]] = [[1, 2], [3]]
    var byLevel: [Int: String] = [10: "high", 2: "low"]
    var modes: [Mode] = [.comfort, .space]
}

private struct Config: Codable, Equatable {
    var fusion = Fusion()
    var policy = Policy()
    var flags: [Bool] = [true, false]
    var tiny: UInt8 = 200
    var small: Int8 = -100
    var big: Int64 = -9_007_199_254_740_992
    var ratio: Float = 0.25
    var note: String? = "hi"
    var gaps: [Int?] = [1, nil, 3]
}

private func encode<T: Encodable>(_ value: T) throws -> JSONValue { try JSONValueEncoder().encode(value) }
private func decode<T: Decodable>(_ type: T.Type, _ value: JSONValue) throws -> T {
    try JSONValueDecoder().decode(type, from: value)
}

/// The error a throwing call raised, as `JSONValueCodingError`.
private func codingError(_ body: () throws -> Void) -> JSONValueCodingError? {
    do { try body() } catch let error as JSONValueCodingError { return error } catch { return nil }
    return nil
}

@Test func roundTripsNestedStruct() throws {
    var config = Config()
    config.policy.label = "x"
    config.policy.mode = .space
    config.fusion.weights["posture"] = 0.25
    config.note = nil
    let json = try encode(config)
    #expect(try decode(Config.self, json) == config)
    #expect(try decode(Config.self, json) != Config())
}

@Test func encodesMembersInDeclaredOrderAndTypes() throws {
    let json = try encode(Config())
    #expect(json.object?.keys == ["fusion", "policy", "flags", "tiny", "small", "big", "ratio", "note", "gaps"])
    #expect(json["policy"]?.object?.keys == ["mode", "thresholds", "matrix", "byLevel", "modes"])  // nil label absent
    #expect(json["policy"]?["mode"] == .string("reflect"))
    #expect(json["policy"]?["matrix"] == [[1, 2], [3]])
    #expect(json["gaps"] == [1, nil, 3])
    #expect(json["ratio"] == .number(0.25))
    #expect(json["fusion"]?["halfLife"] == .number(30))
}

@Test func explicitNilEncodesNull() throws {
    struct Explicit: Encodable {
        var a: Int? = nil
        enum CodingKeys: String, CodingKey { case a, b }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encodeNil(forKey: .a)
            try c.encodeIfPresent(a, forKey: .b)
        }
    }
    #expect(try encode(Explicit()) == ["a": nil])
}

@Test func dictionaryKeysAreSorted() throws {
    var words: [String: Int] = [:]
    for i in 0..<64 { words["w\(i * 7919 % 64)"] = i }
    let keys = try #require(try encode(words).object?.keys)
    #expect(keys.count == 64)
    #expect(keys == keys.sorted())

    // Int keys sort numerically, not as strings ("10" < "2").
    let numeric: [Int: Bool] = [100: true, 2: false, 10: true, -5: false]
    #expect(try encode(numeric).object?.keys == ["-5", "2", "10", "100"])
    #expect(try decode([Int: Bool].self, encode(numeric)) == numeric)
}

@Test func dictionaryOutputDoesNotDependOnInsertionOrder() throws {
    let names = (0..<40).map { "key\($0)" }
    var forward: [String: Int] = [:], backward: [String: Int] = [:]
    for (i, n) in names.enumerated() { forward[n] = i }
    for (i, n) in names.enumerated().reversed() { backward[n] = i }
    backward.reserveCapacity(500)  // a different capacity also changes the iteration order
    #expect(try encode(forward) == encode(backward))
}

private let errorCases: [(JSONValue, String)] = [
    (["fusion": ["halfLife": "long"]], "fusion.halfLife: expected a number, got a string"),
    (["fusion": ["window": nil]], "fusion.window: expected an integer, got null"),
    (["fusion": ["window": 2.5]], "fusion.window: expected an integer, got 2.5"),
    (["policy": ["thresholds": [0.1, "x"]]], "policy.thresholds[1]: expected a number, got a string"),
    (["policy": ["matrix": [[1], [2, true]]]], "policy.matrix[1][1]: expected an integer, got a boolean"),
    (["policy": ["byLevel": ["3": 4]]], "policy.byLevel.3: expected a string, got a number"),
    (["tiny": 256], "tiny: 256 is out of range for UInt8"),
    (["small": -129], "small: -129 is out of range for Int8"),
    (["flags": "yes"], "flags: expected an array, got a string"),
    (["fusion": 1], "fusion: expected an object, got a number"),
    ([1, 2], "expected an object, got an array"),
]

@Test(arguments: errorCases)
private func decodingErrorsNamePathAndProblem(override: JSONValue, expected: String) throws {
    let full = try encode(Config()).merging(override)
    let error = try #require(codingError { _ = try decode(Config.self, full) })
    #expect(error.description == expected)
}

@Test func missingKeyNamesTheKeyAndItsParent() throws {
    var json = try encode(Config())
    guard case .object(var root) = json, case .object(var fusion) = root["fusion"]! else { Issue.record(); return }
    fusion["halfLife"] = nil
    root["fusion"] = .object(fusion)
    json = .object(root)
    let error = try #require(codingError { _ = try decode(Config.self, json) })
    #expect(error.path == "fusion")
    #expect(error.message == "missing key \"halfLife\"")
    #expect(codingError { _ = try decode(Fusion.self, [:]) }?.description == "missing key \"halfLife\"")
}

@Test func invalidEnumValueIsReportedAtItsPath() throws {
    let json = try encode(Config()).merging(["policy": ["modes": ["space", "hug"]]])
    let error = try #require(codingError { _ = try decode(Config.self, json) })
    #expect(error.path == "policy.modes[1]")
    #expect(error.message.contains("hug"))
}

private let uint8Cases: [(JSONValue, UInt8?)] = [
    (255, 255), (256, nil), (-1, nil), (0, 0), (1.5, nil), (1e300, nil), ("1", nil), (nil, nil),
]

@Test(arguments: uint8Cases)
func uint8Decoding(value: JSONValue, expected: UInt8?) {
    #expect((try? decode(UInt8.self, value)) == expected)
}

@Test func integerRangeAndIntegralityMessages() throws {
    #expect(codingError { _ = try decode(UInt.self, -1) }?.description == "-1 is out of range for UInt")
    #expect(codingError { _ = try decode(Int64.self, 1e19) }?.message == "1e+19 is out of range for Int64")
    #expect(codingError { _ = try decode(Int.self, 0.5) }?.message == "expected an integer, got 0.5")
    #expect(try decode(Int64.self, -9_007_199_254_740_992) == -9_007_199_254_740_992)
    #expect(try decode(Int8.self, -128) == -128)
    #expect(try decode(Double.self, 0.1) == 0.1)
    #expect(try decode(Double.self, 3) == 3)
    #expect(codingError { _ = try decode(Float.self, 1e300) }?.message == "1e+300 is out of range for Float")
}

@Test func encodingRejectsNonFiniteAndInexactNumbers() throws {
    struct Holder: Encodable { var values: [Double]; var seed: UInt64 = 1 }
    #expect(codingError { _ = try encode(Holder(values: [1, .infinity])) }?.description == "values[1]: cannot encode non-finite number inf")
    #expect(codingError { _ = try encode(Holder(values: [.nan])) }?.path == "values[0]")
    #expect(codingError { _ = try encode(Float.infinity) } != nil)
    #expect(codingError { _ = try encode(Holder(values: [], seed: .max)) }?.path == "seed")
    #expect(try encode(Holder(values: [], seed: 1 << 53))["seed"] == .number(9_007_199_254_740_992))
}

@Test func mergingKeepsDefaultsAndReplacesArrays() throws {
    let defaults = try encode(Config())
    let override: JSONValue = ["fusion": ["halfLife": 5, "weights": ["voice": 2]], "policy": ["thresholds": [0.9]]]
    let config = try decode(Config.self, defaults.merging(override))
    var expected = Config()
    expected.fusion.halfLife = 5
    expected.fusion.weights["voice"] = 2  // objects merge, so "text" survives
    expected.policy.thresholds = [0.9]  // arrays replace
    #expect(config == expected)
    #expect(defaults.merging(["note": nil])["note"] == .null)
    #expect(JSONValue.number(1).merging(["a": 1]) == ["a": 1])
    #expect((["a": 1, "b": ["c": 2]] as JSONValue).merging(["b": ["d": 3], "e": 4]) == ["a": 1, "b": ["c": 2, "d": 3], "e": 4])
}

@Test func unknownPathsAreFoundInDocumentOrder() throws {
    let override: JSONValue = [
        "zeta": 1,
        "fusion": ["halfLif": 3, "window": 2, "weights": ["posture": 1], "extra": ["deep": 1]],
        "policy": ["mode": "space", "label": nil],  // null for a nil optional is not unknown
        "note": "n",
    ]
    let config = try decode(Config.self, encode(Config()).merging(override))
    #expect(config.fusion.window == 2 && config.fusion.weights["posture"] == 1)  // dictionary keys are data, not unknown
    #expect(override.paths(notIn: try encode(config)) == ["zeta", "fusion.halfLif", "fusion.extra"])
}

@Test func unknownPathsInsideArrays() {
    let mine: JSONValue = ["rules": [["name": "a"], ["nmae": "b"]]]
    let other: JSONValue = ["rules": [["name": "a"], ["name": "b"]]]
    #expect(mine.paths(notIn: other) == ["rules[1].nmae"])
    #expect(other.paths(notIn: other) == [])
}

@Test func superEncoderAndDecoderNestUnderSuper() throws {
    struct Base: Codable, Equatable { var a = 1 }
    struct Derived: Codable, Equatable {
        var base = Base()
        var b = "x"
        enum CodingKeys: String, CodingKey { case b }
        init() {}
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            b = try c.decode(String.self, forKey: .b)
            base = try Base(from: c.superDecoder())
        }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(b, forKey: .b)
            try base.encode(to: c.superEncoder())
        }
    }
    var value = Derived()
    value.base.a = 7
    let json = try encode(value)
    #expect(json == ["b": "x", "super": ["a": 7]])
    #expect(try decode(Derived.self, json) == value)
}

@Test func jsonValueFieldsPassThroughInOrder() throws {
    struct Section: Codable, Equatable { var name = "n"; var raw: JSONValue = ["z": 1, "a": [true, nil, "s"]] }
    let json = try encode(Section())
    #expect(json["raw"]?.object?.keys == ["z", "a"])
    #expect(try decode(Section.self, json) == Section())
}
