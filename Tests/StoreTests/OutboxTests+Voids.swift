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
        patch.classification = .internal
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
}
