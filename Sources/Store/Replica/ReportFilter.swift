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

    /// The filter as SQL conditions on the `reports` table (joined with AND) and their arguments.
    var conditions: (clauses: [String], arguments: StatementArguments) {
        var clauses: [String] = []
        var arguments: StatementArguments = []
        if let state {
            clauses.append("state = ?")
            arguments += [state.rawValue]
        }
        if let category {
            clauses.append("category = ?")
            arguments += [category.rawValue]
        }
        if let unit {
            clauses.append("unit = ?")
            arguments += [unit]
        }
        return (clauses, arguments)
    }
}
