import Foundation
import Store
import StorePostgres
import SyncCore
import Testing
import TestSupport

/// The merge engine on PostgreSQL (`PostgresApply`) against the SQLite central it must match: the same
/// bureau's log, cut into random batches in random order (so changes wait for their causes, are refused,
/// sent twice), received by a SQLite central and by its copy on PostgreSQL. After every batch the two
/// answer alike and hold the same rows in every table; at the end the office judges them alike.
@Suite("The merge engine on PostgreSQL")
struct PostgresApplyTests {
    @Test("a central on PostgreSQL takes a bureau's log in random batches exactly as its SQLite twin does", arguments: [11, 12, 13])
    func sameAsSQLite(seed: UInt64) async throws {
        let log = try Self.bureauLog(seed: seed)
        let now = Date(millisecondsSince1970: (log.map(\.hlc.wallMilliseconds).max() ?? 0) + 3_600_000)
        let directory = try StoreFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let sqlite = try CentralReplica.create(
            at: directory.appendingPathComponent("twin.sqlite").path, bureau: OrgUnit(id: "bureau", name: "某某局", kind: .centralOffice),
            now: { now })
        let address = try await TestPostgres.freshDatabase()
        _ = try await CentralMigration.copy(from: sqlite, to: address, newEpoch: false)

        var rng = SplitMix64(seed: seed)
        var remaining = log
        var batches = 0
        var (waited, refused) = (0, 0)
        while !remaining.isEmpty {
            // A batch: a few changes from anywhere in what is left, now and then one sent twice.
            var batch: [Change] = []
            for _ in 0..<min(remaining.count, 1 + rng.below(12)) { batch.append(remaining.remove(at: rng.below(remaining.count))) }
            if rng.below(5) == 0, let again = log.randomElement(using: &rng) { batch.append(again) }
            let expected = try sqlite.replica.receive(batch)
            let outcomes = try await PostgresDatabase.with(address) { try await $0.receive(batch, now: now) }
            #expect(outcomes == expected, "batch \(batches)")
            for outcome in expected {
                if case .waiting = outcome { waited += 1 }
                if case .rejected = outcome { refused += 1 }
            }
            batches += 1
            if batches % 5 == 0 || remaining.isEmpty { try await Self.expectSameTables(sqlite, address, "after batch \(batches)") }
        }
        let digest = try await PostgresDatabase.with(address) { try await $0.digest() }
        #expect(digest == (try sqlite.replica.digest()))
        // The batches exercised what they are for: changes waiting for their causes, and refusals.
        #expect(waited > 0 && refused > 0)
        try await Self.expectSameJudgements(sqlite, address, now: now)
    }

    /// The office's judgements of the two centrals agree: every unit's scorecard and every person's score
    /// for this month and the last, and every deadline (and the open ones) now.
    static func expectSameJudgements(_ sqlite: CentralReplica, _ address: PostgresAddress, now: Date) async throws {
        let month = Period.month(containing: now, in: WorkingCalendar(policy: try sqlite.replica.policy()).timeZone)
        for period in [month, month.previousMonth] {
            let cards = try await PostgresCentral.judge(at: address) { try $0.scorecards(period: period, now: now) }
            #expect(cards == (try sqlite.replica.scorecards(period: period, now: now)), "scorecards of \(period)")
            let people = try await PostgresCentral.judge(at: address) { try $0.personScores(period: period, now: now) }
            #expect(people == (try sqlite.replica.personScores(period: period, now: now)), "people's scores of \(period)")
            #expect(!cards.isEmpty && !people.isEmpty)
        }
        for openOnly in [false, true] {
            let deadlines = try await PostgresCentral.judge(at: address) { try $0.deadlines(now: now, openOnly: openOnly) }
            #expect(deadlines == (try sqlite.replica.deadlines(now: now, openOnly: openOnly)), "deadlines, open only: \(openOnly)")
            #expect(!deadlines.isEmpty || openOnly)
        }
    }

    /// The log of a simulated bureau's central after a run of random work, in the order it was applied.
    static func bureauLog(seed: UInt64) throws -> [Change] {
        let simulation = try BureauSimulation(seed: seed, fields: 3, onDisk: false)
        for _ in 0..<400 { try simulation.step() }
        simulation.declassifyEverything()
        try simulation.settle()
        let log = try simulation.central.replica.changes(limit: 100_000).map(\.change)
        // The unit renamed later by an office replica: a definition that stands over the first (the unit
        // keeps the first one's stamp as its `since`).
        let later = (log.map(\.hlc.wallMilliseconds).max() ?? 0) + 60_000
        let renamed = OrgUnit(id: BureauSimulation.unit, name: "第三中队（新）", kind: .squad, parent: "bureau")
        let rename = Change(
            dot: Dot(replica: "office-renamer", counter: 1), hlc: HybridTimestamp(wallMilliseconds: later, logical: 0),
            record: ReferenceRecord.id(of: .unit(renamed)) ?? "", unit: renamed.id, actor: "office-renamer", context: VersionVector(),
            payload: .unit(renamed))
        // A change written again under a dot already used, with other text: whichever comes second is refused.
        var reused = log.first { if case .content(let write) = $0.payload { !write.creates } else { false } }
        if case .content(var write)? = reused?.payload {
            write.fields["title"] = "\"同一个点，另一段文字\""
            reused?.payload = .content(write)
        }
        return log + [rename] + (reused.map { [$0] } ?? [])
    }

    /// Every table of the SQLite central and of its PostgreSQL copy holds the same rows (as JSON objects,
    /// in any order), but for what only the file has (`file_identity`).
    static func expectSameTables(_ sqlite: CentralReplica, _ address: PostgresAddress, _ when: String) async throws {
        let tables = try ReplicaTables(sqlite.replica)
        for shape in try tables.shapes() {
            let fileRows = try rowSet(try tables.page(of: shape, after: nil, limit: 1_000_000).json, dropping: shape.name)
            let copyJSON = try await PostgresDatabase.with(address) { db in
                try await db.rows("SELECT COALESCE(json_agg(t), '[]')::text FROM \"\(shape.name)\" t", as: String.self).first ?? "[]"
            }
            let copyRows = try rowSet(copyJSON, dropping: shape.name)
            #expect(copyRows == fileRows, "\(shape.name), \(when)")
        }
    }

    /// The rows of a JSON array as sorted canonical strings, less what only a file has.
    private static func rowSet(_ json: String, dropping table: String) throws -> [String] {
        let rows = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]] ?? []
        return try rows.filter { table != "replica_meta" || ($0["key"] as? String) != "file_identity" }.map {
            String(decoding: try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]), as: UTF8.self)
        }.sorted()
    }
}
