import Foundation
import PropertyBased
@testable import Store
import SyncCore
import Testing

/// DESIGN.md "Properties the tests must show", on the SQLite stores that ship: a central replica and
/// field replicas synced by push and pull under random schedules (`BureauSimulation`).
///
/// `REPORTSYNC_SCHEDULES` sets how many schedules run (default 1,000, in four shards that run in
/// parallel); docs/testing.md gives the command for a long run.
@Suite("Convergence properties on the SQLite store")
struct ConvergenceProperties {
    static let schedules = ProcessInfo.processInfo.environment["REPORTSYNC_SCHEDULES"].flatMap(Int.init) ?? 1000
    static let shards = 4
    /// A limit no run reaches.
    static let everything = 10_000_000

    @Test(
        "convergence, no lost update, nothing silently skipped, idempotence, determinism and causality",
        arguments: 0..<shards)
    func properties(shard: Int) async throws {
        let count = (Self.schedules + Self.shards - 1) / Self.shards
        await propertyCheck(count: count, input: Gen.uint64(in: 0...UInt64.max), Gen.int(in: 1...7), Gen.int(in: 5...60)) {
            seed, fields, operations in
            // `propertyCheck` drops an error its body throws (it runs the body under `try?`): record it.
            do { try Self.run(seed: seed, fields: fields, operations: operations) } catch { Issue.record(error, "schedule \(seed), \(fields) fields, \(operations) operations") }
        }
    }

    /// Schedules the random runs once failed on, run again as they were.
    static let foundSchedules: [(seed: UInt64, fields: Int, operations: Int)] = [
        // A field put back from a copy with its machine wrote under dots its old self had used (`TakenDotReissue`).
        (8_699_368_280_099_008_230, 1, 46),
        // The central restored from a backup that predates a report another field already pulled; its
        // author then made it secret: that field's copy is a stale public one, not a lost report.
        (4_611_690_527_731_946_480, 6, 38),
        // The central restored after a field's last push and before the run settles: the field learns it
        // only when it next asks, so settling must ask before it decides that nothing is left to push.
        (5_973_903_379_544_610_320, 3, 26),
        // A conflict on the classification resolved at the end by keeping "secret": the report was
        // raised at the central after its text reached the fields (`resolveOpenConflicts` keeps "public").
        (1_471_198_961_007_158_409, 7, 54),
        // A raise the central refused (the report was withdrawn there first): its redaction keeps the
        // report off the network, so only bundles bring the fields alike (`checkConvergence`).
        (2_400_723_855_929_101_687, 2, 46),
        // A forged step voided at the central while the report was raised off the network there.
        (12_892_564_130_483_096_476, 3, 13),
        // A public-era write pushed after the redaction that raised its report reached the central.
        (18_203_974_428_978_349_900, 4, 50),
        // A public follow-up pushed after the central kept its first report off the network (a refused
        // raise): the central keeps the follow-up off the network with it.
        (4_041_019_592_641_043_165, 7, 42),
        // A raise the central refused, and the lowering after it answered "waiting" there, then refused
        // when its causes came: the voids of a report the central keeps off the network reach its device
        // by network, with a stand-in reason (`VoidMarker.reasonKeptOffTheNetwork`).
        (11_825_189_395_644_676_688, 5, 44),
    ]

    @Test("schedules that once failed hold every property", arguments: foundSchedules.indices)
    func foundSchedule(index: Int) throws {
        let found = Self.foundSchedules[index]
        try Self.run(seed: found.seed, fields: found.fields, operations: found.operations)
    }

    /// One schedule: its operations, the end of a run, then every property.
    static func run(seed: UInt64, fields: Int, operations: Int) throws {
        // One schedule in ten runs on files, where replicas are also closed and reopened.
        let simulation = try BureauSimulation(seed: seed, fields: fields, onDisk: seed % 10 == 0)
        for _ in 0..<operations { try simulation.step() }
        try checkCausality(simulation)
        simulation.declassifyEverything()
        try simulation.settle()
        simulation.resolveOpenConflicts()
        try simulation.settle()
        try checkAll(simulation)
    }

