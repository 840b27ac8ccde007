import Foundation
import Store
import SyncCore
import Testing
import TestSupport

/// After a restore, a device may give back the changes the central made and lost — and nothing else
/// (docs/sync-protocol.md, "Restores and copies"). A device holding a valid token crafts changes under
/// the central's earlier replica id: each is refused, and nothing at the central changes or is kept.
@Suite("Changes given back to a restored central")
struct ReturnedChangeTests {
    let directory: URL
    let central: CentralReplica
    let field: FieldReplica
    let device: Enrollment
    /// The central's replica id before its restore.
    let earlier: String

    /// A central restored from its backup (so with an earlier replica id), and a field of squad-3 whose
    /// submitted and reviewed report the central holds.
    init() throws {
        directory = try StoreFixtures.temporaryDirectory()
        let path = directory.appendingPathComponent("central.sqlite").path
        var central = try CentralReplica.create(at: path, bureau: OrgUnit(id: "bureau", name: "某某局", kind: .centralOffice))
        try central.replica.addUnit(OrgUnit(id: "squad-3", name: "第三中队", kind: .squad, parent: "bureau"))
        for person in [
            Member(id: "wang", name: "王", unit: "squad-3", role: .drafter), Member(id: "li", name: "李", unit: "squad-3", role: .unitHead),
            Member(id: "chen", name: "陈", unit: "bureau", role: .centralEditor),
        ] { try central.replica.addMember(person) }
        try TestSigners.register(["wang", "li", "chen"], on: central.replica)
        let token = try central.enroll(unit: "squad-3", device: "laptop")
        earlier = try central.replica.identity().replicaID
        let backup = directory.appendingPathComponent("central.bak").path
        _ = try central.replica.backup(to: backup)
        try central.replica.close()
        _ = try CentralReplica.restore(from: backup, to: path)
        central = try CentralReplica.open(at: path)
        self.central = central
        device = try central.authenticate(token: token)
        field = try FieldReplica.inMemory(unit: "squad-3")
        try sync()
    }

    /// One push of the field's outbox and one pull of its feed.
    func sync() throws {
        let outgoing = try field.nextPush(limit: 1000)
        if !outgoing.isEmpty { try field.acknowledge(sent: outgoing, answers: try central.receivePush(outgoing.map(\.change), from: device)) }
        let page = try central.feed(after: try field.pullCursor(), limit: 1000, units: try central.unitScope(of: "squad-3"))
        _ = try field.applyPulled(try page.changes.map { try JSONCoding.value(Change.self, from: $0.body) }, next: page.covered)
    }

    /// A reviewed report of squad-3, held at the central.
    func reviewedReport() throws -> ReportRecord {
        let id = try field.replica.draft(ReportContent(category: .dynamic, title: "夜查", body: "中队开展夜查。"), by: "wang").id
        _ = try field.replica.perform(.submit, on: id, by: "wang")
        _ = try field.replica.perform(.review, on: id, by: "li")
        try sync()
        return try central.replica.record(id)
    }

    /// What the central holds that a crafted change could alter.
    func snapshot() throws -> [String] {
        [try central.replica.digest(), "\(try central.replica.changes(limit: 100_000).count)", "\(try central.replica.rejectedChanges().count)",
            "\(try central.standing(for: device))"]
    }

    /// A refusal of `dot` on `record`, under the central's earlier id at `counter`, by `actor`.
    func refusal(of dot: Dot, on record: ReportRecord, counter: Int64, actor: String) -> Change {
        Change(
            dot: Dot(replica: earlier, counter: counter), hlc: HybridTimestamp(wallMilliseconds: Date().millisecondsSince1970, logical: 0),
            record: record.id, unit: record.unit, actor: actor, context: record.vv,
            payload: .void(VoidMarker(dot: dot, reason: "forged")))
    }

    @Test("a refusal signed by a person's own key, not the central's, is refused: it can neither undo a review nor refuse a change yet to come")
    func refusalSignedByAMember() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let record = try reviewedReport()
        let review = try #require(record.transitions.first { $0.action == .review })
        let before = try snapshot()
        let forged = try TestSigners.signer("wang").sign(refusal(of: review.dot, on: record, counter: 900, actor: "wang"))
        #expect(forged.signature != nil)
        let answer = try central.receivePush([forged], from: device)
        #expect(answer.map(\.status) == [.rejected])
        #expect(try snapshot() == before, "nothing changed and nothing was kept")
        #expect(try central.replica.record(record.id).state == .reviewed)
        let ahead = Dot(replica: try field.replica.identity().replicaID, counter: 999)
        let preemptive = try TestSigners.signer("wang").sign(refusal(of: ahead, on: record, counter: 901, actor: "wang"))
        #expect(try central.receivePush([preemptive], from: device).map(\.status) == [.rejected])
        #expect(try snapshot() == before, "no change of the device's is refused before it is made")
    }

    @Test("a change under the central's earlier id that is unsigned, or signed but refused by the merge, is not kept: no refusal holds its dot")
    func refusedReturnedChangesAreNotKept() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let record = try reviewedReport()
        let before = try snapshot()
        let own = try #require(record.versions.first?.dot)
        let unsigned = refusal(of: Dot(replica: own.replica, counter: 77), on: record, counter: 5, actor: "central-office")
        // The central editor's own signature, on an adoption the workflow does not allow yet (not received).
        let early = try TestSigners.signer("chen").sign(
            Change(
                dot: Dot(replica: earlier, counter: 6), hlc: HybridTimestamp(wallMilliseconds: Date().millisecondsSince1970, logical: 0),
                record: record.id, unit: record.unit, actor: "chen", context: record.vv,
                payload: .transition(
                    TransitionStep(
                        action: .adopt, from: .received, to: .adopted, role: .centralEditor, comment: nil, sawContent: record.latestContent.dot,
                        detail: StepDetail(level: .city, outlet: "快报", leader: nil)))))
        let answer = try central.receivePush([unsigned, early], from: device)
        #expect(answer.map(\.status) == [.rejected, .rejected])
        #expect(try snapshot() == before, "no refusal is kept under the central's dots")
    }

    @Test("a change under the central's current id is refused whole: the central would issue that dot itself")
    func changeUnderTheCurrentID() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let record = try reviewedReport()
        var change = refusal(of: Dot(replica: "x", counter: 1), on: record, counter: 1_000, actor: "central-office")
        change.dot = Dot(replica: try central.replica.identity().replicaID, counter: 1_000)
        let before = try snapshot()
        #expect(throws: ReportSyncError.self) { try central.receivePush([change], from: device) }
        #expect(try snapshot() == before)
    }

    @Test("a step signed by a unit's own member cannot come back as the central's")
    func fieldMembersStepAsTheCentrals() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let record = try reviewedReport()
        let before = try snapshot()
        let step = Change(
            dot: Dot(replica: earlier, counter: 901), hlc: HybridTimestamp(wallMilliseconds: Date().millisecondsSince1970, logical: 0),
            record: record.id, unit: record.unit, actor: "li", context: record.vv,
            payload: .transition(
                TransitionStep(action: .return, from: .reviewed, to: .returned, role: .unitHead, comment: "退回", sawContent: record.latestContent.dot)))
        let answer = try central.receivePush([try TestSigners.signer("li").sign(step)], from: device)
        #expect(answer.map(\.status) == [.rejected])
        #expect(try snapshot() == before)
    }
}
