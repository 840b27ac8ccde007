import Foundation
import PostgresNIO
import Store
import SyncCore

/// Bundle files at a central on PostgreSQL (`report-cli bundle import FILE` and `bundle export --unit U`
/// with `--db postgres://…`; docs/bundles.md): a device's bundle taken with the checks of its push, and a
/// bundle for a unit's devices, by the same rules as at a file's central (`CentralBundles`, `PushMerge`,
/// the feed's condition). Attachments' files are kept in the folder `syncd serve --files` serves.
extension PostgresCentral {
    /// Imports a bundle written by a field device, as `CentralReplica.importBundle` does: whole, signed,
    /// to this central, not imported before, from an enrolment in force whose bundle keys signed it; its
    /// changes taken as pushes of the device in which secret reports are kept. The files it carries are
    /// kept in `files` (required only when it carries any).
    public static func importBundle(_ file: Data, files: String?, at address: PostgresAddress) async throws -> CentralReplica.BundleImport {
        try await PostgresDatabase.with(address, migrating: false) { db in
            try await db.requireCentral()
            let (header, payload) = try BundleFile.open(file, as: try await db.bundleIdentity(), expecting: .toCentral)
            if let at = try await db.rows("SELECT imported_at FROM imported_bundles WHERE id = $1", [header.id], as: Int64.self).first {
                throw Replica.importedBefore(header, at: at)
            }
            let bundle = try CentralBundles.fieldBundle(from: payload)
            let device: Enrollment
            do { device = try await db.enrollment(token: bundle.token) } catch let refused as TokenRefused {
                throw CentralBundles.deviceRefused(refused.reason)
            }
            try CentralBundles.checkSize(of: bundle)
            let carried = bundle.files ?? []
            let store = try fileStore(files, carrying: carried.count)
            do { try await db.bindBundleKey(header.sender, token: bundle.token, device: device) } catch let error as ReportSyncError {
                throw CentralBundles.keysRefused(error)
            }
            try Replica.checkBundled(carried)
            // The text of what the device raised off the network first: the rules judge its later writes by it.
            let writers = Set(try await db.rows("SELECT replica FROM device_replicas WHERE device = $1", [device.device], as: String.self))
            try await db.keepWithheldText(bundle.withheld ?? [], unit: device.unit, writers: writers)
            var results: [PushResult] = []
            for batch in CentralBundles.batches(of: bundle.changes) {
                do {
                    results += try await db.merge([PushMerge(Array(batch), from: device, withholding: [], keepingSecret: true)], now: Date())[0]
                } catch where !results.isEmpty {
                    guard let refusal = PostgresFailure.translate(error, at: address) as? ReportSyncError else { throw error }
                    throw CentralBundles.refusedAfter(results.count, refusal)
                }
            }
            let kept = try await db.keepBundled(carried, unit: device.unit, in: store)
            try await db.transaction { db in
                try await db.run(
                    "INSERT INTO imported_bundles (id, sender, changes, imported_at) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING",
                    [header.id, header.sender.id, Int64(bundle.changes.count), Date().millisecondsSince1970])
                // Never past what this central holds (a device may name a cursor of a central since restored).
                try await db.run(
                    "UPDATE bundle_devices SET cursor = GREATEST(cursor, LEAST($1, (SELECT COALESCE(MAX(seq), 0) FROM changes))) WHERE token_hash = $2",
                    [bundle.pullCursor, CentralReplica.hash(token: bundle.token)])
            }
            return CentralReplica.BundleImport(header: header, device: device, results: results, files: kept.count)
        }
    }

