import Foundation

/// A whole replica in memory: records, the log of changes it holds, and the changes waiting for their
/// causes. The SQLite replica keeps the same state on disk; this one serves property tests and the
/// in-memory merge benchmark.
public struct ReplicaState: Sendable {
    public let replicaID: String
    public var policy: Policy
    public private(set) var clock = HybridLogicalClock()
    public private(set) var counter: Int64 = 0
    public private(set) var records: [String: ReportRecord] = [:]
    /// Changes held back until what they depend on arrives.
    public private(set) var pending: [Dot: Change] = [:]
    /// Reference data (units, members, policy) by record id: the winning write of each.
    public private(set) var reference: [String: Change] = [:]
    /// Changes refused after they had been held back (for example: the report they belong to is another unit's).
    public private(set) var rejected: [Dot: ReportSyncError] = [:]
    /// Every change applied here, in the order it was applied.
    public private(set) var log: [Change] = []
    private var logIndex: [Dot: Int] = [:]

    public init(replicaID: String, policy: Policy = .standard) {
        self.replicaID = replicaID
        self.policy = policy
    }

    // MARK: Local writes

    /// Drafts a new report; returns the change it made.
    @discardableResult
    public mutating func draft(id: String, _ content: ReportContent, by actor: Member, now: Date) throws -> Change {
        if records[id] != nil { throw ReportSyncError(.alreadyExists, "report \(id) already exists") }
        let target = try content.followUpOf.map { try record($0) }
        let change = try LocalWrites.draft(
            id: id, content: content, by: actor, followUpTarget: target, policy: policy, stamp: stamp(now))
        try commit([change])
        return change
    }

    /// Edits a report; returns the changes it made.
    @discardableResult
    public mutating func edit(_ id: String, _ patch: ReportPatch, by actor: Member, now: Date) throws -> [Change] {
        let record = try record(id)
        let target = try (try record.content()).followUpOf.map { try self.record($0) }
        let policy = policy
        let changes = try LocalWrites.edit(
            record, with: patch, by: actor, policy: policy, followUpTarget: target, stamps: { self.stamp(now) })
        try commit(changes)
        return changes
    }

    /// Takes a workflow action; returns the change it made.
    @discardableResult
    public mutating func perform(
        _ action: WorkflowAction, on id: String, by actor: Member, comment: String? = nil, detail: StepDetail? = nil, now: Date
    ) throws -> Change {
        let record = try record(id)
        let target = try (try record.content()).followUpOf.map { try self.record($0) }
        let change = try LocalWrites.transition(
            action, on: record, by: actor, comment: comment, policy: policy, followUpTarget: target, detail: detail,
            stamp: stamp(now))
        try commit([change])
        return change
    }

    /// Resolves one of a report's conflicts; returns the changes it made.
    @discardableResult
    public mutating func resolve(
        _ conflictID: String, on id: String, keep: ResolutionStep.Keep, value: String? = nil, by actor: Member, now: Date
    ) throws -> [Change] {
        let record = try record(id)
        let target = try (try record.content()).followUpOf.map { try self.record($0) }
        let policy = policy
        let changes = try LocalWrites.resolve(
            conflictID, of: record, keep: keep, value: value, comment: nil, by: actor, policy: policy, followUpTarget: target,
            stamps: { self.stamp(now) })
        try commit(changes)
        return changes
    }

    /// Refuses a received change as the central does and voids it (docs/sync-protocol.md): returns the
    /// void change, or `nil` when the change cannot be voided here (a creation, causes missing, already held).
    @discardableResult
    public mutating func refuseAndVoid(_ change: Change, reason: String, now: Date) -> Change? {
        if case .content(let write) = change.payload, write.creates { return nil }
        guard !change.payload.isReference, logIndex[change.dot] == nil, let record = records[change.record],
            record.vv.covers(change.context), !record.vv.covers(change.dot)
        else { return nil }
        let stamp = stamp(now)
        let void = Change(
            dot: stamp.dot, hlc: stamp.hlc, record: record.id, unit: record.unit, actor: replicaID, context: record.vv,
            payload: .void(VoidMarker(dot: change.dot, reason: reason)))
        return (try? commit([void])) != nil ? void : nil
    }

