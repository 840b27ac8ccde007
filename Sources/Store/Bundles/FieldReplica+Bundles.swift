import Foundation
import GRDB
import SyncCore

/// A field device's side of bundle files (docs/bundles.md): it writes what its outbox holds for the
/// central, encrypted to the central, and imports the central's bundles to its unit.
extension FieldReplica {
    /// Which outbox changes a bundle takes.
    public enum BundleSelection: Sendable, Equatable {
        /// What may not cross the network: the changes held because their report is secret (the default).
        case held
        /// Everything in the outbox, for a site with no network.
        case all
        /// The outbox changes of these reports, whatever their state.
        case reports([String])
    }

    /// What a bundle to the central holds.
    public struct FieldBundleExport: Sendable {
        public let file: Data
        public let header: BundleHeader
        public let changes: Int
        public let reports: Int
    }

    /// What importing the central's bundle did.
    public struct UnitBundleImport: Sendable {
        public let header: BundleHeader
        public let changes: Int
        public let applied: Int
        /// This device's changes the bundle shows the central holds: they left the outbox.
        public let delivered: Int
        public let covered: Int64
        /// This device's own changes written again under a new replica id, because the bundle showed
        /// the central holds other changes under their dots.
        public var reissue = FieldReplica.Reissue()
        /// Attachments' files it carried that this device kept.
        public var files = 0
        /// What the standing it carried showed and this device repaired (`reconcile(byBundle:)`).
        public var recovery = FieldRecovery()
    }

    /// Keeps the central's public bundle keys, as its standing names them, the first time it names
    /// them. They are pinned from then on: a standing that names others is answered with a notice, and
    /// bundles stay encrypted to the keys first learnt (where the device was enrolled).
    @discardableResult
    public func rememberCentralBundleKey(_ key: BundlePublicKey?) throws -> String? {
        guard let key else { return nil }
        let text = try JSONCoding.string(key)
        return try replica.write { db in
            guard let known = try Meta.get(.centralBundleKey, db) else {
                try Meta.set(.centralBundleKey, text, db)
                return nil
            }
            guard known != text, let pinned = try? JSONCoding.value(BundlePublicKey.self, from: known) else { return nil }
            return "the central names other bundle keys (\(key.id)) than the ones this device learnt when it was set up (\(pinned.id)); bundles stay encrypted to those. If the central was set up again, set this device up again (report-cli init)"
        }
    }

    /// This device's public bundle keys, and whether the central has bound them to its enrolment yet.
    public func bundleKey() throws -> (key: BundlePublicKey, registered: Bool) {
        let key = try replica.bundleIdentity().publicKey
        return (key, try replica.read { db in try Meta.get(.bundleKeyRegistered, db) } != nil)
    }

    /// Notes that the central bound `key`, this device's bundle keys, to its enrolment; or, if it holds
    /// other keys for it, says so (bundles from this device will then be refused there).
    public func recordBundleKeyRegistration(centralHolds key: BundlePublicKey) throws -> String? {
        let mine = try replica.bundleIdentity().publicKey
        guard key == mine else {
            return "the central holds other bundle keys (\(key.id)) for this device's token than this replica's (\(mine.id)): its bundles will be refused there; ask the central office to revoke the device and enroll it again"
        }
        try replica.write { db in try Meta.set(.bundleKeyRegistered, String(replica.now().millisecondsSince1970), db) }
        return nil
    }

    /// The central's public bundle keys, or an error that says how to learn them.
    func centralBundleKey() throws -> BundlePublicKey {
        guard let text = try replica.read({ db in try Meta.get(.centralBundleKey, db) }) else {
            throw ReportSyncError(
                .notFound,
                "this replica does not know its central's bundle key yet: sync once over the network (report-cli sync), where the device was enrolled"
            )
        }
        return try JSONCoding.value(BundlePublicKey.self, from: text)
    }

    /// A bundle for the central with the outbox changes `selection` names, oldest first. They stay in
    /// the outbox until the central's bundle (or a push) shows that the central holds them.
    public func exportBundle(_ selection: BundleSelection = .held) throws -> FieldBundleExport {
        let central = try centralBundleKey()
        var entries = try outbox()
        // The reports whose withheld or sealed text the bundle gives back: those it carries, and those
        // named (a report's text can be carried after its changes went by network).
        var named: Set<String> = []
        switch selection {
        case .held:
            // With the redaction a raise wrote first (never held: it goes by network too), which the raise waits for.
            let held = Set(entries.filter { $0.state == .heldSecret }.map(\.change.record))
            entries = entries.filter { $0.state == .heldSecret || ($0.change.isRedaction && held.contains($0.change.record)) }
        case .all: break
        case .reports(let ids):
            let known = Set(try ids.map { try replica.report($0).id })
            entries = entries.filter { known.contains($0.change.record) }
            named = known
        }
        let (token, cursor) = try replica.read { db in
            (try Meta.require(.centralToken, db), try Meta.sequence(.pullCursor, db))
        }
        guard entries.count <= BundleFile.maxChanges else {
            throw ReportSyncError(
                .tooLarge,
                "the outbox holds \(entries.count) changes, more than one bundle may carry (\(BundleFile.maxChanges)); export it in parts with --report"
            )
        }
        let records = Set(entries.map(\.change.record))
        let payload = try JSONCoding.encoder().encode(
            FieldBundle(
                token: token, pullCursor: cursor, changes: entries.map(\.change),
                files: try replica.bundledFiles(of: records, unconfirmed: true), withheld: try replica.withheldText(of: records.union(named))))
        guard payload.count < BundleFile.maxPayloadBytes else {
            throw ReportSyncError(.tooLarge, "these changes are too large for one bundle; export them in parts with --report")
        }
        let at = replica.now()
        let file = try BundleFile.seal(
            payload, direction: .toCentral, id: UUIDv7.make(at: at), at: at, from: replica.bundleIdentity(), to: [central])
        return FieldBundleExport(
            file: file, header: try BundleFile.header(of: file), changes: entries.count,
            reports: Set(entries.map(\.change.record)).count)
    }

