import Foundation
import PostgresNIO
import Store
import SyncCore

/// A central on PostgreSQL answering the office's judgements (`OfficeSource`) from what it loaded: the
/// small tables (policy versions, units, members, solicitations) at once, the reports a question names
/// when a run first asks it. A run that asked something not loaded was answered as if nothing were
/// there and is thrown away; everything it missed is loaded in one go and the judgement runs again
/// (`PostgresCentral.judge`), as a push's merge does (`PreloadedMergeSource`).
final class PostgresOfficeSource: OfficeSource {
    /// A question about reports that is loaded when first asked.
    enum Question: Hashable {
        case candidates(OfficeCandidates)
        case every(unit: String?)
        case signed
        case answered
    }

    /// A report's row as the office reads it.
    struct FactsRow {
        let id: String
        let unit: String
        let digest: String
        let record: String
    }

    private let now: Date
    private let versions: [(effectiveFrom: String, body: String)]
    private let allUnits: [OrgUnit]
    private let allMembers: [Member]
    private let allSolicitations: [Solicitation]
    private var factsRows: [Question: [FactsRow]] = [:]
    private var signedRows: [PostgresRandomAccessRow]?
    private var answered: Set<String>?
    /// The questions this run asked that were not loaded.
    private(set) var missed: Set<Question> = []

    private init(now: Date, versions: [(effectiveFrom: String, body: String)], units: [OrgUnit], members: [Member], solicitations: [Solicitation]) {
        self.now = now
        self.versions = versions
        allUnits = units
        allMembers = members
        allSolicitations = solicitations
    }

    /// The central's small tables, read in the caller's snapshot.
    static func loading(_ db: PostgresDatabase, now: Date) async throws -> PostgresOfficeSource {
        var versions: [(effectiveFrom: String, body: String)] = []
        for row in try await db.randomAccessRows("SELECT effective_from, body FROM policy_versions") {
            versions.append((try row["effective_from"].decode(String.self), try row["body"].decode(String.self)))
        }
        let units = try await db.randomAccessRows("SELECT id, name, kind, parent, since FROM units ORDER BY id").compactMap { row -> OrgUnit? in
            guard let kind = UnitKind(rawValue: try row["kind"].decode(String.self)) else { return nil }
            return OrgUnit(
                id: try row["id"].decode(String.self), name: try row["name"].decode(String.self), kind: kind, parent: try row["parent"].decode(String?.self),
                since: try row["since"].decode(String?.self).flatMap(GRDBDate.date))
        }
        let members = try await db.randomAccessRows("SELECT id, name, unit, role, phone FROM members ORDER BY id").compactMap { row -> Member? in
            guard let role = Role(rawValue: try row["role"].decode(String.self)) else { return nil }
            return Member(
                id: try row["id"].decode(String.self), name: try row["name"].decode(String.self), unit: try row["unit"].decode(String.self), role: role,
                phone: try row["phone"].decode(String?.self))
        }
        let solicitations = try await db.rows("SELECT body FROM solicitations ORDER BY deadline, id", as: String.self).map {
            try JSONCoding.value(Solicitation.self, from: $0)
        }
        return PostgresOfficeSource(now: now, versions: versions, units: units, members: members, solicitations: solicitations)
    }

    /// Starts a run: forgets what the last one missed.
    func beginRun() { missed = [] }

    func currentPolicy() throws -> Policy { try policy(at: now) }
    func policy(at date: Date) throws -> Policy { try PolicyInForce.at(date, among: versions, decode: Replica.decodedPolicy) }
    func judgedUnits() throws -> [OrgUnit] { allUnits.filter { $0.kind != .centralOffice } }
    func units() throws -> [OrgUnit] { allUnits }
    func bureauName() throws -> String { allUnits.first { $0.kind == .centralOffice }?.name ?? "" }
    func members() throws -> [Member] { allMembers }
    func solicitations() throws -> [Solicitation] { allSolicitations }

    func reportFacts(_ candidates: OfficeCandidates, units: Set<String>?, policy: Policy) throws -> [ReportFacts] {
        try facts(.candidates(candidates), units: units, policy: policy)
    }

    func reportFacts(unit: String?, policy: Policy) throws -> [ReportFacts] {
        try facts(.every(unit: unit), units: nil, policy: policy)
    }

