import CJSONC

/// The one owner of a json-c tokener. json-c objects never leave this file's
/// callers' stack frames: everything is copied into plain Swift values
/// (``JSONValue``, ``Cue``) before it is handed on, so nothing non-Sendable
/// crosses a thread.
final class JSONCParser {
    private let tokener: UnsafeMutablePointer<json_tokener>

    /// `depth` caps nesting; deeper input is an error, not a stack overflow.
    init(depth: Int32 = 32) {
        tokener = json_tokener_new_ex(depth)!
        // Strict: no comments, no single quotes, and UTF-8 is validated. json-c still
        // reads NaN and Infinity in strict mode; LineDecoder rejects non-finite numbers
        // and duplicate keys itself, so what we accept, every JSON reader accepts alike.
        json_tokener_set_flags(tokener, Int32(JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8))
    }

    /// Whether the tokener's flags include UTF-8 validation now.
    private var validatingUTF8 = true

    deinit { json_tokener_free(tokener) }

    /// Parses exactly one JSON document from `bytes`. On success the caller
    /// owns the returned object and must `json_object_put` it.
    ///
    /// `plainASCII` says the caller knows every byte is below 0x80: json-c's UTF-8
    /// check (a test on every byte) then cannot fail and is left out. It stays on for
    /// any other input, where it also decides json-c's error for non-ASCII bytes where
    /// no string is (a byte order mark reports as invalid UTF-8).
    func parse(_ bytes: UnsafeRawBufferPointer, plainASCII: Bool = false) -> Result<OpaquePointer, JSONCError> {
        if validatingUTF8 == plainASCII {
            validatingUTF8 = !plainASCII
            json_tokener_set_flags(tokener, Int32(JSON_TOKENER_STRICT | (plainASCII ? 0 : JSON_TOKENER_VALIDATE_UTF8)))
        }
        json_tokener_reset(tokener)
        guard let base = bytes.baseAddress, bytes.count > 0 else { return .failure(.empty) }
        if bytes.count > Int(Int32.max) { return .failure(.tooLong) }
        let chars = base.assumingMemoryBound(to: CChar.self)
        let object = json_tokener_parse_ex(tokener, chars, Int32(bytes.count))
        let error = json_tokener_get_error(tokener)
        if error == json_tokener_continue {
            return .failure(.truncated)
        }
        if error != json_tokener_success {
            return .failure(.syntax(String(cString: json_tokener_error_desc(error)), offset: json_tokener_get_parse_end(tokener)))
        }
        let end = json_tokener_get_parse_end(tokener)
        if end < bytes.count {
            // Only trailing whitespace may follow the document.
            for i in end..<bytes.count {
                let b = bytes[i]
                if b != 0x20 && b != 0x09 {
                    if let object { json_object_put(object) }
                    return .failure(.trailing(offset: i))
                }
            }
        }
        // `null` parses to a NULL object; callers treat it as "not an object".
        guard let object else { return .failure(.notAnObject("null")) }
        return .success(object)
    }

    /// Parses a whole JSON text (a configuration file, a handshake) into a ``JSONValue``.
    func parseValue(_ text: String) throws(JSONCError) -> JSONValue {
        var text = text
        let result: Result<JSONValue, JSONCError> = text.withUTF8 { buffer in
            // json-c parses a bare `null` to a NULL object; keep that case apart.
            var i = buffer.count
            while i > 0, [0x20, 0x09, 0x0A, 0x0D].contains(buffer[i - 1]) { i -= 1 }
            var j = 0
            while j < i, [0x20, 0x09, 0x0A, 0x0D].contains(buffer[j]) { j += 1 }
            let trimmed = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(buffer)[j..<i])
            if trimmed.elementsEqual("null".utf8) { return .success(.null) }
            return parse(trimmed).map { object in
                defer { json_object_put(object) }
                return JSONValue(jsonc: object)
            }
        }
        return try result.get()
    }
}

enum JSONCError: Error, Equatable, CustomStringConvertible {
    case empty
    case tooLong
    case truncated
    case syntax(String, offset: Int)
    case trailing(offset: Int)
    case notAnObject(String)

    var description: String {
        switch self {
        case .empty: return "empty input"
        case .tooLong: return "line too long for the JSON parser"
        case .truncated: return "malformed JSON: unexpected end of line"
        case .syntax(let what, let offset): return "malformed JSON at byte \(offset + 1): \(what)"
        case .trailing(let offset): return "malformed JSON: unexpected data after the object at byte \(offset + 1)"
        case .notAnObject(let type): return "expected a JSON object, got \(type)"
        }
    }
}

extension JSONValue {
    /// A deep copy of a json-c object as Swift data. NULL is JSON null.
    init(jsonc object: OpaquePointer?) {
        guard let object else { self = .null; return }
        switch json_object_get_type(object) {
        case json_type_null: self = .null
        case json_type_boolean: self = .bool(json_object_get_boolean(object) != 0)
        case json_type_int: self = .number(Double(json_object_get_int64(object)))
        case json_type_double: self = .number(json_object_get_double(object))
        case json_type_string: self = .string(String(jsonc: object))
        case json_type_array:
            let n = json_object_array_length(object)
            var items: [JSONValue] = []
            items.reserveCapacity(n)
            for i in 0..<n { items.append(JSONValue(jsonc: json_object_array_get_idx(object, i))) }
            self = .array(items)
        case json_type_object:
            var members: [JSONObject.Member] = []
            var it = json_object_iter_begin(object)
            var end = json_object_iter_end(object)
            while json_object_iter_equal(&it, &end) == 0 {
                let key = String(cString: json_object_iter_peek_name(&it))
                members.append(.init(key: key, value: JSONValue(jsonc: json_object_iter_peek_value(&it))))
                json_object_iter_next(&it)
            }
            self = .object(JSONObject(members))
        default: self = .null
        }
    }
}

extension String {
    /// A json-c string object's bytes (which may hold NUL, so the length is used, not strlen).
    init(jsonc object: OpaquePointer) {
        let length = Int(json_object_get_string_len(object))
        guard let p = json_object_get_string(object) else { self = ""; return }
        self = p.withMemoryRebound(to: UInt8.self, capacity: length) {
            String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
        }
    }
}

/// json-c type names in the words the error messages use.
func jsoncTypeName(_ object: OpaquePointer?) -> String {
    guard let object else { return "null" }
    switch json_object_get_type(object) {
    case json_type_null: return "null"
    case json_type_boolean: return "a boolean"
    case json_type_int, json_type_double: return "a number"
    case json_type_string: return "a string"
    case json_type_array: return "an array"
    case json_type_object: return "an object"
    default: return "an unknown type"
    }
}

extension JSONValue {
    /// Parses JSON text with json-c (strict: no NaN, no comments, valid UTF-8).
    ///
    /// ```swift
    /// let config = try JSONValue.parse(#"{"policy": {"minDwell": 3}}"#)
    /// ```
    public static func parse(_ text: String) throws -> JSONValue {
        do {
            return try JSONCParser(depth: 64).parseValue(text)
        } catch {
            throw JSONParseError(message: error.description)
        }
    }
}

/// JSON text that json-c could not parse.
public struct JSONParseError: Error, CustomStringConvertible, Hashable {
    public var message: String
    public var description: String { message }
}
