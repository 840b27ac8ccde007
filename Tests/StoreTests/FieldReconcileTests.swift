import Foundation
import Store
import SyncCore
import Testing
import TestSupport

/// How a field judges the central's standing (`FieldReplica.reconcile`): a repair only when a copy
/// really forgot, never because another process synced the same file meanwhile.
@Suite("A field's check of the central's standing")
struct FieldReconcileTests {
    let central: CentralReplica
    let field: FieldReplica
    let device: Enrollment

    init() throws {
        central = try CentralReplica.inMemory(bureau: OrgUnit(id: "bureau", name: "某某局", kind: .centralOffice))
        try central.replica.addUnit(OrgUnit(id: "squad-3", name: "第三中队", kind: .squad, parent: "bureau"))
        try central.replica.addMember(Member(id: "wang", name: "王", unit: "squad-3", role: .drafter))
        device = try central.authenticate(token: try central.enroll(unit: "squad-3", device: "laptop"))
        field = try FieldReplica.inMemory(unit: "squad-3")
    }

    /// One round as `SyncRound` runs it, without the network: knowledge, standing, reconcile, push, pull.
    @discardableResult
    func round() throws -> FieldRecovery {
        let known = try field.knowledge()
        let recovery = try field.reconcile(with: try central.standing(for: device, asking: known.replicas), known: known)
        try pushAndPull()
        return recovery
    }

    func pushAndPull() throws {
        let outgoing = try field.nextPush(limit: 1000)
        if !outgoing.isEmpty { try field.acknowledge(sent: outgoing, answers: try central.receivePush(outgoing.map(\.change), from: device)) }
        let page = try central.feed(after: try field.pullCursor(), limit: 1000, units: try central.unitScope(of: "squad-3"))
        _ = try field.applyPulled(try page.changes.map { try JSONCoding.value(Change.self, from: $0.body) }, next: page.covered)
    }

    func draft(_ title: String) throws {
        _ = try field.replica.draft(ReportContent(category: .dynamic, title: title, body: "正文"), by: "wang")
    }

    @Test("rounds with nothing wrong repair nothing and leave nothing to send")
    func nothingWrong() throws {
        try round()
        try draft("一")
        for _ in 0..<3 { #expect(try round().notices.isEmpty) }
        #expect(try field.nextPush(limit: 10).isEmpty)
    }

    @Test("another process pushing and pulling the same file after this round asked for the standing is not a central that forgot")
    func anotherProcessSyncsMeanwhile() throws {
        try round()
        try draft("一")
        try round()
        let known = try field.knowledge()
        let standing = try central.standing(for: device, asking: known.replicas)
        // Meanwhile, the daemon syncs the same file: more pushed and acknowledged, the cursor past the standing's top.
        try draft("二")
        try pushAndPull()
        let cursor = try field.pullCursor()
        #expect(cursor > standing.top)
        let recovery = try field.reconcile(with: standing, known: known)
        #expect(recovery.notices.isEmpty && recovery.resent == 0)
        #expect(try field.pullCursor() == cursor, "the cursor is not sent back")
    }

    @Test("a standing that holds less of this device's id than the central had acknowledged sends everything again and pulls from the start")
    func centralForgot() throws {
        try round()
        try draft("一")
        try draft("二")
        try round()
        let standing = try central.standing(for: device)
        // The same central, as if it had lost this device's changes but kept its incarnation.
        let forgetful = CentralStanding(
            incarnations: standing.incarnations, top: standing.top, device: standing.device.map { .init(replica: $0.replica, counter: 0) },
            central: standing.central, centralNow: standing.centralNow, elsewhere: [])
        let recovery = try field.reconcile(with: forgetful, known: try field.knowledge())
        #expect(recovery.resent == 2)
        #expect(try field.pullCursor() == 0)
        #expect(recovery.notices.count == 1)
        try pushAndPull()
        #expect(try field.nextPush(limit: 10).isEmpty, "the central answered duplicate for what it held")
    }

    @Test("after several restores, a field pulls again from the lowest base of every incarnation since the one it knew")
    func pullFromAcrossIncarnations() {
        let standing = CentralStanding(
            incarnations: [.init(id: "a", base: 0), .init(id: "b", base: 100), .init(id: "c", base: 150)], top: 160, device: [], central: [],
            centralNow: .init(replica: "central", counter: 0), elsewhere: [])
        #expect(standing.pullFrom(knownIncarnation: "a", cursor: 140) == 100)
        #expect(standing.pullFrom(knownIncarnation: "b", cursor: 140) == 140)
        #expect(standing.pullFrom(knownIncarnation: "b", cursor: 155) == 150)
        #expect(standing.pullFrom(knownIncarnation: "c", cursor: 155) == 155)
        #expect(standing.pullFrom(knownIncarnation: "unknown", cursor: 155) == 0)
    }

    @Test("a copied file's old ids, which another device writes under, are neither sent again nor taken for a central that forgot")
    func idsOfAnotherDevice() throws {
        try round()
        try draft("一")
        try round()
        let known = try field.knowledge()
        let standing = try central.standing(for: device, asking: known.replicas)
        let cursor = try field.pullCursor()
        // As the central answers a copy enrolled as another device: this file's id is bound elsewhere.
        let copied = CentralStanding(
            incarnations: standing.incarnations, top: standing.top, device: [], central: standing.central, centralNow: standing.centralNow,
            elsewhere: known.replicas)
        let recovery = try field.reconcile(with: copied, known: known)
        #expect(recovery.notices.isEmpty && recovery.resent == 0)
        #expect(try field.pullCursor() == cursor)
    }
}
