import Foundation
import Logging
import ServiceLifecycle
import Store
import SyncCore

/// `syncd run`: syncs a field replica in the background — on a schedule, soon after a local change,
/// and with exponential backoff and jitter while the central cannot be reached — and moves attachments'
/// files in a loop of its own beside the rounds, so a video going up over a poor link never delays a
/// report's changes. Stops between rounds on SIGTERM/SIGINT; a round or a transfer cut off by a crash
/// is simply run again after a restart (a file resumes where it stopped).
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
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await rounds() }
            group.addTask { await files() }
            try await group.waitForAll()
        }
    }

    /// Sync rounds of changes alone.
    func rounds() async throws {
        var failures = 0
        var lastSeen = try field.syncState().outgoing
        var untilNextRound = Duration.zero
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            if untilNextRound <= .zero {
                do {
                    let summary = try await SyncRound.run(field, client: client, files: false)
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

    /// Attachments' files, whenever there are some to move: at once after a transfer that moved
    /// something or when the files waiting change (a photo attached, a report pulled), else after the
    /// interval (or the backoff while the central cannot be reached).
    func files() async {
        var failures = 0
        var wait = Duration.zero
        var lastPending = -1
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            if wait <= .zero {
                wait = interval
                do {
                    let moved = try await FileTransfer.run(field, client: client)
                    for notice in moved.notices { logger.warning("files", metadata: ["what": "\(notice)"]) }
                    if moved.sent + moved.fetched > 0 {
                        logger.info("files moved", metadata: ["sent": "\(moved.sent)", "fetched": "\(moved.fetched)"])
                    }
                    failures = moved.notices.isEmpty ? 0 : failures + 1
                    if failures > 0 { wait = Self.backoff(failures: failures) } else if moved.sent + moved.fetched > 0 { wait = .zero }
                } catch let error as ReportSyncError {
                    failures += 1
                    wait = Self.backoff(failures: failures)
                    logger.warning("files failed; retrying", metadata: ["error": "\(error.message)", "in": "\(wait)"])
                } catch {
                    failures += 1
                    wait = Self.backoff(failures: failures)
                }
            }
            try? await Task.sleep(for: .seconds(1))
            wait -= .seconds(1)
            let pending = ((try? field.filesToSend().count) ?? 0) + ((try? field.filesToFetch().count) ?? 0)
            if pending != lastPending, failures == 0 { wait = .zero }
            lastPending = pending
        }
    }

    /// Exponential backoff with full jitter: 1 s, 2 s, 4 s … capped at 5 minutes.
    static func backoff(failures: Int) -> Duration {
        let ceiling = min(300.0, pow(2.0, Double(min(failures, 12) - 1)))
        return .milliseconds(Int64(Double.random(in: 0.5...1.0) * ceiling * 1000))
    }
}
