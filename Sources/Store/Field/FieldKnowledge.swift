/// What a field replica knew just before it asked the central for its standing: a standing is judged
/// against this, so that another process syncing the same file meanwhile cannot look like a central
/// that forgot.
public struct FieldKnowledge: Sendable, Equatable {
    /// The replica ids this file wrote under, oldest first (what the standing is asked about).
    public let replicas: [String]
    /// The pull cursor.
    let cursor: Int64
    /// For each replica id this file wrote under, the highest counter of its local changes the central
    /// had answered for (left the outbox, not refused).
    let acknowledged: [String: Int64]
}
