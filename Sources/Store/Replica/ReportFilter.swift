import GRDB
import SyncCore

/// Which reports `Replica.reports(matching:)` returns.
public struct ReportFilter: Sendable {
    public var state: ApprovalState?
    public var category: ReportCategory?
    public var unit: String?

    public init(state: ApprovalState? = nil, category: ReportCategory? = nil, unit: String? = nil) {
        self.state = state
        self.category = category
        self.unit = unit
    }

    /// The order of a list: most recently changed first.
    public static let order = "updated_at DESC, id DESC"

    /// The filter as SQL conditions on the `reports` table (joined with AND) and their values, in both
    /// stores' SQL: `placeholder` writes the n-th parameter (from 1) as the store's dialect does.
    public func conditions(placeholder: (Int) -> String) -> (clauses: [String], values: [String]) {
        let asked = [("state", state?.rawValue), ("category", category?.rawValue), ("unit", unit)].compactMap { column, value in
            value.map { (column, $0) }
        }
        return (asked.enumerated().map { "\($1.0) = \(placeholder($0 + 1))" }, asked.map(\.1))
    }
}
