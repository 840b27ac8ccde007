/// What a replica is to the bureau: it decides which operations it offers and where a person's act
/// may be made (`Permissions`).
public enum ReplicaRole: String, Sendable, Codable, CaseIterable {
    /// A replica of its own, bound to no central (a demo, a unit trying ReportSync out): it keeps its
    /// own units and members and takes every step itself.
    case standalone
    /// A field unit's device bound to the bureau's central: it receives units, members and policy from
    /// there, and pushes its unit's reports to it.
    case field
    /// The bureau's central replica: it takes pushes, serves each unit's feed and makes the central
    /// office's steps.
    case central
}
