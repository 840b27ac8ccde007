import SyncCore

/// A conflict of a report as the desk lists it, and whether the member looking may decide it (the
/// central office decides those that involve its own steps; a unit decides its content and approvals).
public struct DeskConflict: Sendable {
    public let entry: ConflictEntry
    public let decidable: Bool
}
