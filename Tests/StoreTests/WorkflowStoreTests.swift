import TestSupport
import Foundation
@testable import Store
import SyncCore
import Testing

/// The unit's workflow against a real (in-memory) SQLite replica.
@Suite("Workflow on a replica")
struct WorkflowStoreTests {
    @Test("draft → submit → review → sign, each step in the history with who and which replica")
    func happyPath() throws {
        let replica = try StoreFixtures.inMemory()
        let id = try replica.draft(StoreFixtures.news(), by: "wang").id
        _ = try replica.perform(.submit, on: id, by: "wang")
        _ = try replica.perform(.review, on: id, by: "li")
        let signed = try replica.perform(.sign, on: id, by: "zhao")
        #expect(signed.state == .signed)
        let history = try replica.history(of: id).entries
        #expect(history.map(\.kind) == [.version, .transition, .transition, .transition])
        #expect(history.compactMap(\.to) == [.awaitingReview, .reviewed, .signed])
        #expect(history.map(\.actor) == ["wang", "wang", "li", "zhao"])
        let replicaID = try replica.identity().replicaID
        #expect(history.allSatisfy { $0.replica == replicaID })
        #expect(history.dropFirst().allSatisfy { $0.version == 1 }, "each approval names the version it saw")
    }

    @Test("the drafter's phone becomes the report's contact (004 §五.7)")
    func contact() throws {
        let replica = try StoreFixtures.inMemory()
        #expect(try replica.draft(StoreFixtures.news(), by: "wang").content.contact == "13800000000")
    }

    @Test("every write lands in the change log with a new dot, in the same transaction")
    func changeLog() throws {
        let replica = try StoreFixtures.inMemory()
        let before = try replica.changes().count
        let id = try replica.draft(StoreFixtures.news(), by: "wang").id
        _ = try replica.perform(.submit, on: id, by: "wang")
        let changes = try replica.changes(after: 0)
        #expect(changes.count == before + 2)
        let kinds = changes.suffix(2).map { stored -> String in
            switch stored.change.payload {
            case .content: "content"
            case .transition: "transition"
            default: "reference"
            }
        }
        #expect(kinds == ["content", "transition"])
        #expect(changes.allSatisfy { $0.origin == .local })
        let counters = changes.map(\.change.dot.counter)
        #expect(counters == Array(1...Int64(counters.count)), "dots count up by one, no gaps, no repeats")
        #expect(changes.map(\.seq) == changes.map(\.seq).sorted())
        #expect(zip(changes, changes.dropFirst()).allSatisfy { $0.change.hlc < $1.change.hlc })
    }

    @Test("a refused command writes nothing: no report, no version, no change")
    func refusedWritesNothing() throws {
        let replica = try StoreFixtures.inMemory()
        let before = try replica.changes().count
        var disclosed = ReportContent(category: .dynamic, title: "t", body: "b", classification: .secret)
        disclosed.disclosure = .proactive
        #expect(throws: ReportSyncError.self) { try replica.draft(disclosed, by: "wang") }
        #expect(throws: ReportSyncError.self) { try replica.draft(StoreFixtures.news(), by: "nobody") }
        #expect(throws: ReportSyncError.self) { try replica.draft(StoreFixtures.news(), by: "zhao") }
        let id = try replica.draft(StoreFixtures.news(), by: "wang").id
        #expect(throws: ReportSyncError.self) { try replica.perform(.sign, on: id, by: "zhao") }
        #expect(throws: ReportSyncError.self) { try replica.perform(.review, on: id, by: "wang") }
        #expect(try replica.changes().count == before + 1)
        #expect(try replica.report(id).state == .draft)
        #expect(try replica.history(of: id).entries.count == 1)
    }

    @Test("editing a reviewed report sends it back to awaiting review: the review saw other content")
    func editAfterReview() throws {
        let replica = try StoreFixtures.inMemory()
        let id = try replica.draft(StoreFixtures.news(), by: "wang").id
        _ = try replica.perform(.submit, on: id, by: "wang")
        _ = try replica.perform(.review, on: id, by: "li")
        var patch = ReportPatch()
        patch.body = "补充：共检查场所12处。"
        let edited = try replica.edit(id, with: patch, by: "wang")
        #expect(edited.state == .awaitingReview)
        #expect(edited.version == 2)
        let last = try #require(try replica.history(of: id).entries.last)
        #expect(last.action == .revise && last.from == .reviewed && last.to == .awaitingReview)
        #expect(throws: ReportSyncError.self) { try replica.perform(.sign, on: id, by: "zhao") }
    }

