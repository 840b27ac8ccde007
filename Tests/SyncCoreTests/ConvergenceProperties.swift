import Foundation
import PropertyBased
import SyncCore
import Testing

/// DESIGN.md "Properties the tests must show", over random operations on 2–8 replicas with random
/// exchange schedules: partial batches, duplicates, reordering, and crashes between apply and acknowledge.
@Suite("Convergence properties")
struct ConvergenceProperties {
    @Test("convergence, no lost update, idempotence, determinism and causality")
    func properties() async throws {
        await propertyCheck(count: 100, input: Gen.uint64(in: 0...UInt64.max), Gen.int(in: 2...8), Gen.int(in: 5...120)) {
            seed, replicas, operations in
            var simulation = Simulation(seed: seed, replicas: replicas)
            for _ in 0..<operations { simulation.step() }
            try simulation.exchangeEverything()
            simulation.resolveSome()
            try simulation.exchangeEverything()
            try simulation.checkConvergence()
            try simulation.checkNoLostUpdate()
            try simulation.checkIdempotence()
            try simulation.checkDeterminism()
        }
    }
}

extension ConvergenceProperties {
    @Test("the random schedules really produce conflicts of every kind, waits and many states")
    func coverage() throws {
        var kinds: Set<Conflict.Kind> = []
        var states: Set<ApprovalState> = []
        var waits = 0
        var followUps = 0
        var rules: Set<String> = []
        var settled: Set<Conflict.Resolution.How> = []
        var voids = 0
        for seed in 0..<80 as Range<UInt64> {
            var simulation = Simulation(seed: seed, replicas: 4)
            for _ in 0..<60 { simulation.step() }
            waits += simulation.replicas.map(\.pending.count).reduce(0, +)
            try simulation.exchangeEverything()
            simulation.resolveSome()
            try simulation.exchangeEverything()
            voids += simulation.voided.count
            for record in simulation.replicas[0].records.values {
                if (try record.content().followUpOf) != nil { followUps += 1 }
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
        #expect(rules.contains("equal-clock-higher-replica-wins"), "\(rules)")
    }
}

/// A seeded run of replicas doing random work and exchanging changes on a random schedule.
struct Simulation {
    var rng: SplitMix64
    var replicas: [MemoryReplica]
    var clock: Double = 0
    var reportIDs: [String] = []
    /// Changes replica 0, playing the central, refused and voided.
    var voided: Set<Dot> = []
    /// Every change ever made, wherever.
    var allChanges: [Change] { replicas.flatMap(\.log) }

    static let actors = [Cast.wang, Cast.li, Cast.zhao, Cast.chen]

    init(seed: UInt64, replicas count: Int) {
        rng = SplitMix64(seed: seed)
        replicas = (0..<count).map { MemoryReplica(replicaID: "replica-\($0)") }
    }

    mutating func step() {
        // Whole seconds, so that concurrent writes on different replicas often carry equal stamps;
        // odd replicas' clocks run 7 s ahead.
        clock += Double(rng.next(upTo: 3))
        let r = rng.next(upTo: replicas.count)
        let now = Cast.at(clock + Double(r % 2) * 7)
        switch rng.next(upTo: 10) {
        case 0:
            let id = "r\(reportIDs.count)"
            var content = Cast.news("t\(id)")
            let emergencies = replicas[r].records.values.filter { $0.fields["category"]?.first?.value == "\"emergency\"" }
            switch rng.next(upTo: 3) {
            case 0: content.category = .emergency
            case 1 where !emergencies.isEmpty:
                content.category = .emergency
                content.followUpOf = emergencies.map(\.id).sorted()[rng.next(upTo: emergencies.count)]
            default: break
            }
            if (try? replicas[r].draft(id: id, content, by: rng.next(upTo: 2) == 0 ? Cast.wang : Cast.li, now: now)) != nil {
                reportIDs.append(id)
            }
        case 2, 3:
            guard let id = randomKnownReport(at: r) else { return }
            let field = ["title", "body", "place"][rng.next(upTo: 3)]
            let value = "v\(rng.next(upTo: 1000))"
            let patch = Cast.patch(
                title: field == "title" ? value : nil, body: field == "body" ? value : nil, place: field == "place" ? value : nil)
            _ = try? replicas[r].edit(id, patch, by: Self.actors[rng.next(upTo: 3)], now: now)
        case 1, 4, 5:
            guard let id = randomKnownReport(at: r), let state = replicas[r].records[id]?.state else { return }
            let actor = Self.actors[rng.next(upTo: Self.actors.count)]
            let possible = ApprovalWorkflow.rules.filter { $0.action != .revise && $0.from.contains(state) && $0.roles.contains(actor.role) }
            guard !possible.isEmpty else { return }
            let action = possible[rng.next(upTo: possible.count)].action
            _ = try? replicas[r].perform(action, on: id, by: actor, comment: "意见", now: now)
        case 6:
            let open = replicas[r].records.values.sorted { $0.id < $1.id }.flatMap { record in
                record.conflicts.filter { $0.status == .open }.map { (record.id, $0.id) }
            }
            guard !open.isEmpty else { return }
            let (report, conflict) = open[rng.next(upTo: open.count)]
            let keep: ResolutionStep.Keep = rng.next(upTo: 2) == 0 ? .winner : .loser
            _ = try? replicas[r].resolve(conflict, on: report, keep: keep, by: Self.actors[rng.next(upTo: Self.actors.count)], now: now)
        default:
            sync(from: rng.next(upTo: replicas.count), to: r, now: now)
        }
        checkCausality()
    }

    /// People on random replicas decide about half of the open conflicts, each keeping a random side;
    /// some decide the same conflict on two replicas at once.
    mutating func resolveSome() {
        clock += 10
        for r in replicas.indices {
            let open = replicas[r].records.values.sorted { $0.id < $1.id }.flatMap { record in
                record.conflicts.filter { $0.status == .open }.map { (record.id, $0) }
            }
            for (report, conflict) in open where rng.next(upTo: 2) == 0 {
                let allowed = Self.actors.filter { ConflictAuthority.mayResolve(conflict, role: $0.role) }
                guard !allowed.isEmpty else { continue }
                let keep: ResolutionStep.Keep = rng.next(upTo: 2) == 0 ? .winner : .loser
                _ = try? replicas[r].resolve(
                    conflict.id, on: report, keep: keep, by: allowed[rng.next(upTo: allowed.count)], now: Cast.at(clock))
            }
        }
    }

    func randomKnownReport(at r: Int) -> String? {
        let known = replicas[r].records.keys.sorted()
        return known.isEmpty ? nil : known[rng.peek(upTo: known.count)]
    }

    /// Sends part of `from`'s log to `to`: some changes dropped, the rest shuffled, some twice. With a
    /// crash between apply and acknowledge, the same batch comes again.
    mutating func sync(from: Int, to: Int, now: Date) {
        guard from != to else { return }
        var batch = replicas[from].log.filter { _ in rng.next(upTo: 4) != 0 }
        batch += batch.filter { _ in rng.next(upTo: 5) == 0 }
        batch.shuffle(using: &rng)
        if to == 0 {
            // Replica 0 plays the central: now and then it refuses a change and voids it.
            batch = batch.filter { change in
                guard !voided.contains(change.dot) else { return false }
                guard rng.next(upTo: 20) == 0, replicas[0].refuseAndVoid(change, reason: "refused", now: now) != nil else { return true }
                voided.insert(change.dot)
                return false
            }
        }
        replicas[to].receive(batch, now: now)
        if rng.next(upTo: 6) == 0 { replicas[to].receive(batch, now: now) }
    }

    /// Every replica receives every change, in a shuffled order, until nothing is pending.
    mutating func exchangeEverything() throws {
        let everything = allChanges
        for i in replicas.indices {
            var shuffled = everything
            shuffled.shuffle(using: &rng)
            replicas[i].receive(shuffled, now: Cast.at(clock + 1000))
            #expect(replicas[i].pending.isEmpty, "nothing waits once every change has arrived")
            #expect(Set(replicas[i].rejected.keys).isSubset(of: voided), "only voided changes are refused: \(replicas[i].rejected.map { "\($0.key) \($0.value.message)" })")
        }
    }

    func checkConvergence() throws {
        let digests = try Set(replicas.map { try $0.digest() })
        #expect(digests.count == 1, "replicas that hold the same changes hold the same state")
        #expect(Set(replicas.map { $0.records.count }).count == 1)
    }

    /// Every content write is either shown, listed as a conflict loser, or was overwritten by someone who saw it.
    func checkNoLostUpdate() throws {
        let replica = replicas[0]
        for change in allChanges {
            guard case .content(let write) = change.payload, let record = replica.records[change.record],
                !voided.contains(change.dot)
            else { continue }
            for (field, value) in write.fields {
                let shown = record.fields[field]?.first?.dot == change.dot
                let loser = record.fieldConflicts.contains { $0.field == field && $0.loser.dot == change.dot }
                let superseded = record.versions.contains { $0.fields[field] != nil && $0.context.covers(change.dot) }
                let sameValue = record.fields[field]?.first?.value == value
                #expect(shown || loser || superseded || sameValue, "write \(change.dot) to \(field) was lost")
            }
        }
    }

    mutating func checkIdempotence() throws {
        let before = try replicas[0].digest()
        let outcomes = replicas[0].receive(allChanges.filter { !voided.contains($0.dot) }, now: Cast.at(clock + 2000))
        #expect(outcomes.allSatisfy { $0 == .duplicate })
        #expect(try replicas[0].digest() == before)
    }

    /// A fresh replica fed the same changes in another order, and every fold of shuffled events, agree.
    mutating func checkDeterminism() throws {
        var fresh = MemoryReplica(replicaID: "fresh")
        var changes = allChanges
        changes.shuffle(using: &rng)
        fresh.receive(changes, now: Cast.at(clock + 3000))
        #expect(try fresh.digest() == replicas[0].digest())
        for record in replicas[0].records.values {
            let reference = ApprovalFold.fold(report: record.id, transitions: record.transitions, versions: record.versions)
            let shuffled = ApprovalFold.fold(
                report: record.id, transitions: record.transitions.shuffled(using: &rng), versions: record.versions.shuffled(using: &rng))
            #expect(reference == shuffled)
            #expect(reference.state == record.state)
        }
    }

    /// No replica shows an effect without its cause.
    func checkCausality() {
        for replica in replicas {
            for record in replica.records.values {
                for version in record.versions { #expect(record.vv.covers(version.context)) }
                for event in record.transitions { #expect(record.vv.covers(event.context)) }
                if let first = try? record.content().followUpOf { #expect(replica.records[first] != nil) }
            }
        }
    }
}

extension SplitMix64 {
    mutating func next(upTo bound: Int) -> Int { Int(next() % UInt64(bound)) }

    /// A number below `bound` that does not advance the generator (for read-only choices).
    func peek(upTo bound: Int) -> Int {
        var copy = self
        return copy.next(upTo: bound)
    }
}
