import TestSupport
import Foundation
@testable import Store
import SyncCore
import Testing

/// A seeded run of the stores that ship: one central replica and 1–7 field replicas of squad-3, all
/// SQLite (in memory, or files in a folder), doing random work and syncing by push and pull on a
/// random schedule — batches cut, reordered and sent twice, answers lost, short, reordered or foreign,
/// pages replayed or lost, and (on disk) replicas closed and reopened between any two transactions,
/// backed up, and once a run a field or the central put back from an older backup.
final class BureauSimulation {
    var rng: SplitMix64
    let clock = SimulatedClock()
    let directory: URL?
    var central: CentralReplica
    var fields: [FieldReplica]
    /// Each field's enrolment at the central: the device its pushes come from.
    var devices: [Enrollment] = []
    /// What happened, step by step, for the message of a failing property.
    var trace: [String] = []
    /// Tallies for the coverage test.
    var waitsSeen = 0
    var heldSeen = 0
    var unansweredSeen = 0
    var foreignSeen = 0
    private var forged: Int64 = 0
    /// On disk: the last backup of each field (by index) and of the central (`centralBackup`), with the
    /// replica id it was taken under, and whether this run already put one back (one restore a run: a
    /// change lost by both its device and the central at once is truly lost, and no test can ask more).
    private var fieldBackups: [Int: (path: String, replica: String)] = [:]
    private var centralBackup: String?
    private(set) var restored = false
    /// What this run put back: "field" or "central".
    private(set) var restoredWhat: String?

    static let unit = "squad-3"
    static let people = [
        Member(id: "wang", name: "王小明", unit: unit, role: .drafter, phone: "138"),
        Member(id: "li", name: "李队长", unit: unit, role: .unitHead),
        Member(id: "zhao", name: "赵局长", unit: unit, role: .leader),
        Member(id: "chen", name: "陈编辑", unit: "bureau", role: .centralEditor),
    ]
    static let unitPeople = Array(people.prefix(3))
    /// The bureau's admin, who changes the policy on the central.
    static let admin = Member(id: "qian", name: "钱管理员", unit: "bureau", role: .admin)

    /// A bureau with `fieldCount` field devices; on disk in a new temporary folder when `onDisk`.
    init(seed: UInt64, fields fieldCount: Int, onDisk: Bool) throws {
        rng = SplitMix64(seed: seed)
        directory = onDisk ? try StoreFixtures.temporaryDirectory() : nil
        let clock = clock
        let bureau = OrgUnit(id: "bureau", name: "某某局", kind: .centralOffice)
        central =
            if let directory {
                try CentralReplica.create(at: directory.appendingPathComponent("central.sqlite").path, bureau: bureau, now: clock.reading)
            } else {
                try CentralReplica.inMemory(bureau: bureau, now: clock.reading)
            }
        try central.replica.addUnit(OrgUnit(id: Self.unit, name: "第三中队", kind: .squad, parent: "bureau"))
        for person in Self.people { try central.replica.addMember(person) }
        try central.replica.addMember(Self.admin)
        try TestSigners.register(Self.people.map(\.id), on: central.replica)
        fields = []
        for f in 0..<fieldCount {
            let skewed = clock.reading(aheadBy: Self.skew(of: f))
            let field =
                if let directory {
                    try FieldReplica.create(
                        at: directory.appendingPathComponent("field-\(f).sqlite").path, unit: Self.unit, centralURL: "sim", token: "",
                        now: skewed)
                } else {
                    try FieldReplica.inMemory(unit: Self.unit, now: skewed)
                }
            fields.append(field)
            devices.append(try central.authenticate(token: try central.enroll(unit: Self.unit, device: "device-\(f)")))
            try pull(f, pageSize: 1000)
        }
    }

    /// How far ahead field `f`'s clock runs: every third device's by 7 s, the others' not at all, so
    /// concurrent writes often carry equal or crossed stamps.
    static func skew(of f: Int) -> Double { f % 3 == 2 ? 7 : 0 }

