import Foundation
import SyncCore

/// The central's decisions on one push, the same on every store (`CentralReplica.receivePush` on
/// SQLite, `PostgresCentral` on PostgreSQL): which changes are answered as before, which are the
/// device's to write, what is authorised, merged, voided, held back for secrecy, and which reports the
/// central receives. It runs on the batch's merge engine and its `CentralLedger`; what it decides is
/// written by the store with the engine's effects.
public struct PushMerge {
    public let changes: [Change]
    public let device: Enrollment
    /// Reports whose changes this attempt answers `held` (`SecrecyPasses`).
    let withheld: Set<String>
    /// A bundle: how a report kept off the network reaches the central.
    let keepingSecret: Bool

    public init(_ changes: [Change], from device: Enrollment, withholding withheld: Set<String>, keepingSecret: Bool) {
        self.changes = changes
        self.device = device
        self.withheld = withheld
        self.keepingSecret = keepingSecret
    }

    /// The check on the merged result: nothing off the network comes in over it, neither a report the
    /// merge leaves off it nor a change that would take its report off it waiting for its causes (its
    /// text would be kept until they came). Throws `StaysSecret` naming them.
    public func leftSecret(under policy: Policy) -> (MergeEffects) throws -> Void {
        let offNetwork = Secrecy.offNetwork(under: policy)
        let keepingSecret = keepingSecret
        return { effects in
            if keepingSecret { return }
            let secret = effects.records.filter { offNetwork.contains($0.guardedClassification) }.map(\.id)
                + effects.waits.map(\.change).filter { Secrecy.takesOffNetwork($0, offNetwork) }.map(\.record)
            if !secret.isEmpty { throw StaysSecret(records: Set(secret)) }
        }
    }

    /// Decides every change of the push on `engine`, asking `ledger`; one answer per change, in order.
    public func run(engine: MergeEngine, ledger: some CentralLedger) throws -> [PushResult] {
        let clerk = CentralReplica.receiptClerk(bureau: try ledger.bureau())
        let offNetwork = Secrecy.offNetwork(under: engine.policy)
        let authorization = PushAuthorization(scope: try ledger.unitScope(of: device.unit), ledger: ledger)
        // A withheld report takes nothing secret in this batch, not even a change that waited here.
        engine.heldBack = withheld
        engine.voidsRefusalsAs = clerk.id
        // The central's own key, read only when a push brings a report to receive or a change to refuse.
        var signer: StepSigner?
        func serverSigner() throws -> StepSigner {
            if let signer { return signer }
            signer = try CentralReplica.serverSigner(ledger)
            return signer!
        }
        engine.voidSigner = { try serverSigner().sign($0) }
        // What the central already knows of, byte for byte (held, or waiting for its causes), or refused
        // by dot, is answered as it was, whoever sends it again (a restored or copied replica re-sending
        // what its old self delivered); the shape, kinds and binding are checked on the rest.
        // Each change's canonical JSON, written once: what it is compared by, logged as and checked in.
        let sent = changes.map { (change: $0, body: $0.canonicalJSON) }
        let held = Set(try sent.filter { try engine.holds($0.change, body: $0.body) }.map(\.change.dot))
        // The central's own changes under an earlier replica id, lost with its disk and sent back by a
        // device that held them (never under its current id: those it would issue again).
        let own = Set(try ledger.previousReplicaIDs())
        let binding = DeviceBinding(ledger: ledger)
        let taken = try Self.takenDots(sent.filter { try !held.contains($0.change.dot) && binding.isBound($0.change.dot.replica, to: device) }, engine)
        var refused: [Dot: String] = [:]
        for change in changes where !held.contains(change.dot) && !taken.contains(change.dot) {
            if let reason = try ledger.refusalReason(of: change.dot) { refused[change.dot] = reason }
        }
        let fresh = try sent.filter {
            let dot = $0.change.dot
            return try !held.contains(dot) && !taken.contains(dot) && refused[dot] == nil && !engine.keepsWaiting($0.change, body: $0.body)
        }.map(\.change)
        try ChangeShape.check(fresh)
        try authorization.checkWhole(fresh.filter { !own.contains($0.dot.replica) }, from: device, at: engine.now)
        let results = try sent.map { change, body in
            if let outside = try authorization.outsideScope(change, of: device, held: engine.record(change.record)) {
                return PushResult(dot: change.dot, status: .rejected, reason: outside.message)
            }
            if held.contains(change.dot) { return PushResult(dot: change.dot, status: .duplicate) }
            if taken.contains(change.dot) { return PushResult(dot: change.dot, status: .dotTaken, reason: CentralReplica.takenReason) }
            if let reason = refused[change.dot] { return PushResult(dot: change.dot, status: .rejected, reason: reason) }
            if withheld.contains(change.record) {
                return PushResult(dot: change.dot, status: .held, reason: Secrecy.refusal(of: change).message)
            }
            if own.contains(change.dot.replica) {
                do { try authorization.checkReturned(change, held: engine.record(change.record), key: engine.signingKey) } catch let error as ReportSyncError {
                    return PushResult(dot: change.dot, status: .rejected, reason: error.message)
                }
                // Not the device's change: its refusal is neither voided nor kept (it must not hold
                // the dot against the genuine change another device may still give back).
                let outcome = try engine.offer(change, body: body)
                if case .rejected = outcome { engine.forgetRefusal(of: change.dot) } else if let (year, serial) = RegistrationNumbers.number(carriedBy: change) {
                    // A receipt it signed before it lost it: its number is taken, also for the receipts of this push.
                    try ledger.keepRegistration(serial, in: year)
                }
                return PushResult(dot: change.dot, outcome: outcome)
            }
            let outcome: ApplyOutcome
            do {
                try authorization.check(change, body: body)
                if case .keyRequest(let request) = change.payload {
                    outcome = try CentralReplica.register(change, request, engine: engine, ledger)
                } else {
                    outcome = try engine.offer(change, body: body)
                }
            } catch let error as ReportSyncError {
                outcome = engine.refuse(change, error)
            }
            if case .rejected(let error) = outcome { try engine.void(change, reason: error.message, by: clerk.id) }
            return PushResult(dot: change.dot, outcome: outcome)
        }
        // What the push released comes first: a receipt the central lost and a device gave back is one of them.
        try engine.releaseWaiting()
        // A follow-up of a report kept off the network here is kept off with it (its outbox held it too).
        if !keepingSecret {
            let followsSecret = try engine.touchedRecords.filter { id in
                guard let first = try engine.record(id)?.followUpOf, let parent = try engine.record(first) else { return false }
                return offNetwork.contains(parent.guardedClassification)
            }
            if !followsSecret.isEmpty { throw StaysSecret(records: followsSecret) }
        }
        for id in engine.touchedRecords.sorted() {
            guard let record = try engine.record(id), ApprovalChain.isComplete(record, policy: engine.policy) else { continue }
            let receipt = try LocalWrites.transition(
                .receive, on: record, by: clerk, at: .central, comment: "received", policy: engine.policy, followUpTarget: nil,
                detail: try RegistrationNumbers.receiptDetail(for: record, now: engine.now, policy: engine.policy, ledger),
                stamp: engine.stamp())
            try engine.commitLocal([try serverSigner().sign(receipt)])
        }
        return results
    }

