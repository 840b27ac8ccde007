import Foundation
import SyncCore
import Testing

/// A report raised off the network has its text withdrawn from other replicas by a redaction
/// (docs/bundles.md, "Raising a classification"): every replica's record ends the same, whatever order
/// the redaction and concurrent writes come in, and a value withheld still compares as itself.
@Suite("Redactions")
struct RedactionTests {
    /// Field A drafts r1 and a second device B holds it; then each edits the body without seeing the
    /// other's edit (B writes `bBody`), and A withdraws the text of what it had written.
    func concurrentEdits(bBody: String) throws -> (a: MemoryReplica, create: Change, aEdit: Change, bEdit: Change, redaction: Change) {
        var a = MemoryReplica(replicaID: "a")
        var b = MemoryReplica(replicaID: "b")
        let create = try a.draft(id: "r1", Cast.news("夜查"), by: Cast.wang, now: Cast.at(0))
        b.pull(from: a)
        let aEdit = try a.edit("r1", Cast.patch(body: "甲的正文"), by: Cast.wang, now: Cast.at(10))[0]
        let bEdit = try b.edit("r1", Cast.patch(body: bBody), by: Cast.li, now: Cast.at(20))[0]
        let redaction = try #require(try a.redact("r1", by: Cast.wang, now: Cast.at(30)))
        return (a, create, aEdit, bEdit, redaction)
    }

    @Test("a redaction withholds every value it covers but the classification, and the writer's originals reveal them")
    func withholds() throws {
        let (a, create, aEdit, _, redaction) = try concurrentEdits(bBody: "乙的正文")
        let record = try a.record("r1")
        #expect(record.redactions.map(\.dot) == [redaction.dot])
        for version in record.versions {
            for (name, value) in version.fields where !Withheld.keptFields.contains(name) {
                let empty = ["null", "[]"].contains(value)
                #expect(Withheld.isMarker(value) != empty, "\(name) of \(version.dot) is withheld unless empty")
            }
        }
        #expect(record.classification == .public, "the classification stays readable")
        #expect(record.withheldFields.contains("title") && record.withheldFields.contains("body"))
        #expect(!record.canonicalJSON.contains("夜查") && !record.canonicalJSON.contains("甲的正文"), "no text in the record")
        let shown = record.revealing([create.dot: create, aEdit.dot: aEdit])
        #expect(try shown.content().title == "夜查" && shown.content().body == "甲的正文")
        #expect(shown.withheldFields.isEmpty)
    }

    @Test("records and digests agree whatever order the redaction and a concurrent write arrive in")
    func orderIndependent() throws {
        let (a, create, aEdit, bEdit, redaction) = try concurrentEdits(bBody: "乙的正文")
        let orders = [[create, aEdit, redaction, bEdit], [create, bEdit, aEdit, redaction], [create, aEdit, bEdit, redaction]]
        var digests: Set<String> = []
        for (index, order) in orders.enumerated() {
            var replica = MemoryReplica(replicaID: "x\(index)")
            replica.receive(order, now: Cast.at(100))
            digests.insert(try replica.digest())
        }
        var writer = a
        writer.receive([bEdit], now: Cast.at(100))
        digests.insert(try writer.digest())
        #expect(digests.count == 1, "one state everywhere")
        let record = try writer.record("r1")
        let conflict = try #require(record.fieldConflicts.first { $0.field == "body" })
        let aSide = conflict.winner.dot == aEdit.dot ? conflict.winner : conflict.loser
        let bSide = conflict.winner.dot == bEdit.dot ? conflict.winner : conflict.loser
        #expect(Withheld.isMarker(aSide.value ?? ""), "the covered side is withheld")
        #expect(bSide.value == "\"乙的正文\"", "the concurrent write it did not cover keeps its text")
    }

    @Test("a concurrent write of the same value is no conflict, before or after the redaction")
    func sameValueAfterWithholding() throws {
        let (a, create, aEdit, bEdit, redaction) = try concurrentEdits(bBody: "甲的正文")
        for order in [[create, aEdit, redaction, bEdit], [create, bEdit, aEdit, redaction]] {
            var replica = MemoryReplica(replicaID: "x")
            replica.receive(order, now: Cast.at(100))
            #expect(try replica.record("r1").fieldConflicts.isEmpty)
        }
        var writer = a
        writer.receive([bEdit], now: Cast.at(100))
        #expect(try writer.record("r1").fieldConflicts.isEmpty)
        var first = MemoryReplica(replicaID: "x")
        first.receive([create, aEdit, redaction, bEdit], now: Cast.at(100))
        var second = MemoryReplica(replicaID: "y")
        second.receive([create, bEdit, aEdit, redaction], now: Cast.at(100))
        #expect(try first.digest() == second.digest())
    }

