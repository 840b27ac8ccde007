import TestSupport
import Foundation
@testable import Store
import SyncCore
import Testing

/// Receiving changes into an SQLite replica: the same merge as in memory, durable, idempotent, with
/// pending and refused changes kept.
@Suite("Receiving changes into a replica")
struct ReplicaSyncTests {
    /// Two staffed replicas of squad-3: a field laptop and a second device that starts from the laptop's log.
    func pair() throws -> (Replica, Replica) {
        let laptop = try StoreFixtures.inMemory()
        let tablet = try Replica.inMemory(unit: StoreFixtures.unit)
        _ = try tablet.receive(try laptop.changes().map(\.change))
        return (laptop, tablet)
    }

    func exchange(_ a: Replica, _ b: Replica) throws {
        _ = try a.receive(try b.changes().map(\.change))
        _ = try b.receive(try a.changes().map(\.change))
    }

    @Test("two replicas that exchanged everything have equal digests and equal reports")
    func converge() throws {
        let (laptop, tablet) = try pair()
        let id = try laptop.draft(StoreFixtures.news(), by: "wang").id
        try exchange(laptop, tablet)
        _ = try laptop.edit(id, with: { var p = ReportPatch(); p.title = "笔记本"; return p }(), by: "wang")
        _ = try tablet.edit(id, with: { var p = ReportPatch(); p.title = "平板"; return p }(), by: "li")
        try exchange(laptop, tablet)
        #expect(try laptop.digest() == tablet.digest())
        #expect(try laptop.report(id).content.title == tablet.report(id).content.title)
        let conflicts = try tablet.conflicts(report: id)
        #expect(conflicts.count == 1 && conflicts[0].kind == .fieldValue)
        #expect(Set([conflicts[0].winner.actor, conflicts[0].loser.actor]) == ["wang", "li"])
    }

    @Test("the SQLite replica and the in-memory replica agree on the digest of the same changes")
    func sameDigestAsMemory() throws {
        let (laptop, _) = try pair()
        let id = try laptop.draft(StoreFixtures.news(), by: "wang").id
        _ = try laptop.perform(.submit, on: id, by: "wang")
        var memory = MemoryReplica(replicaID: "memory")
        memory.receive(try laptop.changes().map(\.change), now: Date())
        #expect(try memory.digest() == laptop.digest())
    }

    @Test("a batch large enough to be read ahead (edits in conflict, changes already held, a dot reused) ends as the same changes taken one at a time in memory")
    func readAheadBatch() throws {
        let (laptop, tablet) = try pair()
        let ids = try (0..<20).map { try laptop.draft(StoreFixtures.news("巡查 \($0)"), by: "wang").id }
        _ = try tablet.receive(try laptop.changes().map(\.change))
        for id in ids.prefix(10) { _ = try tablet.edit(id, with: { var p = ReportPatch(); p.title = "平板改"; return p }(), by: "li") }
        for id in ids { _ = try laptop.edit(id, with: { var p = ReportPatch(); p.title = "笔记本改"; return p }(), by: "wang") }
        var batch = try laptop.changes().map(\.change)
        var reused = try #require(batch.first { if case .content(let write) = $0.payload { write.creates } else { false } })
        if case .content(var write) = reused.payload { write.fields["title"] = "\"同一个点，另一段内容\""; reused.payload = .content(write) }
        batch.append(reused)
        #expect(batch.count >= 40)

        var memory = MemoryReplica(replicaID: "memory")
        memory.receive(try tablet.changes().map(\.change), now: Date())
        let oneByOne = batch.flatMap { memory.receive([$0], now: Date()) }
        let atOnce = try tablet.receive(batch)
        #expect(atOnce == oneByOne)
        #expect(atOnce.filter { $0 == .duplicate }.count > 20 && atOnce.last != .applied)
        #expect(try tablet.conflicts().filter { $0.status == .open }.count == 10)
        #expect(try tablet.digest() == memory.digest())
    }

    @Test("replaying a batch (a crash between applying and acknowledging) changes nothing")
    func replay() throws {
        let (laptop, tablet) = try pair()
        _ = try laptop.draft(StoreFixtures.news(), by: "wang")
        let batch = try laptop.changes().map(\.change)
        _ = try tablet.receive(batch)
        let digest = try tablet.digest()
        let count = try tablet.changes().count
        let outcomes = try tablet.receive(batch)
        #expect(outcomes.allSatisfy { $0 == .duplicate })
        #expect(try tablet.digest() == digest && tablet.changes().count == count)
    }

    @Test("a change that arrives before its cause waits on disk and applies when the cause comes")
    func pendingSurvivesReopen() throws {
        let dir = try StoreFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let laptop = try StoreFixtures.inMemory()
        let id = try laptop.draft(StoreFixtures.news(), by: "wang").id
        _ = try laptop.perform(.submit, on: id, by: "wang")
        let log = try laptop.changes().map(\.change)
        let path = dir.appendingPathComponent("central.sqlite").path
        let outcomes = try Replica.create(at: path, unit: StoreFixtures.unit).receive(Array(log.suffix(1)))
        guard case .waiting = outcomes[0] else {
            Issue.record("the submit must wait for its report, got \(outcomes[0])")
            return
        }
        let reopened = try Replica.open(at: path)
        #expect(try reopened.pendingCount() == 1)
        _ = try reopened.receive(Array(log.dropLast()))
        #expect(try reopened.pendingCount() == 0)
        #expect(try reopened.report(id).state == .awaitingReview)
        #expect(try reopened.digest(unit: "squad-3") == laptop.digest(unit: "squad-3"))
    }

