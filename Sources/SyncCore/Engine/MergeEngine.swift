import Foundation

/// The one merge of ReportSync: takes changes made here or received from elsewhere into the records
/// they touch and decides what becomes of each — applied, already held, waiting for its causes, or
/// refused — and what the central voids. Every replica runs it, whatever stores it (SQLite, memory,
/// PostgreSQL): stores only load what it asks for and persist the `MergeEffects` it returns.
///
/// One engine serves one batch (one transaction): make it, offer or commit changes, then `finish()`.
public final class MergeEngine {
    public let replicaID: String
    public let policy: Policy
    /// The time the batch is judged at (clock skew of received changes).
    public let now: Date
    /// The replica's own rules for received report writes (the central's: `PushedContentRules`); none
    /// on a field replica, which takes what its central sends.
    public var admission: (any ChangeAdmission)?
    /// Records whose stored waiting changes that would make them secret this batch leaves waiting (the
    /// central's reports it withholds from a push so that nothing secret rests there).
    public var heldBack: Set<String> = []
    /// Whether every step and resolution must carry its actor's valid signature (`StepVerification`):
    /// always, on every store that ships; off only for the in-memory scenarios of the merge rules.
    public var checksSignatures = true
    /// Whether this replica registers every key itself (the central): a step signed by a key it does not
    /// hold is refused here, while elsewhere it waits for the key's registration to arrive.
    public var registersKeys = false
    /// The central's clerk, when this batch voids what it refuses: a report write that waited for its
    /// causes and is refused once they came is voided here too (`void`), like one refused on arrival.
    public var voidsRefusalsAs: String?
    /// Signs the refusals this batch makes (the central's own key), so that any device holding one can
    /// give it back to a central that lost it.
    public var voidSigner: ((Change) throws -> Change)?
    private let source: any MergeSource
    private var counter: Int64
    private var clock: HybridLogicalClock
    private var records: [String: ReportRecord] = [:]
    private var dirty: Set<String> = []
    private var touched: Set<String> = []
    /// Records written since the last round of retrying waiting changes began.
    private var touchedSinceRound: Set<String> = []
    /// Records whose waiting changes were retried to the end and that nothing wrote since: a second
    /// `releaseWaiting` in the same batch need not look at them again.
    private var settled: Set<String> = []
    private var effects = MergeEffects()
    /// Canonical JSON of the changes this batch applied, by dot (the source does not hold them yet).
    private var loggedBodies: [Dot: String] = [:]
    /// What the source answered for a dot this batch asked about before (a push asks up to three times).
    private var storedBodies: [Dot: String?] = [:]
    /// Reference versions this batch set.
    private var referenceVersions: [String: ReferenceVersion] = [:]
    /// Signing keys this batch registered or revoked, by id.
    private var keysNow: [String: SigningKey] = [:]
    /// Waiting changes this batch added or moved, by dot, with where they wait now.
    private var waitingNow: [Dot: WaitingChange] = [:]
    /// Which of `waitingNow` the batch itself added (the others came from the source).
    private var addedWaits: Set<Dot> = []
    private var released: Set<Dot> = []
    private var hasWaiting: Bool

    /// An engine for one batch over `source`, continuing this replica's counter and clock.
    public init(
        source: any MergeSource, replicaID: String, counter: Int64, clock: HybridTimestamp, policy: Policy, now: Date
    ) throws {
        self.source = source
        self.replicaID = replicaID
        self.counter = counter
        self.clock = HybridLogicalClock(last: clock)
        self.policy = policy
        self.now = now
        hasWaiting = try source.hasWaiting()
    }

    /// This replica's next dot and clock reading, for a local write.
    public func stamp() -> LocalWrites.Stamp {
        counter += 1
        return (Dot(replica: replicaID, counter: counter), clock.tick(now: now))
    }

    /// The record with this id as the batch sees it, if the replica holds it.
    public func record(_ id: String) throws -> ReportRecord? {
        if let cached = records[id] { return cached }
        guard let record = try source.storedRecord(id) else { return nil }
        records[id] = record
        return record
    }

    /// The record with this id, or an error that says how to find one.
    public func requireRecord(_ id: String) throws -> ReportRecord {
        guard let record = try record(id) else {
            throw ReportSyncError(.notFound, "no report \(id) in this replica; see report-cli list")
        }
        return record
    }

