import Foundation
import Store
import SyncCore

/// One write of a central on PostgreSQL: the merge engine over what was loaded for the batch
/// (`PreloadedMergeSource`), then what it decided written (`PostgresEffects`), as `ApplySession` does
/// for a SQLite file: the same engine, the same central settings, no second copy of any rule.
///
/// It runs inside the caller's transaction and first takes the feed's lock (`feed_head`), held to the
/// commit: writers that log changes commit one after another, in the order of their sequences, so no
/// reader of the feed ever sees a sequence before every lower one is committed (docs/postgres.md).
enum PostgresApply {
    /// A bound that a batch never reaches (each run loads strictly more): a guard, not a rule.
    static let maximumRuns = 1_000

    /// Runs `body` on an engine for this batch, loading first what `changes` are sure to ask and then,
    /// after each run that asked for something not loaded (of the engine or of `ledger`), all of it at
    /// once and the batch again; lets `check` refuse what the complete run decided (throwing rolls the
    /// caller's transaction back), writes it, and returns `body`'s result.
    static func run<T>(
        _ db: PostgresDatabase, now: Date, asking changes: [Change], ledger: PostgresLedger? = nil,
        check: (MergeEffects) throws -> Void = { _ in }, _ body: (MergeEngine) throws -> T
    ) async throws -> T {
        try await db.lockFeed()
        guard try await db.meta(.replicaRole) == ReplicaRole.central.rawValue else {
            throw ReportSyncError(.invalidInput, "the PostgreSQL database at \(db.address) holds no central: make one with syncd init --db URL, or copy one in with syncd migrate")
        }
        let replicaID = try await db.requireMeta(.replicaID)
        let counter = Int64(try await db.requireMeta(.counter)) ?? 0
        let clock = HybridTimestamp(rawValue: Int64(try await db.requireMeta(.hlc)) ?? 0)
        let policy = try await db.policy(at: now)
        var preload = MergePreload()
        preload.hasWaiting = try await db.rows("SELECT EXISTS (SELECT 1 FROM pending_changes)", as: Bool.self).first ?? false
        try await db.load(MergePreload.questions(for: changes), into: &preload)
        for _ in 0..<maximumRuns {
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
            try await db.write(effects, offNetwork: Secrecy.offNetwork(under: policy), now: now)
            try await ledger?.writeBack(db)
            return result
        }
        throw ReportSyncError(.storage, "the merge of this batch kept asking for more than it could load; nothing was written")
    }
}

extension PostgresDatabase {
    /// Merges changes received from elsewhere in one transaction, as `Replica.receive` does on a file:
    /// one outcome per change, in order.
    public func receive(_ changes: [Change], now: Date = Date()) async throws -> [ApplyOutcome] {
        try await transaction { db in
            try await PostgresApply.run(db, now: now, asking: changes) { engine in try changes.map { try engine.offer($0) } }
        }
    }
}
