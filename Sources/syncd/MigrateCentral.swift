import ArgumentParser
import Foundation
import Store
import StorePostgres
import SyncCore

/// `syncd migrate`: copies a central's SQLite file into an empty PostgreSQL database and checks it.
struct MigrateCentral: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Copy a central replica file into an empty PostgreSQL database, and check that the digests agree.",
        discussion: """
            Stop syncd serve on the file first. Every table is copied from one snapshot of the file, in one \
            transaction; the copy is kept only if each table holds as many rows as the file and the digest \
            recomputed from the copied records is the file's. The copy begins a new incarnation of the central, as \
            a restore does: each device sends again what it may lack and pulls again at its next sync. Then serve \
            it with syncd serve --db URL (docs/postgres.md).
            """)
    @Option(help: "The central replica file to copy.") var from: String
    @Option(help: "The PostgreSQL database to copy it into: postgres://USER:PASSWORD@HOST:PORT/DB (PG* variables fill what it leaves out).")
    var to: String

    func run() async throws {
        try await reporting {
            let address = try PostgresAddress(parsing: to)
            let central = try CentralReplica.open(at: from)
            print("copying \(from) into \(address) …")
            let summary = try await CentralMigration.copy(from: central, to: address) { table in
                print("  \(table.name): \(table.rows) rows")
            }
            let rows = summary.tables.reduce(0) { $0 + $1.rows }
            print("copied \(summary.tables.count) tables, \(rows) rows; the digests agree (\(summary.digest.prefix(12))); the copy is a new incarnation of the central: serve it with syncd serve --db URL, and serve the file no more")
            if let files = central.replica.blobStore?.directory, FileManager.default.fileExists(atPath: files) {
                print("the attachments' files stay in \(files): keep that folder with the copy")
            }
        }
    }
}