    /// `record` with the withheld values this replica keeps the text of put back (`MergeSource.originals`,
    /// and originals offered in this batch): what the rules judge by; never stored or digested.
    public func revealed(_ record: ReportRecord) throws -> ReportRecord {
        guard !record.redactions.isEmpty else { return record }
        var known = try source.originals(of: record)
        for original in effects.originals where original.change.record == record.id { known[original.change.dot] = original.change }
        return record.revealing(known)
    }

    /// The record with this id as the rules read it (`revealed`), if the replica holds it.
    private func revealedRecord(_ id: String) throws -> ReportRecord? { try record(id).map(revealed) }

    /// The records this batch changed so far.
    public var touchedRecords: Set<String> { touched }

    /// Applies changes made here; each must apply, or the batch fails and nothing may be persisted.
    public func commitLocal(_ changes: [Change]) throws {
        for change in changes {
            let outcome = try tryApply(change, body: change.canonicalJSON, origin: .local)
            if case .rejected(let error) = outcome { throw error }
            guard outcome == .applied else {
                throw ReportSyncError(.storage, "a local change did not apply (\(outcome)); nothing was written")
            }
        }
    }

    /// Offers a change received from elsewhere: applied, already held, held back, or refused and recorded.
    ///
    /// - Parameters:
    ///   - body: the change's canonical JSON, when the caller wrote it already (`Change.canonicalJSON`).
    ///   - checkClock: false for changes from the central, which judged their clocks on arrival.
    public func offer(_ change: Change, body: String? = nil, checkClock: Bool = true) throws -> ApplyOutcome {
        let body = body ?? change.canonicalJSON
        if let held = try heldBody(of: change.dot) {
            return matches(held, change, body: body) ? .duplicate : refuse(change, body: body, Self.reused(change.dot))
        }
        if let waiting = try waitingBody(of: change.dot) {
            return waiting == body ? .waiting(missing: []) : refuse(change, body: body, Self.reused(change.dot))
        }
        do { try ChangeValidation.check(change, now: now, policy: policy, checkClock: checkClock) } catch let error as ReportSyncError {
            return refuse(change, body: body, error)
        }
        let outcome = try tryApply(change, body: body, origin: .remote)
        switch outcome {
        case .waiting(let missing):
            let wait = WaitingChange(change: change, body: body, waitsFor: try blockingRecord(of: change))
            waitingNow[change.dot] = wait
            addedWaits.insert(change.dot)
            hasWaiting = true
            return .waiting(missing: missing)
        case .rejected(let error):
            return refuse(change, body: body, error)
        case .applied, .duplicate:
            return outcome
        }
    }

    /// Whether this replica already holds exactly this change (an answer that needs no other check);
    /// `body` is its canonical JSON when the caller wrote it already.
    public func holds(_ change: Change, body: String? = nil) throws -> Bool {
        guard let held = try heldBody(of: change.dot) else { return false }
        return matches(held, change, body: body ?? change.canonicalJSON)
    }

    /// Whether this replica holds, or keeps waiting, a different change under `change`'s dot: its
    /// writer used the dot twice (an older copy of its file wrote again).
    public func holdsOther(_ change: Change, body: String? = nil) throws -> Bool {
        guard let held = try heldBody(of: change.dot) ?? waitingBody(of: change.dot) else { return false }
        return !matches(held, change, body: body ?? change.canonicalJSON)
    }

    /// Whether the stored body `held` is `change` (canonical JSON `body`): the same bytes, the copy of it
    /// this replica withheld (`Withheld.isCopy`), whose original is then kept in `originals` where the copy
    /// proves it (`Withheld.isVerifiedCopy`), or the
    /// original of the withheld copy offered (a replica that withheld it sends it back to its writer).
    private func matches(_ held: String, _ change: Change, body: String) -> Bool {
        guard Withheld.sameChange(held, change, body: body) else { return false }
        // Only a copy whose markers prove the text (a sealed one proves nothing: its text comes by bundle).
        guard held != body, Withheld.isVerifiedCopy(held, of: change) else { return true }
        if !effects.originals.contains(where: { $0.change.dot == change.dot }) {
            effects.originals.append(MergeEffects.Logged(change: change, body: body, origin: .remote))
        }
        return true
    }

    /// Whether this replica keeps exactly this change waiting for its causes (an answer that needs no
    /// other check).
    public func keepsWaiting(_ change: Change, body: String? = nil) throws -> Bool {
        guard let waiting = try waitingBody(of: change.dot) else { return false }
        return waiting == body ?? change.canonicalJSON
    }

    /// Records that `change` was refused before the merge looked at it (for example by authorisation).
    @discardableResult
    public func refuse(_ change: Change, _ error: ReportSyncError) -> ApplyOutcome {
        refuse(change, body: change.canonicalJSON, error)
    }

