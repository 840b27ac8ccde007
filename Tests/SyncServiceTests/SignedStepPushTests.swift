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
            ("signed with the drafter's key", try review(signedWith: TestSigners.signer("wang").privateKey)),
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
        #expect(try fixture.central.verifySteps(report: id).filter { $0.step == "review" }.map(\.verified) == [true])
    }
}
