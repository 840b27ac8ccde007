import Foundation
import Store
import SyncCore
import TestSupport
import Testing

/// The field's outbox against the real central store: what is held, what goes, and what an answer may move.
@Suite("Outbox")
struct OutboxTests {
    let central: CentralReplica
    let field: FieldReplica
    /// The field's enrolment at the central.
    let device: Enrollment

    init() throws {
        central = try CentralReplica.inMemory(bureau: OrgUnit(id: "bureau", name: "某某局", kind: .centralOffice))
        try central.replica.addUnit(OrgUnit(id: "squad-3", name: "第三中队", kind: .squad, parent: "bureau"))
        for person in BureauSimulation.people { try central.replica.addMember(person) }
        try TestSigners.register(BureauSimulation.people.map(\.id), on: central.replica)
        field = try FieldReplica.inMemory(unit: "squad-3")
        device = try central.authenticate(token: try central.enroll(unit: "squad-3", device: "laptop"))
        let feed = try central.feed(after: 0, limit: 1000, units: ["squad-3"])
        _ = try field.applyPulled(try feed.changes.map { try JSONCoding.value(Change.self, from: $0.body) }, next: feed.covered)
    }

    /// One push of the field's next batch through the central's authorisation and merge, answered in full.
    @discardableResult
    func push(limit: Int = 1000) throws -> PushAcknowledgement {
        let batch = try field.nextPush(limit: limit)
        return try field.acknowledge(sent: batch, answers: try central.receivePush(batch.map(\.change), from: device))
    }

    func draft(_ title: String, _ classification: Classification = .public) throws -> String {
        var content = ReportContent(category: .dynamic, title: title, body: "中队开展夜查。")
        content.classification = classification
        return try field.replica.draft(content, by: "wang").id
    }

    @Test("a report drafted secret, held while a public one goes, then made public, reaches the central whole")
    func declassifiedReportReachesTheCentral() throws {
        let secret = try draft("涉密", .secret)
        let open = try draft("公开")
        try push()
        #expect(try central.replica.reportDigests().keys.contains(open))
        #expect(try central.replica.reportDigests()[secret] == nil, "a secret report never crosses the network")
        #expect(try field.outbox().map(\.state) == [.heldSecret])
        var patch = ReportPatch()
        patch.classification = .public
        _ = try field.replica.edit(secret, with: patch, by: "wang")
        let answered = try push()
        #expect(answered.accepted == 3 && answered.waiting == 0, "the held creation went, sealed, with its sealing and declassification")
        #expect(try central.replica.report(secret).content.classification == .public)
        #expect(try central.replica.reportDigests()[secret] == field.replica.reportDigests()[secret])
        #expect(try field.outbox().isEmpty)
    }

    @Test("status, the push and the daemon's wake-up count the same outbox: a new secret draft wakes nothing")
    func oneCount() throws {
        _ = try draft("涉密", .secret)
        let state = try field.syncState()
        #expect(state.outgoing == 0 && state.heldSecret == 1)
        #expect(try field.nextPush(limit: 1000).isEmpty)
        _ = try draft("公开")
        #expect(try field.syncState().outgoing == 1)
        #expect(try field.nextPush(limit: 1000).count == 1)
    }

    @Test("a short, reordered or foreign answer moves only the changes it answered for, by dot")
    func answersMatchedByDot() throws {
        let ids = try (0..<3).map { try draft("t\($0)") }
        let batch = try field.nextPush(limit: 1000)
        var answers = try central.receivePush(batch.map(\.change), from: device)
        answers.reverse()
        let unanswered = answers.removeFirst()
        answers.append(PushResult(dot: Dot(replica: "someone-else", counter: 1), status: .accepted))
        let acknowledged = try field.acknowledge(sent: batch, answers: answers)
        #expect(acknowledged.accepted == 2)
        #expect(acknowledged.unanswered == [unanswered.dot])
        #expect(acknowledged.foreign == [Dot(replica: "someone-else", counter: 1)])
        #expect(try field.outbox().map(\.change.dot) == [unanswered.dot], "the unanswered change stays to go again")
        #expect(try push().accepted == 1, "sent again, it is a duplicate at the central and leaves the outbox")
        #expect(try field.outbox().isEmpty)
        #expect(Set(try central.replica.reportDigests().keys).isSuperset(of: ids))
    }