    private func facts(_ question: Question, units: Set<String>?, policy: Policy) throws -> [ReportFacts] {
        guard let rows = factsRows[question] else {
            missed.insert(question)
            return []
        }
        return try rows.filter { units?.contains($0.unit) ?? true }.map { row in try OfficeRows.facts(digest: row.digest, policy: policy) { row.record } }
    }

    func signedReports(units: Set<String>, policy: Policy) throws -> [SignedReport] {
        guard let signedRows else {
            missed.insert(.signed)
            return []
        }
        return try signedRows.compactMap { row in
            let unit = try row["unit"].decode(String.self)
            guard units.contains(unit) else { return nil }
            return OfficeRows.signed(
                id: try row["id"].decode(String.self), unit: unit, category: try row["category"].decode(String.self),
                title: try row["title"].decode(String.self), classification: try row["classification"].decode(String.self),
                severity: try row["severity"].decode(String?.self), signOff: try row["sign_off_at"].decode(Int64?.self),
                approved: try row["approved_at"].decode(Int64?.self), received: try row["received_at"].decode(Int64?.self),
                earliest: try row["earliest_at"].decode(Int64.self), latest: try row["latest_at"].decode(Int64.self), policy: policy)
        }
    }

    func answeredSolicitations() throws -> Set<String> {
        guard let answered else {
            missed.insert(.answered)
            return []
        }
        return answered
    }

    /// Loads the answers to `questions`, one query each.
    func load(_ questions: Set<Question>, _ db: PostgresDatabase) async throws {
        for question in questions {
            switch question {
            case .candidates(let candidates):
                guard let (sql, values) = candidates.query(.postgres, withRecord: true) else {
                    factsRows[question] = []
                    continue
                }
                factsRows[question] = try await Self.factsRows(sql, values.map(\.bound), db)
            case .every(let unit):
                let sql = "SELECT id, unit, digest, record FROM reports" + (unit == nil ? "" : " WHERE unit = $1")
                factsRows[question] = try await Self.factsRows(sql, unit.map { [$0] } ?? [], db)
            case .signed:
                signedRows = try await db.randomAccessRows(OfficeRows.signedQuery(.postgres))
            case .answered:
                answered = Set(
                    try await db.randomAccessRows(OfficeRows.answeredQuery(.postgres)).map { row in
                        (try row["solicitation"].decode(String.self)) + "/" + (try row["unit"].decode(String.self))
                    })
            }
        }
    }

    private static func factsRows(_ sql: String, _ values: [(any PostgresEncodable & Sendable)?], _ db: PostgresDatabase) async throws -> [FactsRow] {
        try await db.randomAccessRows(sql, values).map { row in
            FactsRow(
                id: try row["id"].decode(String.self), unit: try row["unit"].decode(String.self), digest: try row["digest"].decode(String.self),
                record: try row["record"].decode(String.self))
        }
    }
}

extension SQLArgument {
    /// The value as postgres-nio binds it.
    var bound: (any PostgresEncodable & Sendable)? {
        switch self {
        case .text(let text): text
        case .integer(let integer): integer
        }
    }
}

extension PostgresCentral {
    /// A bound that a judgement never reaches (each run loads strictly more): a guard, not a rule.
    static let maximumOfficeRuns = 20

    /// Runs `body` over the office's judgements of the central (`OfficeJudgement`: deadlines, scores,
    /// quotas, bulletins) in one snapshot of it: run again, after loading what it missed, until a run
    /// missed nothing; that run's result is returned.
    public static func judge<T: Sendable>(at address: PostgresAddress, _ body: (OfficeJudgement) throws -> T) async throws -> T {
        try await PostgresDatabase.with(address, migrating: false) { db in
            try await db.requireCentral()
            return try await db.transaction { db in
                try await db.run("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                let source = try await PostgresOfficeSource.loading(db, now: Date())
                for _ in 0..<maximumOfficeRuns {
                    source.beginRun()
                    let result = Result { try body(OfficeJudgement(source)) }
                    if source.missed.isEmpty { return try result.get() }
                    try await source.load(source.missed, db)
                }
                throw ReportSyncError(.storage, "the office's figures kept asking for more than could be loaded; try again")
            }
        }
    }
}
