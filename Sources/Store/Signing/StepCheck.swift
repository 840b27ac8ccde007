import Foundation
import SyncCore

/// What re-checking one write of a report found (`report-cli verify`, `history`, `show`).
public struct StepCheck: Sendable, Codable, Equatable {
    /// What was checked.
    public enum Subject: Sendable, Equatable, Codable, CustomStringConvertible {
        /// A workflow step (signed, but for a `revise`, which must accompany its actor's edit).
        case step(WorkflowAction)
        /// A decision on a conflict (signed).
        case resolution
        /// A content write (as logged).
        case version
        /// The report's state, against what its steps give.
        case state
        /// The stored record itself, which could not be read.
        case record

        /// Its name: the action, or `resolution`, `version`, `state`, `record` (also its JSON form).
        public var description: String {
            switch self {
            case .step(let action): action.rawValue
            case .resolution: "resolution"
            case .version: "version"
            case .state: "state"
            case .record: "record"
            }
        }

        public init(from decoder: any Decoder) throws {
            let name = try decoder.singleValueContainer().decode(String.self)
            switch name {
            case "resolution": self = .resolution
            case "version": self = .version
            case "state": self = .state
            case "record": self = .record
            default:
                guard let action = WorkflowAction(rawValue: name) else {
                    throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown subject '\(name)'"))
                }
                self = .step(action)
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(description)
        }
    }

    /// The report checked.
    public let report: String
    /// The write checked (for the state: the report's latest content write; none for an unreadable record).
    public let dot: Dot?
    /// What was checked.
    public let step: Subject
    /// Who the write names as its actor.
    public let actor: String
    /// Whether it holds: signed by its actor's key in force at its stamp, over exactly what the replica
    /// holds (a step or decision), the one its log carries (a version), what the steps give (the state).
    public let verified: Bool
    /// The finding in a few words.
    public let summary: String

    /// Whether this is the check of a signed step or decision (not of a content version, a revise or the state).
    public var isSignedStep: Bool {
        switch step {
        case .step(let action): action != .revise
        case .resolution: true
        case .version, .state, .record: false
        }
    }
}
