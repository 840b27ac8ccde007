import Foundation
import NIOCore
import NIOPosix
import SyncCore
import AsyncHTTPClient
@testable import SyncService
import Testing

/// What a person reads when the central cannot be reached: the cause in plain words and what to do,
/// never the HTTP client's own error text.
@Suite("An unreachable central")
struct UnreachableCentralTests {
    /// Words of the HTTP client's and NIO's own error texts that must not reach a person.
    static let rawErrorWords = ["HTTPClientError", "NIOConnectionError", "IOError", "ChannelError", "SingleConnectionFailure", "errno"]

    @Test("a port where nothing listens is named as refused, in plain words")
    func refused() async throws {
        let port = try await Self.closedPort()
        let client = SyncClient(baseURL: "http://127.0.0.1:\(port)", token: "t")
        let error = await #expect(throws: ReportSyncError.self) { try await client.pull(after: 0, timeout: .seconds(2)) }
        let message = error?.message ?? ""
        #expect(error?.code == .unavailable)
        #expect(message.contains("127.0.0.1:\(port)"))
        #expect(message.contains("go with the next sync"))
        for word in Self.rawErrorWords { #expect(!message.contains(word), "\(message)") }
    }

    @Test("a host name that does not resolve is named as such")
    func unknownHost() async throws {
        let client = SyncClient(baseURL: "http://central.invalid:8080", token: "t")
        let error = await #expect(throws: ReportSyncError.self) { try await client.pull(after: 0, timeout: .seconds(2)) }
        let message = error?.message ?? ""
        #expect(message.contains("host name cannot be found"), "\(message)")
        for word in Self.rawErrorWords { #expect(!message.contains(word), "\(message)") }
    }

    @Test("each failure of the HTTP client is read as its cause")
    func causes() {
        #expect(ConnectionFailure(HTTPClientError.connectTimeout) == .timedOut)
        #expect(ConnectionFailure(HTTPClientError.deadlineExceeded) == .timedOut)
        #expect(ConnectionFailure(HTTPClientError.remoteConnectionClosed) == .closedEarly)
        #expect(ConnectionFailure(HTTPClientError.invalidURL) == .badAddress)
        #expect(ConnectionFailure(IOError(errnoCode: ECONNREFUSED, reason: "connect")) == .refused)
        #expect(ConnectionFailure(IOError(errnoCode: EHOSTUNREACH, reason: "connect")) == .noRoute)
        #expect(ConnectionFailure(CocoaError(.fileNoSuchFile)) == .other)
    }

    /// A loopback port that was free a moment ago: bound, then closed.
    static func closedPort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 1
        try await channel.close()
        return port
    }
}
