import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Store
import SyncCore

/// The field side of the sync API: one call per endpoint, errors turned into messages a person can act on.
public struct SyncClient: Sendable {
    public let baseURL: String
    let token: String
    let http: HTTPClient
    let timeout: TimeAmount

    /// One client for the process, which inflates gzip answers (up to 64 MiB, at most 100×).
    public static let http = HTTPClient(
        eventLoopGroupProvider: .singleton,
        configuration: HTTPClient.Configuration(decompression: .enabled(limit: .ratio(100))))

    public init(baseURL: String, token: String, http: HTTPClient = SyncClient.http, timeout: TimeAmount = .seconds(60)) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.token = token
        self.http = http
        self.timeout = timeout
    }

    /// Checks within a few seconds that the central answers at all. (The HTTP client retries a refused
    /// connection until a request's deadline, so a long push must not be the first thing that finds
    /// the central down.)
    public func probe() async throws {
        let _: [String: String] = try await send(.GET, "/healthz", body: Optional<PushRequest>.none, timeout: .seconds(5))
    }

    /// What the central holds for this device (its incarnation, its counters per replica id); the first
    /// request of every round, with a short timeout, so that a central that is down is found fast.
    public func standing(asking replicas: [String]) async throws -> CentralStanding {
        let asked = replicas.suffix(CentralStanding.maxAsked).joined(separator: ",")
        do {
            return try await send(.GET, "/v1/standing?replicas=\(asked)", body: Optional<PushRequest>.none, timeout: .seconds(5))
        } catch let error as ReportSyncError where error.code == .notFound {
            throw ReportSyncError(
                .unavailable, "the central at \(baseURL) runs an older ReportSync (no /v1/standing); upgrade syncd on the central, then sync again")
        }
    }

    /// Registers this device's public bundle keys with the central; returns the keys it holds for the device.
    public func registerBundleKey(_ key: BundlePublicKey) async throws -> BundlePublicKey {
        try await send(.PUT, "/v1/bundle-key", body: key)
    }

    /// Which unit and device the token belongs to.
    public func whoami() async throws -> WhoAmI {
        try await send(.GET, "/v1/whoami", body: Optional<PushRequest>.none)
    }

    /// Sends local changes; one answer per change.
    public func push(_ changes: [Change]) async throws -> PushResponse {
        try await send(.POST, "/v1/push", body: PushRequest(changes: changes))
    }

    /// The next page of the unit's feed after central sequence `after`.
    /// - Parameter timeout: a short one for the first request of a round, so that a central that is down is found fast.
    public func pull(after: Int64, limit: Int = SyncProtocol.maxPage, timeout: TimeAmount? = nil) async throws -> PullResponse {
        try await send(.GET, "/v1/changes?after=\(after)&limit=\(limit)", body: Optional<PushRequest>.none, timeout: timeout)
    }

    private func send<Answer: Decodable>(
        _ method: HTTPMethod, _ path: String, body: (some Encodable)?, timeout: TimeAmount? = nil
    ) async throws -> Answer {
        var request = request(method, path)
        request.headers.add(name: "Accept-Encoding", value: "gzip")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            var bytes: ByteBuffer
            if let canonical = body as? any CanonicalEncodable {
                var json = CanonicalJSON()
                canonical.write(to: &json)
                bytes = ByteBuffer(bytes: json.bytes)
            } else {
                bytes = ByteBuffer(bytes: try JSONCoding.encoder().encode(body))
            }
            if bytes.readableBytes > Gzip.threshold {
                bytes = try Gzip.compress(bytes)
                request.headers.add(name: "Content-Encoding", value: "gzip")
            }
            request.body = .bytes(bytes)
        }
        let response: HTTPClientResponse
        let bytes: ByteBuffer
        do {
            response = try await http.execute(request, timeout: timeout ?? self.timeout)
            bytes = try await response.body.collect(upTo: 64 * 1024 * 1024)
        } catch {
            throw unreachable(error)
        }
        try Self.check(response, body: bytes)
        do { return try JSONCoding.read(Answer.self, from: Array(bytes.readableBytesView)) } catch {
            let detail = (error as? DecodingError)?.readableDescription ?? "\(error)"
            throw ReportSyncError(
                .unavailable, "the central at \(baseURL) answered something this ReportSync cannot read (\(detail)); check both versions")
        }
    }

    /// A request to the central with this device's token.
    func request(_ method: HTTPMethod, _ path: String) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        return request
    }

    /// The error for a central that could not be reached or that broke off its answer.
    func unreachable(_ error: any Error) -> ReportSyncError {
        ReportSyncError(
            .unavailable,
            "cannot reach the central at \(baseURL): \(ConnectionFailure(error).explanation); your changes stay here and go with the next sync")
    }

    /// Throws the central's refusal, in its own words, for an answer that is not a success.
    static func check(_ response: HTTPClientResponse, body bytes: ByteBuffer) throws {
        guard !(200..<300).contains(response.status.code) else { return }
        let detail = try? JSONDecoder().decode(ErrorBody.self, from: Data(buffer: bytes))
        let message = detail?.error.message ?? "HTTP \(response.status.code)"
        let code: ReportSyncError.Code =
            if detail?.error.code == ReportSyncError.Code.alreadyExists.rawValue { .alreadyExists } else {
            switch response.status.code {
            case 401, 403: .forbidden
            case 404: .notFound
            case 500...: .unavailable
            default: .invalidInput
            }
            }
        throw ReportSyncError(code, "the central refused the request: \(message)")
    }
}
