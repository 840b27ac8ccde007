import TestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Store
import SyncCore
@testable import SyncService
import Testing

/// What a device holding a valid token can send by hand (issue "The central trusts nothing it did not
/// check"): each crafted push is refused with a 4xx JSON error and changes nothing at the central, nor
/// in any unit's feed. One test per attack, at the router, with a real central replica behind it.
@Suite("Push boundary: attacks with a valid token")
struct PushBoundaryTests {
    /// What the central holds that an attack could change: its digest, its change log and refusals,
    /// and what each unit's device would pull.
    struct Snapshot: Equatable {
        let digest: String
        let changes: Int
        let refusals: Int
        let feeds: [String: [String]]

        init(_ fixture: CentralFixture) throws {
            digest = try fixture.central.digest()
            changes = try fixture.central.changes(limit: 100_000).count
            refusals = try fixture.central.rejectedChanges().count
            var feeds: [String: [String]] = [:]
            for unit in ["squad-3", "squad-4"] {
                feeds[unit] = try fixture.store.feed(after: 0, limit: 10_000, units: try fixture.store.unitScope(of: unit)).changes.map(\.body)
            }
            self.feeds = feeds
        }
    }

    /// The answer to one push: status and, for a refusal, the error body.
    struct Answer {
        let status: HTTPResponse.Status
        let error: ErrorBody.Detail?
        let results: [PushResult]
    }

    func push(_ fixture: CentralFixture, token: String, body: ByteBuffer, headers extra: HTTPFields = [:]) async throws -> Answer {
        var headers = HTTPFields.bearer(token)
        for field in extra { headers[field.name] = field.value }
        let sent = headers
        return try await fixture.application.test(.router) { client in
            try await client.execute(uri: "/v1/push", method: .post, headers: sent, body: body) { response in
                let error = try? JSONCoding.decoder().decode(ErrorBody.self, from: Data(buffer: response.body)).error
                let results = (try? JSONCoding.decoder().decode(PushResponse.self, from: Data(buffer: response.body)).results) ?? []
                return Answer(status: response.status, error: error, results: results)
            }
        }
    }

    func push(_ fixture: CentralFixture, token: String, _ changes: [Change]) async throws -> Answer {
        try await push(fixture, token: token, body: try fixture.pushBody(changes))
    }

