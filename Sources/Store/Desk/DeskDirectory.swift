import SyncCore

/// The bureau's units, members and devices, as the desk's admin page lists them.
public struct DeskDirectory: Sendable {
    /// A member, with what they can do on the central.
    public struct Person: Sendable {
        public let member: Member
        /// Whether they have a signing key in force (registered, not revoked).
        public let hasKey: Bool
        /// Whether they may sign in to the desk.
        public let hasDeskPassword: Bool
        /// Whether they are of the central office and so may have a desk password.
        public let mayUseDesk: Bool
    }

    public let units: [OrgUnit]
    public let people: [Person]
    /// Every enrolment, newest first (revoked ones included).
    public let devices: [Enrollment]
    /// The unit kinds a new unit may have: the built-in ones and the policy's, but the central office's.
    public let unitKinds: [UnitKind]
}
