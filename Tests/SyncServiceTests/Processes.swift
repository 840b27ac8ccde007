import Foundation
import TestSupport
import Testing

/// A `syncd serve` process on a loopback port, started and waited for by its own log line.
final class ServerProcess: @unchecked Sendable {
    let process = Process()
    let port: Int
    private let lock = NSLock()
    private var output = ""
    private var waiter: CheckedContinuation<Bool, Never>?

    var url: String { "http://127.0.0.1:\(port)" }

    /// Starts a server on a free port, trying a few random ones; throws if none comes up.
    /// `arguments` are added to `syncd serve`'s own.
    static func start(db: String, in directory: URL, arguments: [String] = []) async throws -> ServerProcess {
        for _ in 0..<5 {
            let server = ServerProcess(port: Int.random(in: 20_000...60_000))
            if try await server.launch(db: db, in: directory, arguments: arguments) { return server }
        }
        throw CocoaError(.fileReadUnknown)
    }

    private init(port: Int) { self.port = port }

    /// Launches and waits until the server logs that it listens, or exits.
    private func launch(db: String, in directory: URL, arguments: [String]) async throws -> Bool {
        process.executableURL = Binaries.directory.appendingPathComponent("syncd")
        process.arguments = ["serve", "--db", db, "--listen", "127.0.0.1:\(port)"] + arguments
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["REPORTSYNC_STATE_DIR"] = directory.appendingPathComponent(Binaries.stateFolder).path
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            self?.received(String(decoding: data, as: UTF8.self), ended: data.isEmpty)
        }
        return await withCheckedContinuation { continuation in
            lock.withLock { waiter = continuation }
            do { try process.run() } catch { received("", ended: true) }
        }
    }

    private func received(_ text: String, ended: Bool) {
        let continuation: CheckedContinuation<Bool, Never>? = lock.withLock {
            output += text
            let ready = output.contains("Server started")
            guard ready || ended, let waiting = waiter else { return nil }
            waiter = nil
            return waiting
        }
        continuation?.resume(returning: !ended || output.contains("Server started"))
    }

    /// What the server printed so far.
    var log: String { lock.withLock { output } }

    /// Kills the server at once, as a crash would.
    func kill() {
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Asks the server to shut down gracefully (SIGTERM) and waits for it; returns its exit status.
    @discardableResult
    func stop() -> Int32 {
        process.terminate()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
