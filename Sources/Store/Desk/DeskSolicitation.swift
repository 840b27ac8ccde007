import Foundation
import SyncCore

/// A solicitation (约稿) as the desk's solicitations page shows it: one topic sent to several units, and
/// where each unit stands.
public struct DeskSolicitation: Sendable {
    /// Where one asked unit stands.
    public enum Answer: Sendable, Equatable {
        /// A report answering it was signed off and reached the central office; `late` when signed off
        /// after the deadline (the bulletin then names the unit, 漏报).
        case delivered(report: String, late: Bool)
        /// The answer reached the office, which returned it; the unit is writing it again.
        case returned(report: String)
        /// The unit said why it will not write one.
        case declined(reason: String, by: String)
        /// Nothing yet (a report still in the unit does not count).
        case waiting
    }

    public let id: String
    public let topic: String
    public let deadline: Date
    public let contact: String
    public let issuedBy: String
    /// Each asked unit's answer, by unit id.
    public let answers: [(unit: String, answer: Answer)]
    /// The office's reminders (催报) to each unit, oldest first.
    public let reminders: [String: [SolicitationReminder]]
}
