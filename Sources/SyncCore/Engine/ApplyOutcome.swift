/// What became of one change offered to a replica.
public enum ApplyOutcome: Sendable, Equatable {
    /// Merged into the replica's state.
    case applied
    /// Already held; nothing changed (retries and duplicates are harmless).
    case duplicate
    /// Held back until the writes it depends on arrive; never dropped.
    case waiting(missing: [Dot])
    /// Refused, with the reason to show to whoever sent it.
    case rejected(ReportSyncError)
}
