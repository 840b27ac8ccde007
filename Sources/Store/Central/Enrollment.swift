import Foundation

/// A field device enrolled at the central replica: which unit it syncs for, and whether it still may.
public struct Enrollment: Sendable, Equatable {
    public let unit: String
    public let device: String
    public let createdAt: Date
    public let revokedAt: Date?
    /// When the device last made a request.
    public let lastSeenAt: Date?
    /// The id of the bundle keys bound to the enrolment (`BundlePublicKey.id`), once the device registered them.
    public var bundleKey: String? = nil

    public init(unit: String, device: String, createdAt: Date, revokedAt: Date?, lastSeenAt: Date?, bundleKey: String? = nil) {
        self.unit = unit
        self.device = device
        self.createdAt = createdAt
        self.revokedAt = revokedAt
        self.lastSeenAt = lastSeenAt
        self.bundleKey = bundleKey
    }
}
