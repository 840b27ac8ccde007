import Foundation
import GRDB
import SyncCore

/// The bureau's central replica in one SQLite file: it takes devices' pushes under the permission
/// table, receives signed reports automatically, serves each unit's feed and enrols devices. The
/// central office's own work (adopting, returning, soliciting) goes through `replica`. It is the SQLite
/// implementation of `CentralStore`; only a file made as a central opens as one.
public struct CentralReplica: Sendable {
    /// The replica file, for the central office's local work and reads.
    public let replica: Replica
    /// Device and inode of the file when it was opened: a server whose file is deleted, moved or
    /// replaced underneath it must stop taking writes (`checkFileInPlace`).
    let openedAs: String?
    /// Each device's latest pull seen by this process (`CentralReplica+Pulls`).
    let pulls = PullNotes()
    /// Network pushes waiting for the writer, applied a group to a transaction.
    let pushGroups: PushGroups

    /// The central side of `replica`, or an error that says the file is not a central replica.
    public init(_ replica: Replica) throws {
        guard try replica.role() == .central else {
            throw ReportSyncError(
                .invalidInput,
                "\(replica.path ?? "this replica") is not a central replica; create one with syncd init --db FILE --bureau NAME")
        }
        self.replica = replica
        pushGroups = PushGroups(replica)
        openedAs = replica.path.flatMap(FileIdentity.of)
        try ensureServerKey()
        if try replica.read({ db in try Meta.get(.incarnations, db) }) == nil {
            try replica.write { db in try CentralIncarnation.ensure(db) }
        }
    }

    /// Creates the bureau's central replica; `bureau` is the central office's own unit.
    public static func create(
        at path: String, bureau: OrgUnit, now: @escaping @Sendable () -> Date = { Date() }
    ) throws -> CentralReplica {
        try CentralReplica(Replica.create(at: path, unit: bureau, role: .central, now: now))
    }

    /// Opens the central replica at `path`.
    public static func open(at path: String, now: @escaping @Sendable () -> Date = { Date() }) throws -> CentralReplica {
        try CentralReplica(Replica.open(at: path, now: now))
    }

    /// A central replica in memory, for tests.
    public static func inMemory(bureau: OrgUnit, now: @escaping @Sendable () -> Date = { Date() }) throws -> CentralReplica {
        try CentralReplica(Replica.inMemory(unit: bureau, role: .central, now: now))
    }

    /// The member the central office's automatic receipts are made by.
    public static func receiptClerk(bureau: String) -> Member {
        Member(id: "central-office", name: "Central office (automatic receipt)", unit: bureau, role: .centralEditor)
    }

    /// Takes in changes pushed by `device` in one transaction.
    ///
    /// A change the central already holds or keeps waiting, byte for byte, or refused before, is answered
    /// as it was, whoever sends it again. The rest must be what a device of ours sends, or the whole push
    /// is refused with nothing written: every change well formed (`ChangeShape`: typed, canonical, within
    /// limits), of a kind a field may write, and under the device's own replica ids (`DeviceBinding`). Then a change for a unit the
    /// device does not sync for is refused with nothing written; a change already held is a duplicate;
    /// each other one is authorised (`PushAuthorization`, the
    /// permission table), then merged by the engine under the content rules of a local write
    /// (`PushedContentRules`); a refused report write is voided so the writer's later changes still
    /// apply; a report that arrives signed is received.
    ///
    /// Over the network the central takes no report kept off it (secret, internal unless the policy
    /// allows it, or a follow-up of one): secrecy is judged on the merged result, after the
    /// push's waiting changes were retried. A push that would leave a report secret here, or keep a change
    /// that makes its report secret waiting, is rolled back and merged again without any change it carries
    /// for that report or for a report that requires it; those are answered `held` (nothing of them is
    /// kept here, and the device keeps them in its outbox). After a few such passes, which only a push
    /// made by hand needs, every report the push makes secret is held at once. One answer per change,
    /// in the order sent. A bundle (`PushChannel.bundle`) goes through every check but this one: it is
    /// how a secret report reaches the central.
    public func receivePush(_ changes: [Change], from device: Enrollment, by channel: PushChannel = .network) throws -> [PushResult] {
        if channel == .bundle { return try merge(PushMerge(changes, from: device, withholding: [], keepingSecret: true)) }
        var passes = SecrecyPasses(changes, policy: try replica.policy())
        while let withheld = passes.next() {
            do {
                return try merge(PushMerge(changes, from: device, withholding: withheld, keepingSecret: false))
            } catch let secret as StaysSecret {
                try passes.failed(secret)
            }
        }
        throw ReportSyncError(.storage, "the central could not settle the secrecy of this push's reports; nothing of it was taken")
    }

    /// One attempt at a push in one write transaction (`PushMerge`). The policy and the device's scope
    /// are read in the push's own transaction.
    private func merge(_ push: PushMerge) throws -> [PushResult] {
        var check: (MergeEffects) throws -> Void = { _ in }
        return try replica.session(check: { try check($0) }) { s in
            check = push.leftSecret(under: s.policy)
            try s.prefetch(push.changes)
            return try push.run(engine: s.engine, ledger: SQLiteLedger(s.db))
        }
    }

