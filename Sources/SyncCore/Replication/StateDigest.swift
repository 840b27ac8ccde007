import Crypto
import Foundation

/// An order-independent fingerprint of a replica's logical state: equal digests mean equal records,
/// whatever order their changes arrived in.
public enum StateDigest {
    /// SHA-256 of a record's canonical JSON (a report record, or the winning change of reference data), in hex.
    public static func hash(_ record: some CanonicalEncodable) -> String {
        var json = CanonicalJSON()
        record.write(to: &json)
        return hash(canonical: json.bytes)
    }

    /// SHA-256 of bytes already in canonical form, in hex.
    public static func hash(canonical bytes: [UInt8]) -> String {
        Hex.encode(SHA256.hash(data: bytes))
    }

    /// The digest of records given as (id, record hash) pairs, in any order.
    public static func combine(_ hashes: some Sequence<(id: String, hash: String)>) -> String {
        var hasher = SHA256()
        for (id, hash) in hashes.sorted(by: { $0.id < $1.id }) {
            hasher.update(data: Data("\(id) \(hash)\n".utf8))
        }
        return Hex.encode(hasher.finalize())
    }
}
