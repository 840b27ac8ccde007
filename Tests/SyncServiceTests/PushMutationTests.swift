import TestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Store
import SyncCore
@testable import SyncService
import Testing

/// Random mutations of valid pushes thrown at the router: wrong types, escapes, odd and huge ids,
/// sizes, other units and other devices' replicas, damaged bytes. Whatever is sent, the central never
/// answers 5xx, and everything it took decodes and obeys the rules a local write obeys.
@Suite("Push boundary: random mutations")
struct PushMutationTests {
    /// How many mutated pushes one run sends (`REPORTSYNC_MUTATIONS` for more).
    static let rounds = ProcessInfo.processInfo.environment["REPORTSYNC_MUTATIONS"].flatMap(Int.init) ?? 300

    @Test("never a 5xx; every accepted change is well formed, typed and within the content rules", arguments: [1, 2, 3] as [UInt64])
    func mutatedPushes(seed: UInt64) async throws {
        let fixture = try CentralFixture()
        let statuses = try await fixture.application.test(.router) { client in
            var rng = SplitMix64(seed: seed)
            var statuses: [Int: Int] = [:]
            for round in 0..<Self.rounds {
                let honest = try Self.honestBatch(fixture, round: round)
                var changes = honest
                for _ in 0..<(1 + Int(rng.next() % 3)) { Self.mutate(&changes, fixture: fixture, rng: &rng) }
                var bytes = try JSONCoding.encoder().encode(PushRequest(changes: changes))
                if rng.next() % 10 == 0 { Self.damage(&bytes, rng: &rng) }
                let token = rng.next() % 5 == 0 ? fixture.squad4Token : fixture.squad3Token
                let status = try await client.execute(
                    uri: "/v1/push", method: .post, headers: .bearer(token), body: ByteBuffer(bytes: bytes)
                ) { response in response.status }
                statuses[Int(status.code), default: 0] += 1
                #expect(status.code < 500, "round \(round): \(status)")
            }
            return statuses
        }
        #expect(statuses.keys.contains(200) && statuses.keys.contains(400), "the mutations reach both sides: \(statuses)")
        try Self.checkEverythingTaken(fixture)
    }

    /// A valid batch: a new report of squad-3, drafted and submitted on the field.
    static func honestBatch(_ fixture: CentralFixture, round: Int) throws -> [Change] {
        let id = try fixture.field.draft(ReportContent(category: .dynamic, title: "第\(round)条", body: "正文\(round)"), by: "wang").id
        _ = try fixture.field.perform(.submit, on: id, by: "wang")
        return try fixture.reportChanges().filter { $0.record == id }
    }

    /// Changes one thing of one change, or of the batch.
    static func mutate(_ changes: inout [Change], fixture: CentralFixture, rng: inout SplitMix64) {
        guard !changes.isEmpty else { return }
        let i = Int(rng.next() % UInt64(changes.count))
        let odd = ["", " ", "member/x", "unit/squad-4", "policy", "squad-4", String(repeating: "x", count: 5_000), "a b", "é\u{0}", "../x", "*"]
        func pick<T>(_ options: [T]) -> T { options[Int(rng.next() % UInt64(options.count))] }
        switch rng.next() % 14 {
        case 0, 1:
            guard case .content(var write) = changes[i].payload else { return changes.shuffle(using: &rng) }
            let field = pick(ReportContent.fieldNames + ["reporter", "__proto__"])
            write.fields[field] = pick([
                #""weird""#, #""SECRET""#, #""\u0073ecret""#, #" "secret""#, "42", "null", "[]", "{}", #"{"a":1}"#, #""yesterday""#,
                "\"" + String(repeating: "长", count: 3_000) + "\"", #""secret" "#, "true", #"[{"name":"a.jpg","kind":"photo"}]"#, "",
            ])
            changes[i].payload = .content(write)
        case 2: changes[i].record = pick(odd + [UUIDv7.make()])
        case 3: changes[i].unit = pick(odd + ["squad-3", "bureau"])
        case 4: changes[i].actor = pick(odd + ["li", "zhao", "chen", "sun", "nobody"])
        case 5: changes[i].dot.replica = pick(odd + [UUIDv7.make()])
        case 6: changes[i].dot.counter = pick([0, -1, Int64.max, 1, 2])
        case 7: changes[i].context.add(Dot(replica: pick(odd + [UUIDv7.make()]), counter: pick([1, 0, -5, Int64.max])))
        case 8: changes[i].requires = (0..<pick([1, 17, 500])).map { RecordDot(record: UUIDv7.make(), dot: Dot(replica: "r", counter: Int64($0 + 1))) }
        case 9:
            guard case .transition(var step) = changes[i].payload else { return }
            step.role = pick(Role.allCases)
            step.action = pick(WorkflowAction.allCases)
            step.comment = pick([nil, "", String(repeating: "评", count: 5_000)])
            changes[i].payload = .transition(step)
        case 10: changes[i].payload = pick([
            .void(VoidMarker(dot: changes[0].dot, reason: "x")),
            .member(Member(id: "evil", name: "e", unit: "squad-3", role: .admin)),
            .unit(OrgUnit(id: "evil", name: "e", kind: .squad)),
            .resolution(ResolutionStep(conflict: String(repeating: "c", count: pick([10, 600])), keep: .value, role: .drafter, value: "{")),
        ])
        case 11: changes.append(changes[i])
        case 12: changes.removeFirst()
        default: changes[i].hlc = HybridTimestamp(wallMilliseconds: pick([0, Int64(1) << 46, Date().millisecondsSince1970 + 86_400_000]), logical: 0)
        }
    }

    /// Cuts, pads or flips bytes of a body.
    static func damage(_ bytes: inout Data, rng: inout SplitMix64) {
        switch rng.next() % 3 {
        case 0: bytes = bytes.prefix(Int(rng.next() % UInt64(max(bytes.count, 1))))
        case 1: bytes.append(contentsOf: Array("}]garbage".utf8))
        default:
            guard !bytes.isEmpty else { return }
            bytes[Int(rng.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: rng.next())
        }
    }

    /// What the central holds after the run: every change well formed, every report readable and
    /// within the content rules, no report id that is not one, nothing of squad-3 in squad-4's feed.
    static func checkEverythingTaken(_ fixture: CentralFixture) throws {
        for stored in try fixture.central.changes(limit: 1_000_000) where stored.change.dot.replica != (try fixture.central.identity().replicaID) {
            try ChangeShape.check(stored.change)
        }
        let policy = try fixture.central.policy()
        for record in try fixture.central.records() {
            #expect(record.readableContent().unreadable.isEmpty, "report \(record.id) holds an unreadable field")
            let content = try record.content()
            try ReportRules.checkWrite(content, replacing: nil, unit: record.unit, followUpTarget: nil, policy: policy)
            #expect(UUIDv7.isWellFormed(record.id))
        }
        let squad4 = try fixture.store.feed(after: 0, limit: 1_000_000, units: try fixture.store.unitScope(of: "squad-4"))
        for entry in squad4.changes {
            let change = try JSONCoding.value(Change.self, from: entry.body)
            #expect(change.payload.kind != .report || change.unit == "squad-4", "squad-4's feed carries \(change.record) of \(change.unit)")
        }
    }
}
