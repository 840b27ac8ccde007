import Foundation

/// The kind of an organisational unit; decides its default monthly quota.
public enum UnitKind: String, CaseIterable, Codable, Sendable, CodingKeyRepresentable {
    case office
    case squad
    case subSquad = "sub-squad"
    case station
    case centralOffice = "central-office"
}

/// A unit of the bureau (科室, 大队, 中队, 司法所 …); units form a tree through `parent`.
public struct OrgUnit: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var kind: UnitKind
    public var parent: String?
    /// When the unit was set up: it owes no periodic report for a period that began before (absent for
    /// units set up before this was kept, which owe every period).
    ///
    /// Each replica takes it from the clock stamp of the first definition of the unit it stores
    /// (`ReferenceStore`); a definition never carries it, so that a replica of an older version, which
    /// would drop an unknown key, holds the same definition as everyone else. (The one version that
    /// wrote it into definitions is still read and re-encoded byte for byte.)
    public var since: Date?

    public init(id: String, name: String, kind: UnitKind, parent: String? = nil, since: Date? = nil) {
        self.id = id
        self.name = name
        self.kind = kind
        self.parent = parent
        self.since = since
    }

    /// True when the unit existed before `moment`, so that a period starting then is its to report on.
    public func existed(before moment: Date) -> Bool {
        since.map { $0 < moment } ?? true
    }
}
