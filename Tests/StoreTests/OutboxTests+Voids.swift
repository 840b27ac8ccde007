import Foundation
import Store
import SyncCore
import TestSupport
import Testing

extension OutboxTests {
    @Test("an edit the central refuses (its report was withdrawn there meanwhile) is voided; the field rebuilds the report with every step still signed, and agrees with the central")
    func voidKeepsSignatures() throws {
        let id = try draft("夜查")
        try push()
        var patch = ReportPatch()
        patch.place = "城东"
        _ = try field.replica.edit(id, with: patch, by: "wang")
        try central.replica.perform(.withdraw, on: id, by: "wang")
        let answered = try push()
        #expect(answered.refused.count == 1 && answered.refused[0].reason.contains("already holds withdrawn"))
        let feed = try central.feed(after: 0, limit: 1000, units: ["squad-3"])
        _ = try field.applyPulled(try feed.changes.map { try JSONCoding.value(Change.self, from: $0.body) }, next: feed.covered)
        #expect(try field.replica.record(id).voided.count == 1)
        #expect(try field.replica.report(id).state == .withdrawn)
        #expect(try field.replica.verifySteps(report: id).allSatisfy(\.verified))
        #expect(try central.replica.reportDigests()[id] == field.replica.reportDigests()[id])
    }

    @Test("a change the central kept waiting and refused once its causes came is voided there, and shown on the field as refused")
    func refusedAfterWaiting() throws {
        let id = try draft("夜查")
        try push()
        for body in ["第一次修改", "第二次修改"] {
            var patch = ReportPatch()
            patch.body = body
            _ = try field.replica.edit(id, with: patch, by: "wang")
        }
        try central.replica.perform(.withdraw, on: id, by: "wang")
        // The second edit arrives first and waits for the first, which the central then refuses.
        let entries = try field.nextPush(limit: 10)
        #expect(entries.count == 2)
        let second = try field.acknowledge(sent: [entries[1]], answers: try central.receivePush([entries[1].change], from: device))
        #expect(second.waiting == 1)
        let first = try field.acknowledge(sent: [entries[0]], answers: try central.receivePush([entries[0].change], from: device))
        #expect(first.refused.count == 1)
        #expect(try central.replica.record(id).voided.map(\.dot) == entries.map(\.change.dot), "both edits are voided at the central")
        let feed = try central.feed(after: 0, limit: 1000, units: ["squad-3"])
        _ = try field.applyPulled(try feed.changes.map { try JSONCoding.value(Change.self, from: $0.body) }, next: feed.covered)
        #expect(Set(try field.pushRejections().map(\.dot)) == Set(entries.map(\.change.dot)), "the field shows both as refused")
        #expect(try field.outbox().isEmpty)
        #expect(try central.replica.reportDigests()[id] == field.replica.reportDigests()[id])
    }
}
