import Crypto
import Foundation

/// A bundle file: a payload encrypted to its recipients and signed by its writer, for the changes that
/// travel by hand on a USB stick (docs/bundles.md has the layout and the reasons for each construction).
///
/// Layout: `RSBUNDLE`, a format byte, the header's length (4 bytes, big-endian) and canonical JSON
/// (`BundleHeader`), the sealed payload's length (8 bytes) and bytes (ChaCha20-Poly1305 under a fresh
/// payload key, the header as associated data), and the writer's Ed25519 signature of everything before it.
/// The payload key is sealed to each recipient with HPKE (RFC 9180: DHKEM X25519, HKDF-SHA256,
/// ChaCha20-Poly1305), so one file can go to all of a unit's devices.
public enum BundleFile {
    static let magic = Data("RSBUNDLE".utf8)
    /// The format this program writes and reads.
    public static let format: UInt8 = 1
    /// The largest bundle file taken in: a month of a busy unit's changes is far smaller.
    public static let maxBytes = 512 * 1024 * 1024
    /// The largest payload a bundle is written with: what fits in `maxBytes` beside the header and signature.
    public static let maxPayloadBytes = maxBytes - 64 * 1024
    /// The most changes one bundle may carry.
    public static let maxChanges = 200_000
    static let hpkeInfo = Data("ReportSync bundle key v1".utf8)
    static var suite: HPKE.Ciphersuite { .Curve25519_SHA256_ChachaPoly }

    /// `payload` sealed to `recipients` and signed by `sender`.
    public static func seal(
        _ payload: Data, direction: BundleHeader.Direction, id: String, at date: Date, from sender: BundleIdentity,
        to recipients: [BundlePublicKey]
    ) throws -> Data {
        do {
            return try sealing(payload, direction: direction, id: id, at: date, from: sender, to: recipients)
        } catch let error as ReportSyncError {
            throw error
        } catch {
            throw ReportSyncError(.storage, "the bundle could not be sealed to its recipients' keys (is one damaged?); nothing was written")
        }
    }

    private static func sealing(
        _ payload: Data, direction: BundleHeader.Direction, id: String, at date: Date, from sender: BundleIdentity,
        to recipients: [BundlePublicKey]
    ) throws -> Data {
        let payloadKey = SymmetricKey(size: .bits256)
        let keyBytes = payloadKey.withUnsafeBytes { Data($0) }
        let sealedKeys = try recipients.map { recipient in
            var hpke = try HPKE.Sender(recipientKey: try recipient.decoded().agreement, ciphersuite: suite, info: hpkeInfo)
            let sealed = try hpke.seal(keyBytes, authenticating: Data(id.utf8))
            return BundleHeader.Recipient(
                key: recipient.id, encapsulated: hpke.encapsulatedKey.base64EncodedString(),
                sealedKey: sealed.base64EncodedString())
        }
        let header = BundleHeader(
            format: Int(format), id: id, direction: direction, createdAt: date.millisecondsSince1970, sender: sender.publicKey,
            recipients: sealedKeys)
        let headerBytes = Data(try JSONCoding.string(header).utf8)
        let box = try ChaChaPoly.seal(payload, using: payloadKey, authenticating: headerBytes).combined
        var file = magic
        file.append(format)
        file.append(contentsOf: bigEndian(UInt32(headerBytes.count)))
        file.append(headerBytes)
        file.append(contentsOf: bigEndian(UInt64(box.count)))
        file.append(box)
        file.append(try sender.signing.signature(for: file))
        return file
    }

    /// The header of `file`, checked: whole, well formed, of a known format, signed by the key it
    /// names. Nothing is decrypted yet.
    public static func header(of file: Data) throws -> BundleHeader {
        try parse(file).header
    }

