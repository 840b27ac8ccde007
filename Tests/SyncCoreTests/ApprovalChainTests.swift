import Foundation
import SyncCore
import Testing

/// The principal leader's approval (主要领导审批) as a step of the approval chain (000:21, 000:337, 001:37,
/// 001:112): by default major emergencies go from the leader's sign-off to the principal leader before the
/// central office may receive them.
@Suite("Approval chain: the principal leader")
struct ApprovalChainTests {
    func emergency(_ severity: EmergencySeverity) -> ReportContent {
        var content = Fixtures.completeEmergency()
        content.emergency?.severity = severity
        return content
    }

    /// A field with the report drafted, submitted, reviewed and signed off.
    func signed(_ content: ReportContent, id: String = "r") throws -> MemoryReplica {
        var field = MemoryReplica(replicaID: "field")
        try field.draft(id: id, content, by: Cast.wang, now: Cast.at(0))
        try field.perform(.submit, on: id, by: Cast.wang, now: Cast.at(10))
        try field.perform(.review, on: id, by: Cast.li, now: Cast.at(20))
        try field.perform(.sign, on: id, by: Cast.zhao, now: Cast.at(30))
        return field
    }

    /// A major emergency signed off on the field, approved at the office while the unit head returns it on the field.
    func approvedWhileReturned() throws -> (field: MemoryReplica, office: MemoryReplica) {
        var field = try signed(emergency(.major))
        var office = MemoryReplica(replicaID: "office")
        office.pull(from: field)
        try office.perform(.approve, on: "r", by: Cast.ju, now: Cast.at(40))
        try field.perform(.return, on: "r", by: Cast.li, comment: "补充伤亡人数", now: Cast.at(41))
        return (field, office)
    }

    @Test("001:112 a major emergency signed off waits for the principal leader: receiving it before is refused, after it is not")
    func majorWaitsForThePrincipal() throws {
        var field = try signed(emergency(.major))
        #expect(!ApprovalChain.isComplete(try field.record("r"), policy: .standard))
        let early = #expect(throws: ReportSyncError.self) { try field.perform(.receive, on: "r", by: Cast.chen, now: Cast.at(40)) }
        #expect(early?.message.contains("waits for the principal leader's approval") == true, "\(early?.message ?? "")")
        let leader = #expect(throws: ReportSyncError.self) { try field.perform(.approve, on: "r", by: Cast.zhao, now: Cast.at(45)) }
        #expect(leader?.message.contains("principal-leader") == true, "only the principal leader approves")
        try field.perform(.approve, on: "r", by: Cast.ju, now: Cast.at(50))
        let approved = try field.record("r")
        #expect(ApprovalChain.isComplete(approved, policy: .standard) && approved.state == .signed)
        try field.perform(.receive, on: "r", by: Cast.chen, now: Cast.at(60))
        #expect(try field.record("r").state == .received)
        let facts = try ReportFacts(record: try field.record("r"), policy: .standard)
        #expect(facts.signedAt == Cast.at(50), "the unit finished with the approval: deadlines are judged by it")
    }

    @Test("a general emergency leaves with the leader's sign-off; its approval is refused as not needed — unless the policy lists every emergency (000:337)")
    func generalLeavesWithTheSignOff() throws {
        var field = try signed(emergency(.general))
        let needless = #expect(throws: ReportSyncError.self) { try field.perform(.approve, on: "r", by: Cast.ju, now: Cast.at(40)) }
        #expect(needless?.message.contains("does not need the principal leader's approval") == true)
        try field.perform(.receive, on: "r", by: Cast.chen, now: Cast.at(50))
        let every = try Policy.decode(json: Data(#"{"principalApproval": ["emergency"]}"#.utf8))
        #expect(ApprovalChain.needsPrincipal(emergency(.general), policy: every))
        #expect(!ApprovalChain.needsPrincipal(Cast.news(), policy: every))
        let bad = #expect(throws: ReportSyncError.self) { try Policy.decode(json: Data(#"{"principalApproval": ["emergency/huge"]}"#.utf8)) }
        #expect(bad?.message.contains("principalApproval") == true)
    }

    @Test("concurrent approval and return: both stand in precedence order, the report is returned, and the approval does not carry over to the next sign-off")
    func approvalDoesNotCarryOver() throws {
        var (field, office) = try approvedWhileReturned()
        field.pull(from: office)
        office.pull(from: field)
        for replica in [field, office] {
            #expect(try replica.record("r").state == .returned, "the principal's approval came first, the return after it")
        }
        try field.perform(.submit, on: "r", by: Cast.wang, now: Cast.at(50))
        try field.perform(.review, on: "r", by: Cast.li, now: Cast.at(60))
        try field.perform(.sign, on: "r", by: Cast.zhao, now: Cast.at(70))
        #expect(!ApprovalChain.isComplete(try field.record("r"), policy: .standard), "an approval before the latest sign-off does not count")
        try field.perform(.approve, on: "r", by: Cast.ju, now: Cast.at(80))
        #expect(ApprovalChain.isComplete(try field.record("r"), policy: .standard))
    }

    @Test("an approval concurrent with a return and the drafter's edit: the report is returned and edited, with no open conflict")
    func approvalConcurrentWithReturnAndEdit() throws {
        var (field, office) = try approvedWhileReturned()
        var more = ReportPatch()
        more.body = "村道塌方，一人受伤。"
        _ = try field.edit("r", more, by: Cast.wang, now: Cast.at(42))
        field.pull(from: office)
        let record = try field.record("r")
        #expect(record.state == .returned && record.approvalConflicts.isEmpty, "\(record.approvalConflicts)")
        #expect(try record.content().body == "村道塌方，一人受伤。")
    }

    @Test("an approval made offline before a new sign-off does not complete the chain, whatever its clock says")
    func approvalMustSeeTheLatestSignOff() throws {
        var field = try signed(emergency(.major))
        var office = MemoryReplica(replicaID: "office")
        office.pull(from: field)
        try field.perform(.return, on: "r", by: Cast.li, comment: "补充", now: Cast.at(40))
        try field.perform(.submit, on: "r", by: Cast.wang, now: Cast.at(41))
        try field.perform(.review, on: "r", by: Cast.li, now: Cast.at(42))
        try field.perform(.sign, on: "r", by: Cast.zhao, now: Cast.at(43))
        try office.perform(.approve, on: "r", by: Cast.ju, now: Cast.at(500))
        field.pull(from: office)
        let record = try field.record("r")
        #expect(record.state == .signed)
        #expect(!ApprovalChain.isComplete(record, policy: .standard), "the approval saw only the first sign-off")
    }
}