    deinit { if let directory { try? FileManager.default.removeItem(at: directory) } }

    /// Every replica: the central first.
    var replicas: [Replica] { [central.replica] + fields.map(\.replica) }

    // MARK: Random work

    /// One random step: a person's write on a random replica, a push, a pull, or a crash.
    func step() throws {
        clock.advance(by: Double(rng.below(2)))
        let f = rng.below(fields.count)
        switch rng.below(22) {
        case 0, 1: draft(on: f)
        case 2, 3, 4: edit(on: f)
        case 5: reclassify(on: f)
        case 6, 7, 8: act(on: fields[f].replica, people: Self.unitPeople)
        case 9: act(on: central.replica, people: [Self.people[3]])
        case 10, 11: resolve(on: rng.below(3) == 0 ? central.replica : fields[f].replica)
        case 12, 13, 14: try push(f, limit: 1 + rng.below(8), mangle: true)
        case 15, 16: try pull(f, pageSize: 1 + rng.below(10), mangle: true)
        case 17: try crash(f)
        case 18: try forge(f)
        case 19: concurrentEdit()
        case 20: switchInternalPolicy()
        default: try push(f, limit: 1 + rng.below(8), mangle: false)
        }
        waitsSeen += try replicas.map { try $0.pendingCount() }.reduce(0, +)
        heldSeen += try fields[f].syncState().heldSecret
    }

    func draft(on f: Int) {
        let actor = rng.below(2) == 0 ? "wang" : "li"
        var content = ReportContent(category: .dynamic, title: "t\(rng.below(1000))", body: "中队开展夜查。")
        switch rng.below(10) {
        case 0, 1: content.classification = .secret
        case 2: content.classification = .internal
        default: break
        }
        if rng.below(4) == 0 {
            content.category = .emergency
            let firsts = (try? fields[f].replica.reports())?.filter { $0.content.category == .emergency && $0.content.followUpOf == nil } ?? []
            if !firsts.isEmpty, rng.below(2) == 0 { content.followUpOf = firsts[rng.below(firsts.count)].id }
        }
        if let report = try? fields[f].replica.draft(content, by: actor) { trace.append("field \(f): \(actor) drafts \(report.id)") }
    }

    func edit(on f: Int) {
        guard let id = randomReport(on: fields[f].replica) else { return }
        var patch = ReportPatch()
        switch rng.below(3) {
        case 0: patch.title = "v\(rng.below(1000))"
        case 1: patch.body = "v\(rng.below(1000))"
        default:
            let value = rng.below(1000)
            patch.place = "v\(value)"
            // One edit in three attaches a photo too (from the same draw, so schedules stay as they were):
            // the files it names must converge like any field (`checkFileIndex`).
            if value % 3 == 0 {
                let bytes = Data("photo \(value)".utf8)
                let photo = BlobReference(hash: BlobHash.of(bytes), size: Int64(bytes.count), mediaType: "image/jpeg")
                try? fields[f].replica.noteHeld(photo)
                patch.attachments = [SyncCore.Attachment(name: "p\(value % 5).jpg", caption: "图\(value)", blob: photo)]
            }
        }
        let actor = Self.unitPeople[rng.below(3)].id
        if (try? fields[f].replica.edit(id, with: patch, by: actor)) != nil { trace.append("field \(f): \(actor) edits \(id)") }
    }

    /// Two devices whose clocks agree edit the same field of the same report in the same second: equal
    /// stamps, so only the tie-break (replica id, then counter) decides.
    func concurrentEdit() {
        let pair = fields.indices.filter { Self.skew(of: $0) == 0 }
        guard pair.count >= 2, let id = randomReport(on: fields[pair[0]].replica),
            (try? fields[pair[1]].replica.report(id)) != nil
        else { return }
        clock.advance(by: 1)
        for f in pair.prefix(2) {
            var patch = ReportPatch()
            patch.title = "f\(f)-\(rng.below(1000))"
            if (try? fields[f].replica.edit(id, with: patch, by: "wang")) != nil { trace.append("field \(f): wang edits \(id) at the same moment") }
        }
    }

