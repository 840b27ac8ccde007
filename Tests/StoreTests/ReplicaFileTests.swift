import Foundation
import GRDB
@testable import Store
import SyncCore
import Testing

/// Opening, creating and reopening replica files, and refusing files that are not ours.
@Suite("Replica files")
struct ReplicaFileTests {
    @Test("a replica keeps its id, unit, members and reports when the file is closed and reopened")
    func reopen() throws {
        let dir = try StoreFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("field.sqlite").path
        let (identity, reportID): (ReplicaIdentity, String) = try {
            let replica = try StoreFixtures.staffed(Replica.create(at: path, unit: StoreFixtures.unit))
            let report = try replica.draft(StoreFixtures.news(), by: "wang")
            return (try replica.identity(), report.id)
        }()
        let reopened = try Replica.open(at: path)
        #expect(try reopened.identity() == identity)
        #expect(try reopened.members().map(\.id) == ["li", "wang", "zhao"])
        #expect(try reopened.report(reportID).content.title == "中队开展夜间巡查")
        let next = try reopened.draft(StoreFixtures.news("second"), by: "wang")
        #expect(next.contentDot.counter > 4, "dot counters continue after reopening, never reissued")
    }

    @Test("a file's identity reads as Foundation's attributes gave it, so files that keep it still match")
    func identityText() throws {
        let dir = try StoreFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("some.sqlite").path
        #expect(FileIdentity.of(path) == nil)
        try Data("x".utf8).write(to: URL(fileURLWithPath: path))
        let link = dir.appendingPathComponent("link.sqlite").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: path)
        for place in [path, link] {
            let attributes = try FileManager.default.attributesOfItem(atPath: place)
            let foundation = "\(try #require(attributes[.systemNumber])):\(try #require(attributes[.systemFileNumber]))"
            #expect(FileIdentity.of(place) == foundation, "\(place)")
        }
        #expect(FileIdentity.of(link) != FileIdentity.of(path))
    }

    @Test("init over an existing replica is refused and leaves it as it was")
    func initTwice() throws {
        let dir = try StoreFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("field.sqlite").path
        let first = try Replica.create(at: path, unit: StoreFixtures.unit).identity()
        let error = #expect(throws: ReportSyncError.self) {
            try Replica.create(at: path, unit: OrgUnit(id: "other", name: "x", kind: .office))
        }
        #expect(error?.code == .alreadyExists)
        #expect(try Replica.open(at: path).identity() == first)
    }

    @Test("a missing file is refused with how to create one")
    func missing() {
        let error = #expect(throws: ReportSyncError.self) { try Replica.open(at: "/nonexistent/dir/none.sqlite") }
        #expect(error?.code == .notFound)
        #expect(error?.message.contains("report-cli init") == true)
    }

    @Test("a corrupt file is refused and not modified")
    func corrupt() throws {
        let dir = try StoreFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("broken.sqlite").path
        let garbage = Data((0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try garbage.write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: ReportSyncError.self) { try Replica.open(at: path) }
        #expect(error?.code == .storage)
        #expect(FileManager.default.contents(atPath: path) == garbage)
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    }

    @Test("an SQLite file that is not a replica is refused and not modified")
    func foreignDatabase() throws {
        let dir = try StoreFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("other.sqlite").path
        try DatabaseQueue(path: path).write { db in try db.execute(sql: "CREATE TABLE t(x)") }
        let before = FileManager.default.contents(atPath: path)
        let error = #expect(throws: ReportSyncError.self) { try Replica.open(at: path) }
        #expect(error?.message.contains("not a ReportSync replica") == true)
        #expect(FileManager.default.contents(atPath: path) == before)
    }

    @Test("a file written by a newer schema is refused with what to install")
    func newerSchema() throws {
        let dir = try StoreFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("future.sqlite").path
        _ = try Replica.create(at: path, unit: StoreFixtures.unit)
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations(identifier) VALUES ('v99-from-the-future')")
        }
        let error = #expect(throws: ReportSyncError.self) { try Replica.open(at: path) }
        #expect(error?.code == .schemaTooNew)
        #expect(error?.message.contains("v99-from-the-future") == true)
    }

    @Test("the on-disk replica runs in WAL mode")
    func walMode() throws {
        let dir = try StoreFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("field.sqlite").path
        _ = try Replica.create(at: path, unit: StoreFixtures.unit)
        let mode = try DatabaseQueue(path: path).read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
    }
}
