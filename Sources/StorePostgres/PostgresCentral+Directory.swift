import Foundation
import Store
import SyncCore

/// Units and members added at a central on PostgreSQL (`syncd unit add`, `member add`): the same checks as
/// on a file (`Replica.checkNewUnit`, `checkNewMember`), the write made by the same engine under the feed's
/// lock, and every device gets it with its next pull.
extension PostgresCentral {
    /// Adds a unit under a known parent (the bureau when `parent` is nil); `kind` is read under the policy in force.
    public static func addUnit(id: String, name: String, kind: String, parent: String?, at address: PostgresAddress) async throws {
        try await PostgresDatabase.with(address, migrating: false) { db in
            try await db.requireCentral()
            try await db.transaction { db in
                let state = try await db.lockForWrite()
                let now = Date()
                let policy = try await db.policy(at: now)
                let bureau = try await db.requireMeta(.unitID)
                let unit = OrgUnit(id: id, name: name, kind: try policy.unitKind(kind), parent: parent ?? bureau)
                let held = Set(try await db.rows("SELECT id FROM units WHERE id = ANY($1)", [[unit.id] + (unit.parent.map { [$0] } ?? [])], as: String.self))
                try Replica.checkNewUnit(unit, policy: policy) { held.contains($0) }
                try await PostgresApply.run(db, state, now: now, asking: []) { engine in
                    try engine.commitLocal([Replica.referenceChange(.unit(unit), unit: unit.id, engine: engine)])
                }
            }
        }
    }

    /// Adds a member; the id must be new and the unit known.
    public static func addMember(_ member: Member, at address: PostgresAddress) async throws {
        try Replica.checkMemberForm(member)
        try await PostgresDatabase.with(address, migrating: false) { db in
            try await db.requireCentral()
            try await db.transaction { db in
                let state = try await db.lockForWrite()
                let existing = try await db.randomAccessRows("SELECT name, role FROM members WHERE id = $1", [member.id]).first.map { row in
                    Member(
                        id: member.id, name: try row["name"].decode(String.self), unit: "",
                        role: Role(rawValue: try row["role"].decode(String.self)) ?? member.role)
                }
                let units = try await db.rows("SELECT id FROM units ORDER BY id", as: String.self)
                try Replica.checkNewMember(member, existing: existing, unitKnown: units.contains(member.unit), knownUnits: { units.joined(separator: ", ") })
                try await PostgresApply.run(db, state, now: Date(), asking: []) { engine in
                    try engine.commitLocal([Replica.referenceChange(.member(member), unit: member.unit, engine: engine)])
                }
            }
        }
    }
}
