import Foundation
import GRDB
import NIOPosix
import SyncCore

/// A replica of the bureau's reports kept in one SQLite file: the facade every command goes through.
///
/// Each public method that writes runs in one transaction, so a command is written whole or not at all.
public final class Replica: Sendable {
    let writer: any DatabaseWriter
    /// The file behind the replica, or `nil` in memory.
    public let path: String?
    let now: @Sendable () -> Date

    init(writer: any DatabaseWriter, path: String?, now: @escaping @Sendable () -> Date) {
        self.writer = writer
        self.path = path
        self.now = now
    }

    /// Creates a new standalone replica file for `unit`, refusing to touch a file that is already there.
    public static func create(
        at path: String, unit: OrgUnit, now: @escaping @Sendable () -> Date = { Date() }
    ) throws -> Replica {
        try create(at: path, unit: unit, role: .standalone, now: now)
    }

    /// Creates a new replica file in `role`; `setUp` writes the role's own settings in the same
    /// transaction. A standalone or central replica writes its unit as its own reference change; a field
    /// replica receives it from its central.
    static func create(
        at path: String, unit: OrgUnit, role: ReplicaRole, now: @escaping @Sendable () -> Date,
        setUp: (Database) throws -> Void = { _ in }
    ) throws -> Replica {
        try ServerAddress.refuse(path)
        if FileManager.default.fileExists(atPath: path) {
            if let existing = try? open(at: path, now: now), let identity = try? existing.identity() {
                throw ReportSyncError(
                    .alreadyExists,
                    "a replica already exists at \(path) (unit \(identity.unit.id), replica \(identity.replicaID)); use it, or choose another --db"
                )
            }
            throw ReportSyncError(.alreadyExists, "\(path) already exists and is not a replica; choose another --db")
        }
        do {
            let replica = Replica(writer: try DatabasePool(path: path, configuration: configuration()), path: path, now: now)
            try replica.initialize(unit: unit, role: role, setUp: setUp)
            return replica
        } catch {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            throw StoreErrors.translate(error, path: path)
        }
    }

    /// Opens an existing replica file, checking that it is one and that this program knows its schema.
    ///
    /// A file this process may not write (a backup on a read-only mount, another user's file) opens
    /// read-only: it can be read, and every write is refused with a clear error.
    public static func open(at path: String, now: @escaping @Sendable () -> Date = { Date() }) throws -> Replica {
        try ServerAddress.refuse(path)
        guard FileManager.default.fileExists(atPath: path) else {
            throw ReportSyncError(
                .notFound,
                "no replica at \(path): create one with 'report-cli init --unit ID --unit-name NAME', or point --db (or REPORT_DB) at an existing file"
            )
        }
        if !isWritable(path) { return try openReadOnly(at: path, now: now) }
        do {
            // Look before opening for writing: a foreign or damaged file must be left exactly as it was.
            var readOnly = configuration()
            readOnly.readonly = true
            try DatabaseQueue(path: path, configuration: readOnly).read { db in try checkCompatible(db, path: path) }
            let pool = try DatabasePool(path: path, configuration: configuration())
            try ReplicaSchema.migrator.migrate(pool)
            let replica = Replica(writer: pool, path: path, now: now)
            try replica.rekeyIfMoved()
            return replica
        } catch {
            throw StoreErrors.translate(error, path: path)
        }
    }

    /// True when this process may write the file and create its journal beside it.
    static func isWritable(_ path: String) -> Bool {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return access(path, W_OK) == 0 && access(folder, W_OK) == 0
    }

