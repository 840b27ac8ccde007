import Foundation

/// How long a device makes a person wait after wrong PINs in a row: after each of the first two, no
/// wait; after the third, 30 s before the next try, doubling with each further one to at most an hour. It slows a person at the keyboard; a copied file is slowed by the
/// key derivation instead (docs/signing.md).
enum PINLockout {
    /// Wrong PINs in a row allowed before any wait.
    static let freeTries = 2

    /// The wait after `failures` wrong PINs in a row.
    static func delay(afterFailures failures: Int) -> TimeInterval {
        guard failures > freeTries else { return 0 }
        return min(3600, 30 * pow(2, Double(min(failures - freeTries - 1, 12))))
    }
}
