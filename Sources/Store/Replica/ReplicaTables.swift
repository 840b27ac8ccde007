import GRDB
import SyncCore

/// Every table of a replica file read from one consistent snapshot, a page at a time, each page a JSON
/// array of rows: what `syncd migrate` copies into another database. The snapshot holds still while
/// the central goes on serving; what it writes afterwards is not in the copy.
public final class ReplicaTables: Sendable {
    /// A table's name, its columns in their order, and the columns of its primary key.
    public struct Shape: Sendable, Equatable {
        public let name: String
        public let columns: [String]
        public let key: [String]
    }

    /// Where the next page of a table starts: after the row with these key values.
    public struct PageStart: Sendable {
        fileprivate let key: [DatabaseValue]
    }

    /// One page: its rows as a JSON array of objects (blobs as PostgreSQL's `\x…` hex text), how many,
    /// and where the next starts (`nil` after the last).
    public struct Page: Sendable {
        public let json: String
        public let count: Int
        public let next: PageStart?
    }

    private let reader: any DatabaseReader
    private let path: String?

    /// A snapshot of `replica` as it is now.
    public init(_ replica: Replica) throws {
        path = replica.path
        do {
            reader = try (replica.writer as? DatabasePool)?.makeSnapshot() ?? replica.writer
        } catch { throw StoreErrors.translate(error, path: replica.path) }
    }

    /// The replica's own tables (not SQLite's, not GRDB's record of migrations), by name.
    public func shapes() throws -> [Shape] {
        try read { db in
            let names = try String.fetchAll(
                db,
                sql: """
                    SELECT name FROM sqlite_master WHERE type = 'table'
                      AND name NOT LIKE 'sqlite_%' AND name <> 'grdb_migrations' ORDER BY name
                    """)
            return try names.map { name in
                let columns = try Row.fetchAll(db, sql: "SELECT name, pk FROM pragma_table_info(?) ORDER BY cid", arguments: [name])
                let key = columns.filter { ($0["pk"] as Int) > 0 }.sorted { ($0["pk"] as Int) < ($1["pk"] as Int) }.map { $0["name"] as String }
                return Shape(name: name, columns: columns.map { $0["name"] }, key: key.isEmpty ? ["rowid"] : key)
            }
        }
    }

    /// How many rows `table` holds in the snapshot.
    public func count(_ table: Shape) throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table.name.quotedDatabaseIdentifier)") ?? 0 }
    }

    /// Up to `limit` rows of `table` in the order of its key, after `start` (from the first when `nil`).
    public func page(of table: Shape, after start: PageStart?, limit: Int) throws -> Page {
        try read { db in
            let columns = table.columns.map(\.quotedDatabaseIdentifier).joined(separator: ", ")
            let key = table.key.map(\.quotedDatabaseIdentifier).joined(separator: ", ")
            let placeholders = Array(repeating: "?", count: table.key.count).joined(separator: ", ")
            let condition = start == nil ? "" : "WHERE (\(key)) > (\(placeholders))"
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT \(columns), \(key) FROM \(table.name.quotedDatabaseIdentifier) \(condition) ORDER BY \(key) LIMIT ?",
                arguments: StatementArguments(start?.key ?? []) + [limit])
            var json = CanonicalJSON()
            json.array { json in
                for row in rows {
                    json.object { json in
                        for (index, column) in table.columns.enumerated() {
                            json.key(dynamic: column)
                            Self.write(row[index] as DatabaseValue, to: &json)
                        }
                    }
                }
            }
            let last = rows.last.map { row in PageStart(key: (0..<table.key.count).map { row[table.columns.count + $0] }) }
            return Page(json: json.text, count: rows.count, next: rows.count < limit ? nil : last)
        }
    }

    private static func write(_ value: DatabaseValue, to json: inout CanonicalJSON) {
        switch value.storage {
        case .null: json.null()
        case .int64(let number): json.int(number)
        case .double(let number): json.raw(number.isFinite ? "\(number)" : "null")
        case .string(let text): json.string(text)
        case .blob(let data): json.string("\\x" + Hex.encode(data))
        }
    }

    private func read<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try reader.read(body) } catch { throw StoreErrors.translate(error, path: path) }
    }
}
