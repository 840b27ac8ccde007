import Foundation
import GRDB
import SyncCore

/// Identity, units and members of a replica. Units and members are reference data: each change to
/// them is a change in the log, like a report write.
extension Replica {
    /// Who this replica is.
    public func identity() throws -> ReplicaIdentity {
        try read { db in
            let unitID = try Meta.require(.unitID, db)
            guard let unit = try OrgUnit.fetchOne(db, key: unitID) else {
                throw ReportSyncError(.storage, "the replica's unit \(unitID) is missing; the file is damaged, restore it from a backup")
            }
            let previous = try ReplicaEpoch.previousIDs(db)
            return ReplicaIdentity(
                replicaID: try Meta.require(.replicaID, db), unit: unit,
                createdAt: Date(millisecondsSince1970: Int64(try Meta.require(.createdAt, db)) ?? 0),
                previousReplicaIDs: previous)
        }
    }

    /// Every unit this replica knows, by id.
    public func units() throws -> [OrgUnit] {
        try read { db in try OrgUnit.order(Column("id")).fetchAll(db) }
    }

    /// The units `unit` stands for: itself and every unit below it.
    public func unitScope(of unit: String) throws -> Set<String> {
        try read { db in try Self.unitScope(of: unit, db) }
    }

    /// `unitScope(of:)` within a transaction already open.
    static func unitScope(of unit: String, _ db: Database) throws -> Set<String> {
        Set(
            try String.fetchAll(
                db.cachedStatement(sql: UnitScope.query(placeholder: "?")),
                arguments: [unit]))
    }

    /// Adds a unit (for example a sub-squad) under a known parent.
    public func addUnit(_ unit: OrgUnit) throws {
        try session { s in
            try Self.checkReferenceIsLocal(s.db)
            try Self.checkNewUnit(unit, policy: s.policy) { try OrgUnit.exists(s.db, key: $0) }
            try s.commitLocal([Self.referenceChange(.unit(unit), unit: unit.id, s)])
        }
    }

    /// Throws unless `unit` may be added, `exists` telling which unit ids the replica holds: a new id, a
    /// kind the policy knows, a known parent. The same checks in every store.
    public static func checkNewUnit(_ unit: OrgUnit, policy: Policy, exists: (String) throws -> Bool) throws {
        try Identifier.check(unit.id, "unit id")
        if try exists(unit.id) { throw ReportSyncError(.alreadyExists, "unit \(unit.id) already exists") }
        _ = try policy.unitKind(unit.kind.rawValue)
        if let parent = unit.parent, try !exists(parent) {
            throw ReportSyncError(.notFound, "parent unit \(parent) is unknown; add it first")
        }
    }

    /// Adds a member; the id must be new and the unit known.
    public func addMember(_ member: Member) throws {
        try Self.checkMemberForm(member)
        try session { s in
            try Self.checkReferenceIsLocal(s.db)
            try Self.checkNewMember(
                member, existing: try Member.fetchOne(s.db, key: member.id), unitKnown: try OrgUnit.exists(s.db, key: member.unit),
                knownUnits: { try Self.unitIDs(s.db) })
            try s.commitLocal([Self.referenceChange(.member(member), unit: member.unit, s)])
        }
    }

    /// Throws unless `member` has an id and a name, the id well formed.
    public static func checkMemberForm(_ member: Member) throws {
        guard !member.id.isEmpty, !member.name.allSatisfy(\.isWhitespace) else {
            throw ReportSyncError(.invalidInput, "a member needs an --id and a --name")
        }
        try Identifier.check(member.id, "member id")
    }

    /// Throws unless `member` may be added: its id new (`existing` is who holds it), its unit known. The
    /// same checks in every store.
    public static func checkNewMember(_ member: Member, existing: Member?, unitKnown: Bool, knownUnits: () throws -> String) throws {
        if let existing {
            throw ReportSyncError(
                .alreadyExists, "member \(member.id) already exists (\(existing.name), \(existing.role.rawValue)); choose another --id")
        }
        guard unitKnown else {
            throw ReportSyncError(.notFound, "unit \(member.unit) is unknown to this replica; known units: \(try knownUnits())")
        }
    }

    /// Every member, by id.
    public func members() throws -> [Member] {
        try read { db in try Member.order(Column("id")).fetchAll(db) }
    }

    /// The member with this id, or an error that says how to find or add one.
    public func member(_ id: String) throws -> Member {
        try read { db in try Self.member(id, db) }
    }

    /// Makes `id` the member who acts when a command names nobody (`--as`).
    public func setDefaultActor(_ id: String) throws {
        try write { db in
            _ = try Self.member(id, db)
            try Meta.set(.defaultActor, id, db)
        }
    }

    /// The member who acts when a command names nobody, if one was set.
    public func defaultActor() throws -> String? {
        try read { db in try Meta.get(.defaultActor, db) }
    }

    static func member(_ id: String, _ db: Database) throws -> Member {
        guard let member = try Member.fetchOne(db, key: id) else { throw unknownMember(id) }
        return member
    }

    /// The refusal of a member id this replica does not know.
    public static func unknownMember(_ id: String) -> ReportSyncError {
        ReportSyncError(.notFound, "unknown member '\(id)': see report-cli member list, or add one with report-cli member add")
    }

    /// Refuses a local change of units, members or policy on a replica that receives them from a central.
    static func checkReferenceIsLocal(_ db: Database) throws {
        try Permissions.check(.writeReference, at: try Meta.role(db))
    }

    static func unitIDs(_ db: Database) throws -> String {
        try String.fetchAll(db, sql: "SELECT id FROM units ORDER BY id").joined(separator: ", ")
    }

    /// A change that writes reference data, stamped by this replica.
    static func referenceChange(_ payload: ChangePayload, unit: String, _ s: ApplySession) -> Change {
        referenceChange(payload, unit: unit, engine: s.engine)
    }

    /// A reference write (`payload`) made by this replica, stamped by `engine`.
    public static func referenceChange(_ payload: ChangePayload, unit: String, engine: MergeEngine) -> Change {
        let stamp = engine.stamp()
        return Change(
            dot: stamp.dot, hlc: stamp.hlc, record: ReferenceRecord.id(of: payload) ?? "", unit: unit, actor: engine.replicaID,
            context: VersionVector(), payload: payload)
    }
}
