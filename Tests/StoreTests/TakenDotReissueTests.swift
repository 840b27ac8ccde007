import Foundation
import GRDB
import SyncCore
import Testing
import TestSupport

@testable import Store

/// A field file put back from a backup together with its machine (the watermark gone too) cannot tell
/// it is an older copy of itself, and writes again under dots its old self used. The central answers
/// `dotTaken`, or sends the old self's changes back, and the field writes its own again under a new id
/// (`FieldReplica.reissue`): nothing is lost and both copies converge.
@Suite("A field put back with its machine writes again what it wrote under used dots")
struct TakenDotReissueTests {
    let directory: URL
    let path: String
    let central: CentralReplica
    let device: Enrollment
    var field: FieldReplica

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("reissue-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("field.sqlite").path
        central = try CentralReplica.inMemory(bureau: OrgUnit(id: "bureau", name: "某某局", kind: .centralOffice))
        try central.replica.addUnit(OrgUnit(id: "squad-3", name: "第三中队", kind: .squad, parent: "bureau"))
        try central.replica.addMember(Member(id: "wang", name: "王", unit: "squad-3", role: .drafter))
        let token = try central.enroll(unit: "squad-3", device: "laptop")
        device = try central.authenticate(token: token)
        field = try FieldReplica.create(at: path, unit: "squad-3", centralURL: "memory", token: token)
    }

    /// One round as `SyncRound` runs it, without the network; `pullFirst` takes the feed in before pushing.
    func round(pullFirst: Bool = false) throws -> [String] {
        let known = try field.knowledge()
        var notices = try field.reconcile(with: try central.standing(for: device, asking: known.replicas), known: known).notices
        if pullFirst { try pull() }
        let outgoing = try field.nextPush(limit: 1000)
        if !outgoing.isEmpty {
            notices += try field.acknowledge(sent: outgoing, answers: try central.receivePush(outgoing.map(\.change), from: device)).reissue.notices
        }
        try pull()
        return notices
    }

    func pull() throws {
        let page = try central.feed(after: try field.pullCursor(), limit: 1000, units: try central.unitScope(of: "squad-3"))
        _ = try field.applyPulled(try page.changes.map { try JSONCoding.value(Change.self, from: $0.body) }, next: page.covered)
    }

    func draft(_ title: String) throws -> String {
        try field.replica.draft(ReportContent(category: .dynamic, title: title, body: "正文"), by: "wang").id
    }

    /// Copies the field's file aside, as `cp` would.
    func backUp() throws -> String {
        try field.replica.checkpoint()
        let backup = directory.appendingPathComponent("field.bak").path
        try FileManager.default.copyItem(atPath: path, toPath: backup)
        return backup
    }

