import Foundation
import GRDB
import SyncCore
import Testing
import TestSupport

@testable import Store

/// What a device holding a valid token may try against a lowering's sealing (docs/bundles.md, "Raising
/// and lowering a classification"): each found by an attacker's review, each refused here.
@Suite("Sealing under attack")
struct SealingAttackTests {
    let central: CentralReplica
    let laptop: FieldReplica
    let tablet: FieldReplica
    let laptopDevice: Enrollment
    let tabletDevice: Enrollment
    let otherUnit: Enrollment

    static let secretBody = "SECRET-BODY 涉密正文"
    static let secretEdit = "SECRET-EDIT 涉密补充"

    init() throws {
        central = try CentralReplica.inMemory(bureau: OrgUnit(id: "bureau", name: "某某局", kind: .centralOffice))
        try central.replica.addUnit(OrgUnit(id: "squad-3", name: "第三中队", kind: .squad, parent: "bureau"))
        try central.replica.addUnit(OrgUnit(id: "squad-4", name: "第四中队", kind: .squad, parent: "bureau"))
        for person in BureauSimulation.people { try central.replica.addMember(person) }
        try TestSigners.register(BureauSimulation.people.map(\.id), on: central.replica)
        laptop = try FieldReplica.inMemory(unit: "squad-3")
        tablet = try FieldReplica.inMemory(unit: "squad-3")
        laptopDevice = try central.authenticate(token: try central.enroll(unit: "squad-3", device: "laptop"))
        tabletDevice = try central.authenticate(token: try central.enroll(unit: "squad-3", device: "tablet"))
        otherUnit = try central.authenticate(token: try central.enroll(unit: "squad-4", device: "other"))
        try pull(laptop)
        try pull(tablet)
    }

    func pull(_ field: FieldReplica) throws {
        let page = try central.feed(after: try field.pullCursor(), limit: 1000, units: try central.unitScope(of: "squad-3"))
        _ = try field.applyPulled(try page.changes.map { try JSONCoding.value(Change.self, from: $0.body) }, next: page.covered)
    }

    @discardableResult
    func push(_ field: FieldReplica, _ device: Enrollment) throws -> [PushResult] {
        let batch = try field.nextPush(limit: 1000)
        let answers = try central.receivePush(batch.map(\.change), from: device)
        try field.acknowledge(sent: batch, answers: answers)
        return answers
    }

    /// A secret report drafted and edited on the laptop, then lowered (not pushed yet).
    func lowerOnLaptop() throws -> String {
        var content = ReportContent(category: .dynamic, title: "线索", body: Self.secretBody)
        content.classification = .secret
        let id = try laptop.replica.draft(content, by: "wang").id
        var edit = ReportPatch()
        edit.body = Self.secretEdit
        _ = try laptop.replica.edit(id, with: edit, by: "wang")
        var lower = ReportPatch()
        lower.classification = .public
        lower.body = "PUBLIC-BODY"
        _ = try laptop.replica.edit(id, with: lower, by: "wang")
        return id
    }

    func keptOriginals() throws -> String {
        try central.replica.read { db in try String.fetchAll(db, sql: "SELECT body FROM withheld_originals").joined() }
    }

    @Test("text offered for a sealed copy by a push is never kept, and by a bundle only from the device that wrote it")
    func forgedOriginals() throws {
        let id = try lowerOnLaptop()
        try push(laptop, laptopDevice)
        let copies = try central.feed(after: 0, limit: 1000, units: ["squad-3"]).changes
            .map { try JSONCoding.value(Change.self, from: $0.body) }.filter { $0.record == id && Withheld.holdsSealed($0) }
        #expect(copies.count == 2)
        let forged: [Change] = copies.map { copy in
            guard case .content(let write) = copy.payload else { return copy }
            var forged = copy
            forged.payload = .content(
                ContentWrite(creates: write.creates, fields: write.fields.mapValues { $0 == Withheld.sealed ? "\"FORGED\"" : $0 }))
            return forged
        }
        _ = try central.receivePush(forged, from: otherUnit)
        _ = try central.receivePush(forged, from: laptopDevice)
        #expect(try !keptOriginals().contains("FORGED"), "a push never gives the text of a sealed copy")
        let bundled = try laptop.replica.withheldText(of: [id])
        let tabletIDs: Set<String> = [try tablet.replica.identity().replicaID]
        #expect(try central.replica.keepWithheldText(bundled, units: ["squad-3"], writers: tabletIDs) == 0, "another device's bundle gives none")
        let laptopIDs: Set<String> = [try laptop.replica.identity().replicaID]
        #expect(try central.replica.keepWithheldText(bundled, units: ["squad-3"], writers: laptopIDs) == 2, "the writer's bundle gives it")
        #expect(try keptOriginals().contains(Self.secretEdit))
        #expect(try central.replica.keepWithheldText(bundled, units: ["squad-3"], writers: laptopIDs) == 0, "kept once: nothing new to say")
    }

    @Test("a crafted sealing that names a write it has not seen, or one made while the report was public, is refused; every replica agrees")
    func craftedSealing() throws {
        let id = try laptop.replica.draft(ReportContent(category: .dynamic, title: "公开标题", body: "公开正文"), by: "wang").id
        let create = try #require(try laptop.outbox().first).change
        try push(laptop, laptopDevice)
        try pull(tablet)
        var edit = ReportPatch()
        edit.body = "TABLET-PUBLIC-EDIT"
        _ = try tablet.replica.edit(id, with: edit, by: "wang")
        let tabletWrite = try #require(try tablet.outbox().first).change
        let record = try laptop.replica.record(id)
        func sealing(_ seals: [Dot], counter: Int64) -> Change {
            Change(
                dot: Dot(replica: create.dot.replica, counter: create.dot.counter + counter),
                hlc: HybridTimestamp(wallMilliseconds: create.hlc.wallMilliseconds + 1000 * counter, logical: 0), record: id, unit: "squad-3",
                actor: "wang", context: record.vv, payload: .redaction(Redaction(raisedTo: .secret, seals: seals)))
        }
        let unseen = try central.receivePush([sealing([tabletWrite.dot], counter: 5)], from: laptopDevice)
        #expect(unseen.map(\.status) == [.rejected] && unseen[0].reason?.contains("a sealing names only those") == true, "\(unseen)")
        let publicEra = try central.receivePush([sealing([create.dot], counter: 6)], from: laptopDevice)
        #expect(publicEra.map(\.status) == [.rejected], "a public write is never sealed")
        try push(tablet, tabletDevice)
        try pull(tablet)
        try pull(laptop)
        let digest = try central.replica.reportDigests()[id]
        #expect(try tablet.replica.reportDigests()[id] == digest && laptop.replica.reportDigests()[id] == digest)
        #expect(try central.replica.record(id).withheldFields.isEmpty, "no public text blanked")
    }

    @Test("changes written again under a new replica id after a lowering still send the secret era sealed")
    func reissueKeepsTheSeal() throws {
        _ = try lowerOnLaptop()
        let first = try #require(try laptop.outbox().first).change.dot
        _ = try laptop.reissue(from: [first])
        let sent = try laptop.nextPush(limit: 1000).map(\.change.canonicalJSON).joined()
        #expect(!sent.contains("SECRET-EDIT") && !sent.contains("SECRET-BODY"))
        #expect(try push(laptop, laptopDevice).allSatisfy { $0.status == .accepted })
    }
}
