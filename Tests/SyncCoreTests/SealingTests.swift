import Foundation
import SyncCore
import Testing

/// A report lowered so that it travels by network again first seals what was written while it was
/// secret (docs/bundles.md, "Lowering a classification"): only sealed copies of those writes cross the
/// network, every replica's record ends the same whatever it held, and the writer still shows its text.
@Suite("Sealing at a lowering")
struct SealingTests {
    static let id = "0192f0c8-1d2e-7a3b-8c4d-5e6f708192a3"
    static let secretTitle = "密：夜查线索"
    static let secretBody = "线人说仓库里有走私货物。"
    static let secretEdit = "补充：已核实车牌。"

    /// Field A drafts r1 secret and edits it while secret; `holder` took both by bundle (it holds their
    /// text). Then A lowers it to public, giving a new body: the sealing and the lowering.
    struct Story {
        var a: MemoryReplica
        var holder: MemoryReplica
        let create: Change
        let edit: Change
        let sealing: Change
        let lowering: [Change]
    }

    static func story() throws -> Story {
        var a = MemoryReplica(replicaID: "a", role: .field)
        var holder = MemoryReplica(replicaID: "h", role: .field)
        var content = ReportContent(category: .dynamic, title: secretTitle, body: secretBody)
        content.classification = .secret
        let create = try a.draft(id: Self.id, content, by: Cast.wang, now: Cast.at(0))
        let edit = try a.edit(Self.id, Cast.patch(body: secretEdit), by: Cast.wang, now: Cast.at(10))[0]
        holder.pull(from: a)
        var lower = Cast.patch(body: "中队开展夜查，查获走私货物一批。")
        lower.classification = .public
        let changes = try a.edit(Self.id, lower, by: Cast.wang, now: Cast.at(20))
        let sealing = try #require(changes.first, "a lowering writes a sealing first")
        #expect(sealing.isRedaction)
        return Story(a: a, holder: holder, create: create, edit: edit, sealing: sealing, lowering: Array(changes.dropFirst()))
    }

    /// What crosses the network from A: its outbox, with the sealed writes as their sealed copies.
    static func networkCopies(_ story: Story) -> [Change] {
        [Withheld.change(story.create, sealed: true), Withheld.change(story.edit, sealed: true), story.sealing] + story.lowering
    }

    @Test("a lowering seals every write made while secret; the network copies hold none of their text")
    func sealsTheSecretEra() throws {
        let story = try Self.story()
        guard case .redaction(let redaction) = story.sealing.payload else { Issue.record("not a redaction"); return }
        #expect(redaction.seals == [story.create.dot, story.edit.dot].sorted())
        #expect(redaction.raisedTo == .secret)
        // The title still stands: the lowering gives it anew, public from now on. The bodies it replaced do not.
        let copies = Self.networkCopies(story).map(\.canonicalJSON).joined()
        for text in [Self.secretBody, Self.secretEdit] {
            #expect(!copies.contains(text), "\(text) does not cross the network")
        }
        let record = try story.a.record(Self.id)
        #expect(!record.canonicalJSON.contains(Self.secretEdit), "the writer's stored record holds the seals too")
        #expect(record.classification == .public)
        let lowering = try #require(story.lowering.first)
        guard case .content(let write) = lowering.payload else { Issue.record("not a write"); return }
        #expect(write.fields["title"] == "\"\(Self.secretTitle)\"", "the lowering gives the standing title anew: it is public from now on")
        let shown = try MergeEngineProbe.revealed(story.a, Self.id)
        #expect(shown.versions.first { $0.dot == story.edit.dot }?.fields["body"] == "\"\(Self.secretEdit)\"", "the writer still shows what it wrote")
    }

    @Test("the central, a device that held the text and the writer end with one digest")
    func oneDigest() throws {
        let story = try Self.story()
        var central = MemoryReplica(replicaID: "central", role: .central)
        #expect(central.receive(Self.networkCopies(story), now: Cast.at(100)).allSatisfy { $0 == .applied })
        var holder = story.holder
        holder.receive(Self.networkCopies(story), now: Cast.at(100))
        var late = MemoryReplica(replicaID: "late", role: .field)
        late.receive(central.log, now: Cast.at(100))
        let digests = try Set([story.a.digest(), central.digest(), holder.digest(), late.digest()])
        #expect(digests.count == 1, "one state everywhere")
        #expect(try central.record(Self.id).content().body == "中队开展夜查，查获走私货物一批。")
        #expect(!central.log.map(\.canonicalJSON).joined().contains(Self.secretBody), "the central's log holds no secret-era text")
    }