    /// A bundle for `unit`'s devices, as `CentralReplica.exportBundle` writes it: every change of the
    /// unit's feed after `after` (by default the least cursor its devices named in their bundles) and
    /// every change of its reports kept off the network, with its devices' refusals and standings,
    /// encrypted to each device of the unit in force whose bundle keys the central holds. The files of
    /// its reports are read from `files` (required only when they have any).
    public static func exportBundle(
        unit: String, after: Int64?, files: String?, at address: PostgresAddress
    ) async throws -> CentralReplica.UnitBundleExport {
        try await PostgresDatabase.with(address, migrating: false) { db in
            try await db.requireCentral()
            // Made by the first bundle or standing of all, before the snapshot (which writes nothing).
            let identity = try await db.bundleIdentity()
            // One snapshot: the feed, the refusals and the standings as of one moment.
            return try await db.transaction { db in
                try await db.run("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                let now = Date()
                let scope = try await db.unitScope(of: unit).sorted()
                let devices = try await db.randomAccessRows(
                    """
                    SELECT e.device, b.agreement, b.signing, b.cursor FROM bundle_devices b
                    JOIN enrollments e ON e.token_hash = b.token_hash
                    WHERE e.unit = $1 AND e.revoked_at IS NULL ORDER BY e.device COLLATE "C"
                    """, [unit]
                ).map { row in
                    (
                        device: try row["device"].decode(String.self), cursor: try row["cursor"].decode(Int64.self),
                        key: BundlePublicKey(agreement: try row["agreement"].decode(String.self), signing: try row["signing"].decode(String.self))
                    )
                }
                guard !devices.isEmpty else { throw CentralBundles.noRecipient(unit) }
                let start = after ?? devices.map(\.cursor).min() ?? 0
                let offNetwork = Secrecy.offNetwork(under: try await db.policy(at: now))
                var changes = try await db.rows(
                    """
                    SELECT body FROM changes WHERE seq <= $1 AND unit = ANY($2) AND kind = 'report' AND \(OffNetworkSQL.change(offNetwork))
                    ORDER BY seq
                    """, [start, scope], as: String.self
                ).map { try JSONCoding.value(Change.self, from: $0) }
                var cursor = start
                var more = true
                while more {
                    let slice = try await db.feed(after: cursor, limit: CentralBundles.feedPage, scope: scope, includingSecret: true, now: now)
                    changes += try slice.changes.map { try JSONCoding.value(Change.self, from: $0.body) }
                    cursor = slice.covered
                    more = slice.more
                }
                let refusals = try await db.randomAccessRows(
                    """
                    SELECT r.replica, r.counter, r.record, r.reason FROM rejected_changes r
                    JOIN device_replicas d ON d.replica = r.replica WHERE d.device = ANY($1) ORDER BY r.replica COLLATE "C", r.counter
                    """, [devices.map(\.device)]
                ).map { row in
                    UnitBundle.Refusal(
                        dot: Dot(replica: try row["replica"].decode(String.self), counter: try row["counter"].decode(Int64.self)),
                        record: try row["record"].decode(String.self), reason: try row["reason"].decode(String.self))
                }
                let bundle = UnitBundle(
                    bureau: try await db.requireMeta(.unitID), unit: unit, after: start, covered: cursor, changes: changes, refusals: refusals,
                    files: try await db.bundledFiles(of: Set(changes.map(\.record)), from: files))
                let standings = try await db.standings(forDevices: devices.map(\.device))
                let recipients = devices.map { CentralBundles.Recipient(device: $0.device, key: $0.key, standing: standings[$0.device]) }
                return try CentralBundles.seal(bundle, for: recipients, from: identity, at: now)
            }
        }
    }

    /// The folder of the central's files, when a bundle carries `count` of them.
    private static func fileStore(_ folder: String?, carrying count: Int) throws -> BlobStore? {
        guard count > 0 else { return nil }
        guard let folder else {
            throw ReportSyncError(
                .invalidInput,
                "the bundle carries \(count) attached file(s): give --files FOLDER, the folder syncd serve --files serves; nothing was imported")
        }
        return BlobStore.at(folder)
    }
}

extension PostgresDatabase {
    /// Keeps the bundled files that reports of `unit` here name, at the size they name, in `store`
    /// (`Replica.keepBundled`'s rule): a bundle cannot bring bytes nobody asked for.
    func keepBundled(_ files: [BundledFile], unit: String, in store: BlobStore?) async throws -> [BlobHash] {
        guard let store else { return [] }
        var kept: [BlobHash] = []
        for file in files {
            guard let hash = BlobHash(hex: file.sha256) else { continue }
            let size = Int64(file.bytes.count)
            let named = try await rows(
                "SELECT EXISTS (SELECT 1 FROM attachment_refs a JOIN reports r ON r.id = a.report WHERE a.hash = $1 AND r.unit = $2 AND a.size = $3)",
                [hash.hex, unit, size], as: Bool.self
            ).first
            guard named == true else { continue }
            try store.put(file.bytes, as: hash)
            try await run("INSERT INTO blobs (hash, size, stored_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", [hash.hex, size, Date().millisecondsSince1970])
            try await run(
                "INSERT INTO blob_sources (hash, unit, channel) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                [hash.hex, unit, CentralReplica.FileChannel.bundle.rawValue])
            kept.append(hash)
        }
        return kept
    }

    /// The files the central holds that `reports` name, read whole from `folder` (`Replica.bundledFiles`).
    func bundledFiles(of reports: Set<String>, from folder: String?) async throws -> [BundledFile] {
        guard !reports.isEmpty else { return [] }
        let hashes = try await rows(
            """
            SELECT DISTINCT a.hash COLLATE "C" AS hash FROM attachment_refs a JOIN blobs b ON b.hash = a.hash
            WHERE a.report = ANY($1) ORDER BY 1
            """, [reports.sorted()], as: String.self)
        guard !hashes.isEmpty else { return [] }
        guard let folder else {
            throw ReportSyncError(
                .invalidInput, "the unit's reports name \(hashes.count) attached file(s): give --files FOLDER, the folder syncd serve --files serves")
        }
        let store = BlobStore.at(folder)
        return try hashes.compactMap(BlobHash.init(hex:)).map { hash in
            guard let bytes = FileManager.default.contents(atPath: store.path(of: hash)) else {
                throw ReportSyncError(.storage, "the file \(hash.short) is missing from \(store.directory); nothing was exported")
            }
            return BundledFile(sha256: hash.hex, bytes: bytes)
        }
    }
}