    @Test("content is locked after sign-off until someone with authority returns it")
    func lockedAfterSignOff() throws {
        let replica = try StoreFixtures.inMemory()
        let id = try replica.draft(StoreFixtures.news(), by: "wang").id
        for (action, actor) in [(WorkflowAction.submit, "wang"), (.review, "li"), (.sign, "zhao")] {
            _ = try replica.perform(action, on: id, by: actor)
        }
        var patch = ReportPatch()
        patch.title = "改标题"
        let error = #expect(throws: ReportSyncError.self) { try replica.edit(id, with: patch, by: "wang") }
        #expect(error?.code == .wrongState)
        #expect(throws: ReportSyncError.self) { try replica.perform(.return, on: id, by: "zhao") }
        let returned = try replica.perform(.return, on: id, by: "zhao", comment: "标题不准确")
        #expect(returned.state == .returned && returned.lastComment == "标题不准确")
        #expect(try replica.edit(id, with: patch, by: "wang").content.title == "改标题")
        #expect(try replica.perform(.submit, on: id, by: "wang").state == .awaitingReview)
    }

    @Test("a member of another unit may not act on this unit's reports")
    func otherUnit() throws {
        let replica = try StoreFixtures.inMemory()
        try replica.addUnit(OrgUnit(id: "squad-4", name: "第四中队", kind: .squad))
        try replica.addMember(Member(id: "sun", name: "孙队长", unit: "squad-4", role: .unitHead))
        let id = try replica.draft(StoreFixtures.news(), by: "wang").id
        _ = try replica.perform(.submit, on: id, by: "wang")
        let error = #expect(throws: ReportSyncError.self) { try replica.perform(.review, on: id, by: "sun") }
        #expect(error?.code == .forbidden)
    }

    @Test("Follow-up reports chain to the first report in order (001/#1 §5), even when pointed at a later follow-up")
    func followUpChain() throws {
        let replica = try StoreFixtures.inMemory()
        let first = try replica.draft(ReportContent(category: .emergency, title: "滑坡", body: "初报"), by: "wang").id
        var one = ReportContent(category: .emergency, title: "续报一", body: "进展")
        one.followUpOf = first
        let firstFollowUp = try replica.draft(one, by: "wang")
        var two = ReportContent(category: .emergency, title: "续报二", body: "原因")
        two.followUpOf = firstFollowUp.id
        let secondFollowUp = try replica.draft(two, by: "wang")
        #expect(firstFollowUp.content.followUpOf == first && firstFollowUp.content.followUpSequence == 1)
        #expect(secondFollowUp.content.followUpOf == first && secondFollowUp.content.followUpSequence == 2)
        var orphan = ReportContent(category: .emergency, title: "x", body: "y")
        orphan.followUpOf = "01a2ffff-0000-7000-8000-000000000000"
        let error = #expect(throws: ReportSyncError.self) { try replica.draft(orphan, by: "wang") }
        #expect(error?.code == .notFound)
    }

    @Test("the change log is append-only: SQLite itself refuses to rewrite it")
    func appendOnly() throws {
        let replica = try StoreFixtures.inMemory()
        let id = try replica.draft(StoreFixtures.news(), by: "wang").id
        _ = try replica.perform(.submit, on: id, by: "wang")
        for sql in ["UPDATE changes SET body = '{}'", "DELETE FROM changes"] {
            #expect(throws: (any Error).self) { try replica.writer.write { db in try db.execute(sql: sql) } }
        }
        // The unit, three members, their three keys, the draft and the submit.
        #expect(try replica.changes().count == 9)
    }

    @Test("a full disk fails the command with a clear message and keeps every record already written")
    func fullDisk() throws {
        let dir = try StoreFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let replica = try StoreFixtures.staffed(Replica.create(at: dir.appendingPathComponent("f.sqlite").path, unit: StoreFixtures.unit))
        let kept = try replica.draft(StoreFixtures.news(), by: "wang").id
        try replica.writer.write { db in
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            try db.execute(sql: "PRAGMA max_page_count = \(pages)")
        }
        let big = ReportContent(category: .research, title: "调研", body: String(repeating: "调研内容。", count: 4000))
        let error = #expect(throws: ReportSyncError.self) { try replica.draft(big, by: "wang") }
        #expect(error?.code == .storage)
        #expect(error?.message.contains("full") == true)
        #expect(try replica.reports().map(\.id) == [kept])
    }

    @Test("ids can be given by a unique prefix; an ambiguous prefix is refused")
    func prefixes() throws {
        let replica = try StoreFixtures.inMemory()
        let a = try replica.draft(StoreFixtures.news("a"), by: "wang").id
        _ = try replica.draft(StoreFixtures.news("b"), by: "wang")
        #expect(try replica.resolveReportID(a) == a)
        #expect(throws: ReportSyncError.self) { try replica.resolveReportID(String(a.prefix(4))) }
        #expect(throws: ReportSyncError.self) { try replica.resolveReportID("ffff") }
    }

