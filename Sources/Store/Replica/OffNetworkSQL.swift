import SyncCore

/// `Secrecy`'s rule as SQL on the `reports` table: the one condition the outbox, the network feed,
/// bundles and `status` use to find reports kept off the network (by their strictest standing
/// classification, the `classification` column, or that of the report they follow up). The SQL is the
/// same in SQLite and PostgreSQL, so both stores use it.
public enum OffNetworkSQL {
    /// The classifications as a list of SQL string literals (`'internal', 'secret'`).
    static func list(_ classifications: Set<Classification>) -> String {
        classifications.map { "'\($0.rawValue)'" }.sorted().joined(separator: ", ")
    }

    /// Whether the report row `report`, or the row `first` of the report it follows up (a LEFT JOIN,
    /// which may be NULL), has one of `classifications`.
    public static func report(_ classifications: Set<Classification>, report: String = "r", first: String = "f") -> String {
        if classifications.isEmpty { return "FALSE" }
        let barred = list(classifications)
        return "(COALESCE(\(report).classification IN (\(barred)), FALSE) OR COALESCE(\(first).classification IN (\(barred)), FALSE))"
    }

    /// Whether the report of a row of `changes` is kept off the network.
    public static func change(_ classifications: Set<Classification>) -> String {
        """
        EXISTS (SELECT 1 FROM reports r LEFT JOIN reports f ON f.id = r.follow_up_of
                WHERE r.id = changes.record AND \(report(classifications)))
        """
    }
}
