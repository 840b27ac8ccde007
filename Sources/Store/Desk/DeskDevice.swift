import Foundation

/// A device's sync health as the desk's sync page shows it.
public struct DeskDevice: Sendable {
    /// A change of the device the central refused, with why.
    public struct Refusal: Sendable {
        public let dot: String
        /// The report the change was for, when the desk may name it (not one still in its unit).
        public let report: String?
        public let reason: String
        public let at: Date
    }

    /// The device's latest enrolment (a device enrolled again after a revocation is listed once).
    public let enrollment: Enrollment
    /// How far it is behind the central, or nil when it never pulled.
    public let pull: DevicePull?
    /// Its changes the central keeps waiting for their causes.
    public let waiting: Int
    /// How many of its changes the central refused.
    public let refused: Int
    /// The latest of those refusals (at most `DeskDevice.shownRefusals`), newest first.
    public let refusals: [Refusal]

    public static let shownRefusals = 20
}
