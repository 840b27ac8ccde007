/// One value of a JSON document read by `JSONTree`, with where it lies in the document's bytes.
public struct JSONNode: Sendable {
    /// What the value is.
    public enum Value: Sendable {
        case object([String: JSONNode])
        case array([JSONNode])
        case string(String)
        /// A number written as a whole number that fits in 64 bits (`-12`, `0`).
        case integer(Int64)
        /// Any other number (a fraction, an exponent, too large): left to `JSONDecoder`.
        case otherNumber
        case bool(Bool)
        case null
    }

    public let value: Value
    /// The bytes of the value in the document.
    public let range: Range<Int>

    /// The member `key` of an object.
    public subscript(key: String) -> JSONNode? {
        if case .object(let members) = value { members[key] } else { nil }
    }

    public var string: String? { if case .string(let text) = value { text } else { nil } }
    public var integer: Int64? { if case .integer(let number) = value { number } else { nil } }
    public var bool: Bool? { if case .bool(let flag) = value { flag } else { nil } }
    public var array: [JSONNode]? { if case .array(let elements) = value { elements } else { nil } }
    public var object: [String: JSONNode]? { if case .object(let members) = value { members } else { nil } }
}

extension Array where Element == JSONNode {
    /// Each element read by `read`, or `nil` as soon as one is not (a reader is sure of all, or of none).
    public func readEach<T>(_ read: (JSONNode) -> T?) -> [T]? {
        var values: [T] = []
        values.reserveCapacity(count)
        for element in self {
            guard let value = read(element) else { return nil }
            values.append(value)
        }
        return values
    }
}

/// A strict, small JSON reader for the hot paths of sync (a push's and a pull's changes), where
/// Foundation's `JSONDecoder` costs more than the merge.
///
/// It reads RFC 8259 JSON into `JSONNode`s, or gives `nil` whenever it is not sure: malformed text, a
/// member named twice, nesting deeper than `maxDepth`, more than `maxNodes` values (a node takes some
/// 40 bytes, so a hostile body of 16 MiB of `0,` must not become a tree of hundreds of megabytes; the
/// largest push and page hold well under a tenth of it). The caller then decodes with `JSONDecoder`,
/// which decides and says what is wrong; so a document read here means exactly what `JSONDecoder`
/// would have read (`JSONCoding.read`).
public enum JSONTree {
    /// How deep objects and arrays may nest before the reader leaves the document to `JSONDecoder`.
    public static let maxDepth = 32
    /// How many values a document may hold before the reader leaves it to `JSONDecoder`.
    public static let maxNodes = 250_000

