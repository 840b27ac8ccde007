import Foundation

/// The central office chasing a unit for its answer to a solicitation (催报): a record of its own, written
/// once, so that it never races the unit's decline on the solicitation's record (last-writer-wins would
/// keep only one of them). It replicates to that unit only.
public struct SolicitationReminder: Codable, Sendable, Equatable {
    /// Its own id (a UUIDv7): two editors chasing at once write two reminders.
    public var id: String
    /// The solicitation chased.
    public var solicitation: String
    /// The unit chased.
    public var unit: String
    /// What the office adds, if anything.
    public var note: String?
    public var by: String
    public var at: Date

    public init(id: String, solicitation: String, unit: String, note: String? = nil, by: String, at: Date) {
        self.id = id
        self.solicitation = solicitation
        self.unit = unit
        self.note = note
        self.by = by
        self.at = at
    }

    /// The replicated record: `reminder/ID`.
    public var recordID: String { "reminder/\(id)" }
}
