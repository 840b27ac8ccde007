import Dispatch
import Foundation
import GRDB
@testable import Store
import SyncCore
import Testing

/// Group commit at the central (`PushGroups`): pushes that wait together share one transaction, each in
/// a savepoint of its own.
@Suite("Pushes committed in groups")
struct PushGroupTests {
    /// A central file with a scratch table the test's "pushes" write to.
    func central() throws -> (CentralReplica, URL) {
        let dir = try StoreFixtures.temporaryDirectory()
        let central = try CentralReplica.create(
            at: dir.appendingPathComponent("central.sqlite").path, bureau: OrgUnit(id: "bureau", name: "局办公室", kind: .centralOffice))
        try central.replica.write { db in try db.execute(sql: "CREATE TABLE scratch (name TEXT PRIMARY KEY)") }
        return (central, dir)
    }

    func outcome(_ push: () async throws -> [PushResult]) async -> Result<[PushResult], any Error> {
        do { return .success(try await push()) } catch { return .failure(error) }
    }

    func names(_ replica: Replica) throws -> [String] {
        try replica.read { db in try String.fetchAll(db, sql: "SELECT name FROM scratch ORDER BY name") }
    }

    @Test("a push that fails in a group is rolled back alone; the others are committed, and a later one reads the earlier ones")
    func oneFails() async throws {
        let (central, dir) = try central()
        defer { try? FileManager.default.removeItem(at: dir) }
        let replica = central.replica
        let groups = central.pushGroups
        let gate = DispatchSemaphore(value: 0)
        let running = Flag()
        @Sendable func insert(_ name: String) throws {
            try replica.write { db in try db.execute(sql: "INSERT INTO scratch(name) VALUES (?)", arguments: [name]) }
        }
        try await withThrowingTaskGroup(of: (String, Result<[PushResult], any Error>).self) { tasks in
            // The first push holds the writer until the other three wait: they then go in one group.
            tasks.addTask {
                ("gate", await outcome { try await groups.apply(changes: 1) { running.set(); gate.wait(); try insert("gate"); return [] } })
            }
            while !running.isSet { await Task.yield() }
            tasks.addTask { ("a", await outcome { try await groups.apply(changes: 1) { try insert("a"); return [] } }) }
            while groups.waitingCount < 1 { await Task.yield() }
            tasks.addTask {
                ("b", await outcome { try await groups.apply(changes: 1) { try insert("b"); throw ReportSyncError(.invalidInput, "b fails") } })
            }
            while groups.waitingCount < 2 { await Task.yield() }
            tasks.addTask {
                ("c", await outcome {
                    try await groups.apply(changes: 1) {
                        // Within the group, what "a" wrote is there to read, though nothing is committed yet.
                        let seen = try replica.read { db in try String.fetchAll(db, sql: "SELECT name FROM scratch ORDER BY name") }
                        try insert("c")
                        return seen.map { PushResult(dot: Dot(replica: $0, counter: 1), status: .accepted) }
                    }
                })
            }
            while groups.waitingCount < 3 { await Task.yield() }
            gate.signal()
            var answers: [String: Result<[PushResult], any Error>] = [:]
            for try await (name, answer) in tasks { answers[name] = answer }
            #expect(throws: ReportSyncError.self) { try answers["b"]!.get() }
            #expect(try answers["c"]!.get().map(\.dot.replica) == ["a", "gate"])
            #expect(try answers["a"]!.get().isEmpty)
        }
        #expect(try names(replica) == ["a", "c", "gate"])
    }

    @Test("a push that fails after its session issued a dot leaves the counter watermark where the file is")
    func watermarkOfFailedPush() throws {
        let (central, dir) = try central()
        defer { try? FileManager.default.removeItem(at: dir) }
        let replica = central.replica
        let id = try replica.read { db in try Meta.require(.replicaID, db) }
        let answers = try PushGroups.commit(
            [
                {
                    try replica.session { s in
                        try s.commitLocal([Replica.referenceChange(.unit(OrgUnit(id: "x1", name: "x1", kind: .squad, parent: "bureau")), unit: "x1", s)])
                    }
                    throw ReportSyncError(.invalidInput, "fails after its session")
                },
                { [] },
            ], on: replica)
        #expect((try? answers[0].get()) == nil)
        let counter = try #require(Int64(try replica.read { db in try Meta.require(.counter, db) }))
        #expect((CounterWatermark.read(replica: id) ?? 0) <= counter)
    }

