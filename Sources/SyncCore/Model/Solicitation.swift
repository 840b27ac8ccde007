import Foundation

/// A solicitation (约稿): the central office asks a unit for a report on a topic by a deadline; the unit
/// answers with a report linked to it or declines with a reason (DOMAIN.md "Quotas and scoring").
///
/// One record per target unit, so that it replicates only to that unit; the whole value is
/// last-writer-wins, like other reference data.
public struct Solicitation: Codable, Sendable, Equatable {
    /// A unit's answer that it will not deliver, and why.
    public struct Decline: Codable, Sendable, Equatable {
        public var reason: String
        public var by: String
        public var at: Date

        public init(reason: String, by: String, at: Date) {
            self.reason = reason
            self.by = by
            self.at = at
        }
    }

    /// Shared by every unit the same request went to.
    public var id: String
    /// The unit asked.
    public var unit: String
    public var topic: String
    public var deadline: Date
    public var contact: String
    public var format: String?
    public var purpose: String?
    public var issuedBy: String
    public var issuedAt: Date
    public var declined: Decline?

    public init(
        id: String, unit: String, topic: String, deadline: Date, contact: String, format: String? = nil, purpose: String? = nil,
        issuedBy: String, issuedAt: Date, declined: Decline? = nil
    ) {
        self.id = id
        self.unit = unit
        self.topic = topic
        self.deadline = deadline
        self.contact = contact
        self.format = format
        self.purpose = purpose
        self.issuedBy = issuedBy
        self.issuedAt = issuedAt
        self.declined = declined
    }

    /// The replicated record: `solicitation/ID/UNIT`.
    public var recordID: String { "solicitation/\(id)/\(unit)" }
}
