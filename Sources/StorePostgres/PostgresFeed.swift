import Foundation
import Store
import SyncCore

/// The central feed on PostgreSQL: a unit's changes after a reader's cursor, under the same condition as
/// the SQLite central (`CentralReplica.feedCondition`).
///
/// The feed never lets a reader pass a sequence whose transaction commits later: every writer takes its
/// sequences by updating the one row of `feed_head`, whose lock it holds to its commit, so writers
/// commit in the order of their sequences; a reader reads the head first (committed, so every lower
/// sequence is committed too) and then only rows up to it (docs/postgres.md, "Several servers").
extension PostgresDatabase {
    /// Takes the feed's lock for this transaction (a writer's first statement).
    func lockFeed() async throws {
        _ = try await rows("SELECT seq FROM feed_head FOR UPDATE", as: Int64.self)
    }

    /// The highest sequence whose transaction has committed.
    func feedHead() async throws -> Int64 {
        try await rows("SELECT seq FROM feed_head", as: Int64.self).first ?? 0
    }

    /// The next page of the feed for `unit`'s scope after `after`, at most `limit` changes (and, when a
    /// report came back on the network within the page, its changes from before the cursor).
    func feed(after: Int64, limit: Int, unit: String, now: Date) async throws -> FeedSlice {
        try await feed(after: after, limit: limit, scope: try await unitScope(of: unit).sorted(), includingSecret: false, now: now)
    }

    /// The next page of the feed for the units `scope` after `after`; the changes of reports kept off the
    /// network are left out unless `includingSecret` (for a bundle to the unit), as on a file.
    func feed(after: Int64, limit: Int, scope: [String], includingSecret: Bool, now: Date) async throws -> FeedSlice {
        let head = try await feedHead()
        let offNetwork = Secrecy.offNetwork(under: try await policy(at: now))
        let condition = CentralReplica.feedCondition(units: "unit = ANY($2)", offNetwork: includingSecret ? nil : offNetwork)
        let rows = try await randomAccessRows(
            "SELECT seq, body FROM changes WHERE seq > $1 AND seq <= $4 AND \(condition) ORDER BY seq LIMIT $3",
            [after, scope, Int64(limit + 1), head])
        var changes = try rows.prefix(limit).map { FeedSlice.Entry(seq: try $0["seq"].decode(Int64.self), body: try $0["body"].decode(String.self)) }
        let more = rows.count > limit
        let covered = more ? changes.last?.seq ?? after : max(after, head)
        // A report that came back on the network within this page brings its changes from before the
        // reader's cursor, which the feed left out while it was off (`Declassifications`).
        let declassifiedHere =
            try await self.rows("SELECT EXISTS (SELECT 1 FROM declassifications WHERE seq > $1 AND seq <= $2)", [after, covered], as: Bool.self)
            .first ?? false
        if after > 0, declassifiedHere {
            let earlier = try await randomAccessRows(
                """
                SELECT seq, body FROM changes WHERE seq <= $1 AND unit = ANY($2) AND \(Declassifications.between(after: "$1", covered: "$3"))
                  \(includingSecret ? "" : "AND NOT " + OffNetworkSQL.change(offNetwork)) ORDER BY seq
                """, [after, scope, covered])
            changes = try earlier.map { FeedSlice.Entry(seq: try $0["seq"].decode(Int64.self), body: try $0["body"].decode(String.self)) } + changes
        }
        return FeedSlice(changes: changes, covered: covered, more: more)
    }

    /// How many changes `unit`'s feed carries after `cursor`, counted up to `DevicePull.countLimit + 1`.
    func outgoing(after cursor: Int64, unit: String, now: Date) async throws -> Int {
        let scope = try await unitScope(of: unit).sorted()
        let condition = CentralReplica.feedCondition(units: "unit = ANY($2)", offNetwork: Secrecy.offNetwork(under: try await policy(at: now)))
        return try await rows(
            "SELECT COUNT(*)::bigint FROM (SELECT 1 FROM changes WHERE seq > $1 AND \(condition) LIMIT \(DevicePull.countLimit + 1)) AS page",
            [cursor, scope], as: Int.self
        ).first ?? 0
    }
}
