/// The units a device syncs for: its own and every unit below it, however deep. The query is the same
/// SQL in SQLite and PostgreSQL; only the placeholder of the unit differs.
public enum UnitScope {
    /// The ids of the unit bound to `placeholder` and of every unit below it.
    public static func query(placeholder: String) -> String {
        """
        WITH RECURSIVE scope(id) AS (SELECT CAST(\(placeholder) AS TEXT) UNION SELECT u.id FROM units u JOIN scope s ON u.parent = s.id)
        SELECT id FROM scope
        """
    }
}