    @Test("a sealed value is the same as no value: a concurrent write of the same text conflicts on every replica")
    func sealedEqualsNothing() throws {
        var a = MemoryReplica(replicaID: "a", role: .field)
        var b = MemoryReplica(replicaID: "b", role: .field)
        var content = ReportContent(category: .dynamic, title: Self.secretTitle, body: Self.secretBody)
        content.classification = .secret
        let create = try a.draft(id: Self.id, content, by: Cast.wang, now: Cast.at(0))
        b.pull(from: a)
        let aEdit = try a.edit(Self.id, Cast.patch(place: "三号仓库"), by: Cast.wang, now: Cast.at(10))[0]
        let bEdit = try b.edit(Self.id, Cast.patch(place: "三号仓库"), by: Cast.li, now: Cast.at(11))[0]
        var lower = ReportPatch()
        lower.classification = .public
        let changes = try a.edit(Self.id, lower, by: Cast.wang, now: Cast.at(20))
        let sealedCopies = [Withheld.change(create, sealed: true), Withheld.change(aEdit, sealed: true)] + changes
        // Took the writes whole (same values: no conflict), and the sealing after.
        var whole = MemoryReplica(replicaID: "x", role: .field)
        whole.receive([create, aEdit, bEdit] + changes, now: Cast.at(100))
        // Took the sealed copies first, the concurrent write after.
        var copies = MemoryReplica(replicaID: "y", role: .central)
        copies.receive(sealedCopies + [bEdit], now: Cast.at(100))
        var writer = a
        writer.receive([bEdit], now: Cast.at(100))
        #expect(try Set([whole.digest(), copies.digest(), writer.digest()]).count == 1)
        let conflict = try #require(try copies.record(Self.id).fieldConflicts.first { $0.field == "place" })
        #expect(Set([conflict.winner.dot, conflict.loser.dot]) == Set([aEdit.dot, bEdit.dot]))
    }

    @Test("the central takes a sealed value only into a report kept off the network, and no lowering that leaves one standing")
    func sealedOnlyOffNetwork() throws {
        let story = try Self.story()
        let policy = Policy.standard
        let copy = Withheld.change(story.create, sealed: true)
        try PushedContentRules().admit(copy, into: nil, policy: policy) { _ in nil }
        var publicCopy = copy
        guard case .content(let write) = copy.payload else { Issue.record("not a write"); return }
        publicCopy.payload = .content(ContentWrite(creates: true, fields: write.fields.merging(["classification": "\"public\""]) { $1 }))
        #expect(throws: ReportSyncError.self, "a sealed value in a public report is refused") {
            try PushedContentRules().admit(publicCopy, into: nil, policy: policy) { _ in nil }
        }
        var central = MemoryReplica(replicaID: "central", role: .central)
        central.receive(Array(Self.networkCopies(story).prefix(3)), now: Cast.at(100))
        let held = try central.record(Self.id)
        let bare = Change(
            dot: Dot(replica: "a", counter: 50), hlc: HybridTimestamp(wallMilliseconds: Cast.at(30).millisecondsSince1970, logical: 0),
            record: Self.id, unit: "squad-3", actor: "wang", context: held.vv,
            payload: .content(ContentWrite(creates: false, fields: ["classification": "\"public\""])))
        let error = #expect(throws: ReportSyncError.self, "a lowering that gives the sealed fields nothing is refused") {
            try PushedContentRules().admit(bare, into: held, policy: policy) { _ in nil }
        }
        #expect(error?.message.contains("sealed") == true)
        try PushedContentRules().admit(try #require(story.lowering.first), into: held, policy: policy) { _ in nil }
    }

    @Test("a sealed copy is recognised as the write it copies; a sealed value passes the shape check but in a kept field")
    func copiesAndShape() throws {
        let story = try Self.story()
        let sealed = Withheld.change(story.edit, sealed: true)
        #expect(Withheld.sameChange(story.edit.canonicalJSON, sealed, body: sealed.canonicalJSON))
        #expect(Withheld.sameChange(sealed.canonicalJSON, story.edit, body: story.edit.canonicalJSON))
        #expect(Withheld.isCopy(sealed.canonicalJSON, of: story.edit))
        try ChangeShape.check(sealed)
        var kept = sealed
        kept.payload = .content(ContentWrite(creates: false, fields: ["classification": Withheld.sealed]))
        #expect(throws: ReportSyncError.self) { try ChangeShape.check(kept) }
        var unsorted = story.sealing
        unsorted.payload = .redaction(Redaction(raisedTo: .secret))
        if case .redaction(var redaction) = story.sealing.payload {
            redaction.seals = redaction.seals?.reversed()
            unsorted.payload = .redaction(redaction)
        }
        #expect(throws: ReportSyncError.self, "seals listed out of order are refused") { try ChangeShape.check(unsorted) }
    }
}

/// Reads a memory replica's record as its rules see it (`MergeEngine.revealed`).
enum MergeEngineProbe {
    static func revealed(_ replica: MemoryReplica, _ id: String) throws -> ReportRecord {
        let engine = try MergeEngine(source: replica, replicaID: replica.replicaID, counter: 0, clock: .zero, policy: .standard, now: Cast.at(0))
        return try engine.revealed(try replica.record(id))
    }
}
