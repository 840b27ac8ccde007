import SyncCore

/// Rows for one statement, as a JSON array of objects that PostgreSQL reads with
/// `json_populate_recordset`: a batch of any size is one round trip, and every value keeps its type.
struct RowJSON {
    /// A column's value.
    enum Value {
        case text(String?)
        case integer(Int64?)
    }

    private(set) var rows: [String] = []

    var isEmpty: Bool { rows.isEmpty }

    /// Adds a row of `columns` (name and value).
    mutating func add(_ columns: [(String, Value)]) {
        var json = CanonicalJSON()
        json.object { json in
            for (name, value) in columns {
                json.key(dynamic: name)
                switch value {
                case .text(let text): if let text { json.string(text) } else { json.null() }
                case .integer(let number): if let number { json.int(number) } else { json.null() }
                }
            }
        }
        rows.append(json.text)
    }

    /// The rows as one JSON array.
    var text: String { "[" + rows.joined(separator: ",") + "]" }
}

extension PostgresDatabase {
    /// Inserts `rows` into `table`'s `columns` in one statement; `conflict` is the statement's
    /// `ON CONFLICT …` clause, if any.
    func insert(_ rows: RowJSON, into table: String, columns: [String], conflict: String = "") async throws {
        guard !rows.isEmpty else { return }
        let list = columns.joined(separator: ", ")
        try await run(
            "INSERT INTO \(table) (\(list)) SELECT \(list) FROM json_populate_recordset(NULL::\(table), $1::json) \(conflict)", [rows.text])
    }
}
