import Crypto
import Foundation

/// The anti-forgery tokens of the desk's forms: one random token per session, sent back in a hidden
/// field of every form and compared in constant time. A page of another site cannot read it, so it
/// cannot make the member's browser post a form that passes (besides the cookie being `SameSite=Strict`).
enum DeskCSRF {
    /// 256 random bits, base64url.
    static func newToken() -> String {
        let key = SymmetricKey(size: .bits256)
        return key.withUnsafeBytes { Data($0) }.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// Whether `sent` is the session's token: their SHA-256 digests compared (swift-crypto compares
    /// digests in constant time), so the time taken says nothing about how much of it was right.
    static func matches(_ sent: String, _ expected: String) -> Bool {
        !expected.isEmpty && SHA256.hash(data: Data(sent.utf8)) == SHA256.hash(data: Data(expected.utf8))
    }
}
