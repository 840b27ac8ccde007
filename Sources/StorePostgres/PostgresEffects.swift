import Foundation
import Store
import SyncCore

/// Writes what one batch of the merge engine decided (`MergeEffects`) into a central on PostgreSQL, as
/// the SQLite store's `ApplySession.finish` writes it for a central: the same rows, computed by the same
/// code (`ReportRow`, `ConflictRow`, `Refusal.keptBody`, `RegistrationNumbers`, `Declassifications`),
/// one statement a table. The caller holds the feed's lock (`feed_head`) in the same transaction.
extension PostgresDatabase {
    func write(_ effects: MergeEffects, offNetwork: Set<Classification>, state: CentralState, now: Date) async throws {
        let at = now.millisecondsSince1970
        // Read before the records are written: what each was before this batch.
        let stored = try await classifications(of: effects.records.map(\.id))
        let declassified = Declassifications.cameBack(effects.records, offNetwork: offNetwork) { stored[$0] }
        try await log(effects.logged, of: effects)
        try await saveReferences(effects.references)
        try await saveWaits(effects, at: at)
        try await saveRefusals(effects.refusals, at: at)
        for redaction in effects.receivedRedactions { try await withhold(record: redaction.record, redaction: redaction.redaction) }
        for original in effects.originals { try await keepOriginal(original.change, body: original.body, from: []) }
        try await saveRows(effects.records)
        if !declassified.isEmpty {
            try await run(
                """
                INSERT INTO declassifications (record, seq) SELECT record, (SELECT seq FROM feed_head) FROM unnest($1::text[]) AS d(record)
                ON CONFLICT DO NOTHING
                """, [declassified])
        }
        if !effects.logged.isEmpty {
            // A policy written in this batch is in force from now on only once it is saved: read it again then.
            let policyWritten = effects.references.contains { if case .policy = $0.payload { true } else { false } }
            try await notePolicyRelease(
                offNetwork: policyWritten ? Secrecy.offNetwork(under: try policy(at: now)) : offNetwork, served: state.value(.offNetworkServed))
        }
        try await setMeta([(.counter, String(effects.counter)), (.hlc, String(effects.clock.rawValue))])
    }

    /// The stored `classification` of each report of `ids` the central holds.
    private func classifications(of ids: [String]) async throws -> [String: String] {
        guard !ids.isEmpty else { return [:] }
        var result: [String: String] = [:]
        for row in try await randomAccessRows("SELECT id, classification FROM reports WHERE id = ANY($1)", [ids]) {
            result[try row["id"].decode(String.self)] = try row["classification"].decode(String.self)
        }
        return result
    }

    /// Appends the changes to the log under the next sequences of the feed, and keeps the registration
    /// numbers of the receipts among them.
    private func log(_ logged: [MergeEffects.Logged], of effects: MergeEffects) async throws {
        guard !logged.isEmpty else { return }
        let last = try await rows("UPDATE feed_head SET seq = seq + $1 RETURNING seq", [Int64(logged.count)], as: Int64.self).first ?? 0
        var rows = RowJSON()
        var numbers: [Int: Int] = [:]
        for (index, entry) in logged.enumerated() {
            let change = entry.change
            rows.add([
                ("seq", .integer(last - Int64(logged.count) + 1 + Int64(index))), ("replica", .text(change.dot.replica)),
                ("counter", .integer(change.dot.counter)), ("record", .text(change.record)), ("unit", .text(change.unit)),
                ("kind", .text(change.payload.kind.rawValue)), ("origin", .text(entry.origin.rawValue)), ("body", .text(entry.body)),
                ("withheld", .integer(effects.arrivesWithheld(change) ? 1 : 0)),
            ])
            if let (year, serial) = RegistrationNumbers.number(carriedBy: change) { numbers[year] = max(numbers[year] ?? 0, serial) }
        }
        try await insert(rows, into: "changes", columns: ["seq", "replica", "counter", "record", "unit", "kind", "origin", "body", "withheld"])
        for (year, serial) in numbers.sorted(by: { $0.key < $1.key }) {
            try await run(
                "INSERT INTO registrations (year, last) VALUES ($1, $2) ON CONFLICT (year) DO UPDATE SET last = GREATEST(registrations.last, excluded.last)",
                [Int64(year), Int64(serial)])
        }
    }

