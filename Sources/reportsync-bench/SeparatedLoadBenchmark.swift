import AsyncHTTPClient
import Foundation
import Store
import SyncCore
import SyncService

/// The load of `LoadBenchmark` with the central and the devices apart: a real `syncd serve` process
/// pinned to CPU 0 and this process (the simulated devices) pinned to CPU 1, so that the devices' own
/// work (their HTTP clients, reading their pulls) does not take the server's CPU; each side's CPU use
/// is read from /proc. Issue 20 asks for both figures where sharing the CPUs distorts.
enum SeparatedLoadBenchmark {
    struct Result: Codable {
        let rounds: LoadBenchmark.Rounds
        /// How busy each CPU was during the rounds: the server's process on CPU 0, the devices on CPU 1
        /// (CPU seconds over wall seconds; 1 is a CPU used to the full).
        let serverCPUBusy: Double
        let devicesCPUBusy: Double
    }

    static let taskset = "/usr/bin/taskset"

    /// Runs the rounds, or says why it cannot (fewer than two CPUs, no `taskset`, no `syncd` beside this program).
    static func run(devices: Int, rounds: Int, in directory: URL) async throws -> Result? {
        guard let syncd = SyncdProcess.binary, FileManager.default.isExecutableFile(atPath: taskset), ProcessInfo.processInfo.activeProcessorCount >= 2 else {
            print("load on separate CPUs: needs two CPUs, \(taskset) and syncd beside this program (swift build -c release)")
            return nil
        }
        let path = directory.appendingPathComponent("central-separated.sqlite").path
        let center = try CentralReplica.create(at: path, bureau: OrgUnit(id: "bureau", name: "bureau", kind: .centralOffice))
        let tokens = try LoadBenchmark.enrollDevices(devices, at: center)
        let http = LoadBenchmark.httpClient(devices: devices)
        let result: Result
        do {
            let server = try await SyncdProcess.start(syncd, db: path, cpus: "0") { SyncClient(baseURL: $0, token: tokens[0], http: http) }
            defer { server.stop() }
            try pin(cpus: "1")
            defer { try? pin(cpus: "0-\(ProcessInfo.processInfo.activeProcessorCount - 1)") }
            let clients = try await LoadBenchmark.firstPulls(tokens.map { SyncClient(baseURL: "http://127.0.0.1:\(server.port)", token: $0, http: http) })
            let started = ContinuousClock.now
            let serverBefore = try cpuSeconds(of: server.process.processIdentifier)
            let devicesBefore = try cpuSeconds(of: ProcessInfo.processInfo.processIdentifier)
            let latencies = try await LoadBenchmark.allRounds(clients, rounds: rounds)
            let seconds = (ContinuousClock.now - started).seconds
            result = Result(
                rounds: LoadBenchmark.Rounds(devices: devices, roundsPerDevice: rounds, latencies: latencies, seconds: seconds),
                serverCPUBusy: (try cpuSeconds(of: server.process.processIdentifier) - serverBefore) / seconds,
                devicesCPUBusy: (try cpuSeconds(of: ProcessInfo.processInfo.processIdentifier) - devicesBefore) / seconds)
        } catch {
            try? await http.shutdown()
            throw error
        }
        try await http.shutdown()
        return result
    }

    /// Pins every thread of this process (and so the threads they start) to `cpus` (taskset's list form).
    static func pin(cpus: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: taskset)
        process.arguments = ["-a", "-p", "-c", cpus, "\(ProcessInfo.processInfo.processIdentifier)"]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ReportSyncError(.unavailable, "taskset could not pin this process to CPUs \(cpus)") }
    }

    /// The CPU time a process has used, user and system, from /proc.
    static func cpuSeconds(of pid: Int32) throws -> Double {
        let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        // The fields after the command's closing parenthesis; utime and stime are the 12th and 13th of them.
        guard let close = stat.lastIndex(of: ")") else { return 0 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