    /// Makes a report secret, internal or public again: its changes are held, or released, by the outbox.
    func reclassify(on f: Int) {
        guard let id = randomReport(on: fields[f].replica) else { return }
        var patch = ReportPatch()
        patch.classification = [Classification.secret, .internal, .public][rng.below(3)]
        if (try? fields[f].replica.edit(id, with: patch, by: "wang")) != nil {
            trace.append("field \(f): wang makes \(id) \(patch.classification!.rawValue)")
        }
    }

    /// A random workflow step that one of `people` may take from the report's state.
    func act(on replica: Replica, people: [Member]) {
        guard let id = randomReport(on: replica), let state = try? replica.report(id).state else { return }
        let actor = people[rng.below(people.count)]
        let possible = ApprovalWorkflow.rules.filter { $0.action != .revise && $0.from.contains(state) && $0.roles.contains(actor.role) }
        guard !possible.isEmpty else { return }
        // Approvals first, half the time: a review or sign-off concurrent with an edit elsewhere is the
        // conflict the rule books care most about.
        let approvals = possible.filter { $0.action == .review || $0.action == .sign }
        let pool = !approvals.isEmpty && rng.below(2) == 0 ? approvals : possible
        let action = pool[rng.below(pool.count)].action
        let detail = [.adopt, .instruct].contains(action) ? StepDetail(level: .city, outlet: "快报", leader: "局长") : nil
        if (try? replica.perform(action, on: id, by: actor.id, comment: "意见", detail: detail)) != nil {
            trace.append("\(actor.id) \(action.rawValue)s \(id)")
        }
    }

    /// Someone who may decide a random open conflict keeps a random side.
    func resolve(on replica: Replica) {
        guard let open = try? replica.conflicts().filter({ $0.status == .open }), !open.isEmpty else { return }
        let conflict = open[rng.below(open.count)]
        let allowed = Self.people.filter { ConflictAuthority.mayResolve(conflict, role: $0.role) }
        guard !allowed.isEmpty else { return }
        let actor = allowed[rng.below(allowed.count)].id
        let keep: ResolutionStep.Keep = rng.below(2) == 0 ? .winner : .loser
        if (try? replica.resolveConflict(conflict.id, keep: keep, by: actor)) != nil { trace.append("\(actor) resolves \(conflict.id)") }
    }

    /// The bureau's admin lets internal reports on the network from today, or keeps them off it again:
    /// what the central kept off comes back as a policy release (`Declassifications.releasedByPolicy`).
    func switchInternalPolicy() {
        guard var policy = try? central.replica.policy() else { return }
        policy.internalOverNetwork.toggle()
        guard (try? central.replica.setPolicy(policy, by: Self.admin.id)) != nil else { return }
        trace.append("qian lets internal reports \(policy.internalOverNetwork ? "on" : "off") the network")
    }

    func randomReport(on replica: Replica) -> String? {
        guard let ids = try? replica.reports().map(\.id).sorted(), !ids.isEmpty else { return nil }
        return ids[rng.below(ids.count)]
    }

    // MARK: Sync

