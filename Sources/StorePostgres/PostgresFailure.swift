import PostgresNIO
import SyncCore

/// Turns what postgres-nio throws into one line a person can act on (its own errors print a generic
/// text on purpose, so that no query or value leaks into a log).
enum PostgresFailure {
    /// The line for `error`, met while talking to the database at `address`.
    static func translate(_ error: any Error, at address: PostgresAddress) -> any Error {
        if error is ReportSyncError { return error }
        if let error = error as? PostgresTransactionError {
            return translate(error.closureError ?? error.commitError ?? error.beginError ?? error.rollbackError ?? error, at: address)
        }
        guard let error = error as? PSQLError else {
            return ReportSyncError(.storage, "the PostgreSQL database at \(address) failed: \(String(describing: error))")
        }
        switch error.code {
        case .connectionError, .serverClosedConnection, .uncleanShutdown:
            return ReportSyncError(
                .unavailable,
                "no PostgreSQL server answers at \(address.host):\(address.port): start it, or check the host and port in the URL")
        case .sslUnsupported:
            return ReportSyncError(
                .unavailable, "the PostgreSQL server at \(address.host):\(address.port) does not offer TLS, and the URL asks for it (sslmode=require)")
        case .authMechanismRequiresPassword:
            return ReportSyncError(.forbidden, "the PostgreSQL server at \(address.host):\(address.port) asks for a password: put it in the URL or in PGPASSWORD")
        case .server:
            return serverError(error, at: address)
        default:
            return ReportSyncError(.storage, "the PostgreSQL database at \(address) failed (\(error.code))")
        }
    }

    /// A refusal the server sent, by its SQLSTATE.
    private static func serverError(_ error: PSQLError, at address: PostgresAddress) -> ReportSyncError {
        let state = error.serverInfo?[.sqlState] ?? ""
        let message = error.serverInfo?[.message] ?? "no message"
        switch state {
        case "28P01", "28000":
            return ReportSyncError(.forbidden, "the PostgreSQL server at \(address.host):\(address.port) refused \(address.user)'s login: check the user and password")
        case "3D000":
            return ReportSyncError(.notFound, "there is no database \(address.database) on the PostgreSQL server at \(address.host):\(address.port): create it (createdb \(address.database))")
        case "42501":
            return ReportSyncError(.forbidden, "\(address.user) may not do this in \(address.database): \(message)")
        case "53100":
            return ReportSyncError(.storage, "the PostgreSQL server at \(address.host):\(address.port) is out of disk space: \(message)")
        default:
            return ReportSyncError(.storage, "the PostgreSQL database at \(address) refused a statement (SQLSTATE \(state)): \(message)")
        }
    }
}
