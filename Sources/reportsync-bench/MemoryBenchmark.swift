import Foundation
import Store
import SyncCore
import SyncService

/// Peak memory of a real `syncd serve` process serving a large central replica: the feed of a unit
/// that holds every report is pulled page after page, then the process's high-water mark is read.
enum MemoryBenchmark {
    struct Result: Codable {
        let centralReports: Int
        let pulledChanges: Int
        /// Resident set high-water mark of the server process (VmHWM), in MiB.
        let peakRSSMebibytes: Double
    }

    /// Serves the central at `path` (holding `reports` reports of unit `other`) with the `syncd` beside this program.
    static func run(centralAt path: String, reports: Int, pages: Int) async throws -> Result? {
        guard let syncd = SyncdProcess.binary else {
            print("memory: syncd is missing beside this program; build it too (swift build -c release) to measure the server's memory")
            return nil
        }
        let token = try CentralReplica.open(at: path).enroll(unit: "other", device: "memory-probe")
        let server = try await SyncdProcess.start(syncd, db: path) { SyncClient(baseURL: $0, token: token) }
        defer { server.stop() }
        let client = SyncClient(baseURL: "http://127.0.0.1:\(server.port)", token: token)
        var cursor: Int64 = 0
        var pulled = 0
        for _ in 0..<pages {
            let page = try await client.pull(after: cursor)
            pulled += page.changes.count
            cursor = page.next
            if !page.more { break }
        }
        return Result(centralReports: reports, pulledChanges: pulled, peakRSSMebibytes: try highWaterMark(of: server.process.processIdentifier))
    }

    /// VmHWM of a process, from /proc, in MiB.
    static func highWaterMark(of pid: Int32) throws -> Double {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kib = Double(line.split(separator: " ").dropFirst().first ?? "")
        else { return 0 }
        return kib / 1024
    }
}