    /// Field `f` pushes its next batch through the central's real authorisation and merge. With
    /// `mangle`, the batch may be reordered or sent twice, and the answer lost, cut short, reordered or
    /// padded with an answer for a change that was not sent.
    func push(_ f: Int, limit: Int, mangle: Bool) throws {
        try reconcile(f)
        let batch = try fields[f].nextPush(limit: limit)
        guard !batch.isEmpty else { return }
        var sent = batch
        if mangle, rng.below(3) == 0 { sent.shuffle(using: &rng) }
        // Changes lost in transit: the central answers for the rest, and the lost ones go again later.
        if mangle, sent.count > 1, rng.below(3) == 0 { sent = sent.filter { _ in rng.below(3) != 0 } }
        guard !sent.isEmpty else { return trace.append("field \(f)'s push is lost on the way") }
        // Through the central's group commit, as its server applies pushes: a push sent twice goes twice
        // in one transaction, the second meeting what the first wrote before it was committed.
        let copies = mangle && rng.below(5) == 0 ? 2 : 1
        let push = (changes: sent.map(\.change), device: devices[f])
        var answers = try central.receivePushes(Array(repeating: push, count: copies)).last!.get()
        trace.append("field \(f) pushes \(sent.map(\.change.dot)): \(answers.map(\.status.rawValue))")
        if mangle {
            switch rng.below(8) {
            case 0:
                trace.append("  the answer is lost")
                return
            case 1 where !answers.isEmpty: answers.removeLast(1 + rng.below(answers.count))
            case 2: answers.shuffle(using: &rng)
            case 3: answers.append(PushResult(dot: Dot(replica: "forged", counter: Int64(1 + rng.below(9))), status: .accepted))
            default: break
            }
        }
        let acknowledged = try fields[f].acknowledge(sent: batch, answers: answers)
        unansweredSeen += acknowledged.unanswered.count
        foreignSeen += acknowledged.foreign.count
    }

    /// Field `f` pulls one page of its feed; with `mangle` the page may be lost (a crash before it was
    /// applied), reordered, or applied twice (a crash before the cursor was read back).
    @discardableResult
    func pull(_ f: Int, pageSize: Int, mangle: Bool = false) throws -> Bool {
        try reconcile(f)
        let page = try central.feed(after: try fields[f].pullCursor(), limit: pageSize, units: try central.unitScope(of: Self.unit))
        var changes = try page.changes.map { try JSONCoding.value(Change.self, from: $0.body) }
        if mangle, rng.below(6) == 0 {
            trace.append("field \(f) loses a page")
            return page.more
        }
        if mangle, rng.below(3) == 0 { changes.shuffle(using: &rng) }
        if mangle, changes.count > 1, rng.below(4) == 0 {
            // Part of a page taken in without moving the cursor (a partial bundle, say): what arrives
            // before its causes waits, and the whole page comes again.
            _ = try fields[f].applyPulled(changes.filter { _ in rng.below(2) == 0 }, next: try fields[f].pullCursor())
            return true
        }
        _ = try fields[f].applyPulled(changes, next: page.covered)
        if mangle, rng.below(6) == 0 { _ = try fields[f].applyPulled(changes, next: page.covered) }
        return page.more
    }

    /// What a sync round does first: field `f` compares what it knows with the central's standing.
    func reconcile(_ f: Int) throws {
        let known = try fields[f].knowledge()
        let recovery = try fields[f].reconcile(with: try central.standing(for: devices[f], asking: known.replicas), known: known)
        for line in recovery.notices { trace.append("field \(f): \(line)") }
    }

    /// A device pushes a change crafted by hand: a step on one of its unit's reports in the name of a
    /// member who does not hold the role it claims. The central refuses it and voids it; every replica
    /// then counts the forged dot as seen, without effect, and nothing else changes.
    func forge(_ f: Int) throws {
        guard let id = randomReport(on: fields[f].replica) else { return }
        let record = try fields[f].replica.record(id)
        forged += 1
        let change = Change(
            dot: Dot(replica: "forged-\(f)", counter: forged), hlc: HybridTimestamp(wallMilliseconds: clock.reading().millisecondsSince1970, logical: 0),
            record: id, unit: Self.unit, actor: "wang", context: record.vv,
            payload: .transition(
                TransitionStep(action: .review, from: .awaitingReview, to: .reviewed, role: .unitHead, comment: nil, sawContent: record.latestContent.dot)))
        let answer = try central.receivePush([change], from: devices[f])
        trace.append("field \(f) forges a review of \(id): \(answer.map(\.status.rawValue))")
    }