    /// The document `bytes` holds (one value, white space around it), or `nil`.
    public static func parse(_ bytes: [UInt8]) -> JSONNode? {
        bytes.withUnsafeBufferPointer { buffer in
            var reader = Reader(bytes: buffer)
            guard let node = reader.value(depth: 0) else { return nil }
            reader.skipSpace()
            return reader.index == buffer.count ? node : nil
        }
    }

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0
        var nodesLeft = JSONTree.maxNodes

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        mutating func skipSpace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0A, 0x0D: index += 1
                default: return
                }
            }
        }

        mutating func value(depth: Int) -> JSONNode? {
            skipSpace()
            nodesLeft -= 1
            guard index < bytes.count, depth <= JSONTree.maxDepth, nodesLeft >= 0 else { return nil }
            let start = index
            let value: JSONNode.Value
            switch bytes[index] {
            case UInt8(ascii: "{"):
                guard let members = object(depth: depth) else { return nil }
                value = .object(members)
            case UInt8(ascii: "["):
                guard let elements = array(depth: depth) else { return nil }
                value = .array(elements)
            case UInt8(ascii: "\""):
                guard let text = string() else { return nil }
                value = .string(text)
            case UInt8(ascii: "t"):
                guard literal("true") else { return nil }
                value = .bool(true)
            case UInt8(ascii: "f"):
                guard literal("false") else { return nil }
                value = .bool(false)
            case UInt8(ascii: "n"):
                guard literal("null") else { return nil }
                value = .null
            default:
                guard let number = number() else { return nil }
                value = number
            }
            return JSONNode(value: value, range: start..<index)
        }

        mutating func object(depth: Int) -> [String: JSONNode]? {
            index += 1
            var members: [String: JSONNode] = [:]
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                index += 1
                return members
            }
            while true {
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\""), let key = string() else { return nil }
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
                index += 1
                guard let member = value(depth: depth + 1), members.updateValue(member, forKey: key) == nil else { return nil }
                skipSpace()
                guard index < bytes.count else { return nil }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                } else if bytes[index] == UInt8(ascii: "}") {
                    index += 1
                    return members
                } else {
                    return nil
                }
            }
        }

        mutating func array(depth: Int) -> [JSONNode]? {
            index += 1
            var elements: [JSONNode] = []
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                index += 1
                return elements
            }
            while true {
                guard let element = value(depth: depth + 1) else { return nil }
                elements.append(element)
                skipSpace()
                guard index < bytes.count else { return nil }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                } else if bytes[index] == UInt8(ascii: "]") {
                    index += 1
                    return elements
                } else {
                    return nil
                }
            }
        }

        mutating func literal(_ word: StaticString) -> Bool {
            let count = word.utf8CodeUnitCount
            guard index + count <= bytes.count else { return false }
            for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { return false }
            index += count
            return true
        }

        /// A number; whole numbers that fit in 64 bits are read, any other valid number is `otherNumber`.
        mutating func number() -> JSONNode.Value? {
            let start = index
            if bytes[index] == UInt8(ascii: "-") { index += 1 }
            let digits = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            let digitCount = index - digits
            guard digitCount > 0, !(digitCount > 1 && bytes[digits] == UInt8(ascii: "0")) else { return nil }
            var whole = true
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                whole = false
                index += 1
                guard skipDigits() else { return nil }
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                whole = false
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
                guard skipDigits() else { return nil }
            }
            guard whole, let text = String(validating: bytes[start..<index], as: UTF8.self), let number = Int64(text) else {
                return .otherNumber
            }
            return .integer(number)
        }

        mutating func skipDigits() -> Bool {
            let start = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            return index > start
        }

        /// A string literal, escapes decoded; `nil` for a raw control character, a bad escape, a lone
        /// surrogate or bytes that are not UTF-8.
        mutating func string() -> String? {
            index += 1
            let start = index
            // The common case: no escape at all, the bytes are the text.
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    defer { index += 1 }
                    return String(validating: bytes[start..<index], as: UTF8.self)
                }
                if byte == UInt8(ascii: "\\") { break }
                if byte < 0x20 { return nil }
                index += 1
            }
            var decoded = Array(bytes[start..<index])
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                switch byte {
                case UInt8(ascii: "\""):
                    return String(validating: decoded, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard index < bytes.count else { return nil }
                    let escape = bytes[index]
                    index += 1
                    switch escape {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(escape)
                    case UInt8(ascii: "b"): decoded.append(0x08)
                    case UInt8(ascii: "f"): decoded.append(0x0C)
                    case UInt8(ascii: "n"): decoded.append(0x0A)
                    case UInt8(ascii: "r"): decoded.append(0x0D)
                    case UInt8(ascii: "t"): decoded.append(0x09)
                    case UInt8(ascii: "u"):
                        guard let scalar = unicodeEscape() else { return nil }
                        decoded.append(contentsOf: String(Character(scalar)).utf8)
                    default: return nil
                    }
                case 0..<0x20:
                    return nil
                default:
                    decoded.append(byte)
                }
            }
            return nil
        }

        /// The scalar of `\uXXXX` (the `\u` read already), joining a surrogate pair.
        mutating func unicodeEscape() -> Unicode.Scalar? {
            guard let high = hex4() else { return nil }
            switch high {
            case 0xD800...0xDBFF:
                guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else { return nil }
                index += 2
                guard let low = hex4(), (0xDC00...0xDFFF).contains(low) else { return nil }
                return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
            case 0xDC00...0xDFFF:
                return nil
            default:
                return Unicode.Scalar(high)
            }
        }

        mutating func hex4() -> UInt32? {
            guard index + 4 <= bytes.count else { return nil }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[index]
                index += 1
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: return nil
                }
                value = value << 4 | UInt32(digit)
            }
            return value
        }
    }
}