    /// Imports the central's bundle to this device's unit: the file must be whole, signed by this
    /// replica's central, addressed to this device, for its unit, not imported before, and start no
    /// later than this device's pull cursor (or changes between would be skipped for ever). Its changes
    /// are taken in as a pull's, in transactions of a page each, each retiring the outbox changes it shows
    /// the central holds; the last moves the pull cursor, retires what the central refused, and records
    /// the import.
    public func importBundle(_ file: Data) throws -> UnitBundleImport {
        let (header, payload) = try BundleFile.open(file, as: replica.bundleIdentity(), expecting: .toUnit)
        guard header.sender.signing == (try centralBundleKey().signing) else {
            throw ReportSyncError(
                .forbidden,
                "this bundle was not written by this replica's central (it is signed by \(header.sender.id)); nothing was imported"
            )
        }
        let (unit, cursor, importedAt) = try replica.read { db in
            (
                try Meta.require(.unitID, db), try Meta.sequence(.pullCursor, db),
                try Replica.importedAt(bundle: header.id, db)
            )
        }
        if let importedAt { throw Replica.importedBefore(header, at: importedAt) }
        let bundle: UnitBundle
        do { bundle = try JSONCoding.decoder().decode(UnitBundle.self, from: payload) } catch {
            throw ReportSyncError(.malformed, "the bundle's content is not a central's bundle; nothing was imported")
        }
        guard bundle.unit == unit else {
            throw ReportSyncError(
                .forbidden, "this bundle is for \(bundle.unit), and this device syncs for \(unit); nothing was imported")
        }
        guard bundle.after <= cursor else {
            throw ReportSyncError(
                .wrongState,
                "this bundle starts after the central's change \(bundle.after), and this device holds its feed only up to \(cursor): ask the central office for report-cli bundle export --unit \(unit) --after \(cursor); nothing was imported"
            )
        }
        try Replica.checkBundled(bundle.files ?? [])
        // What the central held when it wrote the bundle, judged before anything is taken (a sync round asks first too).
        let recovery = try bundle.standings?[try replica.bundleIdentity().publicKey.id].map { try reconcile(byBundle: $0) } ?? FieldRecovery()
        let reissue = try reissueIfDotsTaken(by: bundle.changes)
        try retireIfOwnChangeComesBack(in: bundle.changes)
        var applied = 0
        var delivered = 0
        var start = 0
        repeat {
            let end = min(start + Outbox.longestRun, bundle.changes.count)
            let page = Array(bundle.changes[start..<end])
            let last = end == bundle.changes.count
            try replica.session { s in
                applied += try Self.takeIn(page, s).filter { $0 == .applied }.count
                for change in page {
                    try s.db.execute(
                        sql: "DELETE FROM outbox WHERE replica = ? AND counter = ?",
                        arguments: [change.dot.replica, change.dot.counter])
                    delivered += s.db.changesCount
                }
                guard last else { return }
                // What the central refused leaves the outbox, kept with its reason (`list --rejected`).
                for refusal in bundle.refusals {
                    try Outbox.keepRefusal(of: refusal.dot, reason: refusal.reason, at: s.now.millisecondsSince1970, s.db)
                }
                // Read again: a pull may have moved the cursor while the pages went in, and the standing
                // may have moved it back before the bundle's start (a restored central): then the changes
                // between were not in this bundle, and the cursor stays.
                let now = try Meta.sequence(.pullCursor, s.db)
                if now >= bundle.after { try Meta.set(.pullCursor, String(max(now, bundle.covered)), s.db) }
                try Replica.recordImport(of: header, changes: bundle.changes.count, at: s.now.millisecondsSince1970, s.db)
            }
            start = end
        } while start < bundle.changes.count
        // Every file in it is the central's: those here already are now confirmed there too.
        let files = try replica.keepBundled(bundle.files ?? [], units: nil)
        for file in bundle.files ?? [] { if let hash = BlobHash(hex: file.sha256) { try noteAtCentral(hash) } }
        var imported = UnitBundleImport(
            header: header, changes: bundle.changes.count, applied: applied, delivered: delivered, covered: bundle.covered)
        imported.reissue = reissue
        imported.files = files.count
        imported.recovery = recovery
        let from = try pullCursor()
        if from < bundle.after {
            imported.recovery.notices.append(
                "this bundle starts after the central's change \(bundle.after), and this device now pulls again from \(from): ask the central office for report-cli bundle export --unit \(unit) --after \(from)")
        }
        return imported
    }
}
