/// The little that differs between the SQL of the two stores for the queries they share: how a
/// parameter is written, and how a text field of a JSON column is read.
public enum SQLDialect: Sendable {
    case sqlite
    case postgres

    /// The n-th parameter (from 1).
    public func placeholder(_ n: Int) -> String {
        switch self {
        case .sqlite: "?"
        case .postgres: "$\(n)"
        }
    }

    /// The text at `path` (keys from the top) of the JSON text in `column`, NULL when absent.
    public func jsonText(_ column: String, _ path: String...) -> String {
        switch self {
        case .sqlite: "json_extract(\(column), '$.\(path.joined(separator: "."))')"
        case .postgres: "(\(column)::jsonb #>> '{\(path.joined(separator: ","))}')"
        }
    }
}

/// A value of a condition, in either store's SQL.
public enum SQLArgument: Sendable, Hashable {
    case text(String)
    case integer(Int64)
}
