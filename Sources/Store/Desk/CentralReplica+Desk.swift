import Foundation
import GRDB
import SyncCore

/// The web desk's accounts, sessions and pages on the SQLite central (`DeskStore`).
extension CentralReplica {
    /// Sets `memberID`'s desk password hash (`syncd member password`); only the central office's own
    /// people may have one (`DeskAccount.mayUse`). A new password ends the member's wrong tries.
    public func setDeskPassword(member memberID: String, hash: String) throws {
        try replica.write { db in
            let member = try Replica.member(memberID, db)
            let bureau = try Meta.require(.unitID, db)
            guard DeskAccount.mayUse(member, bureau: bureau) else {
                throw ReportSyncError(
                    .forbidden,
                    "\(memberID) is a \(member.role.rawValue) of \(member.unit): only the central office's own editors, leaders and admins (unit \(bureau)) sign in to the desk")
            }
            try db.execute(
                sql: """
                    INSERT INTO desk_passwords (member, hash, set_at) VALUES (?, ?, ?)
                    ON CONFLICT(member) DO UPDATE SET hash = excluded.hash, set_at = excluded.set_at, failures = 0, retry_at = 0
                    """,
                arguments: [memberID, hash, replica.now().millisecondsSince1970])
            try removeDeskSessions(of: memberID, db)
        }
    }

    /// Ends every desk session of `memberID`: a changed password signs them out everywhere.
    func removeDeskSessions(of memberID: String, _ db: Database) throws {
        let rows = try Row.fetchAll(db, sql: "SELECT key_hash, value FROM desk_sessions")
        for row in rows where (try? JSONDecoder().decode(DeskSessionOwner.self, from: Data((row["value"] as String).utf8)))?.member == memberID {
            try db.execute(sql: "DELETE FROM desk_sessions WHERE key_hash = ?", arguments: [row["key_hash"] as String])
        }
    }

    /// Only the member of a session's JSON, to find a member's sessions.
    private struct DeskSessionOwner: Decodable {
        let member: String
    }
}

extension CentralReplica: DeskStore {
    public func beginDeskSignIn(member memberID: String) async throws -> DeskAccount {
        try await replica.background { [replica] in
            let at = replica.now()
            return try replica.write { db in
                let bureau = try Meta.require(.unitID, db)
                guard let member = try Member.fetchOne(db, key: memberID), DeskAccount.mayUse(member, bureau: bureau),
                    let row = try Row.fetchOne(
                        db, sql: "SELECT hash, failures, retry_at FROM desk_passwords WHERE member = ?", arguments: [memberID])
                else { throw DeskSignInRefusal(reason: .unknown) }
                let retryAt = Date(millisecondsSince1970: row["retry_at"])
                if at < retryAt { throw DeskSignInRefusal(reason: .wait(seconds: Int(retryAt.timeIntervalSince(at).rounded(.up)))) }
                let failures = (row["failures"] as Int) + 1
                try db.execute(
                    sql: "UPDATE desk_passwords SET failures = ?, retry_at = ? WHERE member = ?",
                    arguments: [failures, at.addingTimeInterval(PINLockout.delay(afterFailures: failures)).millisecondsSince1970, memberID])
                return DeskAccount(member: member, passwordHash: row["hash"])
            }
        }
    }

    public func deskSignInSucceeded(member: String) async throws {
        try await replica.background { [replica] in
            try replica.write { db in
                try db.execute(sql: "UPDATE desk_passwords SET failures = 0, retry_at = 0 WHERE member = ?", arguments: [member])
            }
        }
    }

