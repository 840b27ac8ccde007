import SyncCore
import Testing

/// DOMAIN.md "The approval workflow": drafted → reviewed → signed → received → adopted / returned / rejected → archived.
@Suite("Approval workflow")
struct ApprovalWorkflowTests {
    @Test(
        "allowed moves lead where DOMAIN.md says",
        arguments: [
            (WorkflowAction.submit, ApprovalState.draft, Role.drafter, ApprovalState.awaitingReview),
            (.submit, .returned, .drafter, .awaitingReview),
            (.review, .awaitingReview, .unitHead, .reviewed),
            (.sign, .reviewed, .leader, .signed),
            (.receive, .signed, .centralEditor, .received),
            (.adopt, .received, .centralEditor, .adopted),
            (.adopt, .adopted, .centralEditor, .adopted),
            (.return, .received, .centralEditor, .returned),
            (.return, .awaitingReview, .unitHead, .returned),
            (.reject, .received, .centralEditor, .rejected),
            (.archive, .adopted, .centralEditor, .archived),
            (.withdraw, .awaitingReview, .drafter, .withdrawn),
            (.revise, .reviewed, .drafter, .awaitingReview),
        ])
    func allowed(action: WorkflowAction, from: ApprovalState, role: Role, to: ApprovalState) throws {
        #expect(try ApprovalWorkflow.target(of: action, from: from, by: role) == to)
    }

    @Test("不得未经审核自行上报 (000 新闻报道…制度 §8): a leader cannot sign what the unit head has not reviewed")
    func noSignWithoutReview() {
        #expect(throws: ReportSyncError.self) { try ApprovalWorkflow.target(of: .sign, from: .awaitingReview, by: .leader) }
        #expect(throws: ReportSyncError.self) { try ApprovalWorkflow.target(of: .sign, from: .draft, by: .leader) }
    }

    @Test("the central office cannot receive a report that was not signed off")
    func noReceiveWithoutSignOff() {
        for state in [ApprovalState.draft, .awaitingReview, .reviewed] {
            #expect(throws: ReportSyncError.self) { try ApprovalWorkflow.target(of: .receive, from: state, by: .centralEditor) }
        }
    }

    @Test(
        "a role without the right is refused as forbidden, naming the role that has it",
        arguments: [
            (WorkflowAction.review, Role.drafter), (.sign, .unitHead), (.sign, .drafter), (.adopt, .leader),
            (.receive, .unitHead), (.submit, .admin), (.review, .centralEditor),
        ])
    func forbidden(action: WorkflowAction, role: Role) {
        let state = ApprovalWorkflow.rules.first { $0.action == action }!.from.first!
        let error = #expect(throws: ReportSyncError.self) { try ApprovalWorkflow.target(of: action, from: state, by: role) }
        #expect(error?.code == .forbidden)
    }

    @Test("a move from the wrong state is refused as wrong-state and lists the states it is allowed from")
    func wrongState() {
        let error = #expect(throws: ReportSyncError.self) { try ApprovalWorkflow.target(of: .review, from: .signed, by: .unitHead) }
        #expect(error?.code == .wrongState)
        #expect(error?.message.contains("awaiting-review") == true)
    }

    @Test("content is locked from sign-off on (DESIGN.md: changing it needs a return)")
    func contentLock() {
        let editable = ApprovalState.allCases.filter(\.allowsContentEdit)
        #expect(Set(editable) == [.draft, .awaitingReview, .reviewed, .returned])
    }
}