    @Test("a refused change is recorded with its reason and the rest of the batch applies")
    func refusedIsKept() throws {
        let (laptop, tablet) = try pair()
        _ = try laptop.draft(StoreFixtures.news(), by: "wang")
        var batch = try laptop.changes().map(\.change)
        var future = batch.last!
        future.dot = Dot(replica: "elsewhere", counter: 1)
        future.record = "other-report"
        future.hlc = HybridTimestamp(wallMilliseconds: Date().millisecondsSince1970 + 86_400_000, logical: 0)
        batch.insert(future, at: 0)
        let outcomes = try tablet.receive(batch)
        guard case .rejected(let error) = outcomes[0] else {
            Issue.record("a change from tomorrow must be refused")
            return
        }
        #expect(error.message.contains("in the future"))
        #expect(outcomes.last == .applied)
        let rejected = try tablet.rejectedChanges()
        #expect(rejected.count == 1 && rejected[0].change.dot == future.dot && rejected[0].reason.contains("future"))
    }

    @Test("a replica file copied or restored elsewhere takes a new replica id and never reuses the old one")
    func restoredBackup() throws {
        let dir = try StoreFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let original = dir.appendingPathComponent("field.sqlite").path
        let backup = dir.appendingPathComponent("backup.sqlite").path
        let replica = try StoreFixtures.staffed(Replica.create(at: original, unit: StoreFixtures.unit))
        let oldID = try replica.identity().replicaID
        _ = try replica.draft(StoreFixtures.news(), by: "wang")
        try replica.checkpoint()
        try FileManager.default.copyItem(atPath: original, toPath: backup)
        _ = try replica.draft(StoreFixtures.news("after the backup"), by: "wang")

        let restored = try Replica.open(at: backup)
        let identity = try restored.identity()
        #expect(identity.replicaID != oldID)
        #expect(identity.previousReplicaIDs == [oldID])
        let written = try restored.draft(StoreFixtures.news("on the restored copy"), by: "wang")
        #expect(written.contentDot.replica == identity.replicaID)
        let old = try replica.changes().map(\.change.dot)
        #expect(!old.contains(written.contentDot), "no dot of the original is issued again")
        #expect(try Replica.open(at: original).identity().replicaID == oldID, "the original keeps its id")
    }

    @Test("a field replica whose clock is an hour behind still takes the central's changes, while a pushed change from the future is refused")
    func fieldClockBehind() throws {
        let dir = try StoreFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let central = try StoreFixtures.inMemory()
        let id = try central.draft(StoreFixtures.news(), by: "wang").id
        let field = try FieldReplica.create(
            at: dir.appendingPathComponent("field.sqlite").path, unit: "squad-3", centralURL: "http://central", token: "t",
            now: { Date().addingTimeInterval(-3600) })
        let feed = try central.changes().map(\.change)
        let outcomes = try field.applyPulled(feed, next: 99)
        #expect(outcomes.allSatisfy { $0 == .applied })
        #expect(try field.replica.report(id).content.title == StoreFixtures.news().title)
        #expect(try field.pullCursor() == 99)
        // The other way round, the central judges clocks: a change stamped an hour ahead of it is refused.
        let late = try Replica.inMemory(unit: StoreFixtures.unit, now: { Date().addingTimeInterval(-3600) })
        guard case .rejected = try late.receive([feed.last!])[0] else {
            Issue.record("a change from an hour in the future must be refused on receipt")
            return
        }
    }

    @Test("a follow-up edit that waits first for its first report, then for its own report, applies when both arrive")
    func waitsOnTwoRecords() throws {
        let laptop = try StoreFixtures.inMemory()
        let first = try laptop.draft(ReportContent(category: .emergency, title: "滑坡", body: "初报"), by: "wang").id
        var followUp = ReportContent(category: .emergency, title: "续报", body: "进展")
        followUp.followUpOf = first
        let second = try laptop.draft(followUp, by: "wang").id
        var patch = ReportPatch()
        patch.body = "进展（更新）"
        _ = try laptop.edit(second, with: patch, by: "wang")
        let log = try laptop.changes().map(\.change).filter { !$0.payload.isReference }
        let central = try StoreFixtures.inMemory()
        // The edit of the follow-up first (it waits for the follow-up), then the follow-up (it waits for its
        // first report), then the first report: everything must apply.
        _ = try central.receive([log[2]])
        _ = try central.receive([log[1]])
        #expect(try central.pendingCount() == 2)
        _ = try central.receive([log[0]])
        #expect(try central.pendingCount() == 0)
        #expect(try central.report(second).content.body == "进展（更新）")
    }
}