    public func deskMember(_ id: String) async throws -> Member? {
        try await replica.background { [replica] in
            try replica.read { db in
                guard let member = try Member.fetchOne(db, key: id), DeskAccount.mayUse(member, bureau: try Meta.require(.unitID, db)),
                    try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM desk_passwords WHERE member = ?)", arguments: [id]) == true
                else { return nil }
                return member
            }
        }
    }

    public func deskSession(keyHash: String) async throws -> (value: String, expiresAt: Date?)? {
        try await replica.background { [replica] in
            let now = replica.now()
            return try replica.read { db -> (value: String, expiresAt: Date?)? in
                guard let row = try Row.fetchOne(db, sql: "SELECT value, expires_at FROM desk_sessions WHERE key_hash = ?", arguments: [keyHash])
                else { return nil }
                let expires = (row["expires_at"] as Int64?).map(Date.init(millisecondsSince1970:))
                if let expires, expires <= now { return nil }
                return (row["value"], expires)
            }
        }
    }

    public func saveDeskSession(keyHash: String, value: String, expiresAt: Date?) async throws {
        try await replica.background { [replica] in
            let now = replica.now()
            try replica.write { db in
                // Ended sessions go as new ones come: the table holds only what may still be used.
                try db.execute(sql: "DELETE FROM desk_sessions WHERE expires_at IS NOT NULL AND expires_at <= ?", arguments: [now.millisecondsSince1970])
                try db.execute(
                    sql: """
                        INSERT INTO desk_sessions (key_hash, value, expires_at) VALUES (?, ?, ?)
                        ON CONFLICT(key_hash) DO UPDATE SET value = excluded.value, expires_at = COALESCE(excluded.expires_at, expires_at)
                        """,
                    arguments: [keyHash, value, expiresAt?.millisecondsSince1970])
            }
        }
    }

    public func removeDeskSession(keyHash: String) async throws {
        try await replica.background { [replica] in
            try replica.write { db in try db.execute(sql: "DELETE FROM desk_sessions WHERE key_hash = ?", arguments: [keyHash]) }
        }
    }

    public func deskTimeZone() async throws -> TimeZone {
        try await replica.background { [replica] in
            TimeZone(identifier: try replica.policy().timeZone) ?? TimeZone(identifier: "UTC")!
        }
    }

    public func deskInbox(_ filter: DeskInboxFilter) async throws -> [DeskReport] {
        try await replica.background { [self] in
            let offNetwork = try offNetworkReports()
            let words = (filter.search ?? "").split(whereSeparator: \.isWhitespace).map(String.init)
            return try replica.reports(matching: ReportFilter(state: .received, category: filter.category, unit: filter.unit))
                .map { DeskReport(report: $0, offNetwork: offNetwork.contains($0.id)) }
                // A report off the network is found by its unit and category, never by its words.
                .filter { item in
                    words.isEmpty
                        || (!item.offNetwork && words.allSatisfy { item.report.content.title.contains($0) || item.report.content.body.contains($0) })
                }
                .sorted { a, b in
                    let urgent = (a.report.content.category == .emergency, b.report.content.category == .emergency)
                    if urgent.0 != urgent.1 { return urgent.0 }
                    return (a.report.updatedAt, a.report.id) < (b.report.updatedAt, b.report.id)
                }
        }
    }

    public func deskDeadlines() async throws -> [DeskDeadline] {
        try await replica.background { [self] in
            let offNetwork = try offNetworkReports()
            let states = try replica.read { db in
                Dictionary(
                    try Row.fetchAll(db, sql: "SELECT id, state FROM reports").map { ($0["id"] as String, $0["state"] as String) },
                    uniquingKeysWith: { a, _ in a })
            }
            return try replica.deadlines(now: replica.now())
                .filter { $0.status == .overdue || $0.status == .dueSoon }
                .map { deadline in
                    let state = states[deadline.report].flatMap(ApprovalState.init(rawValue:))
                    let shown = state.map { $0.hasLeftUnit && !offNetwork.contains(deadline.report) } ?? false
                    return DeskDeadline(deadline: deadline, reportShown: shown, isReport: state != nil)
                }
        }
    }

    public func deskReport(_ id: String) async throws -> (report: DeskReport, history: ReportHistory) {
        try await replica.background { [self] in
            let report = try replica.report(id)
            guard report.state.hasLeftUnit else {
                throw ReportSyncError(.notFound, "no report \(id) has been sent to the central office")
            }
            return (DeskReport(report: report, offNetwork: try offNetworkReports().contains(report.id)), try replica.history(of: report.id))
        }
    }

    public func deskPerform(
        _ action: WorkflowAction, on id: String, by member: String, pin: String, comment: String?, detail: StepDetail?
    ) async throws -> Report {
        try await replica.background { [self] in
            guard try replica.report(id).state.hasLeftUnit else {
                throw ReportSyncError(.notFound, "no report \(id) has been sent to the central office")
            }
            try replica.checkStep(action, on: id, by: member, comment: comment, detail: detail)
            let signer = try replica.unlockKey(of: member, pin: pin)
            return try replica.perform(action, on: id, as: signer, comment: comment, detail: detail)
        }
    }

    /// The ids of the reports kept off the network here (`OffNetworkSQL`).
    private func offNetworkReports() throws -> Set<String> {
        try replica.read { db in
            let barred = try Replica.offNetwork(db, at: replica.now())
            return Set(
                try String.fetchAll(
                    db, sql: "SELECT r.id FROM reports r LEFT JOIN reports f ON f.id = r.follow_up_of WHERE \(OffNetworkSQL.report(barred))"))
        }
    }
}
