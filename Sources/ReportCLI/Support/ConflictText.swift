import Store
import SyncCore

/// How a conflict's parts read in a terminal.
enum ConflictText {
    /// The side that stands, in a few words.
    static func winner(of entry: ConflictEntry) -> String {
        switch entry.kind {
        case .rejectedByCentral: return "central office"
        case .rejectedOnReceipt: return "this replica"
        case .pendingDependency: return "-"
        default: return entry.winner.map(side) ?? "-"
        }
    }

    /// A side as `actor: value` or `actor: action`.
    static func side(_ side: ConflictEntry.Side) -> String {
        if let action = side.action { return "\(side.actor): \(action.rawValue)" }
        return "\(side.actor): \(side.value ?? "")"
    }

    /// A replica id shortened to what tells replicas apart in practice.
    static func replica(_ id: String) -> String { id.count > 13 ? String(id.suffix(12)) : id }
}
