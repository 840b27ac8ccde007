import Foundation

/// A device's sync health as the desk's sync page shows it.
public struct DeskDevice: Sendable {
    /// A change of the device the central refused, with why.
    public struct Refusal: Sendable {
        public let dot: String
        public let report: String
        public let reason: String
        public let at: Date
    }

    public let enrollment: Enrollment
    /// Its changes the central keeps waiting for their causes.
    public let waiting: Int
    /// How many of its changes the central refused.
    public let refused: Int
    /// The latest of those refusals (at most `DeskDevice.shownRefusals`), newest first.
    public let refusals: [Refusal]

    public static let shownRefusals = 20
}
