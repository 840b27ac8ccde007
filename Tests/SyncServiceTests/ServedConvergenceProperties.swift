import Foundation
import PropertyBased
import Store
import StorePostgres
import SyncCore
import SyncService
import TestSupport
import Testing

/// Convergence with the central served for real (`syncd serve` on loopback), on both stores: every
/// schedule runs on a central in a SQLite file and again on a central on PostgreSQL, the same code for both.
/// Field devices draft, edit the same reports at once, take signed steps and sync at random; the
/// central office takes its own steps on the central (`Replica.perform` on the file,
/// `PostgresCentral.perform` on PostgreSQL). Once every device has synced twice more, every device
/// holds its unit's reports exactly as the central does, nothing waits anywhere, and pushing a device's
/// whole log again changes nothing.
///
/// `REPORTSYNC_SERVED_SCHEDULES` sets how many schedules run, each on both stores (default 16).
@Suite("Convergence with the central served, on both stores", .serialized)
struct ServedConvergenceProperties {
    static let schedules = ProcessInfo.processInfo.environment["REPORTSYNC_SERVED_SCHEDULES"].flatMap(Int.init) ?? 16

    @Test("convergence, nothing left waiting, and idempotence, with a SQLite and a PostgreSQL central behind a real server")
    func properties() async throws {
        await propertyCheck(count: Self.schedules, input: Gen.uint64(in: 0...UInt64.max), Gen.int(in: 2...4), Gen.int(in: 10...50)) {
            seed, fields, operations in
            // `propertyCheck` drops an error its body throws (it runs the body under `try?`): record it.
            for kind in CentralKind.underTest {
                do { try await ServedBureau.run(seed: seed, kind: kind, fields: fields, operations: operations) } catch {
                    Issue.record(error, "\(kind) schedule \(seed), \(fields) fields, \(operations) operations")
                }
            }
        }
        // The schedules did what they are for, on both stores: the central office's steps, devices' signed
        // steps, and conflicts of devices writing at once.
        let seen = ServedBureau.seen.counts()
        for kind in CentralKind.underTest {
            #expect((seen["\(kind) office step"] ?? 0) > 0 && (seen["\(kind) field step"] ?? 0) > 0, "\(seen)")
            #expect((seen["\(kind) conflict"] ?? 0) > 0 || Self.schedules < 10, "\(seen)")
        }
    }
}

/// What the schedules did, by store, counted across schedules.
final class ScheduleTally: @unchecked Sendable {
    private let lock = NSLock()
    private var seen: [String: Int] = [:]

    func note(_ what: String, _ count: Int = 1) { lock.withLock { seen[what, default: 0] += count } }
    func counts() -> [String: Int] { lock.withLock { seen } }
}

/// One schedule of `ServedConvergenceProperties`: a bureau of one unit whose central is served by a
/// real `syncd serve`, and its field devices in memory.
final class ServedBureau {
    static let unit = "squad-3"
    static let unitPeople = [
        Member(id: "wang", name: "王小明", unit: unit, role: .drafter), Member(id: "li", name: "李队长", unit: unit, role: .unitHead),
        Member(id: "zhao", name: "赵局长", unit: unit, role: .leader),
    ]
    static let editor = Member(id: "chen", name: "陈编辑", unit: "bureau", role: .centralEditor)
    /// What every schedule did (`ScheduleTally`).
    static let seen = ScheduleTally()

    private var rng: SplitMix64
    private let kind: CentralKind
    private let directory: URL
    private let path: String
    private var address: PostgresAddress?
    private var server: ServerProcess?
    private var fields: [FieldReplica] = []
    private var clients: [SyncClient] = []
    /// What happened, for the message of a failing property.
    private(set) var trace: [String] = []

