import Foundation
import Hummingbird
import Prometheus
import Store

/// The central server's Prometheus metrics: requests, changes by outcome, open conflicts, each device's
/// lag since its last sync and the changes it has yet to pull, and how long pushes take. Served at `/metrics`.
public final class SyncMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()
    let pushDuration: DurationHistogram

    public init() {
        pushDuration = registry.makeDurationHistogram(
            name: "reportsync_push_duration_seconds",
            buckets: [.milliseconds(5), .milliseconds(20), .milliseconds(100), .milliseconds(500), .seconds(2), .seconds(10)],
            help: "Time to authorise and merge one push")
    }

    /// Counts one request by route and status.
    func countRequest(path: String, status: Int) {
        registry.makeCounter(
            name: "reportsync_requests_total", labels: [("path", path), ("status", String(status))], help: "HTTP requests"
        ).increment()
    }

    /// Counts pushed changes by what became of them.
    func countChanges(_ results: [PushResult]) {
        for status in [PushResult.Status.accepted, .duplicate, .waiting, .held, .rejected, .dotTaken] {
            let count = results.filter { $0.status == status }.count
            guard count > 0 else { continue }
            registry.makeCounter(
                name: "reportsync_changes_total", labels: [("status", status.rawValue)], help: "Pushed changes by outcome"
            ).increment(by: Int64(count))
        }
    }

    /// The text to serve, with the gauges set from the central store's figures read at scrape time.
    func render(_ figures: CentralFigures) -> [UInt8] {
        registry.makeGauge(name: "reportsync_open_conflicts", help: "Conflicts no later write has settled")
            .set(Double(figures.openConflicts))
        let now = Date()
        for enrollment in figures.activeDevices {
            let lag = enrollment.lastSeenAt.map { now.timeIntervalSince($0) } ?? -1
            registry.makeGauge(
                name: "reportsync_replica_lag_seconds", labels: [("device", enrollment.device), ("unit", enrollment.unit)],
                help: "Seconds since the device last synced (-1: never)"
            ).set(lag)
            registry.makeGauge(
                name: "reportsync_replica_outgoing_changes", labels: [("device", enrollment.device), ("unit", enrollment.unit)],
                help: "Changes of the device's feed after its last pull (-1: never pulled)"
            ).set(Double(figures.outgoing[enrollment.device] ?? -1))
        }
        return registry.emitToBuffer()
    }
}

/// Counts every request for `/metrics`, and logs it with its request id.
struct MetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: SyncMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            let response = try await next(request, context)
            metrics.countRequest(path: context.endpointPath ?? "unknown", status: response.status.code)
            return response
        } catch let error as HTTPResponseError {
            metrics.countRequest(path: context.endpointPath ?? "unknown", status: error.status.code)
            // Hummingbird's own errors (no route, wrong method) answer in this API's JSON form too.
            if !(error is APIError) {
                let hint = error.status == .notFound ? "; this server speaks protocol v\(SyncProtocol.version): /v1/..." : ""
                throw APIError(error.status, code: error.status == .notFound ? "not-found" : "bad-request", "\(error.status.reasonPhrase)\(hint)")
            }
            throw error
        }
    }
}
