import Foundation
import SyncCore
import Testing

/// Bad changes are refused with a reason the sender can show, and nothing else in the batch is lost.
@Suite("Refused changes")
struct ChangeRejectionTests {
    func source() throws -> MemoryReplica {
        var a = MemoryReplica(replicaID: "a")
        try a.draft(id: "r1", Cast.news(), by: Cast.wang, now: Cast.at(0))
        try a.edit("r1", Cast.patch(title: "新标题"), by: Cast.wang, now: Cast.at(1))
        return a
    }

    func expectRefused(_ bad: Change, mentions text: String) throws {
        let a = try source()
        var b = MemoryReplica(replicaID: "b")
        let outcomes = b.receive([a.log[0], bad, a.log[1]], now: Cast.at(10))
        guard case .rejected(let error) = outcomes[1] else {
            Issue.record("expected a refusal, got \(outcomes[1])")
            return
        }
        #expect(error.message.contains(text), "\(error.message)")
        #expect(outcomes[0] == .applied && outcomes[2] == .applied, "the rest of the batch is applied")
        #expect(try b.record("r1").content().title == "新标题")
    }

    @Test("a change with an unknown encoding version")
    func unknownEncoding() throws {
        var bad = try source().log[1]
        bad.v = 9
        bad.dot = Dot(replica: "z", counter: 1)
        try expectRefused(bad, mentions: "encoding version 9")
    }

    @Test("a malformed vector")
    func malformedVector() throws {
        var bad = try source().log[1]
        bad.dot = Dot(replica: "z", counter: 1)
        bad.context = VersionVector(["a": -3])
        try expectRefused(bad, mentions: "malformed version vector")
    }

    @Test("a dot that goes backwards for its replica")
    func backwards() throws {
        var bad = try source().log[1]
        bad.dot = Dot(replica: "z", counter: 2)
        bad.context = VersionVector(["a": 1, "z": 5])
        try expectRefused(bad, mentions: "goes backwards")
    }

    @Test("a dot reused for a different change (a replica restored from an old backup)")
    func reusedDot() throws {
        var bad = try source().log[1]
        bad.payload = .content(ContentWrite(creates: false, fields: ["title": "\"别的\""]))
        let a = try source()
        var b = MemoryReplica(replicaID: "b")
        b.receive(a.log, now: Cast.at(10))
        guard case .rejected(let error) = b.receive([bad], now: Cast.at(11))[0] else {
            Issue.record("a reused dot must be refused")
            return
        }
        #expect(error.message.contains("reuses its identity"))
        #expect(try b.record("r1").content().title == "新标题")
    }

    @Test("a clock stamp beyond the skew bound")
    func future() throws {
        var bad = try source().log[1]
        bad.dot = Dot(replica: "z", counter: 1)
        bad.hlc = HybridTimestamp(wallMilliseconds: Cast.at(10 + 3600).millisecondsSince1970, logical: 0)
        try expectRefused(bad, mentions: "in the future")
    }

    @Test("a transition for a record of another unit")
    func otherUnit() throws {
        var a = try source()
        try a.perform(.submit, on: "r1", by: Cast.wang, now: Cast.at(2))
        var bad = a.log[2]
        bad.dot = Dot(replica: "z", counter: 1)
        bad.unit = "squad-4"
        try expectRefused(bad, mentions: "belongs to squad-3")
    }

    @Test("a step the workflow does not allow")
    func impossibleStep() throws {
        var a = try source()
        try a.perform(.submit, on: "r1", by: Cast.wang, now: Cast.at(2))
        var bad = a.log[2]
        bad.dot = Dot(replica: "z", counter: 1)
        bad.payload = .transition(TransitionStep(action: .sign, from: .draft, to: .archived, role: .drafter, comment: nil, sawContent: a.log[1].dot))
        try expectRefused(bad, mentions: "cannot sign")
    }
}
