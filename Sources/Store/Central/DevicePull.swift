import Foundation

/// How far a device is behind the central: how far its last pull reached (`PullNotes`) and how
/// many changes of its feed came after that point, counted up to `DevicePull.countLimit`.
public struct DevicePull: Sendable, Equatable {
    /// The central sequence the device's last pull reached.
    public let cursor: Int64
    public let pulledAt: Date
    /// The changes its feed carries after `cursor`: what still goes out to it.
    public let outgoing: Int

    /// Beyond this many, `outgoing` says only "at least".
    public static let countLimit = 10_000
}