    @Test("the central refuses a creating write by a leader, as every replica refuses it locally")
    func oneTableForCreation() throws {
        #expect(throws: ReportSyncError.self) { try field.replica.draft(ReportContent(category: .dynamic, title: "t", body: "b"), by: "zhao") }
        _ = try draft("由王起草")
        var forged = try field.nextPush(limit: 1).first!.change
        forged.dot = Dot(replica: "forged", counter: 1)
        forged.actor = "zhao"
        forged.record = UUIDv7.make()
        let answer = try central.receivePush([forged], from: device)[0]
        #expect(answer.status == .rejected, "the central took a leader's creating write")
        #expect(answer.reason?.contains("a leader may not draft reports") == true)
    }

    @Test("a follow-up of a secret report is held with it, and both go once the first is declassified")
    func followUpOfSecretIsHeld() throws {
        var first = ReportContent(category: .emergency, title: "突发", body: "首报")
        first.classification = .secret
        let firstID = try field.replica.draft(first, by: "wang").id
        var next = ReportContent(category: .emergency, title: "续报", body: "续报")
        next.followUpOf = firstID
        _ = try field.replica.draft(next, by: "wang")
        #expect(try field.outbox().map(\.state) == [.heldSecret, .heldSecret])
        var patch = ReportPatch()
        patch.classification = .public
        _ = try field.replica.edit(firstID, with: patch, by: "wang")
        #expect(try push().waiting == 0)
        #expect(try central.replica.reportDigests() .count == 2)
    }

    @Test("an internal report is held like a secret one under the standard policy, and goes over the network once the bureau's policy allows it")
    func internalReportsFollowThePolicy() throws {
        let id = try draft("不宜公开", .internal)
        #expect(try field.outbox().map(\.state) == [.heldSecret])
        #expect(try push().accepted == 0 && central.replica.reportDigests()[id] == nil)
        try central.replica.addMember(Member(id: "qian", name: "钱管理员", unit: "bureau", role: .admin))
        var open = Policy.standard
        open.internalOverNetwork = true
        try central.replica.setPolicy(open, by: "qian")
        let feed = try central.feed(after: try field.pullCursor(), limit: 1000, units: ["squad-3"])
        _ = try field.applyPulled(try feed.changes.map { try JSONCoding.value(Change.self, from: $0.body) }, next: feed.covered)
        #expect(try field.outbox().map(\.state) == [.ready])
        #expect(try push().accepted == 1 && central.replica.report(id).content.classification == .internal)
    }

    @Test("a push that would leave a report secret at the central is not taken, whatever else it claims; nothing of it is kept")
    func secretNeverKeptAtTheCentral() throws {
        let id = try draft("涉密", .secret)
        let creation = try field.outbox()[0].change
        // A hand-made 'declassification' that can never apply: it claims a write the central will never see.
        var context = VersionVector()
        context.add(creation.dot)
        context.add(Dot(replica: "never-sent", counter: 9))
        let fake = Change(
            dot: Dot(replica: creation.dot.replica, counter: creation.dot.counter + 50), hlc: creation.hlc, record: id, unit: "squad-3",
            actor: "wang", context: context, payload: .content(ContentWrite(creates: false, fields: ["classification": "\"public\""])))
        let answers = try central.receivePush([creation, fake], from: device)
        #expect(answers.map(\.status) == [.held, .held])
        #expect(try central.replica.reportDigests()[id] == nil)
        #expect(try central.replica.rejectedChanges().isEmpty && central.replica.pendingCount() == 0, "nothing of the secret report is stored")
    }

    @Test("a change the central already holds is a duplicate, even one that alone would make its report secret")
    func heldChangeIsADuplicate() throws {
        let id = try draft("涉密", .secret)
        var patch = ReportPatch()
        patch.classification = .public
        _ = try field.replica.edit(id, with: patch, by: "wang")
        let batch = try field.nextPush(limit: 1000)
        #expect(try central.receivePush(batch.map(\.change), from: device).map(\.status) == [.accepted, .accepted, .accepted])
        #expect(try central.receivePush([batch[0].change], from: device).map(\.status) == [.duplicate])
    }
}