    @Test("a redaction waits for the writes it covers, and is refused without any")
    func waitsForWhatItCovers() throws {
        let (_, create, aEdit, _, redaction) = try concurrentEdits(bBody: "乙的正文")
        var replica = MemoryReplica(replicaID: "x")
        let outcomes = replica.receive([create, redaction], now: Cast.at(100))
        guard case .waiting = outcomes[1] else { Issue.record("expected the redaction to wait, got \(outcomes[1])"); return }
        replica.receive([aEdit], now: Cast.at(101))
        #expect(try replica.record("r1").redactions.count == 1, "applied once its cover arrived")
        var empty = redaction
        empty.context = VersionVector()
        empty.dot = Dot(replica: "a", counter: 99)
        guard case .rejected = replica.receive([empty], now: Cast.at(102))[0] else { Issue.record("an empty redaction is refused"); return }
    }

    @Test("the withheld copy of a change is recognised as that change, and only as it")
    func withheldCopy() throws {
        let (_, _, aEdit, bEdit, _) = try concurrentEdits(bBody: "乙的正文")
        let copy = Withheld.change(aEdit).canonicalJSON
        #expect(Withheld.isCopy(copy, of: aEdit))
        #expect(!Withheld.isCopy(copy, of: bEdit))
        var forged = aEdit
        forged.payload = .content(ContentWrite(creates: false, fields: ["body": "\"别的正文\""]))
        #expect(!Withheld.isCopy(copy, of: forged), "other text under the same dot is not the original")
        #expect(!Withheld.isCopy(copy, of: Withheld.change(aEdit)), "a copy is not offered as an original")
        #expect(Withheld.same(Withheld.marker(of: "\"甲\""), "\"甲\"") && !Withheld.same(Withheld.marker(of: "\"甲\""), "\"乙\""))
    }

    @Test("a redaction the central refuses is voided: its writer gets the text back in its record and ends equal to the central")
    func refusedRedaction() throws {
        var a = MemoryReplica(replicaID: "a")
        var central = MemoryReplica(replicaID: "central")
        try a.draft(id: "r1", Cast.news("夜查"), by: Cast.wang, now: Cast.at(0))
        central.pull(from: a)
        let redaction = try #require(try a.redact("r1", by: Cast.wang, now: Cast.at(10)))
        #expect(try a.record("r1").withheldFields.contains("title"))
        let refusal = central.refuseAndVoid(redaction, reason: "not allowed", now: Cast.at(20))
        let void = try #require(refusal, "a redaction is voided like an edit")
        a.receive([void], now: Cast.at(30))
        let record = try a.record("r1")
        #expect(record.redactions.isEmpty && record.withheldFields.isEmpty)
        #expect(try record.content().title == "夜查")
        #expect(try a.digest() == central.digest())
    }

    @Test("what of a raised report the feed may still send: copies, steps and decisions that hold none of its content")
    func whatTheFeedMaySend() throws {
        let (_, create, aEdit, _, redaction) = try concurrentEdits(bBody: "乙的正文")
        #expect(Withheld.carriesNoContent(create) && Withheld.carriesNoContent(aEdit) && Withheld.carriesNoContent(redaction))
        func step(_ detail: StepDetail?, comment: String? = "同意") -> Change {
            var change = aEdit
            change.payload = .transition(
                TransitionStep(action: .copyedit, from: .received, to: .received, role: .centralEditor, comment: comment, sawContent: aEdit.dot, detail: detail))
            return change
        }
        #expect(Withheld.carriesNoContent(step(nil)), "a step's comment is its history, kept everywhere")
        #expect(!Withheld.carriesNoContent(step(StepDetail(revisedTitle: "改后的标题"))), "a copy-edit's text is content")
        func decision(_ value: String?) -> Change {
            var change = aEdit
            change.payload = .resolution(ResolutionStep(conflict: "c", keep: value == nil ? .winner : .value, role: .drafter, value: value))
            return change
        }
        #expect(Withheld.carriesNoContent(decision(nil)))
        #expect(!Withheld.carriesNoContent(decision("\"第三种写法\"")), "a decision's own value is content")
    }
}
