import Foundation
import SyncCore
import Testing

/// Named scenarios of two copies edited apart (issue: "SyncCore … conflicts that are kept").
@Suite("Merge scenarios")
struct MergeScenarioTests {
    /// A report signed-ready: drafted, submitted and reviewed on `a`, copied to `b`.
    func reviewedOnTwoDevices() throws -> (MemoryReplica, MemoryReplica, String) {
        var a = MemoryReplica(replicaID: "a")
        var b = MemoryReplica(replicaID: "b")
        try a.draft(id: "r1", Cast.news(), by: Cast.wang, now: Cast.at(0))
        try a.perform(.submit, on: "r1", by: Cast.wang, now: Cast.at(1))
        try a.perform(.review, on: "r1", by: Cast.li, now: Cast.at(2))
        b.pull(from: a)
        return (a, b, "r1")
    }

    @Test("the drafter edits while the leader signs on another device: the sign-off does not stand")
    func editWhileSigning() throws {
        var (a, b, id) = try reviewedOnTwoDevices()
        try a.edit(id, Cast.patch(body: "补充：检查场所12处。"), by: Cast.wang, now: Cast.at(10))
        try b.perform(.sign, on: id, by: Cast.zhao, now: Cast.at(11))
        a.pull(from: b)
        b.pull(from: a)
        #expect(try a.digest() == b.digest())
        let record = try a.record(id)
        #expect(record.state == .awaitingReview)
        let stale = try #require(record.conflicts.first { $0.kind == .staleApproval })
        #expect(stale.loser.action == .sign && stale.loser.actor == "zhao")
        #expect(stale.winner.actor == "wang")
        #expect(stale.rule == "approval-bound-to-content")
        #expect(try record.content().body == "补充：检查场所12处。")
    }

    @Test("two devices edit different fields: both edits stand, no conflict")
    func differentFields() throws {
        var (a, b, id) = try reviewedOnTwoDevices()
        try a.perform(.return, on: id, by: Cast.li, comment: "补充地点", now: Cast.at(3))
        b.pull(from: a)
        try a.edit(id, Cast.patch(title: "夜查行动"), by: Cast.wang, now: Cast.at(10))
        try b.edit(id, Cast.patch(place: "城东"), by: Cast.li, now: Cast.at(11))
        a.pull(from: b)
        b.pull(from: a)
        #expect(try a.digest() == b.digest())
        let content = try a.record(id).content()
        #expect(content.title == "夜查行动" && content.place == "城东")
        #expect(try a.record(id).conflicts.isEmpty)
    }

    @Test("two devices edit the same field: the later stamp wins, the loser is kept with both authors and dots")
    func sameField() throws {
        var a = MemoryReplica(replicaID: "a")
        var b = MemoryReplica(replicaID: "b")
        try a.draft(id: "r1", Cast.news("原标题"), by: Cast.wang, now: Cast.at(0))
        b.pull(from: a)
        let early = try a.edit("r1", Cast.patch(title: "王的标题"), by: Cast.wang, now: Cast.at(10))[0]
        let late = try b.edit("r1", Cast.patch(title: "李的标题"), by: Cast.li, now: Cast.at(20))[0]
        a.pull(from: b)
        b.pull(from: a)
        #expect(try a.digest() == b.digest())
        #expect(try a.record("r1").content().title == "李的标题")
        let conflict = try #require(try a.record("r1").fieldConflicts.first)
        #expect(conflict.field == "title" && conflict.kind == .fieldValue && conflict.status == .open)
        #expect(conflict.winner.dot == late.dot && conflict.winner.actor == "li" && conflict.winner.value == "\"李的标题\"")
        #expect(conflict.loser.dot == early.dot && conflict.loser.actor == "wang" && conflict.loser.value == "\"王的标题\"")
        #expect(conflict.rule == "later-clock-wins")
    }

    @Test("equal clock stamps: the higher replica id wins, on every replica")
    func equalStamps() throws {
        var a = MemoryReplica(replicaID: "a")
        var b = MemoryReplica(replicaID: "b")
        try a.draft(id: "r1", Cast.news(), by: Cast.wang, now: Cast.at(0))
        b.pull(from: a)
        try a.edit("r1", Cast.patch(title: "A"), by: Cast.wang, now: Cast.at(50))
        try b.edit("r1", Cast.patch(title: "B"), by: Cast.wang, now: Cast.at(50))
        a.pull(from: b)
        b.pull(from: a)
        #expect(try a.record("r1").content().title == "B")
        #expect(try b.record("r1").content().title == "B")
        #expect(try a.record("r1").fieldConflicts.first?.rule == "equal-clock-higher-replica-wins")
    }

    @Test("a later edit that saw both sides settles the conflict; the loser stays listed")
    func settled() throws {
        var a = MemoryReplica(replicaID: "a")
        var b = MemoryReplica(replicaID: "b")
        try a.draft(id: "r1", Cast.news(), by: Cast.wang, now: Cast.at(0))
        b.pull(from: a)
        try a.edit("r1", Cast.patch(title: "A"), by: Cast.wang, now: Cast.at(10))
        try b.edit("r1", Cast.patch(title: "B"), by: Cast.li, now: Cast.at(20))
        a.pull(from: b)
        try a.edit("r1", Cast.patch(title: "合并后的标题"), by: Cast.wang, now: Cast.at(30))
        b.pull(from: a)
        #expect(try a.digest() == b.digest())
        let conflict = try #require(try b.record("r1").fieldConflicts.first)
        #expect(conflict.status == .resolved && conflict.loser.value == "\"A\"")
        #expect(try b.record("r1").content().title == "合并后的标题")
    }

