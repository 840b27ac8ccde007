import Foundation
import SyncCore
import Testing

/// A change the central refused is voided (docs/sync-protocol.md): seen everywhere, without effect
/// everywhere, and the writer's later changes that saw it still apply.
@Suite("Voided changes")
struct VoidTests {
    /// The field drafts r1 (the central has it), then edits the title (C, to be refused) and then the body
    /// (D, which saw C). Returns the field, the central, C and D.
    func refusedEdit() throws -> (field: MemoryReplica, central: MemoryReplica, refused: Change, later: Change) {
        var field = MemoryReplica(replicaID: "field")
        var central = MemoryReplica(replicaID: "central")
        try field.draft(id: "r1", Cast.news("原标题"), by: Cast.wang, now: Cast.at(0))
        central.pull(from: field)
        let refused = try field.edit("r1", Cast.patch(title: "被拒的标题"), by: Cast.wang, now: Cast.at(10))[0]
        let later = try field.edit("r1", Cast.patch(body: "后来的正文"), by: Cast.wang, now: Cast.at(20))[0]
        return (field, central, refused, later)
    }

    func void(_ change: Change, at central: MemoryReplica) -> Change {
        Change(
            dot: Dot(replica: "central", counter: central.counter + 1), hlc: HybridTimestamp(wallMilliseconds: Cast.at(30).millisecondsSince1970, logical: 0),
            record: change.record, unit: change.unit, actor: "central-office", context: (try? central.record(change.record).vv) ?? change.context,
            payload: .void(VoidMarker(dot: change.dot, reason: "stamped in the future")))
    }

    @Test("the writer drops the refused effect, keeps what came after, and ends equal to the central and to a third replica")
    func converges() throws {
        var (field, central, refused, later) = try refusedEdit()
        let marker = void(refused, at: central)
        central.receive([marker, later], now: Cast.at(40))
        #expect(try central.record("r1").content().body == "后来的正文", "the later edit applied at the central")
        field.receive([marker], now: Cast.at(40))
        let content = try field.record("r1").content()
        #expect(content.title == "原标题" && content.body == "后来的正文")
        #expect(try field.digest() == central.digest())
        var third = MemoryReplica(replicaID: "third")
        third.receive([later, marker, field.log[0]], now: Cast.at(50))
        #expect(try third.digest() == central.digest(), "any order")
        #expect(try field.record("r1").voided.map(\.dot) == [refused.dot])
    }

    @Test("the refused change arriving after its void is refused with the central's reason")
    func lateArrival() throws {
        var (_, central, refused, _) = try refusedEdit()
        central.receive([void(refused, at: central)], now: Cast.at(40))
        let outcome = central.receive([refused], now: Cast.at(41))[0]
        guard case .rejected(let error) = outcome else { Issue.record("expected a refusal, got \(outcome)"); return }
        #expect(error.message.contains("refused by the central (stamped in the future)"))
    }
}
