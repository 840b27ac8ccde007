import ArgumentParser
import Foundation
import SyncCore

/// `reportsync-bench`: measures ReportSync against its anchors in one run and prints ratios (docs/performance.md).
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reportsync-bench", abstract: "Measure merge and apply speed against the peers' anchors, in one run.")

    @Flag(help: "Smaller sizes; finishes in well under a minute.") var quick = false
    @Option(help: "Write the figures as JSON here.") var json: String?
    @Option(help: "Received changes per transaction when applying into SQLite.") var batch = 1000
    @Option(help: "Run only this part: merge or apply.") var only: String?
    @Option(help: "A scratch copy of ../shared/peers with its .venv set up: its CRDT merge runs in the same run.")
    var peers: String?

    func run() throws {
        let workload = try PeersWorkload(replicas: 20, perReplica: quick ? 1000 : 5000, sharedPerReplica: quick ? 200 : 1000)
        let merge = only == "apply" ? MergeBenchmark.Result(writes: 0, seconds: 1, conflicts: 0, converged: true) : try MergeBenchmark.run(workload)
        print(String(format: "merge   %7d writes in memory   %8.1f ms  %10.0f rec/s  conflicts %d  converged %@",
            merge.writes, merge.seconds * 1000, merge.recordsPerSecond, merge.conflicts, merge.converged ? "yes" : "NO"))

        let peerFigures = only == "apply" ? nil : peers.flatMap { PeerRun.crdtMerge(peersDirectory: $0, quick: quick) }
        if let peerFigures {
            print(String(format: "peers   merge: Yrs %10.0f rec/s, Loro %10.0f rec/s   ReportSync/Yrs %.2f×",
                peerFigures.yrsMergeRecordsPerSecond, peerFigures.loroMergeRecordsPerSecond,
                merge.recordsPerSecond / peerFigures.yrsMergeRecordsPerSecond))
        }

        guard only != "merge" else { return }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reportsync-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let creations = workload.writes.flatMap { $0 }.filter {
            if case .content(let w) = $0.payload { return w.creates } else { return false }
        }
        let applyCount = quick ? 10_000 : 100_000
        let apply = try StoreApplyBenchmark.run(
            changes: Array(creations.prefix(applyCount)), batch: batch, in: directory)
        print(String(format: "apply   %7d changes into SQLite %8.1f ms  %10.0f rec/s  raw upsert %10.0f rec/s  ratio %.2f×",
            apply.changes, apply.replicaSeconds * 1000, apply.replicaPerSecond, apply.rawPerSecond, apply.ratio))
        if let json {
            struct Output: Encodable {
                let date: String
                let quick: Bool
                let merge: MergeBenchmark.Result
                let peers: PeerRun.Figures?
                let apply: StoreApplyBenchmark.Result
            }
            let output = Output(
                date: ISO8601DateFormatter().string(from: Date()), quick: quick, merge: merge, peers: peerFigures, apply: apply)
            try JSONCoding.encoder(pretty: true).encode(output).write(to: URL(fileURLWithPath: json))
        }
    }
}

Bench.main()
