import Foundation

/// A whole replica in memory: the merge engine's in-memory store, for domain scenario tests and the
/// in-memory merge benchmark. It decides nothing itself: each write or batch runs one `MergeEngine`
/// and keeps the effects, exactly as the SQLite store persists them.
public struct MemoryReplica: Sendable {
    public let replicaID: String
    /// What the replica plays (decides where a person's act may be made).
    public let role: ReplicaRole
    public var policy: Policy
    public private(set) var clock: HybridTimestamp = .zero
    public private(set) var counter: Int64 = 0
    public private(set) var records: [String: ReportRecord] = [:]
    /// Reference data (units, members, policy, solicitations) by record id: the winning write of each.
    public private(set) var reference: [String: Change] = [:]
    /// Every refused change, with the reason.
    public private(set) var rejected: [Dot: ReportSyncError] = [:]
    /// Every change applied here, in the order it was applied.
    public private(set) var log: [Change] = []
    private var bodies: [Dot: String] = [:]
    private var waiting: [Dot: WaitingChange] = [:]

    public init(replicaID: String, role: ReplicaRole = .standalone, policy: Policy = .standard) {
        self.replicaID = replicaID
        self.role = role
        self.policy = policy
    }

    /// Changes held back until what they depend on arrives.
    public var pending: [Dot: Change] { waiting.mapValues(\.change) }

    // MARK: Local writes

    /// Drafts a new report; returns the change it made.
    @discardableResult
    public mutating func draft(id: String, _ content: ReportContent, by actor: Member, now: Date) throws -> Change {
        let role = role
        return try batch(now: now) { engine in
            if try engine.record(id) != nil { throw ReportSyncError(.alreadyExists, "report \(id) already exists") }
            let target = try content.followUpOf.map { try engine.requireRecord($0) }
            let change = try LocalWrites.draft(
                id: id, content: content, by: actor, at: role, followUpTarget: target, policy: engine.policy, stamp: engine.stamp())
            try engine.commitLocal([change])
            return change
        }
    }

    /// Edits a report; returns the changes it made.
    @discardableResult
    public mutating func edit(_ id: String, _ patch: ReportPatch, by actor: Member, now: Date) throws -> [Change] {
        let role = role
        return try batch(now: now) { engine in
            // As a field device does (`Replica.edit`): a lowering first seals what was written while
            // the report was secret, then gives anew what this replica keeps the text of.
            var sealing: [Change] = []
            if let seal = try LocalWrites.sealing(
                before: patch, of: try engine.requireRecord(id), by: actor, at: role, policy: engine.policy, stamp: engine.stamp) {
                try engine.commitLocal([seal])
                sealing = [seal]
            }
            let stored = try engine.requireRecord(id)
            let record = try engine.revealed(stored)
            let target = try record.followUpOf.map { try engine.requireRecord($0) }
            let restoring = LocalWrites.restoredByLowering(stored: stored, shown: record, patch, at: role, policy: engine.policy)
            let changes = try LocalWrites.edit(
                record, with: patch, by: actor, at: role, policy: engine.policy, followUpTarget: target, restoring: restoring,
                stamps: engine.stamp)
            try engine.commitLocal(changes)
            return sealing + changes
        }
    }

    /// Withdraws a report's text from other replicas (`LocalWrites.redaction`), covering `covering`
    /// (all the record holds by default); returns the change it made.
    @discardableResult
    public mutating func redact(
        _ id: String, covering: VersionVector? = nil, raisedTo: Classification = .secret, by actor: Member, now: Date
    ) throws -> Change? {
        let role = role
        return try batch(now: now) { engine in
            let record = try engine.requireRecord(id)
            guard let change = try LocalWrites.redaction(
                of: record, covering: covering ?? record.vv, raisedTo: raisedTo, by: actor, at: role, stamp: engine.stamp)
            else { return nil }
            try engine.commitLocal([change])
            return change
        }
    }

    /// Takes a workflow action; returns the change it made.
    @discardableResult
    public mutating func perform(
        _ action: WorkflowAction, on id: String, by actor: Member, comment: String? = nil, detail: StepDetail? = nil, now: Date
    ) throws -> Change {
        let role = role
        return try batch(now: now) { engine in
            let record = try engine.requireRecord(id)
            let target = try record.followUpOf.map { try engine.requireRecord($0) }
            let change = try LocalWrites.transition(
                action, on: record, by: actor, at: role, comment: comment, policy: engine.policy, followUpTarget: target, detail: detail,
                stamp: engine.stamp())
            try engine.commitLocal([change])
            return change
        }
    }