    /// Opens a file this process may not write, for reading only: no migration, no new epoch. SQLite
    /// cannot make the shared-memory file a WAL reader needs beside a file on a read-only mount, so
    /// when there is no journal to read with it, the file is opened as immutable.
    static func openReadOnly(at path: String, now: @escaping @Sendable () -> Date) throws -> Replica {
        var readOnly = configuration()
        readOnly.readonly = true
        func opened(_ location: String) throws -> Replica {
            let queue = try DatabaseQueue(path: location, configuration: readOnly)
            try queue.read { db in
                try checkCompatible(db, path: path)
                guard try ReplicaSchema.migrator.hasCompletedMigrations(db) else {
                    throw ReportSyncError(
                        .storage,
                        "\(path) is read-only here and was written by an older ReportSync; open it once where it can be written, so that it is brought up to date")
                }
            }
            return Replica(writer: queue, path: path, now: now)
        }
        do {
            return try opened(path)
        } catch let error as DatabaseError {
            let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
            var journal = stat()
            if stat(absolute + "-wal", &journal) == 0, journal.st_size > 0 {
                throw ReportSyncError(
                    .storage,
                    "\(path) is read-only here and its last writes are still in its journal (\(path)-wal), which cannot be read without writing beside it: copy both files to a folder you may write, or open it once where it can be written")
            }
            guard mayOpenImmutable(absolute), let encoded = absolute.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) else {
                throw StoreErrors.translate(error, path: path)
            }
            do { return try opened("file://\(encoded)?immutable=1") } catch { throw StoreErrors.translate(error, path: path) }
        }
    }

    /// True when nothing can change the file while it is read as immutable (its journal, if any, is
    /// empty): it is on a read-only mount, or no connection has it open (no shared-memory file).
    static func mayOpenImmutable(_ path: String) -> Bool {
        var mount = statvfs()
        if statvfs(path, &mount) == 0, mount.f_flag & UInt(ST_RDONLY) != 0 { return true }
        return access(path + "-shm", F_OK) != 0
    }

    /// A standalone replica in memory, for tests.
    public static func inMemory(unit: OrgUnit, now: @escaping @Sendable () -> Date = { Date() }) throws -> Replica {
        try inMemory(unit: unit, role: .standalone, now: now)
    }

    /// A replica in `role` in memory, for tests.
    static func inMemory(
        unit: OrgUnit, role: ReplicaRole, now: @escaping @Sendable () -> Date, setUp: (Database) throws -> Void = { _ in }
    ) throws -> Replica {
        let replica = Replica(writer: try DatabaseQueue(configuration: configuration()), path: nil, now: now)
        try replica.initialize(unit: unit, role: role, setUp: setUp)
        return replica
    }

    static func configuration() -> Configuration {
        var config = Configuration()
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            // Every command's transaction is on disk before the command says it succeeded.
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // Text withdrawn from this file (`WithheldText`) is overwritten where it stood, not left in free pages.
            try db.execute(sql: "PRAGMA secure_delete = FAST")
        }
        return config
    }

    static func checkCompatible(_ db: Database, path: String) throws {
        let migrator = ReplicaSchema.migrator
        if try migrator.hasBeenSuperseded(db) {
            let unknown = try migrator.appliedIdentifiers(db).subtracting(migrator.migrations).sorted()
            throw ReportSyncError(
                .schemaTooNew,
                "\(path) was written by a newer ReportSync (schema \(unknown.joined(separator: ", "))); install the newer report-cli to open it"
            )
        }
        guard try db.tableExists("replica_meta"),
            try String.fetchOne(db, sql: "SELECT value FROM replica_meta WHERE key = 'replica_id'") != nil
        else {
            throw ReportSyncError(.storage, "\(path) is an SQLite file but not a ReportSync replica; point --db at a replica")
        }
    }

    private func initialize(unit: OrgUnit, role: ReplicaRole, setUp: (Database) throws -> Void) throws {
        try ReplicaSchema.migrator.migrate(writer)
        try writer.write { db in
            let at = now()
            try Meta.set(.replicaID, UUIDv7.make(at: at), db)
            try Meta.set(.unitID, unit.id, db)
            try Meta.set(.createdAt, String(at.millisecondsSince1970), db)
            try Meta.set(.counter, "0", db)
            try Meta.set(.hlc, "0", db)
            if let path, let identity = FileIdentity.of(path) { try Meta.set(.fileIdentity, identity, db) }
            if role != .standalone { try Meta.set(.replicaRole, role.rawValue, db) }
            try setUp(db)
        }
        if role != .field {
            try session { s in
                try s.commitLocal([Self.referenceChange(.unit(unit), unit: unit.id, s)])
            }
        }
    }

    /// Takes a new replica id when the file may be an older copy of itself (`ReplicaEpoch.checkOpened`).
    private func rekeyIfMoved() throws {
        guard let path else { return }
        try write { db in _ = try ReplicaEpoch.checkOpened(path: path, db, at: now()) }
    }

    /// What this replica is to the bureau.
    public func role() throws -> ReplicaRole {
        try read { db in try Meta.role(db) }
    }

    /// Moves everything in the write-ahead log into the main file, so that copying the file alone copies it all.
    public func checkpoint() throws {
        do { _ = try writer.writeWithoutTransaction { db in try db.checkpoint(.truncate) } } catch {
            throw StoreErrors.translate(error, path: path)
        }
    }

    /// Closes the file: every later call fails. For a process that is about to let another copy of
    /// the file take its place (a restore).
    public func close() throws {
        do { try (writer as? DatabasePool)?.close() } catch { throw StoreErrors.translate(error, path: path) }
    }

    /// Runs `body` in one write transaction, translating storage failures.
    /// Inside a shared transaction (`inOneTransaction`) it is a savepoint of that transaction.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            guard let shared = sharedTransaction else { return try writer.write(body) }
            var result: T?
            try shared.db.inSavepoint {
                result = try body(shared.db)
                return .commit
            }
            return result!
        } catch { throw StoreErrors.translate(error, path: path) }
    }

    /// Runs `body` on a consistent snapshot, translating storage failures. Inside a shared transaction
    /// it reads that transaction, what its earlier work wrote included.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            guard let shared = sharedTransaction else { return try writer.read(body) }
            return try body(shared.db)
        } catch { throw StoreErrors.translate(error, path: path) }
    }
}

extension Replica {
    /// Runs blocking SQLite work on NIO's fixed pool of blocking threads and awaits it, so that neither
    /// an event loop nor a thread of Swift's cooperative pool waits on the disk, and a burst of requests
    /// cannot spawn a thread each.
    public func background<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive(body)
    }
}
