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
    /// Attachments' files of the reports it carries that the central has not confirmed (none in a
    /// bundle of an older ReportSync).
    public var files: [BundledFile]?
    /// The text of writes the central holds withheld, whole, of the reports this device raised off the
    /// network (`Redaction`): the central keeps each whose withheld copy it holds, so that it can read,
    /// judge and adopt the report (none in a bundle of an older ReportSync).
    public var withheld: [Change]?

    public init(token: String, pullCursor: Int64, changes: [Change], files: [BundledFile] = [], withheld: [Change] = []) {
        self.token = token
        self.pullCursor = pullCursor
        self.changes = changes
        self.files = files
        self.withheld = withheld
    }
}

/// An attachment's file inside a bundle: its bytes with their address, checked on import.
public struct BundledFile: Codable, Sendable, Equatable {
    public let sha256: String
    public let bytes: Data

    public init(sha256: String, bytes: Data) {
        self.sha256 = sha256
        self.bytes = bytes
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

    /// Attachments' files of the reports it carries that the central holds (none in a bundle of an
    /// older ReportSync); a device that already holds one takes it as the central's receipt of it.
    public var files: [BundledFile]?

    /// What the central held for each device it is encrypted to, by the id of the device's bundle keys
    /// (`BundlePublicKey.id`), when it was written: over HTTP a sync round asks for it (`GET /v1/standing`);
    /// a device that syncs by bundle alone learns here that the central was restored from a backup
    /// (`FieldReplica.reconcile(byBundle:)`). None in a bundle of an older ReportSync.
    public var standings: [String: CentralStanding]?

    public init(
        bureau: String, unit: String, after: Int64, covered: Int64, changes: [Change], refusals: [Refusal] = [], files: [BundledFile] = []
    ) {
        self.bureau = bureau
        self.unit = unit
        self.after = after
        self.covered = covered
        self.changes = changes
        self.refusals = refusals
        self.files = files
    }
}
