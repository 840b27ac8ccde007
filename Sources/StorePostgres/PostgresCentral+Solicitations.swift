import Foundation
import PostgresNIO
import Store
import SyncCore

/// Solicitations (约稿) at a central on PostgreSQL (`report-cli solicit new|list|remind` with `--db
/// postgres://…`): issued and chased by the same checks as on a file (`Replica.issueSolicitation`,
/// `Replica.remind`), written by the same engine under the feed's lock.
extension PostgresCentral {
    /// Issues a solicitation to each of `units` as `actorID`; returns one per unit.
    public static func solicit(
        topic: String, units: [String], deadline: Date, contact: String, format: String?, purpose: String?, by actorID: String,
        at address: PostgresAddress
    ) async throws -> [Solicitation] {
        try await write(at: address) { db, state, now in
            let known = Set(try await db.rows("SELECT id FROM units", as: String.self))
            // Made before the engine runs: a run taken again writes the same one.
            let id = UUIDv7.make(at: now)
            let ledger = try await PostgresLedger.loading(for: [], unit: try state.require(.unitID), now: now, state, db)
            return try await PostgresApply.run(db, state, now: now, asking: [], ledger: ledger) { engine in
                guard let actor = try ledger.member(actorID) else { throw Replica.unknownMember(actorID) }
                return try Replica.issueSolicitation(
                    topic: topic, units: units, deadline: deadline, contact: contact, format: format, purpose: purpose, by: actor, at: .central,
                    knownUnits: known, id: id, engine: engine)
            }
        }
    }

    /// Chases `unit` for its answer to the solicitation whose id starts with `idOrPrefix`, as `actorID`.
    public static func remind(
        _ idOrPrefix: String, unit: String, note: String?, by actorID: String, at address: PostgresAddress
    ) async throws -> SolicitationReminder {
        try await write(at: address) { db, state, now in
            let solicitation = try await db.solicitation(idOrPrefix, unit: unit)
            let answer = try await db.rows(Replica.sentAnswerQuery(.postgres), [unit, solicitation.id], as: String.self).first
            let id = UUIDv7.make(at: now)
            let ledger = try await PostgresLedger.loading(for: [], unit: try state.require(.unitID), now: now, state, db)
            return try await PostgresApply.run(db, state, now: now, asking: [], ledger: ledger) { engine in
                guard let actor = try ledger.member(actorID) else { throw Replica.unknownMember(actorID) }
                return try Replica.remind(solicitation, unit: unit, note: note, by: actor, answeredBy: answer, at: .central, id: id, engine: engine)
            }
        }
    }

    /// Every solicitation (of `unit` only when given) by deadline, each unit's answers to it (`id/unit`),
    /// and the reminders sent, oldest first: what `report-cli solicit list` shows.
    public static func solicitations(
        unit: String?, at address: PostgresAddress
    ) async throws -> (solicitations: [Solicitation], answers: [String: [Report]], reminders: [SolicitationReminder]) {
        try await PostgresDatabase.with(address, migrating: false) { db in
            try await db.requireCentral()
            let filter = unit == nil ? "" : " WHERE unit = $1"
            let values: [(any PostgresEncodable & Sendable)?] = unit.map { [$0] } ?? []
            let list = try await db.rows("SELECT body FROM solicitations\(filter) ORDER BY deadline, id", values, as: String.self).map {
                try JSONCoding.value(Solicitation.self, from: $0)
            }
            let answered = try await db.randomAccessRows(
                "SELECT \(ReportRows.columns) FROM reports WHERE \(SQLDialect.postgres.jsonText("content", "solicitation")) IS NOT NULL ORDER BY \(ReportFilter.order)")
            let answers = Dictionary(grouping: try answered.map(PostgresDatabase.report)) { "\($0.content.solicitation ?? "")/\($0.unit)" }
            let reminders = try await db.rows(
                "SELECT body FROM changes WHERE kind = '\(RecordKind.reminder.rawValue)'\(unit == nil ? "" : " AND unit = $1") ORDER BY seq", values,
                as: String.self
            ).compactMap { body -> SolicitationReminder? in
                guard case .reminder(let reminder) = try JSONCoding.value(Change.self, from: body).payload else { return nil }
                return reminder
            }
            return (list, answers, reminders)
        }
    }

    /// Runs `body` in one transaction under the feed's lock, with the central's state and the time of the write.
    static func write<T: Sendable>(
        at address: PostgresAddress, _ body: (PostgresDatabase, CentralState, Date) async throws -> T
    ) async throws -> T {
        try await PostgresDatabase.with(address, migrating: false) { db in
            try await db.requireCentral()
            return try await db.transaction { db in try await body(db, try await db.lockForWrite(), Date()) }
        }
    }
}

extension PostgresDatabase {
    /// The solicitation to `unit` whose id starts with `prefix` (`Replica.resolveSolicitation`).
    fileprivate func solicitation(_ prefix: String, unit: String) async throws -> Solicitation {
        guard !prefix.isEmpty else { throw Replica.noSolicitationGiven }
        let ids = try await rows(
            "SELECT id FROM solicitations WHERE unit = $1 AND id >= $2 AND id < $3 AND starts_with(id, $2) ORDER BY id LIMIT 2",
            [unit, prefix, prefix + "\u{10FFFF}"], as: String.self)
        let id = try Replica.resolveSolicitation(prefix, unit: unit, among: ids)
        let body = try await rows("SELECT body FROM solicitations WHERE id = $1 AND unit = $2", [id, unit], as: String.self).first ?? ""
        return try JSONCoding.value(Solicitation.self, from: body)
    }
}
