import Foundation
import Store
import SyncCore

/// What one sync round moved.
public struct SyncSummary: Codable, Sendable, Equatable {
    public var pushed = 0
    public var accepted = 0
    public var rejected = 0
    public var waitingAtCentral = 0
    public var pulled = 0
    public var applied = 0

    public init() {}
}

/// One sync round of a field replica: push local changes in batches, then pull the unit's feed in pages.
/// A cursor moves only after what it covers is durably recorded, so a round cut off anywhere can simply
/// be run again: every request is idempotent.
public enum SyncRound {
    public static func run(
        _ replica: Replica, client: SyncClient, batch: Int = SyncProtocol.maxBatch, progress: (String) -> Void = { _ in }
    ) async throws -> SyncSummary {
        var summary = SyncSummary()
        do {
            // An idle round is a single pull; a round with changes to send first checks the central is up.
            var firstRequest = true
            while true {
                let outgoing = try replica.outgoing(limit: batch)
                guard let last = outgoing.last else { break }
                if firstRequest { try await client.probe() }
                firstRequest = false
                let answer = try await client.push(outgoing.map(\.change))
                var refused: [(change: Change, reason: String)] = []
                for (stored, result) in zip(outgoing, answer.results) {
                    switch result.status {
                    case .accepted, .duplicate: summary.accepted += 1
                    case .waiting: summary.waitingAtCentral += 1
                    case .rejected: refused.append((stored.change, result.reason ?? "refused"))
                    }
                }
                try replica.acknowledgePush(upTo: last.seq, refused: refused)
                summary.pushed += outgoing.count
                summary.rejected += refused.count
                progress("pushed \(summary.pushed)")
            }
            var more = true
            while more {
                let page = try await client.pull(after: try replica.pullCursor(), timeout: firstRequest ? .seconds(5) : nil)
                firstRequest = false
                let outcomes = try replica.applyPulled(page.changes.map(\.change), next: page.next)
                summary.pulled += page.changes.count
                summary.applied += outcomes.filter { $0 == .applied }.count
                more = page.more
                if more { progress("pulled \(summary.pulled)") }
            }
            try replica.recordSync(error: nil)
            return summary
        } catch let error as ReportSyncError {
            try? replica.recordSync(error: error.message)
            throw error
        }
    }
}
