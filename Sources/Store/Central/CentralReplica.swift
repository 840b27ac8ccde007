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
        if channel == .bundle { return try merge(changes, from: device, withholding: [], keepingSecret: true) }
        var withheld: Set<String> = []
        for _ in 0..<Self.secrecyPasses {
            do {
                return try merge(changes, from: device, withholding: withheld)
            } catch let secret as StaysSecret {
                // A withheld report takes nothing secret in this batch, so it cannot be what stays secret again.
                guard !secret.records.isSubset(of: withheld) else { break }
                withheld = Self.withDependents(withheld.union(secret.records), in: changes)
            }
        }
        // Past a few passes (only a push made by hand gets here), every report the push makes secret is held.
        let offNetwork = Secrecy.offNetwork(under: try replica.policy())
        let secretAnywhere = Set(changes.filter { Secrecy.takesOffNetwork($0, offNetwork) }.map(\.record))
        do {
            return try merge(
                changes, from: device, withholding: Self.withDependents(withheld.union(secretAnywhere), in: changes))
        } catch is StaysSecret {
            throw ReportSyncError(.storage, "the central could not settle the secrecy of this push's reports; nothing of it was taken")
        }
    }

    /// How many times a push is merged again without the reports it would leave secret.
    static let secrecyPasses = 4

    /// `records` and every report of `changes` that requires one of them, however indirectly: what is
    /// withheld with a withheld report (a follow-up cannot apply without its first report).
    static func withDependents(_ records: Set<String>, in changes: [Change]) -> Set<String> {
        var all = records
        var grew = true
        while grew {
            grew = false
            for change in changes where !all.contains(change.record) && change.requires.contains(where: { all.contains($0.record) }) {
                all.insert(change.record)
                grew = true
            }
        }
        return all
    }

    /// The reports a merged push would leave secret at the central.
    private struct StaysSecret: Error {
        let records: Set<String>
    }

    private func merge(
        _ changes: [Change], from device: Enrollment, withholding withheld: Set<String>, keepingSecret: Bool = false
    ) throws -> [PushResult] {
        // Nothing off the network comes in over it: not a report the merge leaves off it, nor a change that
        // would take its report off it waiting for its causes (its text would be kept until they came).
        // A bundle (`keepingSecret`) is how such reports arrive. The policy and the device's scope are read
        // in the push's own transaction.
        var offNetwork: Set<Classification> = []
        let leftSecret: (MergeEffects) throws -> Void = { effects in
            if keepingSecret { return }
            let secret = effects.records.filter { offNetwork.contains($0.guardedClassification) }.map(\.id)
                + effects.waits.map(\.change).filter { Secrecy.takesOffNetwork($0, offNetwork) }.map(\.record)
            if !secret.isEmpty { throw StaysSecret(records: Set(secret)) }
        }
        return try replica.session(check: leftSecret) { s in
            let clerk = Self.receiptClerk(bureau: try Meta.require(.unitID, s.db))
            offNetwork = Secrecy.offNetwork(under: s.policy)
            let authorization = PushAuthorization(scope: try Replica.unitScope(of: device.unit, s.db), db: s.db)
            // A withheld report takes nothing secret in this batch, not even a change that waited here.
            s.engine.heldBack = withheld
            s.engine.voidsRefusalsAs = clerk.id
            // The central's own key, read only when a push brings a report to receive or a change to refuse.
            var signer: StepSigner?
            func serverSigner() throws -> StepSigner {
                if let signer { return signer }
                signer = try Self.serverSigner(s)
                return signer!
            }
            s.engine.voidSigner = { try serverSigner().sign($0) }
            // What the central already knows of, byte for byte (held, or waiting for its causes), or refused
            // by dot, is answered as it was, whoever sends it again (a restored or copied replica re-sending
            // what its old self delivered); the shape, kinds and binding are checked on the rest.
            let held = Set(try changes.filter { try s.engine.holds($0) }.map(\.dot))
            // The central's own changes under an earlier replica id, lost with its disk and sent back by a
            // device that held them (never under its current id: those it would issue again).
            let own = Set(try ReplicaEpoch.previousIDs(s.db))
            let binding = DeviceBinding(db: s.db)
            let taken = try Self.takenDots(
                changes.filter { try !held.contains($0.dot) && binding.isBound($0.dot.replica, to: device) }, s.engine)
            let refused = try Self.refusals(of: changes.filter { !held.contains($0.dot) && !taken.contains($0.dot) }, s.db)
            let fresh = try changes.filter {
                try !held.contains($0.dot) && !taken.contains($0.dot) && refused[$0.dot] == nil && !s.engine.keepsWaiting($0)
            }
            try ChangeShape.check(fresh)
            try authorization.checkWhole(fresh.filter { !own.contains($0.dot.replica) }, from: device, at: s.now)
            let results = try changes.map { change in
                if let outside = try authorization.outsideScope(change, of: device, held: s.record(change.record)) {
                    return PushResult(dot: change.dot, status: .rejected, reason: outside.message)
                }
                if held.contains(change.dot) { return PushResult(dot: change.dot, status: .duplicate) }
                if taken.contains(change.dot) { return PushResult(dot: change.dot, status: .dotTaken, reason: Self.takenReason) }
                if let reason = refused[change.dot] { return PushResult(dot: change.dot, status: .rejected, reason: reason) }
                if withheld.contains(change.record) {
                    return PushResult(dot: change.dot, status: .held, reason: Secrecy.refusal(of: change).message)
                }
                if own.contains(change.dot.replica) {
                    do { try authorization.checkReturned(change, held: s.record(change.record), key: s.engine.signingKey) } catch let error as ReportSyncError {
                        return PushResult(dot: change.dot, status: .rejected, reason: error.message)
                    }
                    // Not the device's change: its refusal is neither voided nor kept (it must not hold
                    // the dot against the genuine change another device may still give back).
                    let outcome = try s.offer(change)
                    if case .rejected = outcome { s.engine.forgetRefusal(of: change.dot) } else {
                        // A receipt it signed before it lost it: its number is taken, also for the receipts of this push.
                        try RegistrationNumbers.keep(change, s.db)
                    }
                    return PushResult(dot: change.dot, outcome: outcome)
                }
                let outcome: ApplyOutcome
                do {
                    try authorization.check(change)
                    if case .keyRequest(let request) = change.payload {
                        outcome = try Self.register(change, request, s)
                    } else {
                        outcome = try s.offer(change)
                    }
                } catch let error as ReportSyncError {
                    outcome = s.refuse(change, error)
                }
                if case .rejected(let error) = outcome { try s.engine.void(change, reason: error.message, by: clerk.id) }
                return PushResult(dot: change.dot, outcome: outcome)
            }
            // What the push released comes first: a receipt the central lost and a device gave back is one of them.
            try s.engine.releaseWaiting()
            // A follow-up of a report kept off the network here is kept off with it (its outbox held it too).
            if !keepingSecret {
                let followsSecret = try s.touchedRecords.filter { id in
                    guard let first = try s.record(id)?.followUpOf, let parent = try s.record(first) else { return false }
                    return offNetwork.contains(parent.guardedClassification)
                }
                if !followsSecret.isEmpty { throw StaysSecret(records: followsSecret) }
            }
            for id in s.touchedRecords.sorted() {
                guard let record = try s.record(id), ApprovalChain.isComplete(record, policy: s.policy) else { continue }
                let receipt = try LocalWrites.transition(
                    .receive, on: record, by: clerk, at: .central, comment: "received", policy: s.policy, followUpTarget: nil,
                    detail: try RegistrationNumbers.receiptDetail(for: record, s), stamp: s.stamp())
                try s.commitLocal([try serverSigner().sign(receipt)])
            }
            return results
        }
    }

    /// The dots of `changes` (all under replica ids bound to the pushing device) written by an older copy
    /// of its file: each dot the central holds (or keeps waiting) for a different change, and every later
    /// dot of the same replica id in the push, which that copy wrote after it. None of them is kept.
    private static func takenDots(_ changes: [Change], _ engine: MergeEngine) throws -> Set<Dot> {
        var firstTaken: [String: Int64] = [:]
        for change in changes where try engine.holdsOther(change) {
            firstTaken[change.dot.replica] = min(firstTaken[change.dot.replica] ?? .max, change.dot.counter)
        }
        if firstTaken.isEmpty { return [] }
        return Set(changes.filter { change in firstTaken[change.dot.replica].map { change.dot.counter >= $0 } ?? false }.map(\.dot))
    }

    /// What the central answers for a taken dot.
    static let takenReason =
        "the central holds a different change under this dot: this device's replica file is an older copy of itself (put back from a backup with its machine); the device writes the change again under a new replica id, and nothing is lost"

    /// The central's reasons for the changes of `changes` it refused before, by dot.
    private static func refusals(of changes: [Change], _ db: Database) throws -> [Dot: String] {
        var reasons: [Dot: String] = [:]
        for change in changes {
            let reason = try String.fetchOne(
                db.cachedStatement(sql: "SELECT reason FROM rejected_changes WHERE replica = ? AND counter = ?"),
                arguments: [change.dot.replica, change.dot.counter])
            if let reason { reasons[change.dot] = reason }
        }
        return reasons
    }

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
        let shared = RecordKind.allCases.filter(\.isSharedReference).map { "'\($0.rawValue)'" }.joined(separator: ",")
        let offNetwork = includingSecret ? "" : " AND NOT " + OffNetworkSQL.change(try Replica.offNetwork(db, at: replica.now()))
        return "(unit IN (\(placeholders)) OR kind IN (\(shared)))" + offNetwork
    }

}
