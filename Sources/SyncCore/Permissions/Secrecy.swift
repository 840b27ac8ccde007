import Foundation

/// Which changes may cross the network (DOMAIN.md "Classification"): a secret report's never do, and
/// an internal report's (不宜公开) only where the policy allows it (`Policy.internalOverNetwork`). The
/// rest go by bundle, carried by hand (docs/bundles.md).
///
/// A report kept off the network stays in its device's outbox. When it is declassified, its held
/// changes go to the central in order, creation first, in one push with the change that declassified
/// it: the declassification decides that the report's history may now leave the device
/// (docs/sync-protocol.md). The central judges the merged result: a push that would leave a report off
/// the network there is refused for that report (`CentralReplica.receivePush`).
public enum Secrecy {
    /// The classifications whose reports never cross the network under `policy`.
    public static func offNetwork(under policy: Policy) -> Set<Classification> {
        policy.internalOverNetwork ? [.secret] : [.secret, .internal]
    }

    /// The classification a content write sets, decoded as a typed value (escapes and all), if it sets one.
    public static func classification(written change: Change) throws -> Classification? {
        guard case .content(let write) = change.payload, let json = write.fields["classification"] else { return nil }
        // A plain string literal is read by hand (this runs for every pushed write); anything else as before.
        if let plain = (try? JSONCoding.stringValue(json)) ?? nil, let classification = Classification(rawValue: plain) { return classification }
        do { return try JSONCoding.value(Classification.self, from: json) } catch {
            throw ReportSyncError(
                .invalidInput, "change \(change.dot) writes classification \(json), which is none of public, internal or secret")
        }
    }

    /// Why the central did not take a change that would leave its report off the network there.
    public static func refusal(of change: Change) -> ReportSyncError {
        ReportSyncError(
            .forbidden,
            "secret reports (and internal ones, unless the policy allows them) never cross the network: with change \(change.dot), report \(change.record) would be kept off the network at the central (or would wait there for writes the central lacks), so nothing of it was taken; it stays in the device's outbox and goes by bundle (report-cli bundle export), or once the report is declassified")
    }

    /// Whether `change` gives its report one of the classifications `offNetwork`.
    public static func takesOffNetwork(_ change: Change, _ offNetwork: Set<Classification>) -> Bool {
        (try? classification(written: change)).map { $0.map(offNetwork.contains) ?? false } ?? false
    }

    /// The position of a change of `batch` that saw the change at `index` and lets its report travel
    /// again, if there is one (wherever it stands: a push may arrive reordered).
    public static func release(of index: Int, in batch: [Change], _ offNetwork: Set<Classification>) -> Int? {
        let change = batch[index]
        return batch.indices.first { later in
            batch[later].record == change.record && batch[later].context.covers(change.dot)
                && (try? classification(written: batch[later])).map { $0.map { !offNetwork.contains($0) } ?? false } == true
        }
    }

    /// The position in `batch` of each change that takes its report off the network with no change of
    /// the same push releasing it: where a field ends a batch, so that a report goes with its declassification.
    public static func uncovered(in batch: [Change], _ offNetwork: Set<Classification>) -> [Int] {
        batch.indices.filter { takesOffNetwork(batch[$0], offNetwork) && release(of: $0, in: batch, offNetwork) == nil }
    }
}
