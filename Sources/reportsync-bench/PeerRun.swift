import Foundation

/// Runs the peers' CRDT benchmark (../shared/peers/crdt_bench.py) in the same run, when its
/// environment is set up (see ../shared/peers/setup.sh), and reads back the figures it writes.
enum PeerRun {
    struct Figures: Codable {
        let yrsMergeRecordsPerSecond: Double
        let loroMergeRecordsPerSecond: Double
    }

    /// nginx serving a 300-byte file on this box (../shared/peers/http_bench.py): the ceiling for the central.
    struct HTTPCeiling: Codable {
        let nginxRequestsPerSecond: Double
        let nginxP99Milliseconds: Double
    }

    /// Runs http_bench.py (wrk against nginx) in the same run, or `nil` with the reason printed.
    static func httpCeiling(peersDirectory: String, quick: Bool) -> HTTPCeiling? {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/wrk") else {
            print("peers: wrk is missing; run bash setup.sh in the peers copy to measure the nginx ceiling")
            return nil
        }
        let arguments = ["python3", peersDirectory + "/http_bench.py", "--runs", "1", "--seconds", quick ? "3" : "10"]
        guard let json = results(of: "/usr/bin/env", arguments, in: peersDirectory, file: "http.json"),
            let nginx = json.first(where: { $0.key.hasPrefix("nginx 1 worker") })?.value as? [String: Any],
            let rps = nginx["rps"] as? Double, let p99 = nginx["p99_ms"] as? Double
        else {
            print("peers: results/http.json has no nginx figures")
            return nil
        }
        return HTTPCeiling(nginxRequestsPerSecond: rps, nginxP99Milliseconds: p99)
    }

    /// The peers' merge throughput, or `nil` with the reason printed when the peers are not set up.
    static func crdtMerge(peersDirectory: String, quick: Bool) -> Figures? {
        let python = peersDirectory + "/.venv/bin/python"
        guard FileManager.default.isExecutableFile(atPath: python) else {
            print("peers: \(python) is missing; run bash setup.sh in a scratch copy of ../shared/peers to compare")
            return nil
        }
        let arguments = [peersDirectory + "/crdt_bench.py", "--runs", "1"] + (quick ? ["--quick"] : [])
        guard let json = results(of: python, arguments, in: peersDirectory, file: "crdt.json"),
            let yrs = json.first(where: { $0.key.hasPrefix("pycrdt") })?.value as? [String: Any],
            let loro = json.first(where: { $0.key.hasPrefix("loro") })?.value as? [String: Any],
            let yrsRate = yrs["merge_rps"] as? Double, let loroRate = loro["merge_rps"] as? Double
        else {
            print("peers: results/crdt.json has no merge figures")
            return nil
        }
        return Figures(yrsMergeRecordsPerSecond: yrsRate, loroMergeRecordsPerSecond: loroRate)
    }

    /// Runs one of the peers' scripts and reads the JSON it writes to `results/FILE`; `nil` if it could not.
    private static func results(of executable: String, _ arguments: [String], in directory: String, file: String) -> [String: Any]? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardOutput = FileHandle.nullDevice
        do {
            try process.run()
            process.waitUntilExit()
            let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/results/" + file))
            return try JSONSerialization.jsonObject(with: data) as? [String: Any]
        } catch {
            print("peers: could not run \(arguments.first { $0.hasSuffix(".py") } ?? executable): \(error)")
            return nil
        }
    }
}
