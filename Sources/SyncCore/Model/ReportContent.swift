import Foundation

/// What a report says: every field the drafter and reviewers edit (DOMAIN.md "The report").
public struct ReportContent: Codable, Sendable, Equatable {
    public var category: ReportCategory
    public var title: String
    public var body: String
    /// When the event happened; deadlines count from here.
    public var eventTime: Date?
    public var place: String?
    /// The drafter's phone or other contact (004 §五.7).
    public var contact: String?
    public var classification: Classification
    public var disclosure: Disclosure?
    /// Required when `disclosure` is `exempt`.
    public var disclosureReason: String?
    public var emergency: EmergencyDetails?
    /// For a new-media item: where and by whom it was published.
    public var newMedia: NewMediaDetails?
    /// For a follow-up (续报): the id of the first report of the chain.
    public var followUpOf: String?
    /// For a follow-up: its place in the chain, 1 for the first follow-up.
    public var followUpSequence: Int?
    /// The solicitation (约稿) this report answers.
    public var solicitation: String?
    public var attachments: [Attachment]

    public init(
        category: ReportCategory,
        title: String,
        body: String,
        eventTime: Date? = nil,
        place: String? = nil,
        contact: String? = nil,
        classification: Classification = .public,
        disclosure: Disclosure? = nil,
        disclosureReason: String? = nil,
        emergency: EmergencyDetails? = nil,
        newMedia: NewMediaDetails? = nil,
        followUpOf: String? = nil,
        followUpSequence: Int? = nil,
        solicitation: String? = nil,
        attachments: [Attachment] = []
    ) {
        self.category = category
        self.title = title
        self.body = body
        self.eventTime = eventTime
        self.place = place
        self.contact = contact
        self.classification = classification
        self.disclosure = disclosure
        self.disclosureReason = disclosureReason
        self.emergency = emergency
        self.newMedia = newMedia
        self.followUpOf = followUpOf
        self.followUpSequence = followUpSequence
        self.solicitation = solicitation
        self.attachments = attachments
    }
}
