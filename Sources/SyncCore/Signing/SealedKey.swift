import Crypto
import Foundation
import _CryptoExtras

/// A private signing key as a device keeps it: encrypted (ChaCha20-Poly1305) under a key derived from
/// the person's PIN or passphrase with scrypt, a memory-hard derivation, so that a copied replica file
/// gives an attacker a slow, memory-bound guess per PIN instead of the key (docs/signing.md).
public struct SealedKey: Sendable, Equatable {
    /// The scrypt cost: N = 2^15, r = 8, p = 1 (32 MiB and about a tenth of a second per try in a
    /// release build: the scrypt paper's interactive setting, doubled).
    public struct Cost: Sendable, Equatable {
        /// log2 of scrypt's N (its rounds, and with `r` its memory).
        public var logN: Int
        /// scrypt's block size.
        public var r: Int
        /// scrypt's parallelism.
        public var p: Int

        public static let standard = Cost(logN: 15, r: 8, p: 1)

        /// The parameters as stored: `scrypt:15:8:1`.
        public var text: String { "scrypt:\(logN):\(r):\(p)" }

        /// The parameters stored as `text`, within bounds this program will spend.
        public init?(text: String) {
            let parts = text.split(separator: ":")
            guard parts.count == 4, parts[0] == "scrypt", let logN = Int(parts[1]), let r = Int(parts[2]), let p = Int(parts[3]),
                (10...20).contains(logN), (1...16).contains(r), (1...4).contains(p)
            else { return nil }
            self.init(logN: logN, r: r, p: p)
        }

        /// A cost of N = 2^`logN`, block size `r`, parallelism `p`.
        public init(logN: Int, r: Int, p: Int) {
            self.logN = logN
            self.r = r
            self.p = p
        }
    }

    /// The shortest PIN accepted; a PIN of digits only must be longer (`checkStrength`).
    public static let minimumPINLength = 8
    /// The shortest PIN of digits only accepted.
    public static let minimumDigitsOnlyLength = 12

    /// The 16 random bytes the derivation is salted with.
    public let salt: Data
    /// The derivation's cost, stored with the key.
    public let cost: Cost
    /// Nonce, ciphertext and tag of the 32-byte private key.
    public let box: Data

    /// A sealed key as stored.
    public init(salt: Data, cost: Cost, box: Data) {
        self.salt = salt
        self.cost = cost
        self.box = box
    }

    /// `privateKey` sealed under `pin`, for `member` (the member is authenticated with it: a sealed key
    /// moved to another member's row does not open).
    public static func seal(_ privateKey: Curve25519.Signing.PrivateKey, member: String, pin: String, cost: Cost = .standard) throws -> SealedKey {
        try checkStrength(pin)
        var generator = SystemRandomNumberGenerator()
        let salt = Data((0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) })
        let key = try derive(pin, salt: salt, cost: cost)
        let box = try ChaChaPoly.seal(privateKey.rawRepresentation, using: key, authenticating: Data(member.utf8)).combined
        return SealedKey(salt: salt, cost: cost, box: box)
    }

    /// The private key, or `nil` when `pin` is not the one it was sealed under.
    public func open(member: String, pin: String) throws -> Curve25519.Signing.PrivateKey? {
        let key = try Self.derive(pin, salt: salt, cost: cost)
        guard let sealed = try? ChaChaPoly.SealedBox(combined: box),
            let raw = try? ChaChaPoly.open(sealed, using: key, authenticating: Data(member.utf8))
        else { return nil }
        return try Curve25519.Signing.PrivateKey(rawRepresentation: raw)
    }

    /// Throws unless `pin` is strong enough to be worth deriving a key from: whoever copies the replica
    /// file can try PINs offline, where only the key derivation slows them (docs/signing.md).
    public static func checkStrength(_ pin: String) throws {
        guard pin.count >= minimumPINLength else {
            throw ReportSyncError(.invalidInput, "a PIN needs at least \(minimumPINLength) characters; a short passphrase is best")
        }
        guard !pin.allSatisfy(\.isNumber) || pin.count >= minimumDigitsOnlyLength else {
            throw ReportSyncError(
                .invalidInput, "a PIN of digits only needs at least \(minimumDigitsOnlyLength) of them; or mix in letters (\(minimumPINLength) characters)")
        }
    }

    private static func derive(_ pin: String, salt: Data, cost: Cost) throws -> SymmetricKey {
        try KDF.Scrypt.deriveKey(
            from: Data(pin.utf8), salt: salt, outputByteCount: 32, rounds: 1 << cost.logN, blockSize: cost.r, parallelism: cost.p)
    }
}
