import Foundation
import Store
import SyncCore

/// One write of a central on PostgreSQL: the merge engine over what was loaded for the batch
/// (`PreloadedMergeSource`), then what it decided written (`PostgresEffects`), as `ApplySession` does
/// for a SQLite file: the same engine, the same central settings, no second copy of any rule.
///
/// It runs inside the caller's transaction, after the caller took the feed's lock (`feed_head`,
/// `lockForWrite`), held to the commit: writers that log changes commit one after another, in the order
/// of their sequences, so no reader of the feed ever sees a sequence before every lower one is committed
/// (docs/postgres.md).
enum PostgresApply {
    /// A bound that a batch never reaches (each run loads strictly more): a guard, not a rule.
    static let maximumRuns = 1_000

    /// The runs a group of pushes may take (`PostgresPushGroups`): a group of first attempts needs one or
    /// two; one that needs more (a push releasing a long chain of waiting changes, each level one more
    /// load) is written push by push instead of merging every push of the group again at each level.
    static let groupRuns = 4

    /// A batch that needed more runs than it was allowed; nothing was written.
    struct TooManyRuns: Error {}

    /// Runs `body` on an engine for this batch, loading first what `changes` are sure to ask and then,
    /// after each run that asked for something not loaded (of the engine or of `ledger`), all of it at
    /// once and the batch again; lets `check` refuse what the complete run decided (throwing rolls the
    /// caller's transaction back), writes it, and returns `body`'s result. `state` is what the caller
    /// read when it took the feed's lock (`lockForWrite`).
    static func run<T>(
        _ db: PostgresDatabase, _ state: CentralState, now: Date, asking changes: [Change], ledger: PostgresLedger? = nil,
        runs: Int = maximumRuns, check: (MergeEffects) throws -> Void = { _ in }, _ body: (MergeEngine) throws -> T
    ) async throws -> T {
        precondition(!state.spent, "a central's state read under the feed's lock serves one write")
        let replicaID = try state.require(.replicaID)
        let counter = Int64(try state.require(.counter)) ?? 0
        let clock = HybridTimestamp(rawValue: Int64(try state.require(.hlc)) ?? 0)
        let policy = try state.policy(at: now)
        var preload = MergePreload()
        preload.hasWaiting = state.hasWaiting
        try await db.load(MergePreload.questions(for: changes), into: &preload)
        for _ in 0..<runs {
            let source = PreloadedMergeSource(preload)
            let engine = try MergeEngine(source: source, replicaID: replicaID, counter: counter, clock: clock, policy: policy, now: now)
            // The central's settings, as `ApplySession` sets them.
            engine.admission = PushedContentRules()
            engine.registersKeys = true
            ledger?.beginRun()
            let outcome: Result<(T, MergeEffects), any Error>
            do {
                let result = try body(engine)
                outcome = .success((result, try engine.finish()))
            } catch {
                outcome = .failure(error)
            }
            // A run that asked for anything not loaded decided on what it lacked: load it all and run again.
            let unanswered = source.missing.subtracting(preload)
            let facts = ledger?.missed ?? []
            if !unanswered.isEmpty || !facts.isEmpty {
                try await db.load(unanswered, into: &preload)
                try await ledger?.load(facts, db)
                continue
            }
            let (result, effects) = try outcome.get()
            try check(effects)
            try await db.write(effects, offNetwork: Secrecy.offNetwork(under: policy), state: state, now: now)
            state.spent = true
            if effects.counter > counter { db.issued.note(replica: replicaID, counter: effects.counter) }
            try await ledger?.writeBack(db)
            return result
        }
        if runs < maximumRuns { throw TooManyRuns() }
        throw ReportSyncError(.storage, "the merge of this batch kept asking for more than it could load; nothing was written")
    }
}

extension PostgresDatabase {
    /// Merges changes received from elsewhere in one transaction, as `Replica.receive` does on a file:
    /// one outcome per change, in order.
    public func receive(_ changes: [Change], now: Date = Date()) async throws -> [ApplyOutcome] {
        try await transaction { db in
            try await PostgresApply.run(db, try await db.lockForWrite(), now: now, asking: changes) { engine in try changes.map { try engine.offer($0) } }
        }
    }
}
