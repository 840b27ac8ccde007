import Foundation
import Logging
import Store
import SyncService

/// Runs a central server for `replica` on a random loopback port for the length of `body`.
func withLoopbackServer<T: Sendable>(
    _ replica: Replica, token: String, _ body: @Sendable (SyncClient, Int) async throws -> T
) async throws -> T {
    let port = Int.random(in: 20_000...60_000)
    var logger = Logger(label: "bench")
    logger.logLevel = .critical
    let app = CentralServer.buildApplication(replica: replica, host: "127.0.0.1", port: port, logger: logger)
    let client = SyncClient(baseURL: "http://127.0.0.1:\(port)", token: token)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await app.runService(gracefulShutdownSignals: []) }
        defer { group.cancelAll() }
        var ready = false
        for _ in 0..<100 where !ready {
            ready = (try? await client.probe()) != nil
            if !ready { try await Task.sleep(for: .milliseconds(50)) }
        }
        return try await body(client, port)
    }
}