    /// The header and the payload of `file`, which `recipient` opens, after every check of `header(of:)`
    /// and that it goes the `expected` way.
    public static func open(
        _ file: Data, as recipient: BundleIdentity, expecting expected: BundleHeader.Direction
    ) throws -> (header: BundleHeader, payload: Data) {
        let parts = try parse(file)
        guard parts.header.direction == expected else {
            throw ReportSyncError(
                .invalidInput,
                expected == .toUnit
                    ? "this bundle was written by a device for the central; import it at the central (--db central.sqlite)"
                    : "this bundle was written by the central for a unit's devices; import it on a field device")
        }
        let me = recipient.publicKey.id
        guard let mine = parts.header.recipients.first(where: { $0.key == me }) else {
            throw ReportSyncError(
                .forbidden,
                "this bundle is not addressed to this replica (its keys are \(me); the bundle is for \(parts.header.recipients.map(\.key).joined(separator: ", "))): import it where it was meant to go"
            )
        }
        do {
            guard let encapsulated = Data(base64Encoded: mine.encapsulated), let sealedKey = Data(base64Encoded: mine.sealedKey)
            else {
                throw CryptoKitError.incorrectParameterSize
            }
            var hpke = try HPKE.Recipient(
                privateKey: recipient.agreement, ciphersuite: suite, info: hpkeInfo, encapsulatedKey: encapsulated)
            let key = SymmetricKey(data: try hpke.open(sealedKey, authenticating: Data(parts.header.id.utf8)))
            let payload = try ChaChaPoly.open(
                ChaChaPoly.SealedBox(combined: parts.box), using: key, authenticating: parts.headerBytes)
            return (parts.header, payload)
        } catch {
            throw ReportSyncError(
                .forbidden,
                "this bundle's payload does not open with this replica's key; it was not written for it, or was damaged: nothing was imported"
            )
        }
    }

    private static func parse(_ file: Data) throws -> (header: BundleHeader, headerBytes: Data, box: Data) {
        let damaged = { (what: String) in
            ReportSyncError(
                .malformed,
                "the bundle file is incomplete or damaged (\(what)); copy it again from where it was written: nothing was imported"
            )
        }
        guard file.count <= maxBytes else {
            throw ReportSyncError(
                .tooLarge, "the bundle file is larger than \(maxBytes / 1024 / 1024) MiB; export smaller bundles (--report)")
        }
        let bytes = [UInt8](file)
        guard bytes.count >= magic.count + 1, Data(bytes[0..<magic.count]) == magic else {
            throw ReportSyncError(.malformed, "this file is not a ReportSync bundle (it does not start with RSBUNDLE)")
        }
        var at = magic.count
        guard bytes[at] == format else {
            throw ReportSyncError(
                .schemaTooNew,
                "the bundle is in format \(bytes[at]); this ReportSync reads format \(format): install the newer ReportSync")
        }
        at += 1
        guard let headerLength = number(bytes, at: at, width: 4), bytes.count >= at + 4 + Int(headerLength) else {
            throw damaged("header")
        }
        at += 4
        let headerBytes = Data(bytes[at..<(at + Int(headerLength))])
        at += Int(headerLength)
        guard let boxLength = number(bytes, at: at, width: 8), boxLength <= UInt64(maxBytes) else {
            throw damaged("payload length")
        }
        at += 8
        let signatureLength = 64
        guard bytes.count == at + Int(boxLength) + signatureLength else {
            throw damaged("payload or signature cut short or followed by extra bytes")
        }
        let box = Data(bytes[at..<(at + Int(boxLength))])
        let signed = Data(bytes[0..<(at + Int(boxLength))])
        let signature = Data(bytes[(at + Int(boxLength))...])
        let header: BundleHeader
        do { header = try JSONCoding.decoder().decode(BundleHeader.self, from: headerBytes) } catch {
            throw damaged("header is not readable")
        }
        guard header.format == Int(format), UUIDv7.isWellFormed(header.id) else { throw damaged("header fields") }
        guard try header.sender.decoded().signing.isValidSignature(signature, for: signed) else {
            throw ReportSyncError(
                .forbidden,
                "the bundle's signature does not match its bytes: it was changed after it was written; nothing was imported")
        }
        return (header, headerBytes, box)
    }

    private static func number(_ bytes: [UInt8], at offset: Int, width: Int) -> UInt64? {
        guard bytes.count >= offset + width else { return nil }
        return bytes[offset..<(offset + width)].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }

    private static func bigEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.bigEndian) { Array($0) }
    }
}
