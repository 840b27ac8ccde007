import ArgumentParser
import Foundation
import SyncCore

/// `reportsync-bench`: measures ReportSync against its anchors in one run and prints ratios (docs/performance.md).
@main
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reportsync-bench", abstract: "Measure merge and apply speed against the peers' anchors, in one run.")

    @Flag(help: "Smaller sizes; finishes in well under a minute.") var quick = false
    @Option(help: "Write the figures as JSON here.") var json: String?
    @Option(help: "Received changes per transaction when applying into SQLite.") var batch = 1000
    @Option(help: "Run only this part: merge, apply, push or incremental.") var only: String?
    @Option(help: "A scratch copy of ../shared/peers with its .venv set up: its CRDT merge runs in the same run.")
    var peers: String?

    /// Whether this run includes `part`.
    func runs(_ part: String) -> Bool { only == nil || only == part }

    func run() async throws {
        let workload = try PeersWorkload(replicas: 20, perReplica: quick ? 1000 : 5000, sharedPerReplica: quick ? 200 : 1000)
        let merge = runs("merge") ? try MergeBenchmark.run(workload) : nil
        if let merge {
            print(String(format: "merge   %7d writes in memory   %8.1f ms  %10.0f rec/s  conflicts %d  converged %@",
                merge.writes, merge.seconds * 1000, merge.recordsPerSecond, merge.conflicts, merge.converged ? "yes" : "NO"))
        }

        let peerFigures = runs("merge") ? peers.flatMap { PeerRun.crdtMerge(peersDirectory: $0, quick: quick) } : nil
        if let peerFigures, let merge {
            print(String(format: "peers   merge: Yrs %10.0f rec/s, Loro %10.0f rec/s   ReportSync/Yrs %.2f×",
                peerFigures.yrsMergeRecordsPerSecond, peerFigures.loroMergeRecordsPerSecond,
                merge.recordsPerSecond / peerFigures.yrsMergeRecordsPerSecond))
        }

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reportsync-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let creations = workload.writes.flatMap { $0 }.filter {
            if case .content(let w) = $0.payload { return w.creates } else { return false }
        }
        let applyCount = quick ? 10_000 : 100_000
        let apply = !runs("apply") ? nil : try StoreApplyBenchmark.run(
            changes: Array(creations.prefix(applyCount)), batch: batch, in: directory)
        if let apply {
            print(String(format: "apply   %7d changes into SQLite %8.1f ms  %10.0f rec/s  raw upsert %10.0f rec/s  ratio %.2f×",
                apply.changes, apply.replicaSeconds * 1000, apply.replicaPerSecond, apply.rawPerSecond, apply.ratio))
        }
        let push = !runs("push") ? nil : try await PushBenchmark.run(
            changes: Array(creations.prefix(applyCount)), replicas: workload.replicas, in: directory)
        if let push {
            print(String(format: "push    %7d reports over HTTP   %8.1f ms  %10.0f rec/s  raw insert %10.0f rec/s  ratio %.2f×  idle sync: %d round trip, %d B",
                push.changes, push.seconds * 1000, push.perSecond, push.rawInsertPerSecond, push.ratio, push.idleRoundTrips, push.idleResponseBytes))
        }
        let incremental = runs("incremental")
            ? try await IncrementalBenchmark.run(sizes: quick ? [1_000, 10_000] : [10_000, 100_000, 1_000_000], changes: 100, in: directory)
            : []
        for point in incremental {
            print(String(format: "sync    100 changes into a central of %7d reports: %7.1f ms", point.centralReports, point.roundMilliseconds))
        }
        if let first = incremental.first, let last = incremental.last, incremental.count > 1 {
            print(String(format: "sync    cost at %d / at %d: %.2f×", last.centralReports, first.centralReports, last.roundMilliseconds / first.roundMilliseconds))
        }
        if let json {
            struct Output: Encodable {
                let date: String
                let quick: Bool
                let merge: MergeBenchmark.Result?
                let peers: PeerRun.Figures?
                let apply: StoreApplyBenchmark.Result?
                let push: PushBenchmark.Result?
                let incremental: [IncrementalBenchmark.Point]
            }
            let output = Output(
                date: ISO8601DateFormatter().string(from: Date()), quick: quick, merge: merge, peers: peerFigures, apply: apply,
                push: push, incremental: incremental)
            try JSONCoding.encoder(pretty: true).encode(output).write(to: URL(fileURLWithPath: json))
        }
    }
}