    /// Every property of a settled run.
    static func checkAll(_ simulation: BureauSimulation) throws {
        try checkConvergence(simulation)
        try checkFileIndex(simulation)
        try checkNothingSilentlySkipped(simulation)
        try checkNoLostUpdate(simulation)
        try checkIdempotence(simulation)
        try checkDeterminism(simulation)
        try checkCausality(simulation)
        try checkWithheldTextStaysHome(simulation)
    }

    /// No replica holds the text of a write a redaction withheld or a lowering sealed (docs/bundles.md,
    /// "Raising and lowering a classification"), in its records or its log, but the device that wrote
    /// that redaction and the one that wrote the text: the central keeps it only beside its log.
    static func checkWithheldTextStaysHome(_ simulation: BureauSimulation) throws {
        for (r, replica) in simulation.replicas.enumerated() {
            let stored = try replica.changes(limit: everything)
            let own = Set(stored.filter { $0.origin == .local && $0.change.isRedaction }.map(\.change.dot))
            for record in try replica.records() {
                let foreign = record.redactions.filter { !own.contains($0.dot) }
                let keptHere = record.redactions.filter { own.contains($0.dot) }
                func withheld(_ dot: Dot) -> Bool {
                    foreign.contains { $0.withholds(dot) } && !keptHere.contains { $0.covers.covers(dot) }
                }
                for entry in stored where entry.change.record == record.id && entry.origin == .remote && withheld(entry.change.dot) {
                    let change = entry.change
                    #expect(
                        !Withheld.holdsText(change),
                        "replica \(r) keeps the text of \(change.dot), which a redaction withheld\n\(simulation.trace.joined(separator: "\n"))")
                }
                for version in record.versions where record.redactions.contains(where: { $0.withholds(version.dot) }) {
                    let text = version.fields.filter { !Withheld.keptFields.contains($0.key) && !["null", "[]", "\"\"", "{}"].contains($0.value) }
                    #expect(text.values.allSatisfy(Withheld.isMarker), "replica \(r)'s record \(record.id) shows a withheld value")
                }
            }
        }
    }

    /// Every field holds each of its unit's reports exactly as the central does, but for the reports it
    /// keeps secret (made secret, then locked by a step before anyone declassified them, and their
    /// follow-ups): those it holds with changes its outbox keeps back; and those the central keeps off the
    /// network, which only bundles bring alike. A report the central lacks is one
    /// some field keeps secret: another field may hold a copy from before it was made secret, which the
    /// central lost with a restore (a redaction withdraws its text only where the central still holds it).
    static func checkConvergence(_ simulation: BureauSimulation) throws {
        let atCentral = try simulation.central.replica.reportDigests()
        let (raised, followUps) = try keptOffTheNetwork(at: simulation.central)
        let keptOff = raised.union(followUps)
        let secretAnywhere = Set(try simulation.fields.flatMap { try $0.outbox().filter { $0.state == .heldSecret }.map(\.change.record) })
        for (f, field) in simulation.fields.enumerated() {
            let here = try field.replica.reportDigests()
            let secret = Set(try field.outbox().filter { $0.state == .heldSecret }.map(\.change.record))
            for (id, digest) in atCentral where !secret.contains(id) && !keptOff.contains(id) {
                #expect(here[id] == digest, "field \(f) and the central differ on report \(id)\n\(simulation.trace.joined(separator: "\n"))")
            }
            for id in here.keys where atCentral[id] == nil {
                #expect(secretAnywhere.contains(id), "report \(id) of field \(f) never reached the central, and no field keeps it secret")
            }
        }
    }

    /// The reports the central keeps off the network, which reach the unit's devices by bundle only (the
    /// feed converges none of them): those raised there whose raise is held on the device that locked
    /// them by a step, or whose raise the central refused (`raised`); and the follow-ups of those
    /// (`followUps`), which took no redaction: their voids, too, go by bundle only.
    static func keptOffTheNetwork(at central: CentralReplica) throws -> (raised: Set<String>, followUps: Set<String>) {
        let offNetwork = Secrecy.offNetwork(under: try central.replica.policy())
        let records = try central.replica.records()
        let raised = Set(records.filter { offNetwork.contains($0.networkClassification) }.map(\.id))
        return (raised, Set(records.filter { $0.followUpOf.map(raised.contains) ?? false }.map(\.id)))
    }

    /// On every replica, the files each report names in `attachment_refs` (what is sent, fetched and
    /// allowed) are exactly those its merged attachments name, whatever order the writes came in.
    static func checkFileIndex(_ simulation: BureauSimulation) throws {
        for (r, replica) in simulation.replicas.enumerated() {
            let indexed = try replica.indexedFiles()
            for report in try replica.reports() {
                let named = Set(report.content.attachments.compactMap { $0.blob?.hash.hex })
                #expect(indexed[report.id] ?? [] == named, "replica \(r) indexes other files for \(report.id)\n\(simulation.trace.joined(separator: "\n"))")
            }
        }
    }

    /// Every change a person made on a field is at the central, refused there with a reason the field
    /// shows, or held in the field's outbox because its report is off the network — never skipped. A
    /// change that went while its report was on the network and waits at the central for causes the
    /// field now holds off it (the report became secret or internal) is at the central too: the bundle
    /// that carries those causes releases it. A change of a follow-up the central keeps off the network
    /// with its first report may have been refused there after it was answered "waiting": that void
    /// comes by bundle only (a raised report's own voids come by network, `MergeEffects.arrivesWithheld`).
    static func checkNothingSilentlySkipped(_ simulation: BureauSimulation) throws {
        let atCentral = Set(try simulation.central.replica.changes(limit: everything).map(\.change.dot))
        let keptOff = try keptOffTheNetwork(at: simulation.central).followUps
        let waitingAtCentral = try waitingDots(at: simulation.central)
        for (f, field) in simulation.fields.enumerated() {
            let refused = Set(try field.pushRejections().map(\.dot))
            let outbox = try field.outbox()
            #expect(outbox.allSatisfy { $0.state == .heldSecret }, "field \(f) settled with changes ready to send")
            let held = Set(outbox.map(\.change.dot))
            let heldReports = Set(outbox.map(\.change.record))
            for stored in try field.replica.changes(limit: everything)
            where stored.origin == .local && isReportWrite(stored.change) && !keptOff.contains(stored.change.record) {
                let dot = stored.change.dot
                let waitsForHeld = waitingAtCentral.contains(dot.description) && heldReports.contains(stored.change.record)
                #expect(
                    atCentral.contains(dot) || refused.contains(dot) || held.contains(dot) || waitsForHeld,
                    "field \(f)'s change \(dot) is neither at the central, nor refused, nor held\n\(simulation.trace.joined(separator: "\n"))")
            }
        }
    }

    /// The changes the central keeps waiting for their causes, as `replica:counter`.
    static func waitingDots(at central: CentralReplica) throws -> Set<String> {
        Set(try central.replica.conflictEntries(matching: ConflictFilter(kinds: [.pendingDependency])).map(\.loser.dot))
    }

    /// Every content write the central holds is shown, kept as a conflict's loser, or overwritten by
    /// someone who saw it.
    static func checkNoLostUpdate(_ simulation: BureauSimulation) throws {
        let records = Dictionary(uniqueKeysWithValues: try simulation.central.replica.records().map { ($0.id, $0) })
        for stored in try simulation.central.replica.changes(limit: everything) {
            guard case .content(let write) = stored.change.payload, let record = records[stored.change.record],
                !record.voided.contains(where: { $0.dot == stored.change.dot })
            else { continue }
            let dot = stored.change.dot
            for (field, value) in write.fields {
                let shown = record.fields[field]?.first?.dot == dot
                let loser = record.fieldConflicts.contains { $0.field == field && $0.loser.dot == dot }
                let superseded = record.versions.contains { version in
                    version.fields[field] != nil && version.context.covers(dot) && !record.voided.contains { $0.dot == version.dot }
                }
                let sameValue = record.fields[field]?.first?.value == value
                #expect(shown || loser || superseded || sameValue, "write \(dot) to \(field) was lost")
            }
        }
    }

    /// Pushing every field's changes again, and pulling the whole feed again, changes nothing.
    static func checkIdempotence(_ simulation: BureauSimulation) throws {
        let before = try simulation.replicas.map { try $0.digest() }
        // A change still waiting for its causes is answered `waiting` again, which changes nothing.
        let waitingAtCentral = try waitingDots(at: simulation.central)
        for (f, field) in simulation.fields.enumerated() {
            let mine = try field.replica.changes(limit: everything).filter { $0.origin == .local && isReportWrite($0.change) }.map(\.change)
            for answer in try simulation.central.receivePush(mine.filter { !isHeldSecret($0, in: field) }, from: simulation.devices[f]) {
                switch answer.status {
                case .duplicate, .rejected: break
                case .waiting where waitingAtCentral.contains(answer.dot.description): break
                case .accepted, .waiting, .held, .dotTaken: Issue.record("a replayed push changed the central: \(answer.status)")
                }
            }
            let feed = try simulation.central.feed(after: 0, limit: everything, units: [BureauSimulation.unit])
            _ = try field.applyPulled(try feed.changes.map { try JSONCoding.value(Change.self, from: $0.body) }, next: feed.covered)
        }
        #expect(try simulation.replicas.map { try $0.digest() } == before, "replaying pushes and pulls changed a replica")
    }

    /// A fresh replica fed the central's changes in another order holds the same reports, and every fold
    /// of shuffled events agrees.
    static func checkDeterminism(_ simulation: BureauSimulation) throws {
        var changes = try simulation.central.replica.changes(limit: everything).map(\.change)
        changes.shuffle(using: &simulation.rng)
        let fresh = try Replica.inMemory(unit: OrgUnit(id: "bureau", name: "某某局", kind: .centralOffice))
        _ = try fresh.receive(changes)
        #expect(try fresh.reportDigests() == simulation.central.replica.reportDigests(), "the same changes in another order give other reports")
        for record in try simulation.central.replica.records() {
            let reference = ApprovalFold.fold(report: record.id, transitions: record.transitions, versions: record.versions)
            let shuffled = ApprovalFold.fold(
                report: record.id, transitions: record.transitions.shuffled(using: &simulation.rng),
                versions: record.versions.shuffled(using: &simulation.rng))
            #expect(reference == shuffled)
            #expect(reference.state == record.state)
        }
    }

    /// No replica shows an effect without its cause.
    static func checkCausality(_ simulation: BureauSimulation) throws {
        for replica in simulation.replicas {
            let records = try replica.records()
            let ids = Set(records.map(\.id))
            for record in records {
                for version in record.versions { #expect(record.vv.covers(version.context)) }
                for event in record.transitions { #expect(record.vv.covers(event.context)) }
                if let first = record.followUpOf { #expect(ids.contains(first), "a follow-up without its first report") }
            }
        }
    }

    /// Whether `change` is held in its field's outbox: such changes must not travel at all.
    static func isHeldSecret(_ change: Change, in field: FieldReplica) -> Bool {
        (try? field.outbox().contains { $0.change.dot == change.dot && $0.state == .heldSecret }) == true
    }

    /// Whether a change is a report write a field pushes.
    static func isReportWrite(_ change: Change) -> Bool {
        switch change.payload {
        case .content, .transition, .resolution, .redaction: true
        case .void, .unit, .member, .policy, .solicitation, .signingKey, .keyRequest, .reminder: false
        }
    }
}

extension ConvergenceProperties {
    @Test("schedules on disk put fields and the central back from older backups, and still hold every property")
    func restores() throws {
        var seen: [String: Int] = [:]
        for seed in 0..<12 as Range<UInt64> {
            let simulation = try BureauSimulation(seed: seed, fields: 3, onDisk: true)
            for _ in 0..<20 { try simulation.step() }
            try simulation.backUpNow()
            for _ in 0..<25 { try simulation.step() }
            do { try simulation.restoreNow() } catch {
                Issue.record("\(error)\n\(simulation.trace.joined(separator: "\n"))")
                throw error
            }
            do { for _ in 0..<15 { try simulation.step() } } catch {
                Issue.record("\(error)\n\(simulation.trace.joined(separator: "\n"))")
                throw error
            }
            simulation.declassifyEverything()
            try simulation.settle()
            try Self.checkAll(simulation)
            if let what = simulation.restoredWhat { seen[what, default: 0] += 1 }
        }
        #expect(seen["field", default: 0] > 0 && seen["central", default: 0] > 0, "\(seen)")
    }

    @Test(
        "the random schedules really produce every conflict kind, waits, voids, held secrets, redactions, sealings, policy releases, lost answers and many states"
    )
    func coverage() throws {
        var kinds: Set<Conflict.Kind> = []
        var states: Set<ApprovalState> = []
        var rules: Set<String> = []
        var settled: Set<Conflict.Resolution.How> = []
        var (waits, voids, held, unanswered, foreign, followUps, declassified, released) = (0, 0, 0, 0, 0, 0, 0, 0)
        var (redactions, sealings) = (0, 0)
        for seed in 0..<100 as Range<UInt64> {
            let simulation = try BureauSimulation(seed: seed, fields: 4, onDisk: false)
            for _ in 0..<70 { try simulation.step() }
            simulation.declassifyEverything()
            try simulation.settle()
            simulation.resolveOpenConflicts()
            try simulation.settle()
            waits += simulation.waitsSeen
            held += simulation.heldSeen
            unanswered += simulation.unansweredSeen
            foreign += simulation.foreignSeen
            declassified += simulation.trace.filter { $0.contains("declassifies") }.count
            released += simulation.trace.filter { $0.contains("policy now lets reports on the network") }.count
            for record in try simulation.central.replica.records() {
                voids += record.voided.count
                redactions += record.redactions.count { $0.seals == nil }
                sealings += record.redactions.count { $0.seals != nil }
                if record.followUpOf != nil { followUps += 1 }
                kinds.formUnion(record.conflicts.map(\.kind))
                rules.formUnion(record.conflicts.map(\.rule))
                settled.formUnion(record.conflicts.compactMap(\.resolution?.how))
                states.insert(record.state)
            }
        }
        #expect(kinds == Set(Conflict.Kind.allCases))
        #expect(waits > 0, "some changes arrived before their causes")
        #expect(states.count >= 5, "\(states)")
        #expect(followUps > 0)
        #expect(settled.isSuperset(of: [.keptWinner, .keptLoser, .superseded]), "\(settled)")
        #expect(voids > 0, "the central refused and voided some changes")
        #expect(held > 0, "secret reports were held in outboxes")
        #expect(redactions > 0, "reports raised off the network after they left a device had their text withdrawn")
        #expect(sealings > 0, "reports lowered to the network had what was written while they were off it sealed")
        #expect(declassified > 0, "secret reports were declassified and sent")
        #expect(released > 0, "a policy let internal reports back on the network, and fields pulled again for them")
        #expect(unanswered > 0 && foreign > 0, "answers went missing and foreign answers came")
        #expect(rules.contains("equal-clock-higher-replica-wins"), "\(rules)")
    }
}
