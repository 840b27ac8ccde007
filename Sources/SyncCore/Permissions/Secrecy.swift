import Foundation

/// Which changes may cross the network (DOMAIN.md "Classification"): a secret report's never do.
///
/// A report that is secret stays in its device's outbox. When it is declassified, its held changes go
/// to the central in order, creation first, in one push with the change that declassified it: the
/// declassification decides that the report's history may now leave the device (docs/sync-protocol.md).
/// The central refuses a change that makes a report secret unless the same push carries the later
/// change that made it non-secret again.
public enum Secrecy {
    /// The classification a content write sets, decoded as a typed value (escapes and all), if it sets one.
    public static func classification(written change: Change) throws -> Classification? {
        guard case .content(let write) = change.payload, let json = write.fields["classification"] else { return nil }
        do { return try JSONCoding.value(Classification.self, from: json) } catch {
            throw ReportSyncError(
                .invalidInput, "change \(change.dot) writes classification \(json), which is none of public, internal or secret")
        }
    }

    /// Whether `change` makes its report secret.
    public static func makesSecret(_ change: Change) -> Bool {
        (try? classification(written: change)) == .secret
    }

    /// The position in `batch` of each change that makes its report secret with no later change of the
    /// same push (one that saw it) making the report non-secret again: what the central refuses.
    public static func uncovered(in batch: [Change]) -> [Int] {
        batch.indices.filter { index in
            let change = batch[index]
            guard makesSecret(change) else { return false }
            return !batch[(index + 1)...].contains { later in
                later.record == change.record && later.context.covers(change.dot)
                    && (try? classification(written: later)).map { $0 != .secret } == true
            }
        }
    }
}