    /// A squad-3 report drafted on the field and pushed by its laptop, so that the central holds it.
    @Test(
        "a change holding U+0000 in a field is refused alone, with its reason, and nothing of it is kept; a body that says \\u0000 in words goes through",
        arguments: [(#""夜\u0000查""#, true), (#""写着\\u0000的正文""#, false)])
    func nulCharacter(title: String, refused: Bool) async throws {
        let fixture = try CentralFixture()
        let change = try creation(fixture, fields: ["title": title])
        let answer = try await push(fixture, token: fixture.squad3Token, [change])
        #expect(answer.status == .ok)
        if refused {
            #expect(answer.results.map(\.status) == [.rejected])
            #expect(answer.results.first?.reason?.contains("U+0000") == true)
            #expect(try fixture.central.reports(matching: ReportFilter()).isEmpty)
        } else {
            #expect(answer.results.map(\.status) == [.accepted])
        }
    }

    func pushedDraft(_ fixture: CentralFixture) async throws -> String {
        let id = try fixture.field.draft(ReportContent(category: .dynamic, title: "夜查", body: "中队开展夜查。"), by: "wang").id
        _ = try fixture.field.perform(.submit, on: id, by: "wang")
        let answer = try await push(fixture, token: fixture.squad3Token, try fixture.reportChanges())
        #expect(answer.status == .ok && answer.results.allSatisfy { $0.status == .accepted })
        return id
    }

    /// A creating write of squad-3 as the field would make it, with `fields` written over its own.
    func creation(_ fixture: CentralFixture, record: String = "0190a0b0-0000-7000-8000-00000000c0de", fields: [String: String]) throws -> Change {
        let content = ReportContent(category: .dynamic, title: "伪造", body: "正文")
        var written = try content.encodedFields()
        for (name, value) in fields { written[name] = value }
        let replica = try fixture.field.identity().replicaID
        return Change(
            dot: Dot(replica: replica, counter: 900), hlc: HybridTimestamp(wallMilliseconds: Date().millisecondsSince1970, logical: 0),
            record: record, unit: "squad-3", actor: "wang", context: VersionVector(),
            payload: .content(ContentWrite(creates: true, fields: written)))
    }

    /// The unit head reviews `id` on the field and the laptop pushes: the review reaches the central.
    func expectReviewGoesThrough(_ fixture: CentralFixture, _ id: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        _ = try fixture.field.perform(.review, on: id, by: "li")
        let honest = try await push(fixture, token: fixture.squad3Token, try fixture.reportChanges())
        #expect(honest.results.map(\.status).contains(.accepted), "\(honest.results)", sourceLocation: sourceLocation)
        #expect(!honest.results.contains { $0.status == .rejected }, "\(honest.results)", sourceLocation: sourceLocation)
        #expect(try fixture.central.report(id).state == .reviewed, sourceLocation: sourceLocation)
    }

    /// A content write to report `record`, stamped now.
    func edit(_ record: String, dot: Dot, unit: String, actor: String, context: VersionVector, fields: [String: String]) -> Change {
        Change(
            dot: dot, hlc: HybridTimestamp(wallMilliseconds: Date().millisecondsSince1970, logical: 0), record: record, unit: unit,
            actor: actor, context: context, payload: .content(ContentWrite(creates: false, fields: fields)))
    }

    func expectRefused(_ answer: Answer, _ status: HTTPResponse.Status, mentioning words: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(answer.status == status, "\(answer.status) \(answer.error?.message ?? "") \(answer.results)", sourceLocation: sourceLocation)
        for word in words {
            #expect(answer.error?.message.contains(word) == true, "'\(answer.error?.message ?? "")' lacks '\(word)'", sourceLocation: sourceLocation)
        }
    }

    @Test(
        "a content field that is not its type is refused with 400 naming the change and the field",
        arguments: [
            ("category", #""weird""#), ("classification", #""SECRET""#), ("attachments", #"{"a":1}"#),
            ("eventTime", #""yesterday""#), ("title", "42"), ("emergency", #"{"deaths":"many"}"#),
        ])
    func untypedField(field: String, value: String) async throws {
        let fixture = try CentralFixture()
        let before = try Snapshot(fixture)
        let change = try creation(fixture, fields: [field: value])
        let answer = try await push(fixture, token: fixture.squad3Token, [change])
        expectRefused(answer, .badRequest, mentioning: [field, "\(change.dot)"])
        #expect(answer.error?.code == "malformed-change")
        #expect(try Snapshot(fixture) == before)
    }

    @Test("a report whose id looks like reference data is refused, and no unit's feed carries it", arguments: ["member/x", "unit/squad-4", "policy"])
    func referenceLookingID(record: String) async throws {
        let fixture = try CentralFixture()
        let before = try Snapshot(fixture)
        let answer = try await push(fixture, token: fixture.squad3Token, [try creation(fixture, record: record, fields: [:])])
        expectRefused(answer, .badRequest, mentioning: [record])
        #expect(try Snapshot(fixture) == before)
    }

    @Test("a classification written with escapes or spaces is refused: fields must be in their canonical form",
          arguments: [#""\u0073ecret""#, #" "secret""#, #""secret" "#])
    func disguisedSecret(value: String) async throws {
        let fixture = try CentralFixture()
        let before = try Snapshot(fixture)
        let answer = try await push(fixture, token: fixture.squad3Token, [try creation(fixture, fields: ["classification": value])])
        expectRefused(answer, .badRequest, mentioning: ["classification"])
        #expect(try Snapshot(fixture) == before)
    }

    @Test("changes under another device's replica id are refused with 403; that device's own changes still go")
    func anotherDevicesReplica() async throws {
        let fixture = try CentralFixture()
        let id = try await pushedDraft(fixture)
        let phone = try fixture.store.enroll(unit: "squad-3", device: "phone")
        let victim = try fixture.field.identity().replicaID
        let before = try Snapshot(fixture)
        // The next dots of the laptop's replica, claimed by another device of the same unit and by one of squad-4.
        let counter = try fixture.reportChanges().map(\.dot.counter).max() ?? 0
        let hlc = HybridTimestamp(wallMilliseconds: Date().millisecondsSince1970, logical: 0)
        var forged = try creation(fixture, fields: [:])
        forged.dot = Dot(replica: victim, counter: counter + 1)
        forged.hlc = hlc
        for token in [phone, fixture.squad4Token] {
            var change = forged
            if token == fixture.squad4Token {
                change.unit = "squad-4"
                change.actor = "sun"
            }
            let answer = try await push(fixture, token: token, [change])
            expectRefused(answer, .forbidden, mentioning: [victim])
        }
        #expect(try Snapshot(fixture) == before)
        // The laptop's own next change takes that very dot, and is accepted.
        try await expectReviewGoesThrough(fixture, id)
    }

    @Test("fifty edits aimed at another unit's report are refused with nothing written into it; its own unit's next step applies")
    func editsAimedAtAnotherUnit() async throws {
        let fixture = try CentralFixture()
        let id = try await pushedDraft(fixture)
        let victim = try fixture.field.identity().replicaID
        let record = try fixture.field.records().first { $0.id == id }!
        let before = try Snapshot(fixture)
        let edits = (1...50).map { n in
            edit(id, dot: Dot(replica: victim, counter: 1_000 + Int64(n)), unit: "squad-3", actor: "sun", context: record.vv, fields: ["title": #""改掉""#])
        }
        let answer = try await push(fixture, token: fixture.squad4Token, edits)
        #expect(answer.status == .forbidden, "\(answer.status) \(answer.results.prefix(1))")
        #expect(try Snapshot(fixture) == before, "nothing written: no void, no refusal, no feed entry")
        try await expectReviewGoesThrough(fixture, id)
    }

    @Test("edits that claim their own unit but write another unit's report are refused with nothing written, and name no unit")
    func ownUnitClaimedOnAnotherUnitsReport() async throws {
        let fixture = try CentralFixture()
        let id = try await pushedDraft(fixture)
        let centralReplica = try fixture.central.identity().replicaID
        let before = try Snapshot(fixture)
        let edits = (1...5).map { n in
            edit(id, dot: Dot(replica: "tablet-own", counter: Int64(n)), unit: "squad-4", actor: "sun", context: VersionVector([centralReplica: 1]),
                 fields: ["title": #""改掉""#])
        }
        let answer = try await push(fixture, token: fixture.squad4Token, edits)
        #expect(answer.status == .ok && answer.results.allSatisfy { $0.status == .rejected }, "\(answer.results)")
        let reason = answer.results.first?.reason ?? ""
        #expect(!reason.isEmpty && !reason.contains("squad-3"), "the answer does not say whose report it is")
        #expect(try Snapshot(fixture) == before, "no void, no refusal, nothing in squad-3's feed")
    }

    @Test("a change that would make its report secret while it waits is held, and never blocks another unit's pushes")
    func secretWaitingChange() async throws {
        let fixture = try CentralFixture()
        let squad3 = try await pushedDraft(fixture)
        // squad-4's device drafts its own report, then an edit making it secret that waits for squad-3's next write.
        let own = Change(
            dot: Dot(replica: "tablet-own", counter: 1), hlc: HybridTimestamp(wallMilliseconds: Date().millisecondsSince1970, logical: 0),
            record: UUIDv7.make(), unit: "squad-4", actor: "sun", context: VersionVector(),
            payload: .content(ContentWrite(creates: true, fields: try ReportContent(category: .dynamic, title: "四中队", body: "b").encodedFields())))
        let laptop = try fixture.field.identity().replicaID
        let next = (try fixture.reportChanges().map(\.dot.counter).max() ?? 0) + 1
        var seen = VersionVector()
        seen.add(own.dot)
        let secret = Change(
            dot: Dot(replica: "tablet-own", counter: 2), hlc: own.hlc, record: own.record, unit: "squad-4", actor: "sun", context: seen,
            requires: [RecordDot(record: squad3, dot: Dot(replica: laptop, counter: next))],
            payload: .content(ContentWrite(creates: false, fields: ["classification": #""secret""#, "body": #""机密""#])))
        let answer = try await push(fixture, token: fixture.squad4Token, [own, secret])
        #expect(answer.results.map(\.status) == [.held, .held], "nothing of a report that would be secret rests at the central: \(answer.results)")
        #expect(try fixture.central.pendingCount() == 0)
        // The same wait without the secrecy: it waits, and when squad-3's write comes it is refused, not applied.
        var plain = secret
        plain.payload = .content(ContentWrite(creates: false, fields: ["body": #""等三中队""#]))
        #expect(try await push(fixture, token: fixture.squad4Token, [own, plain]).results.map(\.status) == [.accepted, .waiting])
        _ = try fixture.field.perform(.review, on: squad3, by: "li")
        let honest = try await push(fixture, token: fixture.squad3Token, try fixture.reportChanges())
        #expect(honest.status == .ok && !honest.results.contains { $0.status == .rejected }, "\(honest.status) \(honest.results)")
        #expect(try fixture.central.report(squad3).state == .reviewed)
        #expect(try fixture.central.report(own.record).content.body == "b", "a wait on another unit's report does not apply")
    }

    @Test("a copied replica re-sending what its old self delivered is answered as before — duplicate, waiting, rejected — whichever device sends it")
    func copiedReplicaResends() async throws {
        let fixture = try CentralFixture()
        let id = try await pushedDraft(fixture)
        let replica = try fixture.field.identity().replicaID
        let record = try fixture.field.records().first { $0.id == id }!
        var unseen = record.vv
        unseen.add(Dot(replica: "phantom", counter: 3))
        let waits = edit(id, dot: Dot(replica: replica, counter: 800), unit: "squad-3", actor: "wang", context: unseen, fields: ["title": #""等""#])
        var leader = try creation(fixture, fields: [:])
        leader.actor = "zhao"
        let first = try await push(fixture, token: fixture.squad3Token, [waits, leader])
        #expect(first.results.map(\.status) == [.waiting, .rejected], "\(first.results)")
        let phone = try fixture.store.enroll(unit: "squad-3", device: "phone")
        let answer = try await push(fixture, token: phone, try fixture.reportChanges() + [waits, leader])
        #expect(answer.status == .ok, "\(answer.status) \(answer.error?.message ?? "")")
        #expect(answer.results.map(\.status) == Array(repeating: .duplicate, count: answer.results.count - 2) + [.waiting, .rejected])
        #expect(answer.results.last?.reason == first.results.last?.reason)
    }

    @Test("a member whose id is from before the id rule (a space in it) still pushes; a kept value without a field conflict is refused")
    func idsFromBefore() async throws {
        let fixture = try CentralFixture()
        // Written as an older syncd wrote it, before new ids were held to letters, digits and - _ . : @.
        #expect(throws: ReportSyncError.self) { try fixture.central.addMember(Member(id: "wang wei", name: "王伟", unit: "squad-3", role: .drafter)) }
        let older = try CentralReplica.inMemory(bureau: OrgUnit(id: "bureau", name: "某某局", kind: .centralOffice))
        let member = Change(
            dot: Dot(replica: try older.replica.identity().replicaID, counter: 1), hlc: HybridTimestamp(wallMilliseconds: Date().millisecondsSince1970, logical: 0),
            record: "member/wang wei", unit: "squad-3", actor: try older.replica.identity().replicaID, context: VersionVector(),
            payload: .member(Member(id: "wang wei", name: "王伟", unit: "squad-3", role: .drafter)))
        #expect(try fixture.central.receive([member]) == [.applied])
        _ = try fixture.field.receive(try fixture.central.changes().map(\.change))
        let id = try fixture.field.draft(ReportContent(category: .dynamic, title: "t", body: "b"), by: "wang wei").id
        let answer = try await push(fixture, token: fixture.squad3Token, try fixture.reportChanges())
        #expect(answer.status == .ok && answer.results.allSatisfy { $0.status == .accepted }, "\(answer.status) \(answer.error?.message ?? "")")
        let record = try fixture.field.records().first { $0.id == id }!
        let decision = Change(
            dot: Dot(replica: try fixture.field.identity().replicaID, counter: 900), hlc: HybridTimestamp(wallMilliseconds: Date().millisecondsSince1970, logical: 0),
            record: id, unit: "squad-3", actor: "wang wei", context: record.vv,
            payload: .resolution(ResolutionStep(conflict: "approval-transition/\(id)/-/a:1/b:1", keep: .value, role: .drafter, value: String(repeating: "x", count: 1_000))))
        expectRefused(try await push(fixture, token: fixture.squad3Token, [decision]), .badRequest, mentioning: ["keeps a value"])
    }

    @Test("sizes over the limits are refused before anything is read further")
    func oversized() async throws {
        let fixture = try CentralFixture()
        let before = try Snapshot(fixture)
        let title = try creation(fixture, fields: ["title": try JSONCoding.string(String(repeating: "题", count: 1_000_000))])
        expectRefused(try await push(fixture, token: fixture.squad3Token, [title]), .contentTooLarge, mentioning: ["title"])
        var longID = try creation(fixture, fields: [:])
        longID.dot = Dot(replica: String(repeating: "r", count: 1_000_000), counter: 1)
        let idAnswer = try await push(fixture, token: fixture.squad3Token, [longID])
        #expect(idAnswer.status == .badRequest || idAnswer.status == .contentTooLarge, "\(idAnswer.status)")
        var requires = try creation(fixture, fields: [:])
        requires.requires = (1...20_000).map { RecordDot(record: "r\($0)", dot: Dot(replica: "x", counter: Int64($0))) }
        let requiresAnswer = try await push(fixture, token: fixture.squad3Token, [requires])
        expectRefused(requiresAnswer, .contentTooLarge, mentioning: ["requires"])
        #expect(try Snapshot(fixture) == before)
    }

    @Test("content a local write may not have (an internal report disclosed proactively) is refused like a local write, and nothing of it is kept at the central")
    func contentRules() async throws {
        let fixture = try CentralFixture()
        let before = try Snapshot(fixture)
        let long = try creation(
            fixture,
            fields: [
                "body": try JSONCoding.string(String(repeating: "长", count: 50)), "classification": try JSONCoding.string("internal"),
                "disclosure": try JSONCoding.string("proactive"),
            ])
        let answer = try await push(fixture, token: fixture.squad3Token, [long])
        #expect(answer.status == .ok && answer.results.map(\.status) == [.rejected], "\(answer.status) \(answer.results)")
        #expect(answer.results.first?.reason?.contains("cannot be disclosed proactively") == true, "\(answer.results)")
        let after = try Snapshot(fixture)
        #expect(after.digest == before.digest && after.feeds == before.feeds && after.changes == before.changes)
        #expect(try !fixture.central.rejectedChanges().contains { $0.change.canonicalJSON.contains("长长长") }, "the refused text is not kept")
    }

    @Test("an edit of signed content and a submission lacking emergency facts are refused at the central as they are locally")
    func workflowContentRules() async throws {
        let fixture = try CentralFixture()
        let signed = try fixture.signedReport()
        let emergency = try fixture.field.draft(ReportContent(category: .emergency, title: "突发", body: "火情"), by: "wang").id
        #expect(try await push(fixture, token: fixture.squad3Token, try fixture.reportChanges()).results.allSatisfy { $0.status == .accepted })
        let replica = try fixture.field.identity().replicaID
        var counter = try fixture.reportChanges().map(\.dot.counter).max() ?? 0
        func next() -> Dot { counter += 1; return Dot(replica: replica, counter: counter) }
        let now = HybridTimestamp(wallMilliseconds: Date().millisecondsSince1970, logical: 0)
        let signedRecord = try fixture.field.records().first { $0.id == signed }!
        let lateEdit = edit(signed, dot: next(), unit: "squad-3", actor: "wang", context: signedRecord.vv, fields: ["body": #""签发后改的""#])
        let emergencyRecord = try fixture.field.records().first { $0.id == emergency }!
        let submit = Change(
            dot: next(), hlc: now, record: emergency, unit: "squad-3", actor: "wang", context: emergencyRecord.vv,
            payload: .transition(
                TransitionStep(action: .submit, from: .draft, to: .awaitingReview, role: .drafter, comment: nil, sawContent: emergencyRecord.latestContent.dot)))
        let answer = try await push(fixture, token: fixture.squad3Token, [lateEdit, try TestSigners.signer("wang").sign(submit)])
        #expect(answer.results.map(\.status) == [.rejected, .rejected], "\(answer.results)")
        #expect(answer.results.first?.reason?.contains("locked after sign-off") == true)
        #expect(answer.results.last?.reason?.contains("every required fact") == true)
        #expect(try fixture.central.report(signed).content.body == "中队开展夜查。")
        #expect(try fixture.central.report(emergency).state == .draft)
    }

    @Test("a step carries only its own details, and an approval only where the chain asks for it: each is refused at the central, nothing taken")
    func stepDetailsBelongToTheirStep() async throws {
        let fixture = try CentralFixture()
        let id = try await pushedDraft(fixture)
        let signed = try fixture.signedReport()
        let replica = try fixture.field.identity().replicaID
        var counter = try fixture.reportChanges().map(\.dot.counter).max() ?? 0
        func step(_ record: String, _ action: WorkflowAction, from: ApprovalState, to: ApprovalState, role: Role, by member: String, detail: StepDetail?) throws -> Change {
            counter += 1
            let held = try fixture.field.records().first { $0.id == record }!
            return try TestSigners.signer(member).sign(
                Change(
                    dot: Dot(replica: replica, counter: counter), hlc: HybridTimestamp(wallMilliseconds: Date().millisecondsSince1970, logical: 0),
                    record: record, unit: "squad-3", actor: member, context: held.vv,
                    payload: .transition(
                        TransitionStep(action: action, from: from, to: to, role: role, comment: nil, sawContent: held.latestContent.dot, detail: detail))))
        }
        let reviewWithText = try step(id, .review, from: .awaitingReview, to: .reviewed, role: .unitHead, by: "li", detail: StepDetail(revisedBody: "改写的正文"))
        let reviewWithNumber = try step(id, .review, from: .awaitingReview, to: .reviewed, role: .unitHead, by: "li", detail: StepDetail(registration: "2026-9999"))
        let needlessApproval = try step(signed, .approve, from: .signed, to: .signed, role: .principalLeader, by: "ju", detail: nil)
        let before = try fixture.central.changes().count
        let answer = try await push(fixture, token: fixture.squad3Token, try fixture.reportChanges().filter { $0.record == signed } + [reviewWithText, reviewWithNumber, needlessApproval])
        let refused = answer.results.suffix(3)
        #expect(refused.map(\.status) == [.rejected, .rejected, .rejected], "\(answer.results)")
        #expect(refused.map { $0.reason ?? "" }.enumerated().allSatisfy { i, reason in
            reason.contains(["only a copyedit carries edited text", "only a receipt carries a registration number", "does not need the principal leader's approval"][i])
        }, "\(refused.map(\.reason))")
        #expect(try fixture.central.report(id).state == .awaitingReview)
        #expect(try fixture.central.changes().count > before, "the honest changes of the push were taken")
    }

    @Test("a secret-era text the central refuses is never stored there: only its dot, report and reason")
    func refusedSecretText() async throws {
        let fixture = try CentralFixture()
        let id = try await pushedDraft(fixture)
        let record = try fixture.field.records().first { $0.id == id }!
        // A write by someone the central does not know: refused, and its text must not stay.
        let replica = try fixture.field.identity().replicaID
        let secret = edit(
            id, dot: Dot(replica: replica, counter: 500), unit: "squad-3", actor: "nobody", context: record.vv,
            fields: ["classification": #""secret""#, "body": #""机密正文""#])
        let answer = try await push(fixture, token: fixture.squad3Token, [secret])
        #expect(answer.results.map(\.status) == [.rejected])
        let refused = try fixture.central.rejectedChanges()
        #expect(refused.count == 1 && refused[0].change.record == id && refused[0].change.dot == secret.dot)
        #expect(!refused[0].change.canonicalJSON.contains("机密正文"))
        #expect(try !fixture.central.changes(limit: 100_000).contains { $0.change.canonicalJSON.contains("机密正文") })
    }

    @Test("a truncated gzip body, or one with bytes after its end, is a 400 with nothing written", arguments: ["truncated", "trailing"])
    func damagedGzip(damage: String) async throws {
        let fixture = try CentralFixture()
        _ = try fixture.field.draft(ReportContent(category: .dynamic, title: "t", body: String(repeating: "字", count: 500)), by: "wang")
        var compressed = try Gzip.compress(try fixture.pushBody())
        if damage == "truncated" {
            compressed = compressed.getSlice(at: compressed.readerIndex, length: compressed.readableBytes - 4)!
        } else {
            compressed.writeString("garbage")
        }
        let before = try Snapshot(fixture)
        let answer = try await push(fixture, token: fixture.squad3Token, body: compressed, headers: [.contentEncoding: "gzip"])
        #expect(answer.status == .badRequest, "\(answer.status) \(answer.results)")
        #expect(try Snapshot(fixture) == before)
    }
}

extension CentralFixture {
    /// The field's report writes (no reference data), oldest first.
    func reportChanges() throws -> [Change] {
        let own = try field.identity().replicaID
        return try field.changes(limit: 100_000).map(\.change).filter { !$0.payload.isReference && $0.dot.replica == own }
    }
}
