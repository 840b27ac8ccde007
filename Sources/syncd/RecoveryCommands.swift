import ArgumentParser
import Foundation
import Store
import StorePostgres
import SyncCore

/// `syncd backup`: an online, consistent backup of the central (docs/operations.md).
struct BackupCentral: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup", abstract: "Write a consistent backup of the central replica while syncd serve keeps running.")
    @Option(help: "The central replica file.") var db: String
    @Option(help: "The backup file to create (never overwritten).") var out: String

    func run() async throws {
        try await reporting {
            if PostgresAddress.isAddress(db) {
                throw ReportSyncError(
                    .invalidInput,
                    "a central on PostgreSQL is backed up with PostgreSQL's own tools (pg_dump, or the cluster's base backups); after putting one back, run syncd restore --db URL (docs/postgres.md)")
            }
            let info = try CentralReplica.open(at: db).replica.backup(to: out)
            print("backed up the central \(db) to \(info.path) (\(info.bytes) bytes); put it back with syncd restore --from \(info.path) --db \(db)")
        }
    }
}

/// `syncd restore`: puts a central backup in use as a new incarnation.
struct RestoreCentral: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Put a central backup in use (stop syncd serve first); the fields send back what it lacks at their next sync.")
    @Option(help: "The backup to restore (written by syncd backup, or a copy of a central replica file); not with a central on PostgreSQL, put back with pg_restore first.")
    var from: String?
    @Option(help: "The central replica file to restore to (a file already there is kept aside, never deleted), or a central on PostgreSQL already put back from a dump.")
    var db: String

    func run() async throws {
        try await reporting {
            if PostgresAddress.isAddress(db) {
                guard from == nil else {
                    throw ReportSyncError(
                        .invalidInput,
                        "put the dump back with pg_restore first, then run syncd restore --db URL without --from: it takes the database as it now is as a new incarnation")
                }
                let incarnation = try await PostgresCentral.restoreInPlace(at: try PostgresAddress(parsing: db))
                return print(
                    "took the central's database as incarnation \(incarnation.id) (up to sequence \(incarnation.base)); start syncd serve again: each field sends what the central lacks and pulls again at its next sync"
                )
            }
            guard let from else { throw ReportSyncError(.invalidInput, "say which backup to restore: --from FILE") }
            let restored = try CentralReplica.restore(from: from, to: db)
            if let kept = restored.replacedFileKeptAt { print("kept the file that was at \(db) as \(kept)") }
            print(
                "restored \(from) to \(db) as incarnation \(restored.incarnation) (up to sequence \(restored.base)); start syncd serve again: each field sends what the central lacks and pulls again at its next sync"
            )
        }
    }
}

/// `syncd compact`: reclaims free space while the central keeps serving.
struct CompactCentral: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compact",
        abstract: "Reclaim free space in the central replica while syncd serve keeps running.",
        discussion: "The change log, waiting changes and refusals are kept: every device, however late, is served from them (docs/operations.md).")
    @Option(help: "The central replica file.") var db: String

    func run() async throws {
        try await reporting {
            let done = try CentralReplica.open(at: db).compact()
            print(
                "compacted \(db): \(done.bytesBefore) → \(done.bytesAfter) bytes; \(done.codesDropped) used or expired key code(s) dropped; "
                    + "\(done.filesRemoved.files) attached file(s) no report names removed (\(done.filesRemoved.bytes.bytesText))")
        }
    }
}