    /// The record with this id, or a not-found error.
    public func record(_ id: String) throws -> ReportRecord {
        guard let record = records[id] else { throw ReportSyncError(.notFound, "no report \(id) in this replica") }
        return record
    }

    private mutating func stamp(_ now: Date) -> LocalWrites.Stamp {
        counter += 1
        return (Dot(replica: replicaID, counter: counter), clock.tick(now: now))
    }

    private mutating func commit(_ changes: [Change]) throws {
        for change in changes {
            let outcome = offer(change, now: change.hlc.date)
            if case .rejected(let error) = outcome { throw error }
            guard outcome == .applied else {
                throw ReportSyncError(.invalidInput, "change \(change.dot) did not apply here: \(outcome)")
            }
        }
    }

    // MARK: Receiving

    /// Merges changes from elsewhere, in any order, with duplicates; returns one outcome per change.
    @discardableResult
    public mutating func receive(_ changes: [Change], now: Date) -> [ApplyOutcome] {
        let outcomes = changes.map { offer($0, now: now) }
        retryPending(now: now)
        return outcomes
    }

    private mutating func offer(_ change: Change, now: Date) -> ApplyOutcome {
        if let index = logIndex[change.dot] {
            return log[index] == change ? .duplicate : .rejected(Self.reused(change.dot))
        }
        if let waiting = pending[change.dot] {
            return waiting == change ? .waiting(missing: []) : .rejected(Self.reused(change.dot))
        }
        do { try ChangeValidation.check(change, now: now, policy: policy) } catch let error as ReportSyncError {
            return .rejected(error)
        } catch { return .rejected(ReportSyncError(.invalidInput, "\(error)")) }
        let outcome = tryApply(change)
        if case .waiting = outcome { pending[change.dot] = change }
        return outcome
    }

    private mutating func tryApply(_ change: Change) -> ApplyOutcome {
        let unmet = change.requires.filter { records[$0.record]?.vv.covers($0.dot) != true }
        if !unmet.isEmpty { return .waiting(missing: unmet.map(\.dot)) }
        var outcome: ApplyOutcome
        if let referenceID = ReferenceRecord.id(of: change.payload) {
            if ReferenceRecord.replaces(change, reference[referenceID]) { reference[referenceID] = change }
            outcome = .applied
        } else if records[change.record] != nil {
            // Mutated in place: a copy taken out of the dictionary would copy every array it holds.
            outcome = records[change.record]!.apply(change)
            if outcome == .duplicate { outcome = .rejected(Self.reused(change.dot)) }
        } else if case .content(let write) = change.payload, write.creates {
            do {
                records[change.record] = try ReportRecord(creating: change)
                outcome = .applied
            } catch let error as ReportSyncError { outcome = .rejected(error) } catch {
                outcome = .rejected(ReportSyncError(.invalidInput, "\(error)"))
            }
        } else {
            outcome = .waiting(missing: change.context.counters.map { Dot(replica: $0.key, counter: $0.value) }.sorted())
        }
        if outcome == .applied {
            try? clock.observe(change.hlc, now: change.hlc.date, maxSkew: 0)
            logIndex[change.dot] = log.count
            log.append(change)
        }
        return outcome
    }

    private mutating func retryPending(now: Date) {
        var progressed = true
        while progressed, !pending.isEmpty {
            progressed = false
            for dot in pending.keys.sorted() {
                guard let change = pending[dot] else { continue }
                switch tryApply(change) {
                case .applied:
                    pending[dot] = nil
                    progressed = true
                case .rejected(let error):
                    pending[dot] = nil
                    rejected[dot] = error
                case .duplicate:
                    pending[dot] = nil
                case .waiting:
                    break
                }
            }
        }
    }

    static func reused(_ dot: Dot) -> ReportSyncError {
        ReportSyncError(
            .invalidInput,
            "dot \(dot) was already used for a different change: replica \(dot.replica) reuses its identity (restored from a backup?); it was not applied")
    }

    // MARK: Comparing

    /// The order-independent digest of every record and every piece of reference data.
    public func digest() throws -> String {
        let reports = records.values.map { (id: $0.id, hash: StateDigest.hash($0)) }
        let references = reference.map { (id: $0.key, hash: StateDigest.hash($0.value)) }
        return StateDigest.combine(reports + references)
    }
}
