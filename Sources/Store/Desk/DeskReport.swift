import Foundation
import SyncCore

/// A report as the desk shows it: its merged view, and how much of it may be shown.
public struct DeskReport: Sendable {
    /// How much of a report that reached the central office the desk shows.
    public enum Visibility: Sendable, Equatable {
        /// Everything.
        case shown
        /// A secret report, an internal one (unless the policy lets internal ones cross the network) or a
        /// follow-up of either: the desk is a network page, so it shows the report's id, unit, state and
        /// history, never its text (read it at the central's console, report-cli show).
        case offNetwork
        /// Returned to its unit and written again there since: the new text has not been reviewed or
        /// signed off, so it has not been sent; the desk shows the facts and the history until it is.
        case revisedInUnit

        /// Whether the report's text, comments and named details may be shown.
        public var showsText: Bool { self == .shown }
    }

    public let report: Report
    public let visibility: Visibility
}