    @Test("a group whose commit fails answers each of its pushes with the error, and takes none of them")
    func commitFails() async throws {
        let (central, dir) = try central()
        defer { try? FileManager.default.removeItem(at: dir) }
        let replica = central.replica
        let id = try replica.read { db in try Meta.require(.replicaID, db) }
        // A deferred foreign key is checked only at the commit: a push that leaves one dangling passes
        // its savepoint and fails the group's commit, as a full disk or a lost lock would.
        try replica.write { db in
            try db.execute(sql: "CREATE TABLE parent (id TEXT PRIMARY KEY)")
            try db.execute(sql: "CREATE TABLE child (parent TEXT REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)")
        }
        let counterBefore = try replica.read { db in try Meta.require(.counter, db) }
        let watermarkBefore = CounterWatermark.read(replica: id)
        #expect(throws: (any Error).self) {
            try PushGroups.commit(
                [
                    {
                        try replica.session { s in
                            try s.commitLocal([Replica.referenceChange(.unit(OrgUnit(id: "x1", name: "x1", kind: .squad, parent: "bureau")), unit: "x1", s)])
                        }
                        try replica.write { db in try db.execute(sql: "INSERT INTO scratch(name) VALUES ('a')") }
                        return []
                    },
                    {
                        try replica.write { db in try db.execute(sql: "INSERT INTO child(parent) VALUES ('nobody')") }
                        return []
                    },
                ], on: replica)
        }
        #expect(try names(replica).isEmpty)
        #expect(try replica.read { db in try Meta.require(.counter, db) } == counterBefore)
        #expect(CounterWatermark.read(replica: id) == watermarkBefore)
        // Through the server's path: the push is answered with the commit's error.
        let answer = await outcome {
            try await central.pushGroups.apply(changes: 1) {
                try replica.write { db in try db.execute(sql: "INSERT INTO child(parent) VALUES ('nobody')") }
                return []
            }
        }
        #expect((try? answer.get()) == nil)
        #expect(try replica.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM child") } == 0)
    }

    @Test("many devices pushing at once: every push is answered, and every change is taken once")
    func concurrentDevices() async throws {
        let (central, dir) = try central()
        defer { try? FileManager.default.removeItem(at: dir) }
        let devices = 40
        var tokens: [(unit: String, token: String)] = []
        for d in 0..<devices {
            let unit = "squad-\(d)"
            try central.replica.addUnit(OrgUnit(id: unit, name: unit, kind: .squad, parent: "bureau"))
            try central.replica.addMember(Member(id: "m-\(unit)", name: unit, unit: unit, role: .drafter))
            tokens.append((unit, try central.enroll(unit: unit, device: "device-\(d)")))
        }
        let now = Date()
        let results = try await withThrowingTaskGroup(of: [PushResult].self) { tasks in
            for (d, device) in tokens.enumerated() {
                tasks.addTask {
                    let enrollment = try await central.authenticate(token: device.token)
                    let change = Change(
                        dot: Dot(replica: "device-\(d)", counter: 1), hlc: HybridTimestamp(wallMilliseconds: now.millisecondsSince1970, logical: 0),
                        record: UUIDv7.make(), unit: device.unit, actor: "m-\(device.unit)", context: VersionVector(),
                        payload: .content(ContentWrite(creates: true, fields: try StoreFixtures.news().encodedFields())))
                    return try await central.receivePush([change], from: enrollment)
                }
            }
            var all: [PushResult] = []
            for try await answer in tasks { all += answer }
            return all
        }
        #expect(results.count == devices)
        #expect(results.allSatisfy { $0.status == .accepted })
        let taken = try central.replica.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(DISTINCT record) FROM changes WHERE replica LIKE 'device-%'")
        }
        #expect(taken == devices)
    }

    /// A flag one thread sets and another reads.
    final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        func set() { lock.withLock { value = true } }
        var isSet: Bool { lock.withLock { value } }
    }
}
