/// An error a person can act on: what was wrong and what to do, with a stable code for scripts.
public struct ReportSyncError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The family of the error, stable for scripts and HTTP mapping.
    public enum Code: String, Sendable, Codable {
        case invalidInput = "invalid-input"
        case notFound = "not-found"
        case forbidden
        case wrongState = "wrong-state"
        case ruleViolated = "rule-violated"
        case alreadyExists = "already-exists"
        case storage
        case schemaTooNew = "schema-too-new"
        /// The central could not be reached or did not answer as expected.
        case unavailable
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
