import Crypto
import Foundation
import SyncCore

/// The token a Prometheus server sends to read `/metrics` (its `authorization.credentials_file`), kept
/// as its SHA-256 (comparing digests leaks nothing of the token, whatever the time it takes). It is not a device token: a device must not read the
/// names of every unit and device.
public struct ScrapeToken: Sendable {
    private let digest: Data

    /// A scrape token; refuses one too short to be secret.
    public init(_ token: String) throws {
        let token = token.trimmingCharacters(in: .whitespacesAndNewlines)
        guard token.count >= 16 else {
            throw ReportSyncError(
                .invalidInput, "the metrics token must have at least 16 characters; make one with: head -c 32 /dev/urandom | base64 > metrics.token")
        }
        digest = Data(SHA256.hash(data: Data(token.utf8)))
    }

    /// The scrape token in the file at `path` (its first line, without surrounding spaces).
    public static func read(from path: String) throws -> ScrapeToken {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ReportSyncError(.notFound, "cannot read the metrics token file \(path); check the path and its permissions")
        }
        return try ScrapeToken(SecretFile.firstLine(of: String(decoding: data, as: UTF8.self)))
    }

    /// Whether `sent` is this token.
    func matches(_ sent: String) -> Bool {
        Data(SHA256.hash(data: Data(sent.trimmingCharacters(in: .whitespaces).utf8))) == digest
    }
}
