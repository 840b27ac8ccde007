import Crypto
import Foundation
import Store
import SyncCore
import TestSupport
import Testing

/// A device that holds a valid token crafts workflow steps in another person's name (issue "Every
/// approval is signed by the person who made it"): the central refuses each one, takes none of it into
/// the report, and the honest step still goes through after.
extension PushBoundaryTests {
    @Test("a review pushed in the unit head's name without the unit head's key is refused at the central; the report does not move")
    func forgedStepsAreRefused() async throws {
        let fixture = try CentralFixture()
        let id = try await pushedDraft(fixture)
        let record = try #require(try fixture.field.records().first { $0.id == id })
        // Crafted under another replica id of the same device, so that the field's own honest review stays new.
        let replica = "0190cccc-0000-7000-8000-00000000f00d"
        var counter: Int64 = 0
        func review(signedWith key: Curve25519.Signing.PrivateKey?) throws -> Change {
            counter += 1
            var change = Change(
                dot: Dot(replica: replica, counter: counter), hlc: HybridTimestamp(wallMilliseconds: Date().millisecondsSince1970, logical: 0),
                record: id, unit: "squad-3", actor: "li", context: record.vv,
                payload: .transition(
                    TransitionStep(action: .review, from: .awaitingReview, to: .reviewed, role: .unitHead, comment: nil, sawContent: record.latestContent.dot)))
            if let key {
                let value = try key.signature(for: StepSignature.message(for: change)).base64EncodedString()
                change.signature = StepSignature(key: SigningKey.id(of: key.publicKey.rawRepresentation), value: value)
            }
            return change
        }
        let forged = [
            ("unsigned", try review(signedWith: nil)),
            ("signed with the drafter's key", try review(signedWith: TestSigners.privateKey("wang"))),
            ("signed with a key nobody registered", try review(signedWith: Curve25519.Signing.PrivateKey())),
        ]
        for (what, change) in forged {
            let answer = try await push(fixture, token: fixture.squad3Token, [change])
            #expect(answer.results.map(\.status) == [.rejected], "\(what): \(answer.results)")
            #expect(try fixture.central.report(id).state == .awaitingReview, "\(what)")
            #expect(try fixture.central.record(id).transitions.allSatisfy { $0.action != .review }, "\(what)")
        }
        let reasons = try fixture.central.rejectedChanges().map(\.reason)
        #expect(reasons.contains { $0.contains("not signed by a key registered for li") }, "\(reasons)")
        #expect(reasons.contains { $0.contains("of wang, not of the actor") }, "\(reasons)")
        #expect(try fixture.central.verifySteps(report: id).allSatisfy(\.verified))
        try await expectReviewGoesThrough(fixture, id)
        #expect(try fixture.central.verifySteps(report: id).filter { $0.step == .step(.review) }.map(\.verified) == [true])
    }

    @Test("a device cannot undo a sign-off the central holds: a forged unsigned revise, a backdated edit and a backdated step are refused")
    func signOffsCannotBeUndone() async throws {
        let fixture = try CentralFixture()
        let id = try fixture.signedReport()
        #expect(try await push(fixture, token: fixture.squad3Token, try fixture.reportChanges()).results.allSatisfy { $0.status == .accepted })
        #expect(try fixture.central.report(id).state == .received)
        let record = try #require(try fixture.field.records().first { $0.id == id })
        let review = try #require(record.transitions.first { $0.action == .review })
        let sign = try #require(record.transitions.first { $0.action == .sign })
        // Crafted under another replica id of the device, as if made offline right after the review.
        let replica = "0190dddd-0000-7000-8000-00000000beef"
        let justAfterReview = HybridTimestamp(rawValue: review.hlc.rawValue + 1)
        // (Each case under its own replica id: a refused change's void counts its dot, and those below it, as seen.)
        let revise = Change(
            dot: Dot(replica: "0190dddd-0000-7000-8000-00000000bee1", counter: 1), hlc: justAfterReview, record: id, unit: "squad-3", actor: "zhao", context: sign.context,
            payload: .transition(
                TransitionStep(action: .revise, from: .reviewed, to: .awaitingReview, role: .leader, comment: "被撤回", sawContent: record.latestContent.dot)))
        let edit = edit(id, dot: Dot(replica: replica, counter: 1), unit: "squad-3", actor: "wang", context: sign.context, fields: ["body": #""改了""#])
        var withEdit = revise
        withEdit.dot = Dot(replica: replica, counter: 2)
        withEdit.actor = "wang"
        withEdit.context.add(edit.dot)
        if case .transition(var step) = withEdit.payload {
            step.sawContent = edit.dot
            step.role = .drafter
            withEdit.payload = .transition(step)
        }
        for (what, changes) in [("a revise alone", [revise]), ("an edit claiming to be concurrent with the sign-off, with its revise", [edit, withEdit])] {
            let answer = try await push(fixture, token: fixture.squad3Token, changes)
            #expect(answer.results.allSatisfy { $0.status == .rejected }, "\(what): \(answer.results)")
            #expect(try fixture.central.report(id).state == .received, "\(what)")
        }
        let reasons = try fixture.central.rejectedChanges().map(\.reason)
        #expect(reasons.contains { $0.contains("accompanies no edit") }, "\(reasons)")
        #expect(reasons.contains { $0.contains("already holds received") }, "\(reasons)")

        // A step stamped before what it says it had seen (a clock set back to pass a revocation).
        let second = try fixture.field.draft(ReportContent(category: .dynamic, title: "二", body: "正文"), by: "wang").id
        _ = try await push(fixture, token: fixture.squad3Token, try fixture.reportChanges())
        let draft = try #require(try fixture.field.records().first { $0.id == second })
        let backdated = try TestSigners.signer("wang").sign(
            Change(
                dot: Dot(replica: replica, counter: 10), hlc: HybridTimestamp(rawValue: draft.latestContent.hlc.rawValue - (1 << 16)), record: second,
                unit: "squad-3", actor: "wang", context: draft.vv,
                payload: .transition(
                    TransitionStep(action: .submit, from: .draft, to: .awaitingReview, role: .drafter, comment: nil, sawContent: draft.latestContent.dot))))
        let answer = try await push(fixture, token: fixture.squad3Token, [backdated])
        #expect(answer.results.map(\.status) == [.rejected] && answer.results[0].reason?.contains("stamped before") == true, "\(answer.results)")
        #expect(try fixture.central.report(second).state == .draft)
    }
}
