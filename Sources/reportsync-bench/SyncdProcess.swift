import Foundation
import SyncCore
import SyncService

/// A real `syncd serve` (the one built beside this program) on a random loopback port, for the parts
/// that measure the server as its own process.
struct SyncdProcess {
    let process: Process
    let port: Int

    /// The `syncd` beside this program, if it was built (`swift build -c release`).
    static var binary: URL? {
        let syncd = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("syncd")
        return FileManager.default.isExecutableFile(atPath: syncd.path) ? syncd : nil
    }

    /// Starts `syncd serve --db path`, under `taskset -c cpus` when `cpus` is given, with `environment`
    /// added to this process's, and waits until `client` (made for its URL) gets an answer.
    static func start(
        _ syncd: URL, db path: String, cpus: String? = nil, environment: [String: String] = [:], client: (String) -> SyncClient
    ) async throws -> SyncdProcess {
        let port = Int.random(in: 20_000...60_000)
        let server = Process()
        let serve = ["serve", "--db", path, "--listen", "127.0.0.1:\(port)"]
        if let cpus {
            server.executableURL = URL(fileURLWithPath: "/usr/bin/taskset")
            server.arguments = ["-c", cpus, syncd.path] + serve
        } else {
            server.executableURL = syncd
            server.arguments = serve
        }
        server.environment = ProcessInfo.processInfo.environment.merging(environment) { _, added in added }
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        let running = SyncdProcess(process: server, port: port)
        let probe = client("http://127.0.0.1:\(port)")
        var up = false
        for _ in 0..<200 where !up {  // the benchmark, not a test: wait for the process to listen
            up = (try? await probe.probe()) != nil
            if !up { try await Task.sleep(for: .milliseconds(50)) }
        }
        guard up else {
            running.stop()
            throw ReportSyncError(.unavailable, "syncd serve did not start on port \(port)")
        }
        return running
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
    }
}