    @Test("the central office returns a report while the unit edits it on a device that had not seen the sign-off")
    func returnWhileEditing() throws {
        var (unit, laptop, id) = try reviewedOnTwoDevices()
        var central = MemoryReplica(replicaID: "central")
        try unit.perform(.sign, on: id, by: Cast.zhao, now: Cast.at(5))
        central.pull(from: unit)
        try central.perform(.receive, on: id, by: Cast.chen, now: Cast.at(6))
        try central.perform(.return, on: id, by: Cast.chen, comment: "数据需核实", now: Cast.at(7))
        try laptop.edit(id, Cast.patch(body: "更正数据"), by: Cast.wang, now: Cast.at(8))
        for _ in 0..<2 {
            central.pull(from: laptop)
            central.pull(from: unit)
            unit.pull(from: central)
            laptop.pull(from: central)
        }
        #expect(try central.digest() == unit.digest())
        #expect(try central.digest() == laptop.digest())
        let record = try central.record(id)
        #expect(record.state == .awaitingReview, "the review and sign-off did not see the laptop's edit")
        let kinds = Set(record.approvalConflicts.map(\.kind))
        #expect(kinds == [.staleApproval, .approvalTransition])
        let returned = try #require(record.approvalConflicts.first { $0.loser.action == .return })
        #expect(returned.loser.actor == "chen", "the central office's return is kept, not lost")
        #expect(try record.content().body == "更正数据")
    }

    @Test("concurrent steps from the same state: central office before leader before unit head before drafter")
    func precedence() throws {
        var (a, b, id) = try reviewedOnTwoDevices()
        try a.perform(.withdraw, on: id, by: Cast.wang, now: Cast.at(10))
        try b.perform(.sign, on: id, by: Cast.zhao, now: Cast.at(20))
        a.pull(from: b)
        b.pull(from: a)
        let record = try a.record(id)
        #expect(record.state == .signed, "the leader's sign-off precedes the drafter's concurrent withdrawal")
        let conflict = try #require(record.approvalConflicts.first)
        #expect(conflict.loser.action == .withdraw && conflict.winner.action == .sign)
        #expect(try b.record(id).state == .signed)
    }

    @Test("a follow-up that arrives before its first report waits, then applies")
    func followUpBeforeFirst() throws {
        var unit = MemoryReplica(replicaID: "unit")
        var central = MemoryReplica(replicaID: "central")
        try unit.draft(id: "first", ReportContent(category: .emergency, title: "滑坡", body: "初报"), by: Cast.wang, now: Cast.at(0))
        var followUp = ReportContent(category: .emergency, title: "续报", body: "进展")
        followUp.followUpOf = "first"
        try unit.draft(id: "second", followUp, by: Cast.wang, now: Cast.at(60))
        let outcomes = central.receive(unit.log.reversed(), now: Cast.at(100))
        #expect(outcomes.first == .waiting(missing: [unit.log[0].dot]))
        #expect(outcomes.last == .applied)
        #expect(central.pending.isEmpty, "applied once its first report came")
        #expect(try central.digest() == unit.digest())
    }

    @Test("the same change arriving twice changes nothing the second time")
    func duplicate() throws {
        var a = MemoryReplica(replicaID: "a")
        var b = MemoryReplica(replicaID: "b")
        try a.draft(id: "r1", Cast.news(), by: Cast.wang, now: Cast.at(0))
        #expect(b.receive(a.log, now: Cast.at(1)) == [.applied])
        let digest = try b.digest()
        #expect(b.receive(a.log + a.log, now: Cast.at(2)) == [.duplicate, .duplicate])
        #expect(try b.digest() == digest)
    }

    @Test("two concurrent returns: the second is already in effect and is no conflict")
    func alreadyInEffect() throws {
        var (a, b, id) = try reviewedOnTwoDevices()
        try a.perform(.return, on: id, by: Cast.li, comment: "补充", now: Cast.at(10))
        try b.perform(.return, on: id, by: Cast.zhao, comment: "核实", now: Cast.at(11))
        a.pull(from: b)
        b.pull(from: a)
        let record = try a.record(id)
        #expect(record.state == .returned && record.approvalConflicts.isEmpty)
        #expect(record.lastComment == "核实", "the leader's return precedes; the unit head's finds it already returned")
        #expect(try a.digest() == b.digest())
    }

    @Test("reference data (units, members, policy): the later write wins on every replica")
    func referenceLastWriterWins() throws {
        func memberChange(_ name: String, replica: String, at seconds: Double) -> Change {
            Change(
                dot: Dot(replica: replica, counter: 1), hlc: HybridTimestamp(wallMilliseconds: Cast.at(seconds).millisecondsSince1970, logical: 0),
                record: "member/wang", unit: "squad-3", actor: "admin", context: VersionVector(),
                payload: .member(Member(id: "wang", name: name, unit: "squad-3", role: .drafter)))
        }
        let older = memberChange("王小明", replica: "central", at: 10)
        let newer = memberChange("王晓明", replica: "other", at: 20)
        var a = MemoryReplica(replicaID: "a")
        var b = MemoryReplica(replicaID: "b")
        a.receive([older, newer], now: Cast.at(30))
        b.receive([newer, older], now: Cast.at(30))
        guard case .member(let member) = a.reference["member/wang"]?.payload else {
            Issue.record("the member is missing")
            return
        }
        #expect(member.name == "王晓明")
        #expect(try a.digest() == b.digest())
    }
}
