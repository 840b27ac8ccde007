import Foundation
import Store
import SyncCore

/// What one sync round moved.
public struct SyncSummary: Codable, Sendable, Equatable {
    public var pushed = 0
    public var accepted = 0
    public var rejected = 0
    public var waitingAtCentral = 0
    /// Changes sent that the central did not answer for: they stay in the outbox and go again.
    public var unanswered = 0
    /// Changes the central did not take because their report would be secret there: kept in the outbox.
    public var heldByCentral = 0
    /// Answers the central gave for changes this round did not send: ignored.
    public var foreignAnswers = 0
    public var pulled = 0
    public var applied = 0
    /// What the round repaired before it began, one line each (`FieldReplica.reconcile`).
    public var recovery: [String] = []
    /// Changes of the central's own given back to it that it would not take back (kept here as they are).
    public var notTakenBack = 0
    /// Attachments' files sent and fetched after the changes.
    public var files = FileTransferSummary()

    public init() {}
}

/// One sync round of a field replica: push the outbox in batches, then pull the unit's feed in pages.
/// A change leaves the outbox only when the central answered for its very dot, and the pull cursor
/// moves only in the transaction that applied its page, so a round cut off anywhere can simply be run
/// again: every request is idempotent. `progress` hears the counts so far after each batch and page.
public enum SyncRound {
    /// - Parameter files: whether the round moves attachments' files after its changes (`report-cli
    ///   sync`); the daemon moves them in a loop of their own, so that a long upload never delays a change.
    public static func run(
        _ field: FieldReplica, client: SyncClient, batch: Int = SyncProtocol.maxBatch, files: Bool = true,
        progress: (SyncSummary) -> Void = { _ in }
    ) async throws -> SyncSummary {
        var summary = SyncSummary()
        do {
            // First what the central holds (with a short timeout: a central that is down is found fast),
            // and what either copy forgot is repaired before anything is pushed.
            let known = try field.knowledge()
            let standing = try await client.standing(asking: known.replicas)
            summary.recovery = try field.reconcile(with: standing, known: known).notices
            if let notice = try field.rememberCentralBundleKey(standing.bundleKey) { summary.recovery.append(notice) }
            // The device's bundle keys are bound to its enrolment at its first round (docs/bundles.md).
            let bundleKey = try field.bundleKey()
            if !bundleKey.registered, standing.bundleKey != nil {
                do {
                    let held = try await client.registerBundleKey(bundleKey.key)
                    if let notice = try field.recordBundleKeyRegistration(centralHolds: held) { summary.recovery.append(notice) }
                } catch let error as ReportSyncError {
                    // Bundles wait for it; the sync itself goes on.
                    summary.recovery.append("the central did not take this device's bundle keys: \(error.message)")
                }
            }
            while true {
                let outgoing = try field.nextPush(limit: batch)
                if outgoing.isEmpty { break }
                let answer = try await client.push(outgoing.map(\.change))
                let acknowledged = try field.acknowledge(sent: outgoing, answers: answer.results)
                summary.pushed += outgoing.count
                summary.accepted += acknowledged.accepted
                summary.waitingAtCentral += acknowledged.waiting
                summary.rejected += acknowledged.refused.count
                summary.unanswered += acknowledged.unanswered.count
                summary.heldByCentral += acknowledged.held.count
                summary.foreignAnswers += acknowledged.foreign.count
                summary.notTakenBack += acknowledged.notReturned.count
                summary.recovery += acknowledged.reissue.notices
                progress(summary)
                // Unanswered and held changes stay in the outbox; sending them again now would loop.
                if !acknowledged.unanswered.isEmpty || !acknowledged.held.isEmpty { break }
            }
            var more = true
            while more {
                let cursor = try field.pullCursor()
                let page = try await client.pull(after: cursor)
                let outcomes = try field.applyPulled(page.changes.map(\.change), after: cursor, next: page.next) { summary.recovery += $0.notices }
                summary.pulled += page.changes.count
                summary.applied += outcomes.filter { $0 == .applied }.count
                more = page.more
                progress(summary)
            }
            // Files follow the changes, so that no report waits for another's photos.
            if files {
                summary.files = try await FileTransfer.run(field, client: client)
                progress(summary)
            }
            if summary.notTakenBack > 0 {
                summary.recovery.append(
                    "the central would not take back \(summary.notTakenBack) change(s) of its own that it lost (see the central's log); they stay on this device as they are")
            }
            if summary.unanswered > 0 || summary.foreignAnswers > 0 {
                let message =
                    "the central did not answer for \(summary.unanswered) change(s) sent and answered for \(summary.foreignAnswers) not sent; the unanswered stay in the outbox and go again on the next sync"
                try field.recordSync(error: message)
            } else {
                try field.recordSync(error: nil)
            }
            return summary
        } catch let error as ReportSyncError {
            try? field.recordSync(error: error.message)
            throw error
        }
    }
}
