import Foundation

/// A `Decodable` type with a hand-written reader for its common shapes (`JSONTree`), used where a
/// `JSONDecoder` would cost more than the work done with the value (`JSONCoding.read`).
public protocol TreeReadable: Decodable {
    /// The value `node` holds, or `nil` when the reader is not sure (an uncommon shape, a wrong type):
    /// then the whole document is decoded with `JSONDecoder`, which decides and gives the error.
    /// `source` is the whole document, so that a part the reader does not know can be decoded alone.
    init?(reading node: JSONNode, in source: [UInt8])
}

extension JSONCoding {
    /// A `T` read from the JSON document `bytes`: by `T`'s hand-written reader when it has one and is
    /// sure, else by `JSONDecoder`, whose errors are thrown. Either way the value is the same.
    public static func read<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        if let readable = T.self as? any TreeReadable.Type, let node = JSONTree.parse(bytes),
            let value = readable.init(reading: node, in: bytes) as? T
        {
            return value
        }
        return try decoder().decode(T.self, from: Data(bytes))
    }

    /// A part of a document (`node`, in `source`) that a hand-written reader does not know, decoded alone
    /// with `JSONDecoder`; `nil` when that fails: the reader gives up, and the whole document is decoded
    /// again so that the error names the part's place in it.
    public static func decodedPart<T: Decodable>(_ type: T.Type, _ node: JSONNode, in source: [UInt8]) -> T? {
        try? decoder().decode(T.self, from: Data(source[node.range]))
    }
}