    /// The dots of `changes` (all under replica ids bound to the pushing device) written by an older copy
    /// of its file: each dot the central holds (or keeps waiting) for a different change, and every later
    /// dot of the same replica id in the push, which that copy wrote after it. None of them is kept.
    private static func takenDots(_ sent: [(change: Change, body: String)], _ engine: MergeEngine) throws -> Set<Dot> {
        var firstTaken: [String: Int64] = [:]
        for (change, body) in sent where try engine.holdsOther(change, body: body) {
            firstTaken[change.dot.replica] = min(firstTaken[change.dot.replica] ?? .max, change.dot.counter)
        }
        if firstTaken.isEmpty { return [] }
        return Set(sent.map(\.change).filter { change in firstTaken[change.dot.replica].map { change.dot.counter >= $0 } ?? false }.map(\.dot))
    }
}

/// The reports a merged push would leave secret at the central (`PushMerge.leftSecret`).
public struct StaysSecret: Error {
    public let records: Set<String>
}

/// The attempts at a network push that would leave reports secret at the central: each attempt is
/// merged again without the reports the last one would have left secret, and those are answered
/// `held` (the device keeps them in its outbox). Past a few attempts, which only a push made by hand
/// needs, every report the push makes secret is held at once. Each store drives it:
/// `while let withheld = passes.next() { do { return try merge(withheld) } catch let s as StaysSecret { try passes.failed(s) } }`.
public struct SecrecyPasses {
    /// How many times a push is merged again without the reports it would leave secret.
    static let passes = 4

    private let changes: [Change]
    private let offNetwork: Set<Classification>
    private var withheld: Set<String> = []
    private var attempts = 0
    private var finished = false

    /// The attempts for `changes` under the policy in force (`policy`).
    public init(_ changes: [Change], policy: Policy) {
        self.changes = changes
        offNetwork = Secrecy.offNetwork(under: policy)
    }

    /// The reports the next attempt withholds, or `nil` when there is none left.
    public mutating func next() -> Set<String>? {
        if finished { return nil }
        attempts += 1
        if attempts > Self.passes {
            // Every report the push makes secret, and what requires one of them.
            finished = true
            let secretAnywhere = Set(changes.filter { Secrecy.takesOffNetwork($0, offNetwork) }.map(\.record))
            return Self.withDependents(withheld.union(secretAnywhere), in: changes)
        }
        return withheld
    }

    /// Notes that the last attempt would leave `secret` secret; throws when even the last one did.
    public mutating func failed(_ secret: StaysSecret) throws {
        if finished || secret.records.isSubset(of: withheld) {
            // A withheld report takes nothing secret in this batch, so it cannot be what stays secret again.
            if finished {
                throw ReportSyncError(.storage, "the central could not settle the secrecy of this push's reports; nothing of it was taken")
            }
            attempts = Self.passes
            return
        }
        withheld = Self.withDependents(withheld.union(secret.records), in: changes)
    }

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
}