    /// On disk, a replica is closed between two transactions and its file opened again; in memory, a
    /// field device crashes after the central took its push but before the answer was recorded.
    func crash(_ f: Int) throws {
        guard let directory else { return try push(f, limit: 1 + rng.below(8), mangle: false) }
        switch rng.below(8) {
        case 0: return try backUp(f, in: directory)
        case 1: return try backUpCentral(in: directory)
        case 2, 3: return try restore(f, in: directory)
        default: break
        }
        if rng.below(3) == 0 {
            central = try CentralReplica.open(at: directory.appendingPathComponent("central.sqlite").path, now: clock.reading)
            trace.append("the central restarts")
        } else {
            let skewed = clock.reading(aheadBy: Self.skew(of: f))
            fields[f] = try FieldReplica.open(at: directory.appendingPathComponent("field-\(f).sqlite").path, now: skewed)
            trace.append("field \(f) restarts")
        }
    }

    // MARK: Backups and restores

    /// A backup of a random field or of the central, now (on disk only).
    func backUpNow() throws {
        guard let directory else { return }
        if rng.below(2) == 0 { try backUpCentral(in: directory) } else { try backUp(rng.below(fields.count), in: directory) }
    }

    /// A restore of a field or of the central from its last backup, now (on disk only, once a run).
    func restoreNow() throws {
        guard let directory, !restored else { return }
        let f = fieldBackups.keys.sorted().first ?? 0
        if centralBackup != nil, fieldBackups.isEmpty || rng.below(2) == 0 { try restoreCentral(in: directory) } else { try restoreField(f, in: directory) }
    }

    /// Field `f`'s file is copied as it is (a plain `cp`), or backed up with `Replica.backup`.
    private func backUp(_ f: Int, in directory: URL) throws {
        let path = directory.appendingPathComponent("field-\(f).bak-\(trace.count)").path
        let id = try fields[f].replica.identity().replicaID
        if rng.below(2) == 0 {
            try fields[f].replica.checkpoint()
            try FileManager.default.copyItem(atPath: directory.appendingPathComponent("field-\(f).sqlite").path, toPath: path)
            trace.append("field \(f) is copied to a backup (cp)")
        } else {
            _ = try fields[f].replica.backup(to: path)
            trace.append("field \(f) is backed up (report-cli backup)")
        }
        fieldBackups[f] = (path, id)
    }

    private func backUpCentral(in directory: URL) throws {
        let path = directory.appendingPathComponent("central.bak-\(trace.count)").path
        _ = try central.replica.backup(to: path)
        centralBackup = path
        trace.append("the central is backed up (syncd backup)")
    }

    /// Field `f`'s last backup is put back, or the central's: each must then find out, by what it or
    /// the central knows, what it lost.
    private func restore(_ f: Int, in directory: URL) throws {
        guard !restored else { return }
        if rng.below(2) == 0, centralBackup != nil { try restoreCentral(in: directory) } else { try restoreField(f, in: directory) }
    }

    /// The central's last backup is put back with `syncd restore`.
    private func restoreCentral(in directory: URL) throws {
        guard let backup = centralBackup else { return }
        let path = directory.appendingPathComponent("central.sqlite").path
        try central.replica.close()
        _ = try CentralReplica.restore(from: backup, to: path, now: clock.reading)
        central = try CentralReplica.open(at: path, now: clock.reading)
        trace.append("the central is restored from \(backup)")
        restored = true
        restoredWhat = "central"
    }