    /// Puts `backup` back over the field's file in place, and the machine's watermark back to none.
    mutating func restore(_ backup: String) throws {
        let id = try field.replica.identity().replicaID
        try field.replica.close()
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: try Data(contentsOf: URL(fileURLWithPath: backup)))
        try handle.close()
        if let marks = CounterWatermark.directory { try? FileManager.default.removeItem(at: marks.appendingPathComponent(id)) }
        field = try FieldReplica.open(at: path)
    }

    /// The old self's reports, then three changes of the restored file (a report drafted and edited, another drafted):
    /// the first two under dots the central holds for the old self's changes, the third under a dot after them.
    mutating func restoredFileWritesAgain(pullFirst: Bool) throws -> (written: [String], notices: [String], oldID: String) {
        _ = try round()
        _ = try draft("一")
        _ = try round()
        let backup = try backUp()
        let oldID = try field.replica.identity().replicaID
        _ = try draft("二")
        _ = try draft("三")
        _ = try round()
        try restore(backup)
        #expect(try field.replica.identity().replicaID == oldID, "nothing on the device can tell: it writes under its old id")
        let four = try draft("四")
        var patch = ReportPatch()
        patch.body = "改过的正文"
        try field.replica.edit(four, with: patch, by: "wang")
        let five = try draft("五")
        let notices = try round(pullFirst: pullFirst) + round()
        return ([four, five], notices, oldID)
    }

    func expectConverged(written: [String], oldID: String) throws {
        let atCentral = try central.replica.reportDigests()
        #expect(try field.replica.reportDigests() == atCentral, "the field and the central hold the same reports")
        #expect(atCentral.count == 5, "the old self's three reports and the restored file's two")
        for id in written {
            let changes = try central.replica.changes(limit: 1000).map(\.change).filter { $0.record == id }
            #expect(!changes.isEmpty && changes.allSatisfy { $0.dot.replica != oldID }, "report \(id) reached the central under the new id")
        }
        #expect(try central.replica.reports().first { $0.id == written[0] }?.content.body == "改过的正文")
        let moved = try field.replica.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM reissued_changes WHERE new_counter IS NOT NULL") }
        #expect(moved == 3, "the three changes under used dots are kept aside, each with the dot it was written again under")
        #expect(try field.outbox().isEmpty)
        #expect(try field.pushRejections().isEmpty, "nothing was refused")
    }

    @Test("told dotTaken by a push, the field writes its changes again under a new id, and nothing after the first taken dot stays at the central")
    mutating func takenOnPush() throws {
        let (written, notices, oldID) = try restoredFileWritesAgain(pullFirst: false)
        #expect(notices.contains { $0.contains("written again under a new replica id") }, "one line says what happened: \(notices)")
        try expectConverged(written: written, oldID: oldID)
    }

    @Test("pulling its old self's changes first, the field writes its own again before taking them in")
    mutating func takenOnPull() throws {
        let (written, _, oldID) = try restoredFileWritesAgain(pullFirst: true)
        try expectConverged(written: written, oldID: oldID)
    }

    @Test("the central keeps nothing of a push whose dot it holds for another change, nor of the same id's later dots in it")
    func centralKeepsNothingTaken() throws {
        _ = try round()
        _ = try draft("一")
        _ = try round()
        let held = try central.replica.changes(limit: 1000).map(\.change)
        let mine = try #require(held.last { $0.dot.replica == (try field.replica.identity().replicaID) })
        var forged = mine
        forged.actor = "wang"
        forged.hlc = HybridTimestamp(rawValue: mine.hlc.rawValue + 1)
        var later = forged
        later.dot = Dot(replica: mine.dot.replica, counter: mine.dot.counter + 5)
        let answers = try central.receivePush([forged, later], from: device)
        #expect(answers.map(\.status) == [.dotTaken, .dotTaken])
        #expect(try central.replica.changes(limit: 1000).map(\.change) == held, "nothing was kept")
    }

    /// Every report of the central, as the field holds it.
    func expectFieldHoldsCentral() throws {
        let here = try field.replica.reportDigests()
        for (id, digest) in try central.replica.reportDigests() { #expect(here[id] == digest, "report \(id) differs") }
    }

    @Test("a signed step among the changes written again is named to be taken again, and an edit after it still goes, seeing its own report only")
    mutating func signedStepAmongThem() throws {
        try TestSigners.register(["wang"], on: central.replica)
        _ = try round()
        _ = try draft("一")
        _ = try round()
        let backup = try backUp()
        for title in ["二", "三", "四"] { _ = try draft(title) }
        _ = try round()
        try restore(backup)
        let a = try draft("甲")
        _ = try draft("乙")
        try field.replica.perform(.submit, on: a, by: "wang")
        var patch = ReportPatch()
        patch.body = "送审后又改"
        try field.replica.edit(a, with: patch, by: "wang")
        let notices = try round() + round()
        #expect(notices.contains { $0.contains("the step submit on report \(a) by wang must be taken again") }, "\(notices)")
        #expect(try field.outbox().isEmpty)
        try expectFieldHoldsCentral()
        #expect(try central.replica.reports().first { $0.id == a }?.content.body == "送审后又改", "the edit after the dropped step arrived")
    }

    @Test("written again twice, from a lower dot the second time, an edit made under the new id in between is kept")
    func reissuedTwice() throws {
        _ = try round()
        let old = try field.replica.identity().replicaID
        let a = try draft("甲")
        _ = try draft("乙")
        let counters = try field.replica.read { db in
            try Row.fetchAll(db, sql: "SELECT counter, record FROM changes WHERE replica = ? ORDER BY counter", arguments: [old])
        }
        let later: Int64 = try #require(counters.last)["counter"]
        let first: Int64 = try #require(counters.first { ($0["record"] as String) == a })["counter"]
        _ = try field.reissue(from: [Dot(replica: old, counter: later)])
        var patch = ReportPatch()
        patch.body = "新编号下的修改"
        try field.replica.edit(a, with: patch, by: "wang")
        _ = try field.reissue(from: [Dot(replica: old, counter: first)])
        #expect(try field.replica.reports().first { $0.id == a }?.content.body == "新编号下的修改")
        _ = try round()
        try expectFieldHoldsCentral()
        #expect(try central.replica.reports().first { $0.id == a }?.content.body == "新编号下的修改")
    }

    @Test("a change the central already took stays under its dot; only those it did not take are written again")
    mutating func deliveredChangesStay() throws {
        _ = try round()
        _ = try draft("一")
        _ = try round()
        let backup = try backUp()
        _ = try draft("二")
        _ = try round()
        try restore(backup)
        var secret = ReportContent(category: .dynamic, title: "涉密", body: "秘")
        secret.classification = .secret
        _ = try field.replica.draft(secret, by: "wang")
        let sent = try draft("公开")
        _ = try round()
        _ = try round()
        let atCentral = try central.replica.changes(limit: 1000).map(\.change).filter { $0.record == sent }
        let atField = try field.replica.changes(limit: 1000).map(\.change).filter { $0.record == sent }
        #expect(atCentral.map(\.dot) == atField.map(\.dot), "the public report keeps the dot the central took it under")
        try expectFieldHoldsCentral()
        #expect(try field.pushRejections().isEmpty)
    }

    @Test("another device pushing under this device's replica id is refused whole and learns nothing of its dots")
    func takenOnlyForTheDevicesOwnIDs() throws {
        _ = try round()
        _ = try draft("一")
        _ = try round()
        try central.replica.addUnit(OrgUnit(id: "squad-9", name: "第九中队", kind: .squad, parent: "bureau"))
        try central.replica.addMember(Member(id: "li", name: "李", unit: "squad-9", role: .drafter))
        let other = try central.authenticate(token: try central.enroll(unit: "squad-9", device: "other"))
        let victim = try field.replica.identity().replicaID
        for counter: Int64 in [1, 2, 50] {
            let probe = Change(
                dot: Dot(replica: victim, counter: counter), hlc: HybridTimestamp(wallMilliseconds: Date().millisecondsSince1970, logical: 0),
                record: "probe-\(counter)", unit: "squad-9", actor: "li", context: VersionVector(),
                payload: .content(ContentWrite(creates: true, fields: ["title": "\"t\"", "category": "\"dynamic\"", "body": "\"b\""])))
            #expect(throws: ReportSyncError.self, "dot \(counter)") { try central.receivePush([probe], from: other) }
        }
    }
}