    @Test("a loaded policy is in force for the next write and is recorded as a change")
    func policy() throws {
        let replica = try StoreFixtures.inMemory()
        var strict = Policy.standard
        strict.lengthLimits["dynamic"] = 10
        strict.lengthLimitEnforcement = .refuse
        try replica.addMember(Member(id: "qian", name: "钱管理员", unit: StoreFixtures.unit.id, role: .admin))
        #expect(throws: ReportSyncError.self, "only an admin may change the policy") { try replica.setPolicy(strict, by: "zhao") }
        try replica.setPolicy(strict, by: "qian")
        #expect(try replica.policy().lengthLimit(for: .dynamic) == 10)
        guard case .policy = try replica.changes().last?.change.payload else {
            Issue.record("the policy change is not in the log")
            return
        }
        let id = try replica.draft(StoreFixtures.news(), by: "wang").id
        #expect(throws: ReportSyncError.self) { try replica.perform(.submit, on: id, by: "wang") }
    }

    @Test("list filters by state and category")
    func listing() throws {
        let replica = try StoreFixtures.inMemory()
        let a = try replica.draft(StoreFixtures.news("a"), by: "wang").id
        _ = try replica.draft(ReportContent(category: .experience, title: "b", body: "经验"), by: "wang")
        _ = try replica.perform(.submit, on: a, by: "wang")
        #expect(try replica.reports(matching: ReportFilter(state: .awaitingReview)).map(\.id) == [a])
        #expect(try replica.reports(matching: ReportFilter(category: .experience)).map(\.content.title) == ["b"])
        #expect(try replica.reports().count == 2)
    }
}

/// The monthly report a unit owes starts with the first month after it was set up (the newcomer issue:
/// a replica created minutes ago showed last month's report as overdue).
@Suite("A new unit's deadlines")
struct NewUnitDeadlineTests {
    static func local(_ text: String) -> Date { TimestampParser.parse(text, timeZone: TimeZone(identifier: "Asia/Shanghai")!)! }

    @Test("a unit set up today owes no monthly report for this month or the last; next month's it does")
    func newUnitOwesNothingYet() throws {
        let setUp = Self.local("2026-12-03T10:00")
        let replica = try Replica.inMemory(unit: StoreFixtures.unit, now: { setUp })
        #expect(try replica.units().first?.since == setUp)
        let today = try replica.deadlines(now: setUp).filter { $0.rule == "monthly-report" }
        #expect(today.isEmpty, "\(today.map(\.report))")
        let later = try replica.deadlines(now: Self.local("2027-02-10T10:00")).filter { $0.rule == "monthly-report" }
        #expect(later.map(\.report) == ["monthly/squad-3/2027-01", "monthly/squad-3/2027-02"])
    }

    @Test("since does not travel in a unit's definition: a replica takes it from the first definition it stores, and a later one keeps it")
    func sinceFromFirstDefinition() throws {
        let setUp = Self.local("2026-10-20T09:00")
        let central = try Replica.inMemory(unit: StoreFixtures.unit, now: { setUp })
        try central.addUnit(OrgUnit(id: "squad-9", name: "第九中队", kind: .squad))
        let definitions = try central.changes().filter { if case .unit = $0.change.payload { true } else { false } }
        let squad9 = try #require(definitions.last?.change)
        #expect(!squad9.canonicalJSON.contains("since"), "an older version would drop the key and hold another definition")

        let other = try Replica.inMemory(unit: OrgUnit(id: "squad-4", name: "第四中队", kind: .squad), now: { Self.local("2026-12-03T10:00") })
        _ = try other.receive(definitions.map(\.change))
        #expect(try other.units().first { $0.id == "squad-9" }?.since == setUp)

        var renamed = squad9
        renamed.payload = .unit(OrgUnit(id: "squad-9", name: "第九中队（新）", kind: .squad))
        renamed.dot.counter += 1
        renamed.hlc = HybridTimestamp(wallMilliseconds: Self.local("2026-11-15T09:00").millisecondsSince1970, logical: 0)
        _ = try other.receive([renamed])
        let unit = try #require(try other.units().first { $0.id == "squad-9" })
        #expect(unit.name == "第九中队（新）" && unit.since == setUp, "a renamed unit was still set up when it was")
        let legacy = #"{"id":"squad-8","kind":"squad","name":"第八中队","since":"2026-12-01T00:00:00.000Z"}"#
        #expect(try JSONCoding.string(try JSONCoding.value(OrgUnit.self, from: legacy)) == legacy,
            "a definition of the one version that wrote since is re-encoded as it came, so its digest does not change")
    }
}
