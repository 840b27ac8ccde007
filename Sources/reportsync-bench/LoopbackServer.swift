import Foundation
import Hummingbird
import Logging
import NIOCore
import Store
import SyncService

/// Runs a central server for `store` on a free loopback port for the length of `body`.
func withLoopbackServer<T: Sendable>(
    _ store: any CentralStore, token: String, _ body: @Sendable (SyncClient, Int) async throws -> T
) async throws -> T {
    var logger = Logger(label: "bench")
    logger.logLevel = .critical
    let (ports, listening) = AsyncStream.makeStream(of: Int.self)
    let app = Application(
        router: CentralServer.buildRouter(store: store),
        configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "syncd"),
        onServerRunning: { channel in listening.yield(channel.localAddress?.port ?? 0) },
        logger: logger)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await app.runService(gracefulShutdownSignals: []) }
        defer { group.cancelAll() }
        var iterator = ports.makeAsyncIterator()
        let port = await iterator.next() ?? 0
        return try await body(SyncClient(baseURL: "http://127.0.0.1:\(port)", token: token), port)
    }
}
