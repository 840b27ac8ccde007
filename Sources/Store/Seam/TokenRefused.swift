import SyncCore

/// A device's bearer token was refused (unknown or revoked): `reason` says which and what to do. The
/// store throws it from every call that checks a token, so the server can answer 401 for it and
/// nothing else.
public struct TokenRefused: Error, Sendable {
    public let reason: ReportSyncError

    public init(_ reason: ReportSyncError) { self.reason = reason }
}