    /// What the central answers for a taken dot.
    static let takenReason =
        "the central holds a different change under this dot: this device's replica file is an older copy of itself (put back from a backup with its machine); the device writes the change again under a new replica id, and nothing is lost"

    /// The units `unit` syncs for: itself and every unit below it.
    public func unitScope(of unit: String) throws -> Set<String> { try replica.unitScope(of: unit) }

    /// The next page of the central feed for `units`: their reports' and solicitations' changes and all
    /// units, members and policy (by the kind each change writes), after central sequence `after`. Each
    /// change is its stored canonical JSON, sent as it is. The changes of a report that is secret here
    /// (it came by bundle) are left out unless `includingSecret` (for a bundle to the unit): they never
    /// cross the network.
    public func feed(after: Int64, limit: Int, units: Set<String>, includingSecret: Bool = false) throws -> FeedSlice {
        try replica.read { db in try feed(after: after, limit: limit, units: units, includingSecret: includingSecret, db) }
    }

    /// The next page of the feed for `unit`'s scope (itself and every unit below it), in one read.
    func feed(after: Int64, limit: Int, unit: String) throws -> FeedSlice {
        try replica.read { db in try feed(after: after, limit: limit, units: try Replica.unitScope(of: unit, db), includingSecret: false, db) }
    }

    private func feed(after: Int64, limit: Int, units: Set<String>, includingSecret: Bool, _ db: Database) throws -> FeedSlice {
        let scope = units.sorted()
        let placeholders = Array(repeating: "?", count: scope.count).joined(separator: ",")
        let rows = try Row.fetchAll(
            db.cachedStatement(
                sql: "SELECT seq, body FROM changes WHERE seq > ? AND \(try feedFilter(db, placeholders: placeholders, includingSecret: includingSecret)) ORDER BY seq LIMIT ?"),
            arguments: StatementArguments([after] + scope.map { $0 as any DatabaseValueConvertible } + [limit + 1]))
        let page = rows.prefix(limit)
        var changes = page.map { FeedSlice.Entry(seq: $0["seq"], body: $0["body"]) }
        let top = try Int64.fetchOne(db.cachedStatement(sql: "SELECT COALESCE(MAX(seq), 0) FROM changes")) ?? 0
        let more = rows.count > limit
        let covered = more ? changes.last?.seq ?? after : max(after, top)
        // A report that came back on the network within this page brings its changes from before the
        // reader's cursor, which the feed left out while it was off (`Declassifications`).
        let declassifiedHere = try Bool.fetchOne(
            db.cachedStatement(sql: "SELECT EXISTS(SELECT 1 FROM declassifications WHERE seq > ? AND seq <= ?)"), arguments: [after, covered]) ?? false
        if after > 0, declassifiedHere {
            let earlier = try Row.fetchAll(
                db,
                sql: """
                    SELECT seq, body FROM changes WHERE seq <= ? AND unit IN (\(placeholders)) AND \(Declassifications.between)
                      \(includingSecret ? "" : "AND NOT " + OffNetworkSQL.change(try Replica.offNetwork(db, at: replica.now())))
                    ORDER BY seq
                    """,
                arguments: StatementArguments(
                    [after] + scope.map { $0 as any DatabaseValueConvertible } + [after, covered, after, covered]))
            changes = earlier.map { FeedSlice.Entry(seq: $0["seq"], body: $0["body"]) } + changes
        }
        return FeedSlice(changes: changes, covered: covered, more: more)
    }

    /// Which rows of `changes` a feed for units bound to `placeholders` carries: theirs and every unit's,
    /// member's and policy change, less those of reports kept off the network (unless `includingSecret`).
    func feedFilter(_ db: Database, placeholders: String, includingSecret: Bool) throws -> String {
        try Self.feedCondition(units: "unit IN (\(placeholders))", offNetwork: includingSecret ? nil : Replica.offNetwork(db, at: replica.now()))
    }

    /// Which rows of `changes` a unit's feed carries, `units` being the SQL condition that a row's unit is
    /// one the reader syncs for: theirs and every unit's, member's, policy and key change, less those of
    /// reports kept off the network (`offNetwork`, unless `nil` for a bundle) but for what holds no text
    /// of them: redactions and the writes they withheld, which every device of the unit must get
    /// (`WithheldText`). The same SQL in every store.
    public static func feedCondition(units: String, offNetwork: Set<Classification>?) -> String {
        let shared = RecordKind.allCases.filter(\.isSharedReference).map { "'\($0.rawValue)'" }.joined(separator: ",")
        return "(\(units) OR kind IN (\(shared)))" + (offNetwork.map { " AND (withheld = 1 OR NOT " + OffNetworkSQL.change($0) + ")" } ?? "")
    }

}
