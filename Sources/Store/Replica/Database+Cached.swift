import GRDB

extension Database {
    /// Executes a statement compiled once per connection: the hot paths of applying changes run the
    /// same few statements thousands of times per sync.
    func executeCached(sql: String, arguments: StatementArguments) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }

    /// The first column of the first row of a cached statement, as a string.
    func fetchCachedString(sql: String, arguments: StatementArguments) throws -> String? {
        try String.fetchOne(cachedStatement(sql: sql), arguments: arguments)
    }
}
