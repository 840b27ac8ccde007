/// An error a person can act on: what was wrong and what to do, with a stable code for scripts.
public struct ReportSyncError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The family of the error, stable for scripts and HTTP mapping.
    public enum Code: String, Sendable, Codable {
        case invalidInput = "invalid-input"
        /// A change or request from outside that is not what this program sends (wrong type, id or form).
        case malformed = "malformed-change"
        /// A request, change or value over a size limit.
        case tooLarge = "too-large"
        case notFound = "not-found"
        case forbidden
        /// The PIN given does not open the signing key (another try may be made, after any wait).
        case wrongPIN = "wrong-pin"
        case wrongState = "wrong-state"
        case ruleViolated = "rule-violated"
        case alreadyExists = "already-exists"
        case storage
        case schemaTooNew = "schema-too-new"
        /// The central could not be reached or did not answer as expected.
        case unavailable

        /// The HTTP status that answers an error of this family (the sync API and the web desk).
        public var httpStatus: Int {
            switch self {
            case .forbidden, .wrongPIN: 403
            case .notFound: 404
            case .invalidInput, .ruleViolated, .wrongState, .alreadyExists: 422
            case .malformed: 400
            case .tooLarge: 413
            case .schemaTooNew: 409
            case .storage, .unavailable: 503
            }
        }
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
