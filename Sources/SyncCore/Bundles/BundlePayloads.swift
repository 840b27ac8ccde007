import Foundation

/// What a field device's bundle carries to the central: the device's token (so the central
/// authenticates it as it does a push), how far it holds the central's feed, and the outbox changes it
/// exports.
public struct FieldBundle: Codable, Sendable {
    /// The device's bearer token (encrypted in the file; a lost stick does not reveal it).
    public let token: String
    /// The device's pull cursor: the central sequence up to which it holds its unit's feed (secret
    /// reports aside, which every bundle to the unit carries whole).
    public let pullCursor: Int64
    public let changes: [Change]

    public init(token: String, pullCursor: Int64, changes: [Change]) {
        self.token = token
        self.pullCursor = pullCursor
        self.changes = changes
    }
}

/// What the central's bundle carries to a unit's devices: every change of the unit's feed after
/// `after` up to `covered`, and every change of the unit's reports that are secret at the central
/// (which the feed over the network never carries). A device whose pull cursor has reached `after`
/// holds the whole feed up to `covered` once it has imported it.
public struct UnitBundle: Codable, Sendable {
    public let bureau: String
    public let unit: String
    /// The central sequence the bundle starts after: a device must have pulled up to it.
    public let after: Int64
    /// The central sequence the bundle covers.
    public let covered: Int64
    public let changes: [Change]
    /// What the central refused of the unit's devices' changes, with its reasons: over HTTP a push's
    /// answer says it; a device that syncs by bundle alone learns it here.
    public let refusals: [Refusal]

    /// One change the central refused.
    public struct Refusal: Codable, Sendable, Equatable {
        public let dot: Dot
        public let record: String
        public let reason: String

        public init(dot: Dot, record: String, reason: String) {
            self.dot = dot
            self.record = record
            self.reason = reason
        }
    }

    public init(bureau: String, unit: String, after: Int64, covered: Int64, changes: [Change], refusals: [Refusal] = []) {
        self.bureau = bureau
        self.unit = unit
        self.after = after
        self.covered = covered
        self.changes = changes
        self.refusals = refusals
    }
}