    /// Stores the reference values that now stand, the last of a batch winning, with each record's version.
    private func saveReferences(_ changes: [Change]) async throws {
        guard !changes.isEmpty else { return }
        var units = Keyed(), members = Keyed(), policies = Keyed(), solicitations = Keyed(), keys = Keyed(), versions = Keyed()
        var since: [String: String] = [:]
        for change in changes {
            guard let id = ReferenceRecord.id(of: change.payload) else { continue }
            switch change.payload {
            case .unit(let unit):
                let stamp = GRDBDate.text(change.hlc.date)
                since[unit.id] = min(since[unit.id] ?? stamp, stamp)
                units.set(unit.id, [
                    ("id", .text(unit.id)), ("name", .text(unit.name)), ("kind", .text(unit.kind.rawValue)), ("parent", .text(unit.parent)),
                    ("since", .text(since[unit.id])),
                ])
            case .member(let member):
                members.set(member.id, [
                    ("id", .text(member.id)), ("name", .text(member.name)), ("unit", .text(member.unit)), ("role", .text(member.role.rawValue)),
                    ("phone", .text(member.phone)),
                ])
            case .policy(let policy):
                policies.set(policy.effectiveFrom ?? "", [("effective_from", .text(policy.effectiveFrom ?? "")), ("body", .text(try JSONCoding.string(policy)))])
            case .solicitation(let s):
                solicitations.set("\(s.id)\u{0}\(s.unit)", [
                    ("id", .text(s.id)), ("unit", .text(s.unit)), ("deadline", .integer(s.deadline.millisecondsSince1970)),
                    ("body", .text(try JSONCoding.string(s))),
                ])
            case .signingKey(let key):
                keys.set(key.id, [
                    ("id", .text(key.id)), ("member", .text(key.member)), ("public_key", .text(key.publicKey)),
                    ("revoked_at", .integer(key.revokedAt?.rawValue)), ("body", .text(try JSONCoding.string(key))),
                ])
            case .keyRequest, .reminder:
                // Kept in the change log only (as on SQLite).
                break
            case .content, .transition, .resolution, .void, .redaction: continue
            }
            versions.set(id, [
                ("record", .text(id)), ("hlc", .integer(change.hlc.rawValue)), ("replica", .text(change.dot.replica)),
                ("counter", .integer(change.dot.counter)), ("digest", .text(StateDigest.hash(change))),
            ])
        }
        // A unit keeps the earliest stamp of the definitions stored of it; one held without one (from
        // before `since` was kept) owes every period and stays so.
        try await insert(
            units.rows, into: "units", columns: ["id", "name", "kind", "parent", "since"],
            conflict: """
                ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind, parent = excluded.parent,
                    since = CASE WHEN units.since > excluded.since THEN excluded.since ELSE units.since END
                """)
        try await insert(
            members.rows, into: "members", columns: ["id", "name", "unit", "role", "phone"],
            conflict: "ON CONFLICT (id) DO UPDATE SET name = excluded.name, unit = excluded.unit, role = excluded.role, phone = excluded.phone")
        try await insert(
            policies.rows, into: "policy_versions", columns: ["effective_from", "body"],
            conflict: "ON CONFLICT (effective_from) DO UPDATE SET body = excluded.body")
        try await insert(
            solicitations.rows, into: "solicitations", columns: ["id", "unit", "deadline", "body"],
            conflict: "ON CONFLICT (id, unit) DO UPDATE SET deadline = excluded.deadline, body = excluded.body")
        try await insert(
            keys.rows, into: "signing_keys", columns: ["id", "member", "public_key", "revoked_at", "body"],
            conflict: """
                ON CONFLICT (id) DO UPDATE SET member = excluded.member, public_key = excluded.public_key,
                    revoked_at = excluded.revoked_at, body = excluded.body
                """)
        try await insert(
            versions.rows, into: "reference_versions", columns: ["record", "hlc", "replica", "counter", "digest"],
            conflict: "ON CONFLICT (record) DO UPDATE SET hlc = excluded.hlc, replica = excluded.replica, counter = excluded.counter, digest = excluded.digest")
    }

