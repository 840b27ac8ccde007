import Crypto
import Foundation

/// The one-time code the central office gives a person (`syncd member invite`) so that the key they
/// set up on a device (`report-cli key setup`) is registered for them: 16 characters (80 random bits)
/// that the device proves it knows without sending them. The central keeps only their hash.
public enum InviteCode {
    /// Crockford's base-32 alphabet: no I, L, O or U to misread.
    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    /// A new random code, grouped in fours (`K7QM-3XPA-9D2F-RT8W`).
    public static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let characters = (0..<16).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
        return stride(from: 0, to: 16, by: 4).map { String(characters[$0..<$0 + 4]) }.joined(separator: "-")
    }

    /// The code as typed, upper-cased, without spaces or dashes; `nil` when it cannot be a code.
    public static func normalized(_ typed: String) -> String? {
        let text = typed.uppercased().filter { $0 != "-" && !$0.isWhitespace }
        guard text.count == 16, text.allSatisfy(alphabet.contains) else { return nil }
        return text
    }

    /// The secret derived from a normalized code: what the central stores, and the key of the proof.
    public static func secret(of normalized: String) -> Data {
        Data(SHA256.hash(data: Data(("reportsync-invite-v1\n" + normalized).utf8)))
    }

    /// The proof that whoever asks to register `publicKey` for `member` knows the code whose secret is `secret`.
    public static func proof(secret: Data, member: String, publicKey: String) -> String {
        Hex.encode(HMAC<SHA256>.authenticationCode(for: Data("\(member)\n\(publicKey)".utf8), using: SymmetricKey(data: secret)))
    }

    /// Whether `proof` (hex) is the proof of `secret` for `member` and `publicKey`, compared in constant time.
    public static func isValid(proof: String, secret: Data, member: String, publicKey: String) -> Bool {
        let digits = Array(proof.utf8)
        guard digits.count == 64 else { return false }
        var bytes: [UInt8] = []
        for i in stride(from: 0, to: 64, by: 2) {
            guard let byte = UInt8(String(decoding: digits[i..<i + 2], as: UTF8.self), radix: 16) else { return false }
            bytes.append(byte)
        }
        return HMAC<SHA256>.isValidAuthenticationCode(
            bytes, authenticating: Data("\(member)\n\(publicKey)".utf8), using: SymmetricKey(data: secret))
    }
}
