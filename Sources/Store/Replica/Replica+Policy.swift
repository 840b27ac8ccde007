import Foundation
import GRDB
import SyncCore

/// The policy and its versions on a replica (000:603–609): each version takes effect on a local day and
/// stays on record, so a past period is always judged by the version in force then.
extension Replica {
    /// The policy in force now (DOMAIN.md defaults until one is loaded).
    public func policy() throws -> Policy {
        let at = now()
        return try read { db in try Self.policy(db, at: at) }
    }

    /// The policy in force at `date`: the version with the latest effective day on or before that day.
    public func policy(at date: Date) throws -> Policy {
        try read { db in try Self.policy(db, at: date) }
    }

    /// The policy a period is judged by: the version in force on its last day.
    public func policy(for period: Period) throws -> Policy {
        try policy(at: period.end(in: WorkingCalendar(policy: try policy()).timeZone).addingTimeInterval(-1))
    }

    /// Every version loaded, oldest effective day first.
    public func policyHistory() throws -> [Policy] {
        try read { db in
            try String.fetchAll(db, sql: "SELECT body FROM policy_versions ORDER BY effective_from").map(Self.decodedPolicy)
        }
    }

    /// Records a new version of the policy, in force from `effectiveFrom` (today when nil), loaded by
    /// `admin`. Only an admin, on the central (or a standalone replica), may; a version cannot take
    /// effect on a day already past, so no past period changes its scores. Returns the version recorded.
    @discardableResult
    public func setPolicy(_ policy: Policy, effectiveFrom: CalendarDay? = nil, by admin: String) throws -> Policy {
        try session { s in
            try Self.checkReferenceIsLocal(s.db)
            let version = try Self.policyVersion(policy, effectiveFrom: effectiveFrom, by: admin, member: try Member.fetchOne(s.db, key: admin), now: s.now)
            try s.commitLocal([Self.referenceChange(.policy(version), unit: "*", s)])
            return version
        }
    }

    /// The version `policy` is recorded as when `admin` (the member `member`, if known) loads it at `now`,
    /// in force from `effectiveFrom` (today when nil): only an admin may, and never from a day already
    /// past, so no past period changes its scores. The same rule on every store.
    public static func policyVersion(_ policy: Policy, effectiveFrom: CalendarDay?, by admin: String, member: Member?, now: Date) throws -> Policy {
        guard let member else { throw ReportSyncError(.notFound, "unknown member '\(admin)'; see report-cli member list") }
        guard member.role == .admin else {
            throw ReportSyncError(
                .forbidden,
                "\(member.id) is \(member.role.rawValue); only an admin may change the policy (000:603–609): give --as an admin")
        }
        var version = policy.settings
        let zone = WorkingCalendar(policy: version).timeZone
        let today = CalendarDay(BureauTime.day(now, in: zone))!
        let day = effectiveFrom ?? today
        if day < today {
            throw ReportSyncError(
                .invalidInput,
                "a policy cannot take effect on \(day), a day already past (today is \(today) in \(zone.identifier)): past periods keep the rules they were judged by; give --effective \(today) or later")
        }
        version.effectiveFrom = day.description
        version.loadedBy = member.id
        try version.validate()
        return version
    }

    /// The classifications kept off the network under the policy in force at `date` (`Secrecy`).
    static func offNetwork(_ db: Database, at date: Date) throws -> Set<Classification> {
        Secrecy.offNetwork(under: try policy(db, at: date))
    }

    /// The version in force at `date` (`PolicyInForce`).
    static func policy(_ db: Database, at date: Date) throws -> Policy {
        let versions = try Row.fetchAll(db.cachedStatement(sql: "SELECT effective_from, body FROM policy_versions")).map {
            (effectiveFrom: $0["effective_from"] as String, body: $0["body"] as String)
        }
        return try PolicyInForce.at(date, among: versions, decode: decodedPolicy)
    }

    /// `json` as a policy, decoded once while it stays among the last few read.
    public static func decodedPolicy(_ json: String) throws -> Policy {
        if let known = DecodedPolicy.shared.policy(for: json) { return known }
        let policy = try JSONCoding.value(Policy.self, from: json)
        DecodedPolicy.shared.remember(policy, for: json)
        return policy
    }
}

/// The last policies decoded, by their JSON text: every write transaction reads the policy, which rarely changes.
private final class DecodedPolicy: @unchecked Sendable {
    static let shared = DecodedPolicy()
    private let lock = NSLock()
    private var known: [String: Policy] = [:]

    func policy(for json: String) -> Policy? { lock.withLock { known[json] } }

    func remember(_ policy: Policy, for json: String) {
        lock.withLock {
            if known.count >= 16 { known.removeAll() }
            known[json] = policy
        }
    }
}
