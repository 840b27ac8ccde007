import Foundation
import SyncCore

/// What a central does with bundle files whichever store it is on (`CentralReplica` on a file,
/// `PostgresCentral` on PostgreSQL; docs/bundles.md): reading a device's bundle, the batches its changes
/// are taken in, and sealing a bundle for a unit's devices. Each store finds the rows and writes.
public enum CentralBundles {
    /// How many changes of the feed are read at a time when a bundle to a unit is written.
    public static let feedPage = 5000

    /// The device's bundle in an opened bundle's `payload`; refused in one line when it is not one.
    public static func fieldBundle(from payload: Data) throws -> FieldBundle {
        do { return try JSONCoding.decoder().decode(FieldBundle.self, from: payload) } catch {
            throw ReportSyncError(
                .malformed,
                "the bundle's content is not a device's bundle (\((error as? DecodingError)?.readableDescription ?? "unreadable")); nothing was imported"
            )
        }
    }

    /// The refusal of a bundle whose token is not an enrolment in force.
    public static func deviceRefused(_ error: ReportSyncError) -> ReportSyncError {
        ReportSyncError(error.code, "the bundle's device may not sync here: \(error.message); nothing was imported")
    }

    /// Refuses a bundle that carries more changes than one import takes.
    public static func checkSize(of bundle: FieldBundle) throws {
        guard bundle.changes.count <= BundleFile.maxChanges else {
            throw ReportSyncError(
                .tooLarge, "the bundle carries \(bundle.changes.count) changes, more than \(BundleFile.maxChanges); export it in parts (--report)")
        }
    }

    /// The refusal of a bundle signed by other keys than those its device's token is bound to.
    public static func keysRefused(_ error: ReportSyncError) -> ReportSyncError {
        ReportSyncError(error.code, "the bundle is signed by another key than the device's: \(error.message); nothing was imported")
    }

    /// The batches a bundle's changes are taken in, each as one push of the device's.
    public static func batches(of changes: [Change]) -> [ArraySlice<Change>] {
        stride(from: 0, to: changes.count, by: Outbox.longestRun).map { changes[$0..<min($0 + Outbox.longestRun, changes.count)] }
    }

    /// The refusal of a batch after `taken` changes of the bundle were taken.
    public static func refusedAfter(_ taken: Int, _ error: ReportSyncError) -> ReportSyncError {
        ReportSyncError(
            error.code,
            "the bundle's first \(taken) changes were taken, and the next batch was refused: \(error.message) (importing it again takes nothing twice)")
    }

    /// The refusal of a bundle to a unit none of whose devices in force gave the central bundle keys.
    public static func noRecipient(_ unit: String) -> ReportSyncError {
        ReportSyncError(
            .notFound,
            "no device of \(unit) in force has registered its bundle keys, so the central has no key to encrypt to: a device registers them at its first sync over the network, or with its first bundle (report-cli bundle export on the device)"
        )
    }

    /// One device of a unit a bundle is encrypted to: its id, its bundle keys, and what the central holds for it.
    public struct Recipient {
        public let device: String
        public let key: BundlePublicKey
        public let standing: CentralStanding?

        public init(device: String, key: BundlePublicKey, standing: CentralStanding?) {
            self.device = device
            self.key = key
            self.standing = standing
        }
    }

    /// Seals `bundle` for `recipients` with the central's `identity`, each recipient's standing by its key.
    public static func seal(
        _ bundle: UnitBundle, for recipients: [Recipient], from identity: BundleIdentity, at: Date
    ) throws -> CentralReplica.UnitBundleExport {
        var bundle = bundle
        var byKey: [String: [CentralStanding]] = [:]
        for recipient in recipients { byKey[recipient.key.id, default: []] += recipient.standing.map { [$0] } ?? [] }
        // A key two enrolments share (a copied file given another token) names no one device: its files
        // get the incarnations alone, so that they still find a restored central (`CentralStanding.namingNoDevice`).
        bundle.standings = byKey.compactMapValues { $0.count > 1 ? CentralStanding.namingNoDevice(of: $0) : $0.first }
        let payload = try JSONCoding.encoder().encode(bundle)
        guard payload.count < BundleFile.maxPayloadBytes else {
            throw ReportSyncError(.tooLarge, "the unit lacks too many changes for one bundle; export in parts with --after")
        }
        let file = try BundleFile.seal(
            payload, direction: .toUnit, id: UUIDv7.make(at: at), at: at, from: identity, to: recipients.map(\.key))
        return CentralReplica.UnitBundleExport(
            file: file, header: try BundleFile.header(of: file), after: bundle.after, covered: bundle.covered, changes: bundle.changes.count,
            devices: recipients.map(\.device))
    }
}
