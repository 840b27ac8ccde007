import Foundation
import GRDB
import SyncCore

/// A replica file answering the office's judgements (`OfficeSource`) with its own reads.
struct ReplicaOfficeSource: OfficeSource {
    let replica: Replica

    func currentPolicy() throws -> Policy { try replica.policy() }
    func policy(at date: Date) throws -> Policy { try replica.policy(at: date) }
    func judgedUnits() throws -> [OrgUnit] { try replica.judgedUnits() }
    func units() throws -> [OrgUnit] { try replica.units() }
    func bureauName() throws -> String { try replica.units().first { $0.kind == .centralOffice }?.name ?? (try replica.identity().unit.name) }
    func members() throws -> [Member] { try replica.members() }
    func solicitations() throws -> [Solicitation] { try replica.solicitations() }
    func reportFacts(unit: String?, policy: Policy) throws -> [ReportFacts] { try replica.reportFacts(unit: unit, policy: policy) }

    func reportFacts(_ candidates: OfficeCandidates, units: Set<String>?, policy: Policy) throws -> [ReportFacts] {
        guard let (sql, values) = candidates.query(.sqlite) else { return [] }
        return try replica.read { db in
            try Replica.facts(Row.fetchCursor(db, sql: sql, arguments: StatementArguments(values.map(\.databaseValue))), units: units, policy: policy, db)
        }
    }

    func signedReports(units: Set<String>, policy: Policy) throws -> [SignedReport] {
        try replica.read { db in
            let rows = try Row.fetchCursor(db, sql: OfficeRows.signedQuery(.sqlite))
            var signed: [SignedReport] = []
            while let row = try rows.next() {
                guard units.contains(row["unit"]),
                    let report = OfficeRows.signed(
                        id: row["id"], unit: row["unit"], category: row["category"], title: row["title"], classification: row["classification"],
                        severity: row["severity"], signOff: row["sign_off_at"], approved: row["approved_at"], received: row["received_at"],
                        earliest: row["earliest_at"], latest: row["latest_at"], policy: policy)
                else { continue }
                signed.append(report)
            }
            return signed
        }
    }

    func answeredSolicitations() throws -> Set<String> {
        try replica.read { db in
            Set(try Row.fetchAll(db, sql: OfficeRows.answeredQuery(.sqlite)).map { ($0["solicitation"] as String) + "/" + ($0["unit"] as String) })
        }
    }
}

extension SQLArgument {
    /// The value as GRDB binds it.
    var databaseValue: DatabaseValue {
        switch self {
        case .text(let text): text.databaseValue
        case .integer(let integer): integer.databaseValue
        }
    }
}
