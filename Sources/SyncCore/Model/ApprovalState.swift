/// Where a report stands in the approval workflow (DOMAIN.md "The approval workflow").
public enum ApprovalState: String, CaseIterable, Codable, Sendable {
    case draft
    case awaitingReview = "awaiting-review"
    case reviewed
    case signed
    case received
    case adopted
    case returned
    case rejected
    case archived
    case withdrawn

    /// Whether the report has left its unit for the central office (signed off, and what followed):
    /// the rule books forbid sending before review and sign-off, so the web desk shows only these.
    public var hasLeftUnit: Bool {
        switch self {
        case .signed, .received, .adopted, .returned, .rejected, .archived: true
        case .draft, .awaitingReview, .reviewed, .withdrawn: false
        }
    }

    /// Content may be edited only before sign-off (or after a return); it is locked from `signed` on.
    public var allowsContentEdit: Bool {
        switch self {
        case .draft, .awaitingReview, .reviewed, .returned: true
        default: false
        }
    }
}
