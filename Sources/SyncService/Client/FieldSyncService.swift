import Foundation
import Logging
import ServiceLifecycle
import Store
import SyncCore

/// `syncd run`: syncs a field replica in the background — on a schedule, soon after a local change,
/// and with exponential backoff and jitter while the central cannot be reached. Stops between rounds on
/// SIGTERM/SIGINT; a round cut off by a crash is simply run again after a restart.
public struct FieldSyncService: Service {
    let field: FieldReplica
    let client: SyncClient
    let interval: Duration
    let logger: Logger

    public init(field: FieldReplica, client: SyncClient, interval: Duration, logger: Logger) {
        self.field = field
        self.client = client
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        var failures = 0
        var lastSeen = try field.syncState().outgoing
        var untilNextRound = Duration.zero
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            if untilNextRound <= .zero {
                do {
                    let summary = try await SyncRound.run(field, client: client)
                    for line in summary.recovery { logger.warning("recovered", metadata: ["what": "\(line)"]) }
                    logger.info(
                        "synced", metadata: ["pushed": "\(summary.pushed)", "rejected": "\(summary.rejected)", "pulled": "\(summary.pulled)"])
                    failures = 0
                    untilNextRound = interval
                } catch let error as ReportSyncError {
                    failures += 1
                    untilNextRound = Self.backoff(failures: failures)
                    logger.warning("sync failed; retrying", metadata: ["error": "\(error.message)", "in": "\(untilNextRound)"])
                }
            }
            // Wake every second: a new local change brings the next round forward.
            try? await Task.sleep(for: .seconds(1))
            untilNextRound -= .seconds(1)
            let outgoing = try field.syncState().outgoing
            if outgoing > 0, outgoing != lastSeen, failures == 0 { untilNextRound = .zero }
            lastSeen = outgoing
        }
    }

    /// Exponential backoff with full jitter: 1 s, 2 s, 4 s … capped at 5 minutes.
    static func backoff(failures: Int) -> Duration {
        let ceiling = min(300.0, pow(2.0, Double(min(failures, 12) - 1)))
        return .milliseconds(Int64(Double.random(in: 0.5...1.0) * ceiling * 1000))
    }
}
