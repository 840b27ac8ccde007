import Foundation
import SyncCore
import Testing

/// Resolving conflicts (docs/conflict-policy.md row 13): a decision is a change that has seen both sides,
/// syncs like any other, and closes the conflict on every replica that receives it.
@Suite("Conflict resolution")
struct ConflictResolutionTests {
    /// Two replicas with a title conflict: wang's "王的标题" lost to li's later "李的标题".
    func titleConflict() throws -> (MemoryReplica, MemoryReplica, Conflict) {
        var a = MemoryReplica(replicaID: "a")
        var b = MemoryReplica(replicaID: "b")
        try a.draft(id: "r1", Cast.news("原标题"), by: Cast.wang, now: Cast.at(0))
        b.pull(from: a)
        try a.edit("r1", Cast.patch(title: "王的标题"), by: Cast.wang, now: Cast.at(10))
        try b.edit("r1", Cast.patch(title: "李的标题"), by: Cast.li, now: Cast.at(20))
        a.pull(from: b)
        b.pull(from: a)
        return (a, b, try #require(try a.record("r1").conflicts.first))
    }

    @Test("keep loser writes the loser's value; the other replica shows it and the conflict as resolved after sync")
    func keepLoser() throws {
        var (a, b, conflict) = try titleConflict()
        let changes = try b.resolve(conflict.id, on: "r1", keep: .loser, by: Cast.li, now: Cast.at(30))
        #expect(changes.count == 2, "the write of the kept value, then the resolution")
        #expect(try a.record("r1").conflict(conflict.id)?.status == .open, "not before the other replica syncs")
        a.pull(from: b)
        #expect(try a.digest() == b.digest())
        let settled = try #require(try a.record("r1").conflict(conflict.id))
        #expect(settled.status == .resolved)
        #expect(settled.resolution?.how == .keptLoser && settled.resolution?.by.actor == "li")
        #expect(try a.record("r1").content().title == "王的标题")
        #expect(settled.loser.value == "\"王的标题\"", "the loser stays listed")
    }

    @Test("keep winner writes no content, only the decision")
    func keepWinner() throws {
        var (a, b, conflict) = try titleConflict()
        let changes = try a.resolve(conflict.id, on: "r1", keep: .winner, by: Cast.wang, now: Cast.at(30))
        #expect(changes.count == 1)
        b.pull(from: a)
        #expect(try b.record("r1").conflict(conflict.id)?.resolution?.how == .keptWinner)
        #expect(try b.record("r1").content().title == "李的标题")
    }

    @Test("keep value writes a third value; a value that breaks a rule is refused and nothing is written")
    func keepValue() throws {
        var (a, _, conflict) = try titleConflict()
        let before = a.log.count
        #expect(throws: ReportSyncError.self) {
            try a.resolve(conflict.id, on: "r1", keep: .value, value: "  ", by: Cast.wang, now: Cast.at(30))
        }
        #expect(a.log.count == before)
        try a.resolve(conflict.id, on: "r1", keep: .value, value: "合并后的标题", by: Cast.wang, now: Cast.at(31))
        #expect(try a.record("r1").content().title == "合并后的标题")
        #expect(try a.record("r1").conflict(conflict.id)?.resolution?.how == .newValue)
    }

    @Test("an already resolved conflict, a member of another unit and the central editor are refused")
    func refusals() throws {
        var (a, _, conflict) = try titleConflict()
        #expect(throws: ReportSyncError.self) { try a.resolve(conflict.id, on: "r1", keep: .winner, by: Cast.sun, now: Cast.at(30)) }
        #expect(throws: ReportSyncError.self) { try a.resolve(conflict.id, on: "r1", keep: .winner, by: Cast.chen, now: Cast.at(30)) }
        try a.resolve(conflict.id, on: "r1", keep: .winner, by: Cast.wang, now: Cast.at(31))
        let error = #expect(throws: ReportSyncError.self) { try a.resolve(conflict.id, on: "r1", keep: .loser, by: Cast.li, now: Cast.at(32)) }
        #expect(error?.message.contains("already resolved") == true)
    }

    @Test("a stale sign-off is settled by reviewing again: a later step that saw both sides supersedes it")
    func staleApprovalSuperseded() throws {
        var a = MemoryReplica(replicaID: "a")
        var b = MemoryReplica(replicaID: "b")
        try a.draft(id: "r1", Cast.news(), by: Cast.wang, now: Cast.at(0))
        try a.perform(.submit, on: "r1", by: Cast.wang, now: Cast.at(1))
        try a.perform(.review, on: "r1", by: Cast.li, now: Cast.at(2))
        b.pull(from: a)
        try a.edit("r1", Cast.patch(body: "补充。"), by: Cast.wang, now: Cast.at(10))
        try b.perform(.sign, on: "r1", by: Cast.zhao, now: Cast.at(11))
        a.pull(from: b)
        let stale = try #require(try a.record("r1").conflicts.first { $0.kind == .staleApproval })
        #expect(stale.status == .open)
        #expect(stale.loser.role == .leader)
        try a.perform(.review, on: "r1", by: Cast.li, now: Cast.at(20))
        let after = try #require(try a.record("r1").conflict(stale.id))
        #expect(after.status == .resolved && after.resolution?.how == .superseded && after.resolution?.by.actor == "li")
    }

    @Test("a conflict with a central step is the central office's to decide; a unit head's decision does not count")
    func centralDecision() throws {
        // The unit head returns a signed report while the central office receives it.
        var field = MemoryReplica(replicaID: "field")
        var central = MemoryReplica(replicaID: "central")
        try field.draft(id: "r1", Cast.news(), by: Cast.wang, now: Cast.at(0))
        for (action, actor) in [(WorkflowAction.submit, Cast.wang), (.review, Cast.li), (.sign, Cast.zhao)] {
            try field.perform(action, on: "r1", by: actor, now: Cast.at(1))
        }
        central.pull(from: field)
        try central.perform(.receive, on: "r1", by: Cast.chen, now: Cast.at(10))
        try field.perform(.return, on: "r1", by: Cast.li, comment: "数据有误", now: Cast.at(11))
        central.pull(from: field)
        field.pull(from: central)
        let conflict = try #require(try central.record("r1").conflicts.first { $0.kind == .approvalTransition })
        #expect(ConflictAuthority.isCentralDecision(conflict))
        #expect(throws: ReportSyncError.self) { try field.resolve(conflict.id, on: "r1", keep: .winner, by: Cast.li, now: Cast.at(20)) }
        // A decision forged past that check (another program, an old version) is kept but does not count.
        let forged = Change(
            dot: Dot(replica: "forger", counter: 1), hlc: HybridTimestamp(wallMilliseconds: Cast.at(20).millisecondsSince1970, logical: 0),
            record: "r1", unit: "squad-3", actor: "li", context: try field.record("r1").vv,
            payload: .resolution(ResolutionStep(conflict: conflict.id, keep: .winner, role: .unitHead, value: nil)))
        field.receive([forged], now: Cast.at(20))
        central.receive([forged], now: Cast.at(20))
        #expect(try field.record("r1").resolutions.count == 1)
        #expect(try field.record("r1").conflict(conflict.id)?.status == .open)
        try central.resolve(conflict.id, on: "r1", keep: .winner, by: Cast.chen, now: Cast.at(21))
        field.pull(from: central)
        #expect(try field.record("r1").conflict(conflict.id)?.status == .resolved)
        #expect(try field.digest() == central.digest())
    }
}