    /// Changes that now wait, that wait on another record, and that left the queue.
    private func saveWaits(_ effects: MergeEffects, at: Int64) async throws {
        var waits = RowJSON()
        for wait in effects.waits {
            waits.add([
                ("replica", .text(wait.change.dot.replica)), ("counter", .integer(wait.change.dot.counter)), ("record", .text(wait.change.record)),
                ("waits_for", .text(wait.waitsFor)), ("body", .text(wait.body)), ("received_at", .integer(at)),
            ])
        }
        try await insert(waits, into: "pending_changes", columns: ["replica", "counter", "record", "waits_for", "body", "received_at"])
        if !effects.rewaits.isEmpty {
            try await run(
                """
                UPDATE pending_changes p SET waits_for = m.waits_for
                FROM unnest($1::text[], $2::bigint[], $3::text[]) AS m(replica, counter, waits_for)
                WHERE p.replica = m.replica AND p.counter = m.counter
                """,
                [effects.rewaits.map(\.change.dot.replica), effects.rewaits.map(\.change.dot.counter), effects.rewaits.map(\.waitsFor)])
        }
        if !effects.released.isEmpty {
            try await run(
                """
                DELETE FROM pending_changes p USING unnest($1::text[], $2::bigint[]) AS m(replica, counter)
                WHERE p.replica = m.replica AND p.counter = m.counter
                """, [effects.released.map(\.replica), effects.released.map(\.counter)])
        }
    }

    /// The changes the batch refused, with their reasons (a dot refused again keeps its latest reason).
    private func saveRefusals(_ refusals: [MergeEffects.Refusal], at: Int64) async throws {
        var rows = Keyed()
        for refusal in refusals {
            let change = refusal.change
            rows.set(change.dot.description, [
                ("replica", .text(change.dot.replica)), ("counter", .integer(change.dot.counter)), ("record", .text(change.record)),
                ("reason", .text(refusal.error.message)), ("body", .text(refusal.keptBody(role: .central))), ("rejected_at", .integer(at)),
            ])
        }
        try await insert(
            rows.rows, into: "rejected_changes", columns: ["replica", "counter", "record", "reason", "body", "rejected_at"],
            conflict: "ON CONFLICT (replica, counter) DO UPDATE SET reason = excluded.reason, rejected_at = excluded.rejected_at")
    }

    /// Each merged record's row, its conflicts and the files its attachments name, replacing what they
    /// were; the rows show the text this central keeps of withheld values (`WithheldText`).
    func saveRows(_ records: [ReportRecord]) async throws {
        guard !records.isEmpty else { return }
        var reports = RowJSON(), conflicts = RowJSON(), files = RowJSON()
        let originals = try await self.originals(of: records.filter { !$0.redactions.isEmpty }.map(\.id))
        for record in records {
            let row = try ReportRow(record, shown: record.revealing(originals[record.id] ?? [:]))
            reports.add([
                ("id", .text(row.id)), ("unit", .text(row.unit)), ("category", .text(row.category)), ("title", .text(row.title)),
                ("state", .text(row.state)), ("drafter", .text(row.drafter)), ("version", .integer(Int64(row.version))),
                ("content", .text(row.content)), ("content_replica", .text(row.contentReplica)), ("content_counter", .integer(row.contentCounter)),
                ("created_at", .integer(row.createdAt)), ("updated_at", .integer(row.updatedAt)), ("last_comment", .text(row.lastComment)),
                ("follow_up_of", .text(row.followUpOf)), ("record", .text(row.record)), ("digest", .text(row.digest)),
                ("classification", .text(row.classification)), ("sign_off_at", .integer(row.signOffAt)), ("approved_at", .integer(row.approvedAt)),
                ("received_at", .integer(row.receivedAt)), ("earliest_at", .integer(row.earliestAt)), ("latest_at", .integer(row.latestAt)),
            ])
            for conflict in ConflictRow.rows(of: record) {
                conflicts.add([
                    ("id", .text(conflict.id)), ("report_id", .text(conflict.reportID)), ("kind", .text(conflict.kind)),
                    ("status", .text(conflict.status)), ("hlc", .integer(conflict.hlc)), ("body", .text(conflict.body)),
                    ("short_id", .text(conflict.shortID)), ("unit", .text(conflict.unit)),
                ])
            }
            for file in row.files {
                files.add([
                    ("report", .text(row.id)), ("hash", .text(file.hash.hex)), ("size", .integer(file.size)), ("media_type", .text(file.mediaType)),
                ])
            }
        }
        let columns = [
            "id", "unit", "category", "title", "state", "drafter", "version", "content", "content_replica", "content_counter", "created_at",
            "updated_at", "last_comment", "follow_up_of", "record", "digest", "classification", "sign_off_at", "approved_at", "received_at",
            "earliest_at", "latest_at",
        ]
        // A report's unit, drafter and creation never change once it exists (as on SQLite).
        let kept: Set<String> = ["id", "unit", "drafter", "created_at"]
        try await insert(
            reports, into: "reports", columns: columns,
            conflict: "ON CONFLICT (id) DO UPDATE SET " + columns.filter { !kept.contains($0) }.map { "\($0) = excluded.\($0)" }.joined(separator: ", "))
        let ids = records.map(\.id)
        try await run("DELETE FROM conflicts WHERE report_id = ANY($1)", [ids])
        try await insert(conflicts, into: "conflicts", columns: ["id", "report_id", "kind", "status", "hlc", "body", "short_id", "unit"])
        try await run("DELETE FROM attachment_refs WHERE report = ANY($1)", [ids])
        // One file named twice (another media type) is one row, as SQLite's INSERT OR IGNORE keeps it.
        try await insert(files, into: "attachment_refs", columns: ["report", "hash", "size", "media_type"], conflict: "ON CONFLICT DO NOTHING")
    }

