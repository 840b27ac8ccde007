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
        /// Its unit raised it off the network after its text reached the central: the text was withdrawn
        /// from the network (`Redaction`); the central keeps it, for its console.
        case withdrawn

        /// Whether the report's text, comments and named details may be shown.
        public var showsText: Bool { self == .shown }

        /// What stands for the title wherever the desk names the report (`nil`: its title).
        public var standInTitle: String? {
            switch self {
            case .shown: nil
            case .offNetwork: "涉密信息（内容不在网页上显示）"
            case .revisedInUnit: "（已退回，单位修改中）"
            case .withdrawn: "（单位已定密，内容已撤回）"
            }
        }
    }

    public let report: Report
    public let visibility: Visibility
    /// The SHA-256 of each attachment's file the central holds whole (filled for the report page only).
    public let filesHere: Set<String>

    public init(report: Report, visibility: Visibility, filesHere: Set<String> = []) {
        self.report = report
        self.visibility = visibility
        self.filesHere = filesHere
    }

    /// What stands for the title of a report still in its unit, wherever the desk counts it.
    public static let unsentTitle = "（单位内尚未报送的报告）"
}