    /// Resolves one of a report's conflicts; returns the changes it made.
    @discardableResult
    public mutating func resolve(
        _ conflictID: String, on id: String, keep: ResolutionStep.Keep, value: String? = nil, by actor: Member, now: Date
    ) throws -> [Change] {
        let role = role
        return try batch(now: now) { engine in
            let record = try engine.requireRecord(id)
            let target = try record.followUpOf.map { try engine.requireRecord($0) }
            let changes = try LocalWrites.resolve(
                conflictID, of: record, keep: keep, value: value, comment: nil, by: actor, at: role, policy: engine.policy,
                followUpTarget: target, stamps: engine.stamp)
            try engine.commitLocal(changes)
            return changes
        }
    }

    /// Refuses a received change as the central does and voids it (`MergeEngine.void`): returns the
    /// void change, or `nil` when the change cannot be voided here.
    @discardableResult
    public mutating func refuseAndVoid(_ change: Change, reason: String, now: Date) -> Change? {
        if bodies[change.dot] != nil { return nil }
        let actor = replicaID
        return try? batch(now: now) { engine in try engine.void(change, reason: reason, by: actor) }
    }

    /// The record with this id, or a not-found error.
    public func record(_ id: String) throws -> ReportRecord {
        guard let record = records[id] else { throw ReportSyncError(.notFound, "no report \(id) in this replica") }
        return record
    }

    // MARK: Receiving

    /// Merges changes from elsewhere, in any order, with duplicates; returns one outcome per change.
    @discardableResult
    public mutating func receive(_ changes: [Change], now: Date) -> [ApplyOutcome] {
        do {
            return try batch(now: now) { engine in try changes.map { try engine.offer($0) } }
        } catch {
            // The in-memory source never fails; a failure here is a broken engine.
            preconditionFailure("in-memory merge failed: \(error)")
        }
    }

    /// Runs one engine batch and keeps its effects; a batch that throws leaves the replica unchanged.
    private mutating func batch<T>(now: Date, _ body: (MergeEngine) throws -> T) throws -> T {
        let (result, effects) = try Self.run(MergeEngine(source: self, replicaID: replicaID, counter: counter, clock: clock, policy: policy, now: now), body)
        // The engine, and with it its copy of this replica as the source, is gone by now: the log and
        // the dictionaries are this value's alone again, so `keep` appends in place instead of copying
        // the whole log once per batch.
        keep(effects)
        return result
    }

    private static func run<T>(_ engine: MergeEngine, _ body: (MergeEngine) throws -> T) throws -> (T, MergeEffects) {
        // The merge rules' scenarios take steps unsigned; the stores that ship check every signature.
        engine.checksSignatures = false
        let result = try body(engine)
        return (result, try engine.finish())
    }

    private mutating func keep(_ effects: MergeEffects) {
        for logged in effects.logged {
            log.append(logged.change)
            bodies[logged.change.dot] = logged.body
        }
        for record in effects.records { records[record.id] = record }
        for change in effects.references { reference[ReferenceRecord.id(of: change.payload)!] = change }
        for wait in effects.waits + effects.rewaits { waiting[wait.change.dot] = wait }
        for dot in effects.released { waiting[dot] = nil }
        for refusal in effects.refusals { rejected[refusal.change.dot] = refusal.error }
        counter = effects.counter
        clock = effects.clock
    }

    // MARK: Comparing

    /// The order-independent digest of every record and every piece of reference data.
    public func digest() throws -> String {
        let reports = records.values.map { (id: $0.id, hash: StateDigest.hash($0)) }
        let references = reference.map { (id: $0.key, hash: StateDigest.hash($0.value)) }
        return StateDigest.combine(reports + references)
    }
}

extension MemoryReplica: MergeSource {
    public func storedRecord(_ id: String) throws -> ReportRecord? { records[id] }
    public func heldBody(of dot: Dot) throws -> String? { bodies[dot] }
    public func hasWaiting() throws -> Bool { !waiting.isEmpty }
    public func waitingBody(of dot: Dot) throws -> String? { waiting[dot]?.body }

    public func waiting(on records: Set<String>) throws -> [WaitingChange] {
        waiting.values.filter { records.contains($0.waitsFor) }.sorted { $0.change.dot < $1.change.dot }
    }

    public func referenceVersion(_ id: String) throws -> ReferenceVersion? {
        reference[id].map { ReferenceVersion(hlc: $0.hlc, dot: $0.dot) }
    }

    public func signingKey(_ id: String) throws -> SigningKey? {
        guard case .signingKey(let key)? = reference["key/\(id)"]?.payload else { return nil }
        return key
    }

    /// Its log keeps every change as received: those of `record` that still hold their text.
    public func originals(of record: ReportRecord) throws -> [Dot: Change] {
        Dictionary(log.filter { $0.record == record.id && Withheld.holdsText($0) }.map { ($0.dot, $0) }, uniquingKeysWith: { first, _ in first })
    }
}
