import Foundation

/// The kind of an organisational unit; decides its quotas and targets. Five kinds are built in; a
/// bureau declares others in its policy (`unitKinds`: towns and departments, 003:54).
public struct UnitKind: RawRepresentable, Hashable, Codable, Sendable, CustomStringConvertible {
    public let rawValue: String

    /// A kind named by a slug: lowercase ASCII letters, digits and `-`, 1 to 40 characters.
    public init?(rawValue: String) {
        guard (1...40).contains(rawValue.count), rawValue.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" })
        else { return nil }
        self.rawValue = rawValue
    }

    private init(builtIn: String) { rawValue = builtIn }

    public static let office = UnitKind(builtIn: "office")
    public static let squad = UnitKind(builtIn: "squad")
    public static let subSquad = UnitKind(builtIn: "sub-squad")
    public static let station = UnitKind(builtIn: "station")
    /// The bureau's central office (办公室), which judges the others and owes no quota.
    public static let centralOffice = UnitKind(builtIn: "central-office")

    /// The kinds every bureau has.
    public static let builtIn: [UnitKind] = [.office, .squad, .subSquad, .station, .centralOffice]

    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let kind = UnitKind(rawValue: text) else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: decoder.codingPath, debugDescription: "'\(text)' is not a unit kind (lowercase letters, digits and -)"))
        }
        self = kind
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
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
