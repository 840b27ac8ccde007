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

    public init(id: String, name: String, kind: UnitKind, parent: String? = nil) {
        self.id = id
        self.name = name
        self.kind = kind
        self.parent = parent
    }
}
