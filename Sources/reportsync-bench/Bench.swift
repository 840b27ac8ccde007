import ArgumentParser
import Foundation
import SyncCore

/// `reportsync-bench`: measures ReportSync against its anchors in one run and prints ratios (docs/performance.md).
@main
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reportsync-bench",
        abstract: "Measure sync speed side by side with the physical limits and the peers, in one run.",
        discussion: "Parts: \(Part.allCases.map(\.rawValue).joined(separator: ", ")). See docs/performance.md.")

    /// The parts of a run, in the order they run.
    enum Part: String, CaseIterable, ExpressibleByArgument {
        case merge, apply, push, postgres, incremental, memory, wire, load, desk, files
    }

    @Flag(help: "Smaller sizes; finishes in under a minute and writes the same JSON keys.") var quick = false
    @Option(help: "Write the figures as JSON here.") var json: String?
    @Option(help: "Received changes per transaction when applying into SQLite.") var batch = 1000
    @Option(help: "Run only these parts (repeatable).") var only: [Part] = []
    @Option(help: "A scratch copy of ../shared/peers set up with its setup.sh: its CRDT merge and nginx ceiling run in the same run.")
    var peers: String?
    @Option(help: "A PostgreSQL cluster's URL whose user may create databases (bash scripts/postgres.sh start DIR prints one): the push into a central on PostgreSQL runs beside the SQLite push, and the load against one and two syncd serve on PostgreSQL beside a SQLite central.")
    var postgres: String?

    /// Every figure of one run; a part that did not run is `null`.
    struct Figures: Encodable {
        let date: String
        let quick: Bool
        var merge: MergeBenchmark.Result?
        var peers: PeerRun.Figures?
        var apply: StoreApplyBenchmark.Result?
        var push: PushBenchmark.Result?
        var postgresPush: PostgresPushBenchmark.Result?
        var postgresLoad: PostgresLoadBenchmark.Result?
        var postgresIncremental: [PostgresIncrementalBenchmark.Point] = []
        var incremental: [IncrementalBenchmark.Point] = []
        var memory: MemoryBenchmark.Result?
        var wire: WireBenchmark.Result?
        var load: LoadBenchmark.Result?
        var separatedLoad: SeparatedLoadBenchmark.Result?
        var httpCeiling: PeerRun.HTTPCeiling?
        var desk: DeskBenchmark.Result?
        var files: FileBenchmark.Result?

        enum CodingKeys: String, CodingKey {
            case date, quick, merge, peers, apply, push, postgresPush, postgresLoad, postgresIncremental, incremental, memory, wire, load, separatedLoad, httpCeiling, desk, files
        }

        /// Every key is written, `null` for a part that did not run, so `--quick` and full runs have the same keys.
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(date, forKey: .date)
            try c.encode(quick, forKey: .quick)
            try c.encode(merge, forKey: .merge)
            try c.encode(peers, forKey: .peers)
            try c.encode(apply, forKey: .apply)
            try c.encode(push, forKey: .push)
            try c.encode(postgresPush, forKey: .postgresPush)
            try c.encode(postgresLoad, forKey: .postgresLoad)
            try c.encode(postgresIncremental, forKey: .postgresIncremental)
            try c.encode(incremental, forKey: .incremental)
            try c.encode(memory, forKey: .memory)
            try c.encode(wire, forKey: .wire)
            try c.encode(load, forKey: .load)
            try c.encode(separatedLoad, forKey: .separatedLoad)
            try c.encode(httpCeiling, forKey: .httpCeiling)
            try c.encode(desk, forKey: .desk)
            try c.encode(files, forKey: .files)
        }
    }

    /// The PostgreSQL part runs when a cluster is given (and, with `--only`, when it is named); it needs the
    /// push's figure and the incremental part's centrals.
    func runs(_ part: Part) -> Bool {
        if part == .postgres { return postgres != nil && (only.isEmpty || only.contains(.postgres)) }
        if part == .push || part == .incremental, runs(.postgres) { return true }
        return only.isEmpty || only.contains(part)
    }

    func run() async throws {
        var figures = Figures(date: ISO8601DateFormatter().string(from: Date()), quick: quick)
        let replicas = 20
        if runs(.merge) {
            let workload = try PeersWorkload(replicas: replicas, perReplica: quick ? 1000 : 5000, sharedPerReplica: quick ? 200 : 1000)
            figures.merge = try MergeBenchmark.run(workload)
            figures.peers = peers.flatMap { PeerRun.crdtMerge(peersDirectory: $0, quick: quick) }
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reportsync-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let creations = runs(.apply) || runs(.push) ? try PeersWorkload.bulkCreations(count: quick ? 10_000 : 100_000, replicas: replicas) : []
        if runs(.apply) { figures.apply = try StoreApplyBenchmark.run(changes: creations, batch: batch, in: directory) }
        if runs(.push) { figures.push = try await PushBenchmark.run(changes: creations, replicas: replicas, in: directory) }
        if only.contains(.postgres), postgres == nil {
            throw ValidationError("--only postgres needs --postgres URL of a cluster (bash scripts/postgres.sh start DIR prints one)")
        }
        if runs(.postgres), let postgres, let push = figures.push {
            figures.postgresPush = try await PostgresPushBenchmark.run(
                changes: creations, replicas: replicas, cluster: postgres, sqlitePerSecond: push.perSecond, in: directory)
            figures.postgresLoad = try await PostgresLoadBenchmark.run(
                devices: quick ? 50 : 200, rounds: quick ? 5 : 20, cluster: postgres, in: directory)
        }
        let sizes = quick ? [1_000, 10_000] : [10_000, 100_000, 1_000_000]
        if runs(.incremental) || runs(.memory) {
            figures.incremental = try await IncrementalBenchmark.run(sizes: sizes, changes: 100, in: directory)
        }
        if runs(.postgres), let postgres, let smallest = sizes.first, let largest = sizes.last {
            figures.postgresIncremental = try await PostgresIncrementalBenchmark.run(
                sizes: [smallest, largest], changes: 100, cluster: postgres, in: directory)
        }
        if runs(.memory), let largest = sizes.last {
            figures.memory = try await MemoryBenchmark.run(
                centralAt: IncrementalBenchmark.centralPath(size: largest, in: directory), reports: largest, pages: quick ? 10 : 100)
        }
        if runs(.wire) { figures.wire = try WireBenchmark.run(overwrites: quick ? 6_000 : 60_000) }
        if runs(.load) {
            figures.load = try await LoadBenchmark.run(
                devices: quick ? 50 : 200, rounds: quick ? 5 : 20, catchUp: quick ? 2_000 : 14_000, in: directory)
            figures.separatedLoad = try await SeparatedLoadBenchmark.run(devices: quick ? 50 : 200, rounds: quick ? 5 : 20, in: directory)
            figures.httpCeiling = peers.flatMap { PeerRun.httpCeiling(peersDirectory: $0, quick: quick) }
        }
        if runs(.desk) {
            figures.desk = try await DeskBenchmark.run(reports: quick ? 10_000 : 100_000, requests: 21, in: directory)
        }
        if runs(.files) { figures.files = try await FileBenchmark.run(bytes: quick ? 20 << 20 : 200 << 20, in: directory) }
        print(BenchTable(figures).render())
        if let json { try JSONCoding.encoder(pretty: true).encode(figures).write(to: URL(fileURLWithPath: json)) }
    }
}