    /// The central's answer to a change it refused: a void that every replica takes as "seen, without
    /// effect", so the writer's later changes, which saw it, still apply everywhere
    /// (docs/sync-protocol.md). Made only for a report write whose causes this replica holds and whose
    /// dot is new here; returns the void, or `nil` when none can be made (a creation, causes missing,
    /// already held). The void has seen all this replica holds of the report. Of a report kept off the
    /// network (or a follow-up of one) it carries `VoidMarker.reasonKeptOffTheNetwork` instead of
    /// `reason`, which may quote the report: such a void may go by network (`MergeEffects.arrivesWithheld`),
    /// `reason` by bundle only.
    @discardableResult
    public func void(_ change: Change, reason: String, by actor: String) throws -> Change? {
        switch change.payload {
        case .content(let write) where !write.creates: break
        case .transition, .resolution, .redaction: break
        default: return nil
        }
        guard let record = try record(change.record), record.unit == change.unit, record.vv.covers(change.context), !record.vv.covers(change.dot)
        else {
            return nil
        }
        // Kept off the network itself, or as a follow-up of a report that is (the feed judges it so too);
        // the first report is read only when needed (voids are rare, but this is the merge).
        let offNetwork = Secrecy.offNetwork(under: policy)
        var keptOff = offNetwork.contains(record.networkClassification)
        if !keptOff, let first = try record.followUpOf.flatMap({ try self.record($0) }) {
            keptOff = offNetwork.contains(first.networkClassification)
        }
        let stamp = stamp()
        var void = Change(
            dot: stamp.dot, hlc: stamp.hlc, record: record.id, unit: record.unit, actor: actor, context: record.vv,
            payload: .void(VoidMarker(dot: change.dot, reason: keptOff ? VoidMarker.reasonKeptOffTheNetwork : reason)))
        if let voidSigner { void = try voidSigner(void) }
        try commitLocal([void])
        return void
    }

    /// Retries the waiting changes whose causes may have arrived and returns everything the batch decided.
    public func finish() throws -> MergeEffects {
        try releaseWaiting()
        return try collectEffects()
    }

    /// Retries the waiting changes the batch's writes may have released, round after round, until no
    /// more apply (`finish` does it too; a caller that acts on the merged state calls it first).
    public func releaseWaiting() throws {
        var round = hasWaiting ? touched.subtracting(settled) : []
        while !round.isEmpty {
            let stored = try source.waiting(on: round).filter {
                waitingNow[$0.change.dot] == nil && !released.contains($0.change.dot)
                    && !(heldBack.contains($0.change.record) && Secrecy.takesOffNetwork($0.change, Secrecy.offNetwork(under: policy)))
            }
            let moved = waitingNow.values.filter { round.contains($0.waitsFor) && !released.contains($0.change.dot) }
            touchedSinceRound = []
            for var wait in (stored + moved).sorted(by: { $0.change.dot < $1.change.dot }) {
                let outcome = try tryApply(wait.change, body: wait.body, origin: .remote)
                if case .waiting = outcome {
                    // It may now wait on another record (its first report came, its own causes did not).
                    let blocking = try blockingRecord(of: wait.change)
                    if blocking != wait.waitsFor {
                        wait.waitsFor = blocking
                        waitingNow[wait.change.dot] = wait
                    }
                    continue
                }
                released.insert(wait.change.dot)
                if case .rejected(let error) = outcome {
                    _ = refuse(wait.change, body: wait.body, error)
                    if let clerk = voidsRefusalsAs { try void(wait.change, reason: error.message, by: clerk) }
                }
            }
            // A record written again in this round (even one already in it) may release more.
            round = touchedSinceRound
        }
        settled = touched
    }

    private func collectEffects() throws -> MergeEffects {
        for (dot, wait) in waitingNow.sorted(by: { $0.key < $1.key }) where !released.contains(dot) {
            if addedWaits.contains(dot) { effects.waits.append(wait) } else { effects.rewaits.append(wait) }
        }
        effects.released = released.subtracting(addedWaits).sorted()
        effects.records = dirty.sorted().map { records[$0]! }
        effects.counter = counter
        effects.clock = clock.last
        return effects
    }

    /// The registered signing key with this id, as the batch sees it.
    public func signingKey(_ id: String) throws -> SigningKey? {
        if let key = keysNow[id] { return key }
        return try source.signingKey(id)
    }

    private func heldBody(of dot: Dot) throws -> String? {
        if let body = loggedBodies[dot] { return body }
        if let looked = storedBodies[dot] { return looked }
        let body = try source.heldBody(of: dot)
        storedBodies[dot] = .some(body)
        return body
    }