    /// Notes a policy release when the policy in force lets a classification on the network again
    /// (`Declassifications.judge`).
    private func notePolicyRelease(offNetwork: Set<Classification>, served: String?) async throws {
        let judged = Declassifications.judge(served: served, offNetwork: offNetwork)
        guard let remember = judged.remember else { return }
        try await setMeta(.offNetworkServed, remember)
        guard let released = judged.released else { return }
        var firsts: [String: Int64] = [:]
        for row in try await randomAccessRows("SELECT unit, MIN(seq) AS first FROM changes WHERE \(released) GROUP BY unit") {
            firsts[try row["unit"].decode(String.self)] = try row["first"].decode(Int64.self)
        }
        guard !firsts.isEmpty else { return }
        let top = try await rows("SELECT seq FROM feed_head", as: Int64.self).first ?? 0
        let earlier = try await meta(.policyReleases).map { try JSONCoding.value([Declassifications.StoredRelease].self, from: $0) } ?? []
        try await setMeta(.policyReleases, try JSONCoding.string(earlier + [Declassifications.StoredRelease(at: top, firstByUnit: firsts)]))
    }

    /// The policy in force at `date` (`PolicyInForce`), read from every version stored.
    func policy(at date: Date) async throws -> Policy {
        var versions: [(effectiveFrom: String, body: String)] = []
        for row in try await randomAccessRows("SELECT effective_from, body FROM policy_versions") {
            versions.append((try row["effective_from"].decode(String.self), try row["body"].decode(String.self)))
        }
        return try PolicyInForce.at(date, among: versions, decode: Replica.decodedPolicy)
    }
}

/// Rows keyed by their primary key, the last set for a key kept: one statement may not touch a row twice.
private struct Keyed {
    private var order: [String] = []
    private var byKey: [String: [(String, RowJSON.Value)]] = [:]

    mutating func set(_ key: String, _ columns: [(String, RowJSON.Value)]) {
        if byKey[key] == nil { order.append(key) }
        byKey[key] = columns
    }

    var rows: RowJSON {
        var rows = RowJSON()
        for key in order { rows.add(byKey[key]!) }
        return rows
    }
}

/// A date as GRDB stores it in SQLite (`yyyy-MM-dd HH:mm:ss.SSS`, UTC), so that a column the two stores
/// share reads the same from either.
enum GRDBDate {
    static func text(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .nanosecond], from: date)
        let milliseconds = (c.nanosecond ?? 0) / 1_000_000
        return String(
            format: "%04d-%02d-%02d %02d:%02d:%02d.%03d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0, c.second ?? 0,
            milliseconds)
    }

    /// The date a column written by `text` holds.
    static func date(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = text.contains(".") ? "yyyy-MM-dd HH:mm:ss.SSS" : "yyyy-MM-dd HH:mm:ss"
        return formatter.date(from: text)
    }
}
