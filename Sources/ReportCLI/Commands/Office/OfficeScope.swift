import Store
import StorePostgres
import SyncCore

/// The office's figures (deadlines, scores, quotas, bulletins) asked of a replica that is not the central:
/// they are right for that unit alone, so the person is told on stderr which replica answered.
enum OfficeScope {
    /// Opens the replica `global` names and, unless it is the central, notes on stderr whose figures these are.
    static func openReplica(_ global: GlobalOptions, in context: CommandContext) throws -> Replica {
        let replica = try global.openReplica(in: context)
        if try replica.role() != .central {
            let unit = try replica.identity().unit.id
            context.printError(
                "note: \(try global.databasePath(in: context)) is \(unit)'s own replica, so these figures cover \(unit) only; the bureau's are on the central (--db central.sqlite)")
        }
        return replica
    }

    /// Runs `body` over the office's judgements of the store `global` names: a replica file (noting
    /// whose figures they are), or a central on PostgreSQL (run again there until it missed nothing).
    static func judge<T: Sendable>(_ global: GlobalOptions, in context: CommandContext, _ body: (OfficeJudgement) throws -> T) async throws -> T {
        if let central = try global.postgres(in: context) { return try await PostgresCentral.judge(at: central, body) }
        return try body(try openReplica(global, in: context).office)
    }
}