    /// Field `f`'s last backup is copied over its file in place (same inode); half the time its
    /// watermark goes back too, as when a whole machine is restored.
    private func restoreField(_ f: Int, in directory: URL) throws {
        guard let backup = fieldBackups[f] else { return }
        let path = directory.appendingPathComponent("field-\(f).sqlite").path
        try fields[f].replica.close()
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: try Data(contentsOf: URL(fileURLWithPath: backup.path)))
        try handle.close()
        let machine = rng.below(2) == 0
        if machine, let state = ProcessInfo.processInfo.environment["REPORTSYNC_STATE_DIR"] {
            try? FileManager.default.removeItem(atPath: "\(state)/watermarks/\(backup.replica)")
        }
        fields[f] = try FieldReplica.open(at: path, now: clock.reading(aheadBy: Self.skew(of: f)))
        trace.append("field \(f) is restored from \(backup.path) by cp over its file\(machine ? ", with its machine" : "")")
        restored = true
        restoredWhat = "field"
    }

    // MARK: The end of a run

    /// The end of a run: the admin lets internal reports on the network (if the run left them off),
    /// so that the central releases every internal report it holds to every field; then each secret or
    /// internal report whose content may still change is made public by its unit.
    func declassifyEverything() {
        if let policy = try? central.replica.policy(), !policy.internalOverNetwork { switchInternalPolicy() }
        for (f, field) in fields.enumerated() {
            for report in (try? field.replica.reports()) ?? [] where report.content.classification != .public {
                var patch = ReportPatch()
                patch.classification = .public
                for person in Self.unitPeople where (try? field.replica.edit(report.id, with: patch, by: person.id)) != nil {
                    trace.append("field \(f): \(person.id) declassifies \(report.id)")
                    break
                }
            }
        }
    }

    /// The central office resolves every conflict still open at the central (most meet only when the
    /// run settles), keeping the winner or the loser at random: what it decides must reach every field.
    /// Of a conflict on the classification it keeps the public side: keeping a secret or internal one
    /// would raise the report at the central after its text reached the fields, and withdrawing that
    /// text is the reclassification not built yet (docs/bundles.md, "Not yet").
    func resolveOpenConflicts() {
        let publicValue = "\"\(Classification.public.rawValue)\""
        for conflict in (try? central.replica.conflicts().filter { $0.status == .open }) ?? [] {
            guard let actor = Self.people.first(where: { ConflictAuthority.mayResolve(conflict, role: $0.role) })?.id else { continue }
            var keep: ResolutionStep.Keep = rng.below(2) == 0 ? .winner : .loser
            if conflict.field == "classification" {
                guard conflict.winner.value == publicValue || conflict.loser.value == publicValue else { continue }
                keep = conflict.winner.value == publicValue ? .winner : .loser
            }
            if (try? central.replica.resolveConflict(conflict.id, keep: keep, by: actor)) != nil {
                trace.append("\(actor) resolves \(conflict.id) at the end")
            }
        }
    }

    /// Every field pushes all it may and pulls everything, until a whole pass moves nothing.
    func settle() throws {
        for _ in 0..<8 {
            var moved = false
            for f in fields.indices {
                // As SyncRound does, a field first compares its knowledge with the central's standing: a
                // central restored since the field last asked puts the field's changes back in its outbox.
                try reconcile(f)
                // A push the central answers only with `held` moves nothing: stop there, as SyncRound does.
                while !(try fields[f].nextPush(limit: SyncBatch.max)).isEmpty {
                    let before = try fields[f].outbox().count
                    try push(f, limit: SyncBatch.max, mangle: false)
                    if try fields[f].outbox().count == before { break }
                    moved = true
                }
            }
            for f in fields.indices {
                // A pull reconciles too, and what that puts back in the outbox is movement.
                let before = (try fields[f].pullCursor(), try fields[f].outbox().count)
                while try pull(f, pageSize: SyncBatch.max) {}
                if (try fields[f].pullCursor(), try fields[f].outbox().count) != before { moved = true }
            }
            if !moved { return }
        }
        Issue.record("the replicas did not settle in eight passes")
    }
}

/// The most changes one push carries in the simulation, as the sync protocol allows.
enum SyncBatch {
    static let max = 1000
}

/// A clock the simulation moves by hand, in whole seconds, shared by every replica of a run.
final class SimulatedClock: @unchecked Sendable {
    private let lock = NSLock()
    private var seconds: Double = 0
    static let start = Date(timeIntervalSince1970: 1_795_000_000)

    func advance(by delta: Double) { lock.withLock { seconds += delta } }

    /// The reading of a replica whose clock is `ahead` seconds fast.
    func reading(aheadBy ahead: Double) -> @Sendable () -> Date {
        { [self] in lock.withLock { Self.start.addingTimeInterval(seconds + ahead) } }
    }

    /// The reading of an exact clock.
    var reading: @Sendable () -> Date { reading(aheadBy: 0) }
}

