import Foundation

/// Which changes may cross the network (DOMAIN.md "Classification"): a secret report's never do.
///
/// A report that is secret stays in its device's outbox. When it is declassified, its held changes go
/// to the central in order, creation first, in one push with the change that declassified it: the
/// declassification decides that the report's history may now leave the device (docs/sync-protocol.md).
/// The central judges the merged result: a push that would leave a report secret there is refused
/// for that report (`CentralReplica.receivePush`).
public enum Secrecy {
    /// The classification a content write sets, decoded as a typed value (escapes and all), if it sets one.
    public static func classification(written change: Change) throws -> Classification? {
        guard case .content(let write) = change.payload, let json = write.fields["classification"] else { return nil }
        do { return try JSONCoding.value(Classification.self, from: json) } catch {
            throw ReportSyncError(
                .invalidInput, "change \(change.dot) writes classification \(json), which is none of public, internal or secret")
        }
    }

    /// Why the central did not take a change that would leave its report secret there.
    public static func refusal(of change: Change) -> ReportSyncError {
        ReportSyncError(
            .forbidden,
            "secret reports never cross the network: with change \(change.dot), report \(change.record) would be secret at the central (or would wait there, secret, for writes the central lacks), so nothing of it was taken; it stays in the device's outbox and goes once the report is declassified and what it waits for has reached the central (or by bundle)")
    }

    /// Whether `change` makes its report secret.
    public static func makesSecret(_ change: Change) -> Bool {
        (try? classification(written: change)) == .secret
    }

    /// The position of a change of `batch` that saw the change at `index` and makes its report
    /// non-secret again, if there is one (wherever it stands: a push may arrive reordered).
    public static func release(of index: Int, in batch: [Change]) -> Int? {
        let change = batch[index]
        return batch.indices.first { later in
            batch[later].record == change.record && batch[later].context.covers(change.dot)
                && (try? classification(written: batch[later])).map { $0 != .secret } == true
        }
    }

    /// The position in `batch` of each change that makes its report secret with no change of the same
    /// push releasing it: where a field ends a batch, so that a report goes with its declassification.
    public static func uncovered(in batch: [Change]) -> [Int] {
        batch.indices.filter { makesSecret(batch[$0]) && release(of: $0, in: batch) == nil }
    }
}
