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
                    ON CONFLICT(member) DO UPDATE SET hash = excluded.hash, set_at = excluded.set_at
                    """,
                arguments: [memberID, hash, replica.now().millisecondsSince1970])
            try db.execute(sql: "DELETE FROM desk_signin_tries WHERE name = ?", arguments: [memberID])
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
    public func beginDeskSignIn(member name: String) async throws -> DeskAccount {
        try await replica.background { [replica] in
            let at = replica.now()
            // The count is written even when the name is unknown: the refusal is thrown after the commit.
            let account: DeskAccount? = try replica.write { db in
                // Every try is counted by the name typed before anything is checked, whether a member has
                // that name or not: the waits then say nothing about which names exist.
                let tries = try Row.fetchOne(db, sql: "SELECT failures, retry_at FROM desk_signin_tries WHERE name = ?", arguments: [name])
                let retryAt = Date(millisecondsSince1970: tries?["retry_at"] ?? 0)
                if at < retryAt { throw DeskSignInRefusal(reason: .wait(seconds: Int(retryAt.timeIntervalSince(at).rounded(.up)))) }
                let failures = (tries?["failures"] as Int? ?? 0) + 1
                // Names nobody typed for a day are forgotten, so random names do not fill the file.
                try db.execute(
                    sql: "DELETE FROM desk_signin_tries WHERE tried_at < ?", arguments: [at.addingTimeInterval(-86_400).millisecondsSince1970])
                try db.execute(
                    sql: """
                        INSERT INTO desk_signin_tries (name, failures, retry_at, tried_at) VALUES (?, ?, ?, ?)
                        ON CONFLICT(name) DO UPDATE SET failures = excluded.failures, retry_at = excluded.retry_at, tried_at = excluded.tried_at
                        """,
                    arguments: [
                        name, failures, at.addingTimeInterval(PINLockout.delay(afterFailures: failures)).millisecondsSince1970,
                        at.millisecondsSince1970,
                    ])
                let bureau = try Meta.require(.unitID, db)
                guard let member = try Member.fetchOne(db, key: name), DeskAccount.mayUse(member, bureau: bureau),
                    let hash = try String.fetchOne(db, sql: "SELECT hash FROM desk_passwords WHERE member = ?", arguments: [name])
                else { return nil }
                return DeskAccount(member: member, passwordHash: hash)
            }
            guard let account else { throw DeskSignInRefusal(reason: .unknown) }
            return account
        }
    }

    public func deskSignInSucceeded(member: String) async throws {
        try await replica.background { [replica] in
            try replica.write { db in try db.execute(sql: "DELETE FROM desk_signin_tries WHERE name = ?", arguments: [member]) }
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
        try await replica.background { [self] in try bureauTimeZone() }
    }

    /// The bureau's time zone, the policy's.
    private func bureauTimeZone() throws -> TimeZone {
        TimeZone(identifier: try replica.policy().timeZone) ?? TimeZone(identifier: "UTC")!
    }

    public func deskInbox(_ filter: DeskInboxFilter) async throws -> DeskInboxPage {
        try await replica.background { [self] in
            guard filter.state.hasLeftUnit else { return DeskInboxPage(reports: [], total: 0, page: 0) }
            let offNetwork = try offNetworkReports()
            let timeZone = try bureauTimeZone()
            var (clauses, values) = ReportFilter(state: filter.state, category: filter.category, unit: filter.unit).conditions { _ in "?" }
            var arguments = StatementArguments(values)
            if let period = filter.period {
                clauses.append("sign_off_at >= ? AND sign_off_at < ?")
                arguments += [period.start(in: timeZone).millisecondsSince1970, period.end(in: timeZone).millisecondsSince1970]
            }
            // A report whose text is not shown is found by its unit and category, never by its words.
            let words = (filter.search ?? "").split(whereSeparator: \.isWhitespace).map(String.init)
            for word in words {
                clauses.append("(instr(title, ?) > 0 OR instr(json_extract(content, '$.body'), ?) > 0)")
                arguments += [word, word]
            }
            // Emergencies first; then the longest waiting, or for decided reports the latest decided.
            let order = filter.state == .received || filter.state == .signed ? "ASC" : "DESC"
            let sql = """
                SELECT id, unit, content, state, drafter, version, content_replica, content_counter, created_at, updated_at, last_comment
                FROM reports WHERE \(clauses.joined(separator: " AND "))
                ORDER BY category = 'emergency' DESC, updated_at \(order), id \(order)
                """
            let shown = { (report: Report) throws -> DeskReport? in
                let visibility = try self.storedVisibility(of: report.id, offNetwork: offNetwork).visibility ?? .revisedInUnit
                return words.isEmpty || visibility.showsText ? DeskReport(report: report, visibility: visibility) : nil
            }
            if !words.isEmpty {
                // Few reports match words: all are read, and those whose text is withheld are left out.
                let found = try replica.read { db in try Row.fetchAll(db, sql: sql, arguments: arguments).map(ReportRows.decode) }.compactMap(shown)
                let page = DeskPaging.shown(filter.page, of: found.count, size: DeskInboxPage.size)
                return DeskInboxPage(
                    reports: Array(found.dropFirst(page * DeskInboxPage.size).prefix(DeskInboxPage.size)), total: found.count, page: page)
            }
            let (reports, total, page) = try replica.read { db in
                let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM reports WHERE \(clauses.joined(separator: " AND "))", arguments: arguments) ?? 0
                let page = DeskPaging.shown(filter.page, of: total, size: DeskInboxPage.size)
                let rows = try Row.fetchAll(db, sql: sql + " LIMIT \(DeskInboxPage.size) OFFSET \(page * DeskInboxPage.size)", arguments: arguments)
                return (try rows.map(ReportRows.decode), total, page)
            }
            return DeskInboxPage(reports: try reports.compactMap(shown), total: total, page: page)
        }
    }

    public func deskDeadlines(unit: String?, rule: String?, page: Int) async throws -> DeskDeadlines {
        try await replica.background { [self] in
            let open = try replica.deadlines(now: replica.now(), openOnly: true)
            let tallies = Dictionary(grouping: open) { [$0.unit, $0.rule] }.map { key, items in
                DeskDeadlines.Tally(
                    unit: key[0], rule: key[1], overdue: items.filter { $0.status == .overdue }.count,
                    dueSoon: items.filter { $0.status == .dueSoon }.count)
            }.sorted { ($0.unit, $0.rule) < ($1.unit, $1.rule) }
            let found = open.filter { (unit == nil || $0.unit == unit) && (rule == nil || $0.rule == rule) }
            let page = DeskPaging.shown(page, of: found.count, size: DeskDeadlines.pageSize)
            // Only the page's reports are looked up: what the desk may show of each.
            let offNetwork = try offNetworkReports()
            let items = try found.dropFirst(page * DeskDeadlines.pageSize).prefix(DeskDeadlines.pageSize).map { deadline in
                let (isReport, visibility) = try storedVisibility(of: deadline.report, offNetwork: offNetwork)
                return DeskDeadline(deadline: deadline, visibility: visibility, isReport: isReport)
            }
            return DeskDeadlines(tallies: tallies, items: items, total: found.count, page: page)
        }
    }

    public func deskDevices() async throws -> [DeskDevice] {
        try await replica.background { [self] in
            // One line per device: its latest enrolment (the list comes newest first).
            var seen: Set<String> = []
            let enrollments = try enrollments().filter { seen.insert($0.device).inserted }
            let offNetwork = try offNetworkReports()
            let pulls = try enrollments.map { try pull(of: $0.device, unit: $0.unit) }
            return try replica.read { db in
                try zip(enrollments, pulls).map { enrollment, pull in
                    let waiting = try Int.fetchOne(
                        db,
                        sql: "SELECT COUNT(*) FROM pending_changes p JOIN device_replicas d ON d.replica = p.replica WHERE d.device = ?",
                        arguments: [enrollment.device]) ?? 0
                    let refused = try Int.fetchOne(
                        db,
                        sql: "SELECT COUNT(*) FROM rejected_changes r JOIN device_replicas d ON d.replica = r.replica WHERE d.device = ?",
                        arguments: [enrollment.device]) ?? 0
                    let refusals = try Row.fetchAll(
                        db,
                        sql: """
                            SELECT r.replica, r.counter, r.record, r.reason, r.rejected_at FROM rejected_changes r
                            JOIN device_replicas d ON d.replica = r.replica WHERE d.device = ?
                            ORDER BY r.rejected_at DESC LIMIT ?
                            """,
                        arguments: [enrollment.device, DeskDevice.shownRefusals]
                    ).map { row in
                        // A report still in its unit is not named: its id is not the desk's to give away.
                        let id: String = row["record"]
                        let named = try Self.storedRecord(id, db).flatMap { Self.visibility(of: $0, offNetwork: offNetwork) } != nil
                        return DeskDevice.Refusal(
                            dot: "\(row["replica"] as String):\(row["counter"] as Int64)", report: named ? id : nil, reason: row["reason"],
                            at: Date(millisecondsSince1970: row["rejected_at"]))
                    }
                    return DeskDevice(enrollment: enrollment, pull: pull, waiting: waiting, refused: refused, refusals: refusals)
                }
                .sorted { ($0.enrollment.lastSeenAt ?? .distantPast) > ($1.enrollment.lastSeenAt ?? .distantPast) }
            }
        }
    }

    public func deskScores(_ period: Period?) async throws -> DeskScores {
        try await replica.background { [self] in
            let now = replica.now()
            let timeZone = try bureauTimeZone()
            let period = period ?? Period.month(containing: now, in: timeZone)
            let bureau = try replica.units().first { $0.kind == .centralOffice }?.name ?? (try replica.identity().unit.name)
            let offNetwork = try offNetworkReports()
            let scored = try replica.scorecards(period: period, now: now)
            let subjects = Set(scored.flatMap { $0.lines.compactMap(\.report) + $0.named.map(\.subject) })
            var titles: [String: String] = [:]
            var linkable: Set<String> = []
            var standIns: [String: String] = [:]
            for id in subjects {
                let (exists, visibility) = try storedVisibility(of: id, offNetwork: offNetwork)
                guard exists else { continue }
                guard let visibility else {
                    (titles[id], standIns[id]) = (DeskReport.unsentTitle, DeskReport.unsentTitle)
                    continue
                }
                linkable.insert(id)
                standIns[id] = visibility.standInTitle
                titles[id] = try visibility.standInTitle ?? storedTitle(of: id) ?? id
            }
            // A named report the desk may not show is named as its pages name it: never by an unsent title.
            let cards = scored.map { card in card.retitlingNamedItems { standIns[$0.subject] } }
            return DeskScores(bureau: bureau, period: period, cards: cards, timeZone: timeZone, reportTitles: titles, linkable: linkable)
        }
    }

    public func deskSolicitations() async throws -> [DeskSolicitation] {
        try await replica.background { [self] in
            let policy = try replica.policy()
            let offNetwork = try offNetworkReports()
            // The reports that answer a solicitation, first written first, by solicitation and unit.
            let answering = try replica.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT id, unit, json_extract(content, '$.solicitation') AS solicitation FROM reports
                        WHERE json_extract(content, '$.solicitation') IS NOT NULL ORDER BY created_at
                        """)
            }.reduce(into: [String: [String]]()) { found, row in
                found[(row["solicitation"] as String) + "/" + (row["unit"] as String), default: []].append(row["id"])
            }
            let byID = Dictionary(grouping: try replica.solicitations(), by: \.id)
            let reminders = Dictionary(grouping: try replica.reminders(), by: \.solicitation)
            return try byID.values.compactMap { copies -> DeskSolicitation? in
                guard let first = copies.first else { return nil }
                let answers = try copies.sorted { $0.unit < $1.unit }.map { copy -> (unit: String, answer: DeskSolicitation.Answer) in
                    (copy.unit, try answer(to: copy, from: answering[copy.id + "/" + copy.unit] ?? [], policy: policy, offNetwork: offNetwork))
                }
                return DeskSolicitation(
                    id: first.id, topic: first.topic, deadline: first.deadline, contact: first.contact, issuedBy: first.issuedBy, answers: answers,
                    reminders: Dictionary(grouping: reminders[first.id] ?? [], by: \.unit))
            }
            .sorted { ($0.deadline, $0.id) > ($1.deadline, $1.id) }
        }
    }

    /// Where a unit stands on its copy of a solicitation, judged as the bulletin judges it: an answer
    /// counts from its sign-off, on time when signed off by the deadline.
    private func answer(
        to copy: Solicitation, from reports: [String], policy: Policy, offNetwork: Set<String>
    ) throws -> DeskSolicitation.Answer {
        var returned: String?
        for id in reports {
            let record = try replica.record(id)
            guard let visibility = Self.visibility(of: record, offNetwork: offNetwork) else { continue }
            if record.state == .returned || visibility == .revisedInUnit {
                returned = returned ?? id
                continue
            }
            let signedAt = try ReportFacts(record: record, policy: policy).signedAt
            return .delivered(report: id, late: signedAt.map { $0 > copy.deadline } ?? false)
        }
        if let returned { return .returned(report: returned) }
        if let declined = copy.declined { return .declined(reason: declined.reason, by: declined.by) }
        return .waiting
    }

    public func deskRemind(solicitation: String, unit: String, note: String?, by member: String) async throws {
        try await replica.background { [replica] in
            // A whole id only: a form names the solicitation it was drawn for.
            guard try replica.solicitations(unit: unit).contains(where: { $0.id == solicitation }) else {
                throw ReportSyncError(.notFound, "no solicitation \(Identifier.shown(solicitation)) to unit \(Identifier.shown(unit))")
            }
            _ = try replica.remind(solicitation, unit: unit, note: note, by: member)
        }
    }

    public func deskSolicit(topic: String, units: [String], deadline: Date, contact: String, by member: String) async throws {
        try await replica.background { [replica] in
            // Only the units the office judges, each once: what the form offers, whatever a crafted form sends.
            let judged = Set(try replica.judgedUnits().map(\.id))
            var asked: [String] = []
            for unit in units where !asked.contains(unit) {
                guard judged.contains(unit) else {
                    throw ReportSyncError(.invalidInput, "unit \(Identifier.shown(unit)) is not one the central office asks")
                }
                asked.append(unit)
            }
            _ = try replica.solicit(topic: topic, units: asked, deadline: deadline, contact: contact, by: member)
        }
    }

    public func deskUnits() async throws -> [OrgUnit] {
        try await replica.background { [replica] in try replica.judgedUnits() }
    }

    public func deskDirectory() async throws -> DeskDirectory {
        try await replica.background { [self] in
            let withPassword = Set(try replica.read { db in try String.fetchAll(db, sql: "SELECT member FROM desk_passwords") })
            let bureau = try replica.read { db in try Meta.require(.unitID, db) }
            let people = try replica.members().map { member in
                DeskDirectory.Person(
                    member: member, hasKey: try replica.keys(of: member.id).contains { $0.status == .active },
                    hasDeskPassword: withPassword.contains(member.id), mayUseDesk: DeskAccount.mayUse(member, bureau: bureau))
            }
            return DeskDirectory(
                units: try replica.units(), people: people, devices: try enrollments(),
                unitKinds: try replica.policy().knownUnitKinds.filter { $0 != .centralOffice })
        }
    }

    public func deskChain(of id: String) async throws -> [DeskReport] {
        try await replica.background { [self] in
            let (record, _) = try sentRecord(id)
            let first = record.followUpOf ?? record.id
            let ids = try replica.read { db in
                try String.fetchAll(
                    db, sql: "SELECT id FROM reports WHERE id = ? OR follow_up_of = ? ORDER BY created_at, id", arguments: [first, first])
            }
            guard ids.count > 1 else { return [] }
            let offNetwork = try offNetworkReports()
            return try ids.compactMap { linked in
                guard let visibility = Self.visibility(of: try replica.record(linked), offNetwork: offNetwork) else { return nil }
                return DeskReport(report: try replica.report(linked), visibility: visibility)
            }
        }
    }

    public func deskEnroll(unit: String, device: String, by admin: String) async throws -> String {
        try await replica.background { [self] in
            try requireDeskAdmin(admin)
            return try enroll(unit: unit, device: device.trimmingCharacters(in: .whitespaces))
        }
    }

    public func deskRevoke(device: String, by admin: String) async throws {
        try await replica.background { [self] in
            try requireDeskAdmin(admin)
            try revoke(device: device)
        }
    }

    public func deskAddUnit(_ unit: OrgUnit, by admin: String) async throws {
        try await replica.background { [self] in
            try requireDeskAdmin(admin)
            try replica.addUnit(unit)
        }
    }

    public func deskAddMember(_ member: Member, by admin: String) async throws {
        try await replica.background { [self] in
            try requireDeskAdmin(admin)
            try replica.addMember(member)
        }
    }

    public func deskSetPassword(member: String, hash: String, by admin: String) async throws {
        try await replica.background { [self] in
            try requireDeskAdmin(admin)
            try setDeskPassword(member: member, hash: hash)
        }
    }

    /// Throws unless `memberID` is an admin of the bureau who may use the desk.
    private func requireDeskAdmin(_ memberID: String) throws {
        let member = try replica.member(memberID)
        let bureau = try replica.read { db in try Meta.require(.unitID, db) }
        guard member.role == .admin, DeskAccount.mayUse(member, bureau: bureau) else {
            throw ReportSyncError(.forbidden, "only an admin of the bureau manages units, people and devices; ask the bureau's admin")
        }
    }

    public func deskReport(_ id: String) async throws -> (report: DeskReport, history: ReportHistory) {
        try await replica.background { [self] in
            let (record, visibility) = try sentRecord(id)
            let files = visibility.showsText ? try replica.attachmentFiles(of: record.id).filter(\.held).compactMap(\.attachment.sha256) : []
            return (
                DeskReport(report: try replica.report(record.id), visibility: visibility, filesHere: Set(files)),
                try replica.history(of: record.id)
            )
        }
    }

    public func deskFile(of id: String, named name: String) async throws -> StoredFile {
        try await replica.background { [self] in
            let (record, visibility) = try sentRecord(id)
            guard visibility.showsText else {
                throw ReportSyncError(.notFound, "the desk does not serve the files of report \(Identifier.shown(id)): its text is not shown here")
            }
            return try replica.storedFile(of: record.id, named: name)
        }
    }

    public func deskPerform(
        _ action: WorkflowAction, on id: String, by member: String, pin: String, comment: String?, detail: StepDetail?
    ) async throws -> Report {
        try await replica.background { [self] in
            _ = try sentRecord(id)
            try replica.checkStep(action, on: id, by: member, comment: comment, detail: detail)
            let signer = try replica.unlockKey(of: member, pin: pin)
            return try replica.perform(action, on: id, as: signer, comment: comment, detail: detail)
        }
    }

    public func deskConflicts(of id: String, for memberID: String) async throws -> [DeskConflict] {
        try await replica.background { [self] in
            let (record, visibility) = try sentRecord(id)
            let member = try replica.member(memberID)
            return try replica.conflictEntries(matching: ConflictFilter(report: record.id)).filter { Self.deskShows($0, visibility) }.map {
                entry in
                let decidable =
                    entry.status == .open
                    && record.conflict(entry.key).map { (try? LocalWrites.checkMayResolve($0, of: record, by: member, at: .central)) != nil } ?? false
                return DeskConflict(entry: entry, decidable: decidable)
            }
        }
    }

    public func deskResolve(
        _ key: String, on id: String, keep: ResolutionStep.Keep, value: String?, comment: String?, by member: String, pin: String
    ) async throws -> ConflictEntry {
        try await replica.background { [self] in
            let (record, visibility) = try sentRecord(id)
            let entry = try? replica.conflictEntry(key)
            guard let entry, entry.key == key, entry.report == record.id, Self.deskShows(entry, visibility) else {
                throw ReportSyncError(.notFound, "report \(Identifier.shown(id)) has no such conflict to decide here")
            }
            let signer = try replica.unlockKey(of: member, pin: pin)
            return try replica.resolveConflict(entry.key, keep: keep, value: value, comment: comment, by: member, signer: signer)
        }
    }

    /// Whether the desk lists a conflict of a report it shows as `visibility`: merge conflicts (refusals
    /// and waits are the units' and the console's), and of a report whose text it does not show, only
    /// those that name no text (steps, not field values).
    private static func deskShows(_ entry: ConflictEntry, _ visibility: DeskReport.Visibility) -> Bool {
        entry.kind.isSignedDecision && (visibility.showsText || entry.kind != .fieldValue)
    }

    /// The report with exactly this id (no prefix: the desk gives nothing to guess ids by) if it reached
    /// the central office, and how much of it the desk shows; one "not found" for a report that does not
    /// exist and one still in its unit.
    private func sentRecord(_ id: String) throws -> (ReportRecord, DeskReport.Visibility) {
        let notFound = ReportSyncError(.notFound, "no report \(Identifier.shown(id)) has reached the central office")
        guard let record = try? replica.record(id), record.id == id,
            let visibility = Self.visibility(of: record, offNetwork: try offNetworkReports())
        else { throw notFound }
        return (record, visibility)
    }

    /// Whether report `id` exists here, and how much of it the desk shows (as `visibility(of:)`), read
    /// from its row's state: only a returned report's merged record is read.
    private func storedVisibility(of id: String, offNetwork: Set<String>) throws -> (exists: Bool, visibility: DeskReport.Visibility?) {
        let row = try replica.read { db in
            try Row.fetchOne(
                db.cachedStatement(sql: #"SELECT state, instr(record, '"redactions":') > 0 AS redacted FROM reports WHERE id = ?"#),
                arguments: [id])
        }
        guard let row, let state = ApprovalState(rawValue: row["state"]) else { return (false, nil) }
        guard state.hasLeftUnit else { return (true, nil) }
        if offNetwork.contains(id) { return (true, .offNetwork) }
        let judged = state == .returned || row["redacted"] == true
        return (true, judged ? Self.visibility(of: try replica.record(id), offNetwork: offNetwork) : .shown)
    }

    /// The title a report was stored under (the winning title), without reading its record.
    private func storedTitle(of id: String) throws -> String? {
        try replica.read { db in try String.fetchOne(db.cachedStatement(sql: "SELECT title FROM reports WHERE id = ?"), arguments: [id]) }
    }

    /// How much of a report the desk shows, or `nil` while it is still in its unit (the rule books
    /// forbid sending before review and sign-off). A returned report written again in its unit shows
    /// no text until it is signed off again.
    static func visibility(of record: ReportRecord, offNetwork: Set<String>) -> DeskReport.Visibility? {
        guard record.state.hasLeftUnit else { return nil }
        if offNetwork.contains(record.id) { return .offNetwork }
        // Its unit withdrew its text from the network (the central keeps it, for the console).
        if !record.withheldFields.isEmpty { return .withdrawn }
        if record.state == .returned, let back = record.transitions.last(where: { $0.action == .return }),
            back.sawContent != record.latestContent.dot
        {
            return .revisedInUnit
        }
        return .shown
    }


    /// The merged record of report `id` as stored, if this replica holds it.
    private static func storedRecord(_ id: String, _ db: Database) throws -> ReportRecord? {
        try String.fetchOne(db, sql: "SELECT record FROM reports WHERE id = ?", arguments: [id]).map {
            try JSONCoding.value(ReportRecord.self, from: $0)
        }
    }

    /// The ids of the reports kept off the network here (`OffNetworkSQL`).
    private func offNetworkReports() throws -> Set<String> {
        try replica.read { db in
            let barred = OffNetworkSQL.list(try Replica.offNetwork(db, at: replica.now()))
            // Along the classification index, and the follow-ups of those: few rows, whatever the central's size.
            return Set(
                try String.fetchAll(
                    db,
                    sql: """
                        SELECT id FROM reports WHERE classification IN (\(barred))
                        UNION SELECT id FROM reports WHERE follow_up_of IN (SELECT id FROM reports WHERE classification IN (\(barred)))
                        """))
        }
    }
}
