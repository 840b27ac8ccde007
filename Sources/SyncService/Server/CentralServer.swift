import Desk
import Foundation
import Hummingbird
import Logging
import Store
import SyncCore

/// The central office's HTTP server: field devices push their changes and pull their unit's feed.
public enum CentralServer {
    /// The application `syncd serve` runs and the tests drive.
    /// With `desk`, the central office's web desk is served under `/desk/` too.
    public static func buildApplication(
        store: any CentralStore, host: String, port: Int, scrapeToken: ScrapeToken? = nil, desk: DeskSite? = nil, logger: Logger
    ) -> some ApplicationProtocol {
        let router = buildRouter(store: store, metrics: SyncMetrics(), scrapeToken: scrapeToken)
        desk?.mount(on: router)
        return Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "syncd"),
            logger: logger)
    }

    /// Every route of the sync API (docs/sync-protocol.md). `/metrics` is served only to a scraper that
    /// sends `scrapeToken` (never to a device token: the figures name every unit and device).
    public static func buildRouter(
        store: any CentralStore, metrics: SyncMetrics = SyncMetrics(), scrapeToken: ScrapeToken? = nil
    ) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.middlewares.add(LogRequestsMiddleware(.info))
        router.middlewares.add(MetricsMiddleware(metrics: metrics))
        router.get("/healthz") { _, context in
            do { try await store.checkHealth() } catch let error as ReportSyncError {
                context.logger.error("not healthy: \(error.message)")
                throw APIError(error)
            }
            return try json(["status": "ok"])
        }

        router.get("/metrics") { request, _ in
            guard let scrapeToken else {
                throw APIError(
                    .notFound, code: "not-found",
                    "metrics are not served: start syncd serve with --metrics-token-file FILE and scrape with that token (docs/sync-protocol.md, Observability)")
            }
            guard let sent = bearer(request), scrapeToken.matches(sent) else {
                throw APIError(.unauthorized, code: "unauthorized", "send the scrape token given to syncd serve --metrics-token-file as 'Authorization: Bearer TOKEN'")
            }
            let text = metrics.render(try await storeCall { try await store.figures() })
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: text)))
        }

        router.get("/v1/openapi.yaml") { _, _ in
            guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"),
                let document = try? Data(contentsOf: url)
            else { throw APIError(.notFound, code: "not-found", "the OpenAPI document is not installed beside syncd") }
            return Response(
                status: .ok, headers: [.contentType: "application/yaml"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: document)))
        }

        router.get("/v1/whoami") { request, _ in
            let enrollment = try await authenticate(request, store)
            let bureau = try await storeCall { try await store.bureau() }
            return try json(
                WhoAmI(protocolVersion: SyncProtocol.version, unit: enrollment.unit, device: enrollment.device, bureau: bureau))
        }

        router.get("/v1/standing") { request, _ in
            let token = try bearerToken(request)
            let asked = (request.uri.queryParameters.get("replicas") ?? "").split(separator: ",").map(String.init)
            guard asked.count <= CentralStanding.maxAsked, asked.allSatisfy({ $0.count <= 64 }) else {
                throw APIError(.badRequest, code: "invalid-input", "replicas lists at most \(CentralStanding.maxAsked) replica ids, comma-separated")
            }
            return try json(try await storeCall { try await store.standing(token: token, asking: asked) })
        }

        router.put("/v1/bundle-key") { request, _ in
            _ = try await authenticate(request, store)
            let key: BundlePublicKey = try await decodeBody(request)
            let token = bearer(request) ?? ""
            return try json(try await storeCall { try await store.bindBundleKey(key, token: token) })
        }

        router.post("/v1/push") { request, _ in
            let enrollment = try await authenticate(request, store)
            let push: PushRequest = try await decodeBody(request)
            guard push.changes.count <= SyncProtocol.maxBatch else {
                throw APIError(
                    .contentTooLarge, code: "batch-too-large",
                    "a push may carry at most \(SyncProtocol.maxBatch) changes; this one has \(push.changes.count). Send them in smaller batches")
            }
            let started = ContinuousClock.now
            let results = try await storeCall { try await store.receivePush(push.changes, from: enrollment) }
            metrics.pushDuration.record(ContinuousClock.now - started)
            metrics.countChanges(results)
            return try json(PushResponse(results: results))
        }

        router.get("/v1/changes") { request, _ in
            let token = try bearerToken(request)
            let after = try query(request, "after", default: 0)
            let limit = try query(request, "limit", default: Int64(SyncProtocol.maxPage))
            guard after >= 0, (1...Int64(SyncProtocol.maxPage)).contains(limit) else {
                throw APIError(
                    .badRequest, code: "invalid-input", "after must be 0 or more and limit between 1 and \(SyncProtocol.maxPage)")
            }
            // The token is checked in the same trip to the store as the page is read.
            let page = try await storeCall { try await store.feed(after: after, limit: Int(limit), token: token) }
            return try json(canonical: FeedPage(page), gzipFor: request)
        }
        addFileRoutes(to: router, store: store)
        return router
    }

    /// The enrolment behind the request's bearer token.
    static func authenticate(_ request: Request, _ store: any CentralStore) async throws -> Enrollment {
        let token = try bearerToken(request)
        return try await storeCall { try await store.authenticate(token: token) }
    }

    /// The request's bearer token, which the store checks; 401 when there is none.
    static func bearerToken(_ request: Request) throws -> String {
        guard let token = bearer(request) else {
            throw APIError(.unauthorized, code: "unauthorized", "send the device's token as 'Authorization: Bearer TOKEN'")
        }
        return token
    }

    /// The token of an `Authorization: Bearer TOKEN` header, if the request has one.
    static func bearer(_ request: Request) -> String? {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else { return nil }
        return String(header.dropFirst("Bearer ".count))
    }

    static func decodeBody<T: Decodable>(_ request: Request) async throws -> T {
        var buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: SyncProtocol.maxBodyBytes) } catch {
            throw APIError(
                .contentTooLarge, code: "body-too-large",
                "the request body is over \(SyncProtocol.maxBodyBytes / 1024 / 1024) MiB; push fewer changes at a time")
        }
        if request.headers[.contentEncoding]?.lowercased() == "gzip" {
            do { buffer = try Gzip.decompress(buffer, limit: SyncProtocol.maxBodyBytes) } catch let error as ReportSyncError {
                throw APIError(.badRequest, code: "malformed-request", error.message)
            }
        }
        do { return try JSONCoding.read(T.self, from: Array(buffer.readableBytesView)) } catch let error as DecodingError {
            throw APIError(.badRequest, code: "malformed-request", "the body is not a valid \(T.self): \(error.readableDescription)")
        } catch {
            throw APIError(.badRequest, code: "malformed-request", "the body is not valid JSON")
        }
    }

    static func query(_ request: Request, _ name: String, default value: Int64) throws -> Int64 {
        guard let text = request.uri.queryParameters.get(name) else { return value }
        guard let number = Int64(text) else {
            throw APIError(.badRequest, code: "invalid-input", "query parameter \(name) must be a whole number, not '\(text)'")
        }
        return number
    }

    /// Calls the central store; its errors become API errors, a refused token 401.
    static func storeCall<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let error as ReportSyncError { throw APIError(error) } catch let refused as TokenRefused {
            throw APIError(.unauthorized, code: "unauthorized", refused.reason.message)
        }
    }

    /// A JSON answer, gzip-compressed when `request` accepts it and the body is large enough to gain.
    static func json(_ value: some Encodable, gzipFor request: Request? = nil) throws -> Response {
        if let canonical = value as? any CanonicalEncodable { return try json(canonical: canonical, gzipFor: request) }
        return try answer(ByteBuffer(bytes: try JSONCoding.encoder().encode(value)), gzipFor: request)
    }

    /// A JSON answer written by the canonical writer.
    static func json(canonical value: any CanonicalEncodable, gzipFor request: Request? = nil) throws -> Response {
        var json = CanonicalJSON()
        value.write(to: &json)
        return try answer(ByteBuffer(bytes: json.bytes), gzipFor: request)
    }

    private static func answer(_ body: ByteBuffer, gzipFor request: Request?) throws -> Response {
        var body = body
        var headers: HTTPFields = [.contentType: "application/json"]
        if let accepted = request?.headers[.acceptEncoding], accepted.contains("gzip"), body.readableBytes > Gzip.threshold {
            body = try Gzip.compress(body)
            headers[.contentEncoding] = "gzip"
        }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: body))
    }
}
