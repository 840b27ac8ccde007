import Foundation
import Store
@testable import StorePostgres
import SyncCore
import Testing
import TestSupport

/// Group commit at a central on PostgreSQL (`PostgresPushGroups`): pushes that wait together are written
/// under one hold of the feed's lock, on one engine, and each is answered as if it had been written
/// alone. The pushes are made to wait by a transaction of the test that holds the feed's lock.
@Suite("Pushes written in groups on PostgreSQL", .serialized)
struct PostgresPushGroupTests {
    @Test("pushes that wait together are written as one group, one push a device, each answered as if alone; a push refused whole is written alone and the others together")
    func groups() async throws {
        let directory = try StoreFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("central.sqlite").path
        let file = try CentralReplica.create(at: path, bureau: OrgUnit(id: "bureau", name: "某某局", kind: .centralOffice))
        var tokens: [(unit: String, token: String)] = []
        for unit in ["squad-1", "squad-2"] {
            try file.replica.addUnit(OrgUnit(id: unit, name: unit, kind: .squad, parent: "bureau"))
            try file.replica.addMember(Member(id: "drafter-\(unit)", name: unit, unit: unit, role: .drafter))
            for d in 0..<3 { tokens.append((unit, try file.enroll(unit: unit, device: "\(unit)-\(d)"))) }
        }
        let forgerToken = try file.enroll(unit: "squad-1", device: "forger")
        let address = try await TestPostgres.copy(centralAt: path)
        let central = try PostgresCentral(address: address, files: nil)
        try await withThrowingTaskGroup(of: Void.self) { pool in
            pool.addTask { await central.run() }
            defer { pool.cancelAll() }
            let fields = try tokens.map { try FieldReplica.inMemory(unit: $0.unit) }
            var devices: [Enrollment] = []
            for (index, (_, token)) in tokens.enumerated() {
                devices.append(try await central.authenticate(token: token))
                // The unit's members, which a draft names.
                let page = try await central.feed(after: try fields[index].pullCursor(), limit: 1_000, token: token)
                _ = try fields[index].applyPulled(try page.changes.map { try JSONCoding.value(Change.self, from: $0.body) }, next: page.covered)
            }
            func draft(_ round: Int) throws -> [[OutboxEntry]] {
                try fields.enumerated().map { index, field in
                    for n in 0..<2 {
                        _ = try field.replica.draft(
                            ReportContent(category: .dynamic, title: "第\(round)轮\(index)-\(n)", body: "一组写入"), by: "drafter-\(tokens[index].unit)")
                    }
                    return try field.nextPush(limit: 100)
                }
            }

            // Every device pushes at once, the last one its push twice: after the first, one group takes one
            // push of each device, and the second copy goes in the next group, answered as already held.
            let first = try draft(1)
            let pushes = first.enumerated().map { ($0.element.map(\.change), devices[$0.offset]) } + [(first[5].map(\.change), devices[5])]
            let written = central.pushGroups.written.count
            let answers = try await Self.pushTogether(pushes, to: central, at: address)
            let groups = central.pushGroups.written.dropFirst(written)
            #expect(Array(groups) == [.init(pushes: 1, alone: 0), .init(pushes: 5, alone: 0), .init(pushes: 1, alone: 0)])
            for (index, answer) in answers.prefix(5).enumerated() {
                #expect(try answer.get().map(\.status) == [.accepted, .accepted], "device \(index)")
            }
            #expect(try answers[5].get().map(\.status) == [.accepted, .accepted])
            #expect(try answers[6].get().map(\.status) == [.duplicate, .duplicate])
            for (index, field) in fields.enumerated() { _ = try field.acknowledge(sent: first[index], answers: try answers[index].get()) }

            // Again, and a device of squad-1 sends a change under the first device's replica id: its push
            // is refused whole and written alone, and the others are written as a group.
            let second = try draft(2)
            var forged = second[1][0].change
            forged.dot = Dot(replica: try fields[0].replica.identity().replicaID, counter: 1_000)
            let forger = try await central.authenticate(token: forgerToken)
            let before = central.pushGroups.written.count
            let again = try await Self.pushTogether(
                second.enumerated().map { ($0.element.map(\.change), devices[$0.offset]) } + [([forged], forger)], to: central, at: address)
            #expect(Array(central.pushGroups.written.dropFirst(before)) == [.init(pushes: 1, alone: 0), .init(pushes: 6, alone: 1)])
            for index in 0..<6 { #expect(try again[index].get().map(\.status) == [.accepted, .accepted], "device \(index)") }
            let refusal = #expect(throws: ReportSyncError.self) { try again[6].get() }
            #expect(refusal?.code == .forbidden)
            let kept = try await PostgresDatabase.with(address) { db in
                (
                    forged: try await db.rows(
                        "SELECT COUNT(*)::bigint FROM changes WHERE replica = $1 AND counter = $2", [forged.dot.replica, forged.dot.counter], as: Int.self
                    ).first,
                    reports: try await db.rows("SELECT COUNT(*)::bigint FROM reports WHERE id LIKE 'rep-%' OR unit LIKE 'squad-%'", as: Int.self).first
                )
            }
            #expect(kept.forged == 0)
            #expect(kept.reports == 24)
        }
    }

    /// Sends the first push while a transaction of the test holds the feed's lock, and once that push's
    /// group waits for the lock, all the others at once; lets go of the lock when they all wait for the
    /// next group: each push's answer, in order.
    static func pushTogether(
        _ pushes: [([Change], Enrollment)], to central: PostgresCentral, at address: PostgresAddress
    ) async throws -> [Result<[PushResult], any Error>] {
        let (held, holding) = AsyncStream.makeStream(of: Void.self)
        let (released, release) = AsyncStream.makeStream(of: Void.self)
        return try await withThrowingTaskGroup(of: (Int, Result<[PushResult], any Error>)?.self) { tasks in
            tasks.addTask {
                try await PostgresDatabase.with(address) { db in
                    try await db.transaction { db in
                        try await db.lockFeed()
                        holding.yield()
                        for await _ in released { break }
                    }
                }
                return nil
            }
            for await _ in held { break }
            let takenBefore = central.pushGroups.counts.taken
            func send(_ index: Int) {
                tasks.addTask {
                    do {
                        return (index, .success(try await central.receivePush(pushes[index].0, from: pushes[index].1)))
                    } catch {
                        return (index, .failure(error))
                    }
                }
            }
            send(0)
            while central.pushGroups.counts.taken == takenBefore { await Task.yield() }
            for index in pushes.indices.dropFirst() { send(index) }
            while central.pushGroups.counts.waiting < pushes.count - 1 { await Task.yield() }
            release.yield()
            var answers: [Int: Result<[PushResult], any Error>] = [:]
            for try await answer in tasks { if let (index, result) = answer { answers[index] = result } }
            return (0..<pushes.count).map { answers[$0]! }
        }
    }
}
