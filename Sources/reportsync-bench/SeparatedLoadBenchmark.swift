import AsyncHTTPClient
import Foundation
import Store
import SyncCore
import SyncService

/// The load of `LoadBenchmark` with the central and the devices apart: a real `syncd serve` process
/// pinned to CPU 0 and this process (the 200 simulated devices) pinned to CPU 1, so that the devices'
/// own work (their HTTP clients and reading their pulls) does not take the server's CPU. The same
/// rounds as the shared run; both are reported (issue 20 asks for both where sharing distorts).
enum SeparatedLoadBenchmark {
    struct Result: Codable {
        let devices: Int
        let roundsPerDevice: Int
        let roundsPerSecond: Double
        let p50Milliseconds: Double
        let p99Milliseconds: Double
        /// How busy each CPU was during the rounds: the server's process on CPU 0, the devices on CPU 1
        /// (CPU seconds over wall seconds; 1 is a CPU used to the full).
        let serverCPUBusy: Double
        let devicesCPUBusy: Double
    }

    /// Runs the rounds, or says why it cannot (fewer than two CPUs, no `taskset`, no `syncd` beside this program).
    static func run(devices: Int, rounds: Int, in directory: URL) async throws -> Result? {
        let syncd = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("syncd")
        let taskset = "/usr/bin/taskset"
        guard FileManager.default.isExecutableFile(atPath: syncd.path), FileManager.default.isExecutableFile(atPath: taskset),
            ProcessInfo.processInfo.activeProcessorCount >= 2
        else {
            print("load on separate CPUs: needs two CPUs, \(taskset) and \(syncd.path) (swift build -c release)")
            return nil
        }
        let path = directory.appendingPathComponent("central-separated.sqlite").path
        let center = try CentralReplica.create(at: path, bureau: OrgUnit(id: "bureau", name: "bureau", kind: .centralOffice))
        let tokens = try (0..<devices).map { d in
            let unit = String(format: "unit-%03d", d)
            try center.replica.addUnit(OrgUnit(id: unit, name: unit, kind: .squad, parent: "bureau"))
            try center.replica.addMember(Member(id: "m-\(unit)", name: unit, unit: unit, role: .drafter))
            return try center.enroll(unit: unit, device: "device-\(d)")
        }
        let port = Int.random(in: 20_000...60_000)
        let server = Process()
        server.executableURL = URL(fileURLWithPath: taskset)
        server.arguments = ["-c", "0", syncd.path, "serve", "--db", path, "--listen", "127.0.0.1:\(port)"]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer {
            server.terminate()
            server.waitUntilExit()
        }
        try pin(cpus: "1")
        defer { try? pin(cpus: "0-\(ProcessInfo.processInfo.activeProcessorCount - 1)") }
        let http = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: HTTPClient.Configuration(
                connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: devices + 8),
                decompression: .enabled(limit: .ratio(100))))
        let result: Result
        do { result = try await syncRounds(devices: devices, rounds: rounds, tokens: tokens, port: port, http: http, server: server.processIdentifier) } catch {
            try? await http.shutdown()
            throw error
        }
        try await http.shutdown()
        return result
    }

    /// Waits for the server, then every device's rounds against it.
    private static func syncRounds(devices: Int, rounds: Int, tokens: [String], port: Int, http: HTTPClient, server: Int32) async throws -> Result {
        let clients = tokens.map { SyncClient(baseURL: "http://127.0.0.1:\(port)", token: $0, http: http) }
        var up = false
        for _ in 0..<200 where !up {  // the benchmark, not a test: wait for the process to listen
            up = (try? await clients[0].probe()) != nil
            if !up { try await Task.sleep(for: .milliseconds(50)) }
        }
        guard up else { throw ReportSyncError(.unavailable, "syncd serve did not start on port \(port)") }
        var cursors: [Int64] = []
        for client in clients { cursors.append(try await client.pull(after: 0).next) }
        let started = ContinuousClock.now
        let serverBefore = try cpuSeconds(of: server)
        let devicesBefore = try cpuSeconds(of: ProcessInfo.processInfo.processIdentifier)
        let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
            for (d, client) in clients.enumerated() {
                let cursor = cursors[d]
                group.addTask { try await LoadBenchmark.device(d, client: client, cursor: cursor, rounds: rounds) }
            }
            var all: [Double] = []
            for try await device in group { all += device }
            return all.sorted()
        }
        let seconds = (ContinuousClock.now - started).seconds
        let serverBusy = (try cpuSeconds(of: server) - serverBefore) / seconds
        let devicesBusy = (try cpuSeconds(of: ProcessInfo.processInfo.processIdentifier) - devicesBefore) / seconds
        return Result(
            devices: devices, roundsPerDevice: rounds, roundsPerSecond: Double(latencies.count) / seconds,
            p50Milliseconds: latencies[latencies.count / 2], p99Milliseconds: latencies[latencies.count * 99 / 100],
            serverCPUBusy: serverBusy, devicesCPUBusy: devicesBusy)
    }

    /// The CPU time a process has used, user and system, from /proc (clock ticks of 1/100 s).
    static func cpuSeconds(of pid: Int32) throws -> Double {
        let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        // The fields after the command's closing parenthesis; utime and stime are the 12th and 13th of them.
        guard let close = stat.lastIndex(of: ")") else { return 0 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Pins every thread of this process (and so the threads they start) to `cpus` (taskset's list form).
    static func pin(cpus: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/taskset")
        process.arguments = ["-a", "-p", "-c", cpus, "\(ProcessInfo.processInfo.processIdentifier)"]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ReportSyncError(.unavailable, "taskset could not pin this process to CPUs \(cpus)") }
    }
}
