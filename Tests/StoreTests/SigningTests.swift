import Crypto
import Foundation
@testable import Store
import SyncCore
import TestSupport
import Testing

/// Signed steps on real SQLite replicas (issue "Every approval is signed by the person who made it"):
/// nobody records a step in another person's name, tampering with a file is found, a revoked key signs
/// nothing new, and a PIN guessed wrong costs a growing wait.
@Suite("Signed steps")
struct SigningTests {
    /// A squad replica in memory with a report of wang's awaiting review.
    func submitted() throws -> (replica: Replica, id: String) {
        let replica = try StoreFixtures.inMemory()
        let id = try replica.draft(StoreFixtures.news(), by: "wang").id
        try replica.perform(.submit, on: id, by: "wang")
        return (replica, id)
    }

    @Test("a step in the unit head's name needs the unit head's key: another key, none, or a key of someone else is refused and writes nothing")
    func onlyTheActorsKeySigns() throws {
        let (replica, id) = try submitted()
        let before = try replica.changes().count
        // The drafter's own key cannot sign a step taken as the unit head.
        #expect(throws: ReportSyncError.self) { try TestSigners.signer("wang").sign(Self.review(of: try replica.record(id), by: "li")) }
        // A key nobody registered, claiming to be li's.
        let stranger = StepSigner(member: "li", privateKey: Curve25519.Signing.PrivateKey())
        let refused = #expect(throws: ReportSyncError.self) { try replica.perform(.review, on: id, as: stranger) }
        #expect(refused?.message.contains("not registered here: not a key registered for li") == true, "\(refused?.message ?? "")")
        // wang's registered key, passed off as li's: the signature names wang's key.
        let borrowed = StepSigner(member: "li", privateKey: TestSigners.privateKey("wang"))
        let wrongMember = #expect(throws: ReportSyncError.self) { try replica.perform(.review, on: id, as: borrowed) }
        #expect(wrongMember?.message.contains("of wang, not of the actor") == true, "\(wrongMember?.message ?? "")")
        // Received from elsewhere, unsigned: refused on receipt.
        let unsigned = Self.review(of: try replica.record(id), by: "li", dot: Dot(replica: "0190aaaa-0000-7000-8000-000000000001", counter: 1))
        #expect(try replica.receive([unsigned]).first.map { if case .rejected = $0 { true } else { false } } == true)
        #expect(try replica.changes().count == before)
        #expect(try replica.report(id).state == .awaitingReview)
        try replica.perform(.review, on: id, by: "li")
        #expect(try replica.report(id).state == .reviewed)
    }

    @Test("a review made while the text changed elsewhere verifies, but does not approve the new text; an altered content version does not verify")
    func approvalIsBoundToTheText() throws {
        let (laptop, id) = try submitted()
        let tablet = try StoreFixtures.inMemory()
        _ = try tablet.receive(try laptop.changes().map(\.change))
        // Offline on both: the unit head reviews what he saw; the leader edits the body on the tablet.
        try laptop.perform(.review, on: id, by: "li")
        var patch = ReportPatch()
        patch.body = "改过的正文"
        _ = try tablet.edit(id, with: patch, by: "zhao")
        _ = try tablet.receive(try laptop.changes().map(\.change))
        _ = try laptop.receive(try tablet.changes().map(\.change))
        for replica in [laptop, tablet] {
            #expect(try replica.report(id).state == .awaitingReview, "the review saw other content: it does not stand")
            #expect(try replica.record(id).conflicts.contains { $0.kind == .staleApproval })
            #expect(try replica.verifySteps(report: id).allSatisfy(\.verified), "the review is genuine, of the older text")
        }
        // The same review with its content version changed is not the unit head's signature.
        let review = try #require(try laptop.changes().map(\.change).first { if case .transition(let s) = $0.payload { s.action == .review } else { false } })
        var moved = review
        guard case .transition(var step) = moved.payload else { return }
        step.sawContent = try tablet.record(id).latestContent.dot
        moved.payload = .transition(step)
        moved.dot = Dot(replica: review.dot.replica, counter: review.dot.counter + 100)
        let fresh = try StoreFixtures.inMemory()
        _ = try fresh.receive(try laptop.changes().map(\.change).filter { $0.dot != review.dot })
        #expect(try fresh.receive([moved]).first.map { if case .rejected(let e) = $0 { e.message.contains("DOES NOT MATCH") } else { false } } == true)
    }

