import SyncCore

/// A central-office member who may sign in to the web desk, with their bcrypt password hash.
public struct DeskAccount: Sendable {
    public let member: Member
    public let passwordHash: String

    /// Who may use the desk: the central office's own people (its unit is the bureau) who act for it —
    /// central editors, leaders, the principal leader and admins; never a drafter or a unit head.
    public static func mayUse(_ member: Member, bureau: String) -> Bool {
        member.unit == bureau && !member.role.isUnitBound
    }
}
