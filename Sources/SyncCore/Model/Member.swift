/// A person who acts on reports, with one role in one unit.
public struct Member: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var unit: String
    public var role: Role
    public var phone: String?

    public init(id: String, name: String, unit: String, role: Role, phone: String? = nil) {
        self.id = id
        self.name = name
        self.unit = unit
        self.role = role
        self.phone = phone
    }
}