    private func waitingBody(of dot: Dot) throws -> String? {
        guard hasWaiting, !released.contains(dot) else { return nil }
        if let wait = waitingNow[dot] { return wait.body }
        return try source.waitingBody(of: dot)
    }

    /// The record whose next write may let a waiting change apply: a record it requires, else its own.
    private func blockingRecord(of change: Change) throws -> String {
        for required in change.requires where try record(required.record)?.vv.covers(required.dot) != true {
            return required.record
        }
        if checksSignatures, let signature = change.signature, try record(change.record)?.isReadyToApply(change) == true,
            try signingKey(signature.key) == nil
        {
            return SigningKey.recordID(of: signature.key)
        }
        return change.record
    }

    private func tryApply(_ change: Change, body: String, origin: ChangeOrigin) throws -> ApplyOutcome {
        if let referenceID = ReferenceRecord.id(of: change.payload) {
            let held = try referenceVersions[referenceID] ?? source.referenceVersion(referenceID)
            if ReferenceRecord.replaces(change, held) {
                referenceVersions[referenceID] = ReferenceVersion(hlc: change.hlc, dot: change.dot)
                effects.references.append(change)
                if case .signingKey(let key) = change.payload { keysNow[key.id] = key }
            }
        } else {
            let unmet = try change.requires.filter { try record($0.record)?.vv.covers($0.dot) != true }
            if !unmet.isEmpty { return .waiting(missing: unmet.map(\.dot)) }
            if let existing = try record(change.record) {
                // Judged once its report is here, like every rule: the step's key came with the reference data.
                if checksSignatures, StepVerification.needsSignature(change), existing.isReadyToApply(change) {
                    let key = try change.signature.flatMap { try signingKey($0.key) }
                    if key == nil, change.signature != nil, origin == .remote, !registersKeys { return .waiting(missing: []) }
                    do { try StepVerification.check(change, key: key) } catch let error as ReportSyncError {
                        return .rejected(error)
                    }
                }
                if origin == .remote, let admission, existing.isReadyToApply(change) {
                    do { try admission.admit(change, into: revealed(existing), policy: policy, lookup: revealedRecord) } catch let error as ReportSyncError {
                        return .rejected(error)
                    }
                }
                // Mutated in place in the cache: a copy would copy every array the record holds.
                let outcome = records[change.record]!.apply(change)
                if outcome == .duplicate { return .rejected(Self.reused(change.dot)) }
                guard outcome == .applied else { return outcome }
                // A refused redaction withdrew the text here only (its writer): put back what it alone withheld.
                if case .void(let marker) = change.payload, existing.redactions.contains(where: { $0.dot == marker.dot }) {
                    records[change.record] = records[change.record]!.restoring(try source.originals(of: existing))
                }
            } else if case .content(let write) = change.payload, write.creates {
                do {
                    if origin == .remote, let admission { try admission.admit(change, into: nil, policy: policy, lookup: revealedRecord) }
                    records[change.record] = try ReportRecord(creating: change)
                } catch let error as ReportSyncError {
                    return .rejected(error)
                }
            } else {
                return .waiting(missing: change.context.counters.map { Dot(replica: $0.key, counter: $0.value) }.sorted())
            }
            dirty.insert(change.record)
        }
        effects.logged.append(MergeEffects.Logged(change: change, body: body, origin: origin))
        loggedBodies[change.dot] = body
        if change.hlc > clock.last { try clock.observe(change.hlc, now: change.hlc.date, maxSkew: 0) }
        touched.insert(change.record)
        touchedSinceRound.insert(change.record)
        settled.remove(change.record)
        return .applied
    }

    /// Leaves the refusal of `dot` out of what this batch persists (a change given back to a central
    /// that lost it, refused here, must not hold its dot against the genuine one).
    public func forgetRefusal(of dot: Dot) {
        effects.refusals.removeAll { $0.change.dot == dot }
    }

    private func refuse(_ change: Change, body: String, _ error: ReportSyncError) -> ApplyOutcome {
        effects.refusals.append(MergeEffects.Refusal(change: change, body: body, error: error))
        return .rejected(error)
    }

    /// The refusal of a change whose dot was already used for another one.
    public static func reused(_ dot: Dot) -> ReportSyncError {
        ReportSyncError(
            .invalidInput,
            "dot \(dot) was already used for a different change: replica \(dot.replica) reuses its identity (restored from a backup?); it was not applied")
    }
}
