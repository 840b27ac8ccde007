import Foundation
import SyncCore

/// What re-checking one signed step of a report found (`report-cli verify`, `history`, `show`).
public struct StepCheck: Sendable, Codable, Equatable {
    /// The report checked.
    public let report: String
    /// The write checked (for the state: the report's latest content write).
    public let dot: Dot
    /// The step (`review`, `sign` …), `resolution`, `version` (a content write) or `state`.
    public let step: String
    /// Who the write names as its actor.
    public let actor: String
    /// Whether the step is signed by its actor's key, in force at its stamp, over exactly what the
    /// replica holds.
    public let verified: Bool
    /// The finding in a few words.
    public let summary: String

    /// Whether this is the check of a signed step or decision (not of a content version or the state).
    public var isSignedStep: Bool { !["version", "state", WorkflowAction.revise.rawValue].contains(step) }
}
