import Foundation
import GRDB
import SyncCore

/// The central's side of bundle files (docs/bundles.md): it imports a device's bundle with the checks
/// of a push, and writes for a unit's devices every change of the unit's feed they lack, secret
/// reports' included.
extension CentralReplica {
    /// What importing a device's bundle did.
    public struct BundleImport: Sendable {
        public let header: BundleHeader
        public let device: Enrollment
        /// One answer per change, in the bundle's order, as a push gets them.
        public let results: [PushResult]
        /// Attachments' files it carried that the central kept.
        public var files = 0

        public init(header: BundleHeader, device: Enrollment, results: [PushResult], files: Int) {
            self.header = header
            self.device = device
            self.results = results
            self.files = files
        }
    }

    /// What a bundle to a unit holds.
    public struct UnitBundleExport: Sendable {
        public let file: Data
        public let header: BundleHeader
        public let after: Int64
        public let covered: Int64
        public let changes: Int
        /// The devices it is encrypted to.
        public let devices: [String]
    }

    /// The central's public bundle keys (sent to devices with the standing of every sync round).
    public func bundleKey() throws -> BundlePublicKey { try replica.bundleIdentity().publicKey }

    /// Imports a bundle written by a field device: the file must be whole, signed, addressed to this
    /// central and not imported before; the token inside must be an enrolment in force, whose bundle key
    /// is the one that signed it (bound at its first sync round, or by its first bundle). Then its changes are taken exactly as a
    /// push of theirs, in batches (`receivePush`), except that secret reports are kept.
    public func importBundle(_ file: Data) throws -> BundleImport {
        let (header, payload) = try BundleFile.open(file, as: replica.bundleIdentity(), expecting: .toCentral)
        if let at = try replica.read({ db in try Replica.importedAt(bundle: header.id, db) }) {
            throw Replica.importedBefore(header, at: at)
        }
        let bundle = try CentralBundles.fieldBundle(from: payload)
        let device: Enrollment
        do { device = try authenticate(token: bundle.token) } catch let error as ReportSyncError { throw CentralBundles.deviceRefused(error) }
        try CentralBundles.checkSize(of: bundle)
        do { try bindBundleKey(header.sender, token: bundle.token, device: device) } catch let error as ReportSyncError {
            throw CentralBundles.keysRefused(error)
        }
        try Replica.checkBundled(bundle.files ?? [])
        // The text of what the device raised off the network first: the rules judge its later writes by it.
        let writers = try replica.read { db in
            Set(try String.fetchAll(db, sql: "SELECT replica FROM device_replicas WHERE device = ?", arguments: [device.device]))
        }
        try replica.keepWithheldText(bundle.withheld ?? [], units: [device.unit], writers: writers)
        var results: [PushResult] = []
        for batch in CentralBundles.batches(of: bundle.changes) {
            do {
                results += try receivePush(Array(batch), from: device, by: .bundle)
            } catch let error as ReportSyncError where !results.isEmpty {
                throw CentralBundles.refusedAfter(results.count, error)
            }
        }
        // Only files the device's own unit's reports name, as over the network.
        let files = try replica.keepBundled(bundle.files ?? [], units: [device.unit])
        for hash in files { try noteSource(hash, unit: device.unit, channel: .bundle) }
        try replica.write { db in
            try Replica.recordImport(of: header, changes: bundle.changes.count, at: replica.now().millisecondsSince1970, db)
            try db.execute(
                // Never past what this central holds (a device may name a cursor of a central since restored).
                sql: "UPDATE bundle_devices SET cursor = max(cursor, min(?, (SELECT COALESCE(MAX(seq), 0) FROM changes))) WHERE token_hash = ?",
                arguments: [bundle.pullCursor, Self.hash(token: bundle.token)])
        }
        return BundleImport(header: header, device: device, results: results, files: files.count)
    }