    @Test("a stored step altered in the file (actor or version) is found by verify, and refused by a replica that receives it")
    func tamperingIsDetected() throws {
        let dir = try StoreFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("squad.sqlite").path
        let replica = try StoreFixtures.staffed(Replica.create(at: path, unit: StoreFixtures.unit))
        let id = try replica.draft(StoreFixtures.news(), by: "wang").id
        try replica.perform(.submit, on: id, by: "wang")
        try replica.perform(.review, on: id, by: "li")
        try replica.perform(.sign, on: id, by: "zhao")
        #expect(try replica.verifySteps().filter(\.isSignedStep).count == 3 && replica.verifySteps().allSatisfy(\.verified))

        // Someone with the file rewrites the log: the sign-off now names the unit head.
        try replica.writer.write { db in
            try db.execute(sql: "DROP TRIGGER changes_no_update")
            try db.execute(sql: #"UPDATE changes SET body = replace(body, '"actor":"zhao"', '"actor":"li"') WHERE body LIKE '%"action":"sign"%'"#)
        }
        let forged = try replica.verifySteps(report: id).filter { !$0.verified }
        #expect(forged.map(\.step) == [.step(.sign)], "\(forged)")

        // And the stored record: the review now claims another content version.
        try replica.writer.write { db in
            let json = try String.fetchOne(db, sql: "SELECT record FROM reports WHERE id = ?", arguments: [id])!
            try db.execute(sql: "UPDATE reports SET record = ? WHERE id = ?", arguments: [json.replacingOccurrences(of: #""action":"review","actor":"li""#, with: #""action":"review","actor":"zhao""#), id])
        }
        #expect(try replica.verifySteps(report: id).filter { !$0.verified }.map(\.step.description).sorted() == ["review", "sign"])
        // And the listed state, set past what the steps give.
        try replica.writer.write { db in try db.execute(sql: "UPDATE reports SET state = 'adopted' WHERE id = ?", arguments: [id]) }
        #expect(try replica.verifySteps(report: id).filter { !$0.verified }.map(\.step.description).sorted() == ["review", "sign", "state"])
        #expect(try replica.history(of: id).entries.contains { $0.signatureVerified == false })

        // A replica that receives the rewritten log refuses the forged sign-off.
        let other = try StoreFixtures.inMemory()
        let outcomes = try other.receive(try replica.changes().map(\.change))
        let refusals = outcomes.compactMap { if case .rejected(let e) = $0 { e.message } else { nil } }
        #expect(refusals.count == 1 && refusals[0].contains("sign by li") && refusals[0].contains("of zhao, not of the actor"), "\(refusals)")
        #expect(try other.report(id).state == .reviewed)
    }

    @Test("steps signed before a key is revoked still verify; a step signed after it is refused, here and where it is received")
    func revocation() throws {
        let central = try CentralReplica.inMemory(bureau: OrgUnit(id: "bureau", name: "局", kind: .centralOffice))
        try central.replica.addUnit(OrgUnit(id: "squad-3", name: "第三中队", kind: .squad, parent: "bureau"))
        for person in BureauSimulation.people { try central.replica.addMember(person) }
        try TestSigners.register(BureauSimulation.people.map(\.id), on: central.replica)
        let squad = try Replica.inMemory(unit: OrgUnit(id: "squad-3", name: "第三中队", kind: .squad))
        _ = try squad.receive(try central.replica.changes().map(\.change))
        let first = try squad.draft(StoreFixtures.news(), by: "wang").id
        let second = try squad.draft(StoreFixtures.news("第二篇"), by: "wang").id
        for id in [first, second] { try squad.perform(.submit, on: id, by: "wang") }
        try squad.perform(.review, on: first, by: "li")
        _ = try central.replica.receive(try squad.changes().map(\.change))
        #expect(try central.replica.report(first).state == .reviewed)

        for pattern in ["%", "", "_"] { #expect(throws: ReportSyncError.self) { try central.revokeKeys(of: "li", keyID: pattern) } }
        #expect(try central.replica.keys(of: "li").map(\.status) == [.active], "a pattern revokes nothing")
        try central.revokeKeys(of: "li", keyID: String(TestSigners.signer("li").keyID.prefix(6)))
        // The squad has not heard of the revocation yet: its later review is signed with the old key.
        try squad.perform(.review, on: second, by: "li")
        let outcomes = try central.replica.receive(try squad.changes().map(\.change))
        #expect(outcomes.contains { if case .rejected(let e) = $0 { e.message.contains("revoked") } else { false } })
        #expect(try central.replica.report(second).state == .awaitingReview)
        #expect(throws: ReportSyncError.self) { try central.replica.perform(.review, on: second, by: "li") }
        #expect(try central.replica.verifySteps(report: first).allSatisfy(\.verified), "the review before the revocation stands")
        #expect(try central.replica.keys(of: "li").map(\.status) == [.revoked])
    }

    @Test("a wrong PIN is refused; after a few in a row the device makes the person wait, longer each time; the right PIN then unlocks")
    func wrongPINs() throws {
        let clock = TestClock(Date(timeIntervalSince1970: 1_790_000_000))
        let replica = try Replica.inMemory(unit: StoreFixtures.unit, now: { clock.now })
        try replica.addMember(Member(id: "li", name: "李队长", unit: StoreFixtures.unit.id, role: .unitHead))
        for weak in ["123", "1234567", "12345678"] {
            #expect(throws: ReportSyncError.self) { try replica.setUpKey(for: "li", pin: weak, code: nil, cost: TestSigners.cheapCost) }
        }
        let key = try replica.setUpKey(for: "li", pin: "correct horse", code: nil, cost: TestSigners.cheapCost)
        #expect(key.status == .active && key.onThisDevice)
        var messages: [String] = []
        for _ in 0..<3 {
            do { _ = try replica.unlockKey(of: "li", pin: "wrong pin") } catch let error as ReportSyncError { messages.append(error.message) }
        }
        #expect(messages.count == 3 && messages[2].contains("wait 30 s"), "\(messages)")
        let locked = #expect(throws: ReportSyncError.self) { try replica.unlockKey(of: "li", pin: "correct horse") }
        #expect(locked?.message.contains("too many wrong PINs") == true)
        clock.advance(31)
        #expect(throws: ReportSyncError.self) { try replica.unlockKey(of: "li", pin: "wrong again") }
        let longer = #expect(throws: ReportSyncError.self) { try replica.unlockKey(of: "li", pin: "correct horse") }
        #expect(longer?.message.contains("try again in 60 s") == true, "\(longer?.message ?? "")")
        clock.advance(61)
        #expect(try replica.unlockKey(of: "li", pin: "correct horse").keyID == key.id)
    }

    /// The review `actor` would make of `record`, unsigned.
    static func review(of record: ReportRecord, by actor: String, dot: Dot = Dot(replica: "x", counter: 1)) -> Change {
        Change(
            dot: dot, hlc: HybridTimestamp(wallMilliseconds: Date().millisecondsSince1970, logical: 0), record: record.id, unit: record.unit,
            actor: actor, context: record.vv,
            payload: .transition(
                TransitionStep(action: .review, from: .awaitingReview, to: .reviewed, role: .unitHead, comment: nil, sawContent: record.latestContent.dot)))
    }
}