    private init(seed: UInt64, kind: CentralKind) throws {
        rng = SplitMix64(seed: seed)
        self.kind = kind
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("reportsync-served-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("central.sqlite").path
    }

    deinit {
        server?.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Sets the bureau up, runs `operations` random steps, settles, and checks every property.
    static func run(seed: UInt64, kind: CentralKind, fields: Int, operations: Int) async throws {
        let bureau = try ServedBureau(seed: seed, kind: kind)
        try await bureau.setUp(fields: fields)
        for _ in 0..<operations { try await bureau.step() }
        for _ in 0..<2 { for f in bureau.fields.indices { try await bureau.sync(f) } }
        try await bureau.checkProperties(seed: seed, fields: fields, operations: operations)
    }

    private func setUp(fields count: Int) async throws {
        let central = try CentralReplica.create(at: path, bureau: OrgUnit(id: "bureau", name: "某某局", kind: .centralOffice))
        try central.replica.addUnit(OrgUnit(id: Self.unit, name: "第三中队", kind: .squad, parent: "bureau"))
        for person in Self.unitPeople + [Self.editor] { try central.replica.addMember(person) }
        try TestSigners.register((Self.unitPeople + [Self.editor]).map(\.id), on: central.replica)
        let tokens = try (0..<count).map { try central.enroll(unit: Self.unit, device: "device-\($0)") }
        try central.replica.close()
        var db = path
        if kind == .postgres {
            let copy = try await TestPostgres.copy(centralAt: path)
            address = copy
            db = TestPostgres.url(of: copy)
        }
        let server = try await ServerProcess.start(db: db, in: directory)
        self.server = server
        for token in tokens {
            fields.append(try FieldReplica.inMemory(unit: Self.unit))
            clients.append(SyncClient(baseURL: server.url, token: token))
            try await sync(fields.count - 1)
        }
    }

    /// One random step: a person's write on a device, the central office's step, or a device's sync.
    private func step() async throws {
        let f = rng.below(fields.count)
        switch rng.below(12) {
        case 0, 1: draft(on: f)
        case 2, 3: edit(on: f, title: "v\(rng.below(1000))")
        case 4, 9: concurrentEdit()
        case 5, 6: act(on: f)
        case 7: try await office()
        default: try await sync(f)
        }
    }

    private func draft(on f: Int) {
        let actor = rng.below(2) == 0 ? "wang" : "li"
        if let report = try? fields[f].replica.draft(ReportContent(category: .dynamic, title: "t\(rng.below(1000))", body: "中队开展夜查。"), by: actor) {
            trace.append("field \(f): \(actor) drafts \(report.id)")
        }
    }

    private func edit(on f: Int, title: String) {
        guard let id = randomReport(on: fields[f].replica) else { return }
        var patch = ReportPatch()
        patch.title = title
        let actor = Self.unitPeople[rng.below(3)].id
        if (try? fields[f].replica.edit(id, with: patch, by: actor)) != nil { trace.append("field \(f): \(actor) edits \(id) to \(title)") }
    }

    /// Two devices edit the same report's title before either syncs.
    private func concurrentEdit() {
        guard fields.count >= 2, let id = randomReport(on: fields[0].replica), (try? fields[1].replica.report(id)) != nil else { return }
        edit(on: 0, title: "a\(rng.below(1000))")
        var patch = ReportPatch()
        patch.title = "b\(rng.below(1000))"
        if (try? fields[1].replica.edit(id, with: patch, by: "wang")) != nil { trace.append("field 1: wang edits \(id) at the same time") }
    }

    /// A random workflow step that one of the unit's people may take from the report's state.
    private func act(on f: Int) {
        let replica = fields[f].replica
        guard let id = randomReport(on: replica), let state = try? replica.report(id).state else { return }
        // Anyone of the unit who may take a step from this state: reports move on, towards the central office.
        let possible = Self.unitPeople.flatMap { person in
            ApprovalWorkflow.rules.filter { $0.action != .revise && $0.from.contains(state) && $0.roles.contains(person.role) }.map { (person, $0.action) }
        }
        guard !possible.isEmpty else { return }
        let (actor, action) = possible[rng.below(possible.count)]
        if (try? replica.perform(action, on: id, by: actor.id, comment: "意见")) != nil {
            trace.append("field \(f): \(actor.id) \(action.rawValue)s \(id)")
            Self.seen.note("\(kind) field step")
        }
    }

    /// The central office's step on a random report it holds, on the central's own store.
    private func office() async throws {
        let reports = try await centralReports()
        guard !reports.isEmpty else { return }
        let report = reports[rng.below(reports.count)]
        let possible = ApprovalWorkflow.rules.filter {
            $0.action != .revise && $0.action != .copyedit && $0.from.contains(report.state) && $0.roles.contains(.centralEditor)
        }
        guard !possible.isEmpty else { return }
        let action = possible[rng.below(possible.count)].action
        let detail = action == .adopt || action == .instruct ? StepDetail(level: .city, outlet: "快报", leader: "局长") : nil
        let signer = TestSigners.signer(Self.editor.id)
        let done: Bool
        if let address {
            done = (try? await PostgresCentral.perform(action, on: report.id, as: signer, comment: "意见", detail: detail, at: address)) != nil
        } else {
            done = (try? Replica.open(at: path).perform(action, on: report.id, as: signer, comment: "意见", detail: detail)) != nil
        }
        if done {
            trace.append("central: chen \(action.rawValue)s \(report.id)")
            Self.seen.note("\(kind) office step")
        }
    }

    private func sync(_ f: Int) async throws {
        _ = try await SyncRound.run(fields[f], client: clients[f], files: false)
        trace.append("field \(f) syncs")
    }

    private func randomReport(on replica: Replica) -> String? {
        guard let reports = try? replica.reports(), !reports.isEmpty else { return nil }
        return reports[rng.below(reports.count)].id
    }

    private func centralReports() async throws -> [Report] {
        if let address { return try await PostgresCentral.reports(matching: ReportFilter(), at: address) }
        return try Replica.open(at: path).reports()
    }

    private func centralDigest() async throws -> String {
        if let address { return try await PostgresCentral.digest(unit: Self.unit, at: address).digest }
        return try Replica.open(at: path).digest(unit: Self.unit)
    }

    private func centralWaiting() async throws -> Int {
        if let address {
            return try await PostgresCentral.conflictEntries(matching: ConflictFilter(kinds: [.pendingDependency]), at: address).count
        }
        return try Replica.open(at: path).pendingCount()
    }

    private func checkProperties(seed: UInt64, fields count: Int, operations: Int) async throws {
        let schedule = "schedule (\(seed), \(count), \(operations)) on \(kind): \(trace.joined(separator: "; "))"
        let digest = try await centralDigest()
        for (f, field) in fields.enumerated() {
            #expect(try field.replica.digest(unit: Self.unit) == digest, "field \(f) converges with the central: \(schedule)")
            #expect(try field.outbox().isEmpty, "field \(f) has nothing left to push: \(schedule)")
            #expect(try field.replica.pendingCount() == 0, "field \(f) has nothing waiting: \(schedule)")
        }
        #expect(try await centralWaiting() == 0, "the central has nothing waiting: \(schedule)")
        Self.seen.note("\(kind) conflict", try fields.map { try $0.replica.conflicts().count }.reduce(0, +))
        // Idempotence: every device's own changes pushed again change nothing at the central.
        for (f, field) in fields.enumerated() {
            let own = try field.replica.identity().replicaID
            let log = try field.replica.changes(limit: 1_000_000).map(\.change).filter { $0.dot.replica == own }
            for start in stride(from: 0, to: log.count, by: SyncProtocol.maxBatch) {
                let answers = try await clients[f].push(Array(log[start..<min(start + SyncProtocol.maxBatch, log.count)]))
                #expect(!answers.results.contains { $0.status == .waiting }, "field \(f)'s log again waits for nothing: \(schedule)")
            }
        }
        #expect(try await centralDigest() == digest, "pushing every log again changes nothing: \(schedule)")
    }
}