    /// What the central refused of the changes written under the replica ids of `devices`.
    private func refusals(ofDevices devices: [String]) throws -> [UnitBundle.Refusal] {
        try replica.read { db in
            let placeholders = Array(repeating: "?", count: devices.count).joined(separator: ",")
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT r.replica, r.counter, r.record, r.reason FROM rejected_changes r
                    JOIN device_replicas d ON d.replica = r.replica WHERE d.device IN (\(placeholders)) ORDER BY r.replica, r.counter
                    """, arguments: StatementArguments(devices)
            ).map { UnitBundle.Refusal(dot: Dot(replica: $0["replica"], counter: $0["counter"]), record: $0["record"], reason: $0["reason"]) }
        }
    }

    /// Every change up to central sequence `last` of the reports of `units` kept off the network here
    /// (and of their follow-ups).
    private func secretChanges(upTo last: Int64, units: Set<String>) throws -> [Change] {
        try replica.read { db in
            let scope = units.sorted()
            let placeholders = Array(repeating: "?", count: scope.count).joined(separator: ",")
            let offNetwork = OffNetworkSQL.change(try Replica.offNetwork(db, at: replica.now()))
            return try String.fetchAll(
                db,
                sql: """
                    SELECT body FROM changes WHERE seq <= ? AND unit IN (\(placeholders)) AND kind = 'report' AND \(offNetwork)
                    ORDER BY seq
                    """,
                arguments: StatementArguments([last] + scope.map { $0 as any DatabaseValueConvertible })
            ).map { try JSONCoding.value(Change.self, from: $0) }
        }
    }

    /// The refusal of bundle keys other than those a device's token is bound to.
    public static func boundToOtherKeys(device: String, bound: BundlePublicKey, key: BundlePublicKey) -> ReportSyncError {
        ReportSyncError(
            .forbidden,
            "device \(device)'s token is bound to other bundle keys (\(bound.id)) than these (\(key.id)): a copied token, or another replica file; ask the central office to revoke the device and enroll it again")
    }

    /// Binds `key` to the enrolment of `token`: at the device's first sync round over the network
    /// (where it was enrolled), or by its first bundle. A later key for the same enrolment is refused;
    /// revoking the device and enrolling it again starts over. Returns the key bound.
    @discardableResult
    func bindBundleKey(_ key: BundlePublicKey, token: String, device: Enrollment) throws -> BundlePublicKey {
        _ = try key.checked()
        return try replica.write { db in
            let hash = Self.hash(token: token)
            if let row = try Row.fetchOne(db, sql: "SELECT agreement, signing FROM bundle_devices WHERE token_hash = ?", arguments: [hash]) {
                let bound = BundlePublicKey(agreement: row["agreement"], signing: row["signing"])
                guard bound == key else { throw Self.boundToOtherKeys(device: device.device, bound: bound, key: key) }
                return bound
            }
            try db.execute(
                sql: "INSERT INTO bundle_devices(token_hash, agreement, signing, cursor, bound_at) VALUES (?, ?, ?, 0, ?)",
                arguments: [hash, key.agreement, key.signing, replica.now().millisecondsSince1970])
            return key
        }
    }

    /// A bundle for `unit`'s devices: every change of the unit's feed after `after` (by default, the
    /// least pull cursor its devices named in their last bundles, 0 for one that never sent a bundle)
    /// and every change of its reports kept off the network here, with the refusals of its devices'
    /// changes and what the central holds for each (`UnitBundle.standings`); encrypted to every device
    /// of the unit in force whose bundle keys the central holds.
    public func exportBundle(unit: String, after: Int64? = nil) throws -> UnitBundleExport {
        let scope = try unitScope(of: unit)
        let devices = try replica.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT e.device, b.agreement, b.signing, b.cursor FROM bundle_devices b
                    JOIN enrollments e ON e.token_hash = b.token_hash
                    WHERE e.unit = ? AND e.revoked_at IS NULL ORDER BY e.device
                    """, arguments: [unit])
        }
        guard !devices.isEmpty else { throw CentralBundles.noRecipient(unit) }
        let start = after ?? devices.map { $0["cursor"] as Int64 }.min() ?? 0
        var changes = try secretChanges(upTo: start, units: scope)
        var cursor = start
        var more = true
        while more {
            let slice = try feed(after: cursor, limit: CentralBundles.feedPage, units: scope, includingSecret: true)
            changes += try slice.changes.map { try JSONCoding.value(Change.self, from: $0.body) }
            cursor = slice.covered
            more = slice.more
        }
        let bundle = UnitBundle(
            bureau: try replica.identity().unit.id, unit: unit, after: start, covered: cursor, changes: changes,
            refusals: try refusals(ofDevices: devices.map { $0["device"] }),
            files: try replica.bundledFiles(of: Set(changes.map(\.record)), unconfirmed: false))
        let standings = try replica.read { db in try CentralIncarnation.standings(forDevices: devices.map { $0["device"] }, db) }
        let recipients = devices.map { row in
            CentralBundles.Recipient(
                device: row["device"], key: BundlePublicKey(agreement: row["agreement"], signing: row["signing"]),
                standing: standings[row["device"] as String])
        }
        return try CentralBundles.seal(bundle, for: recipients, from: replica.bundleIdentity(), at: replica.now())
    }
}
