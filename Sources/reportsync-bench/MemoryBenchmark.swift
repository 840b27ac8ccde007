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
        let syncd = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("syncd")
        guard FileManager.default.isExecutableFile(atPath: syncd.path) else {
            print("memory: \(syncd.path) is missing; build it too (swift build -c release) to measure the server's memory")
            return nil
        }
        let token = try CentralReplica.open(at: path).enroll(unit: "other", device: "memory-probe")
        let port = Int.random(in: 20_000...60_000)
        let server = Process()
        server.executableURL = syncd
        server.arguments = ["serve", "--db", path, "--listen", "127.0.0.1:\(port)"]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer {
            server.terminate()
            server.waitUntilExit()
        }
        let client = SyncClient(baseURL: "http://127.0.0.1:\(port)", token: token)
        var up = false
        for _ in 0..<200 where !up {  // the benchmark, not a test: wait for the process to listen
            up = (try? await client.probe()) != nil
            if !up { try await Task.sleep(for: .milliseconds(50)) }
        }
        guard up else { throw ReportSyncError(.unavailable, "syncd serve did not start on port \(port)") }
        var cursor: Int64 = 0
        var pulled = 0
        for _ in 0..<pages {
            let page = try await client.pull(after: cursor)
            pulled += page.changes.count
            cursor = page.next
            if !page.more { break }
        }
        return Result(centralReports: reports, pulledChanges: pulled, peakRSSMebibytes: try highWaterMark(of: server.processIdentifier))
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
