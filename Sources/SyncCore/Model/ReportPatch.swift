import Foundation

/// A partial change to a report's content: `nil` leaves a field as it is, an empty string clears it.
///
/// It is what `report-cli draft/edit` options and `--from-file` JSON decode into.
public struct ReportPatch: Codable, Sendable, Equatable {
    public var category: ReportCategory?
    public var title: String?
    public var body: String?
    public var eventTime: Date?
    public var place: String?
    public var contact: String?
    public var classification: Classification?
    public var disclosure: Disclosure?
    public var disclosureReason: String?
    public var emergency: EmergencyDetails?
    public var newMedia: NewMediaDetails?
    public var followUpOf: String?
    public var solicitation: String?
    /// Attachments to add to the report; one named like an attachment the report has replaces it (a
    /// caption added or corrected).
    public var attachments: [Attachment]?
    /// Names of attachments to remove from the report.
    public var removeAttachments: [String]?

    public init() {}

    /// The names of the content fields this patch sets.
    public func fieldsSet() throws -> Set<String> {
        let object = try JSONSerialization.jsonObject(with: try JSONCoding.encoder().encode(self)) as? [String: Any]
        return Set(object?.keys.map { $0 == "removeAttachments" ? "attachments" : $0 } ?? [])
    }

    /// This patch with every field that `other` sets taken from `other`.
    public func overridden(by other: ReportPatch) -> ReportPatch {
        var merged = self
        merged.category = other.category ?? category
        merged.title = other.title ?? title
        merged.body = other.body ?? body
        merged.eventTime = other.eventTime ?? eventTime
        merged.place = other.place ?? place
        merged.contact = other.contact ?? contact
        merged.classification = other.classification ?? classification
        merged.disclosure = other.disclosure ?? disclosure
        merged.disclosureReason = other.disclosureReason ?? disclosureReason
        merged.emergency = EmergencyDetails.merging(emergency, other.emergency)
        // Kept as given: an empty text in a patch clears the detail when the patch is applied.
        if let more = other.newMedia { merged.newMedia = (newMedia ?? NewMediaDetails()).overlaid(by: more) }
        merged.followUpOf = other.followUpOf ?? followUpOf
        merged.solicitation = other.solicitation ?? solicitation
        if let more = other.attachments { merged.attachments = Attachment.replacing(attachments ?? [], with: more) }
        if let more = other.removeAttachments { merged.removeAttachments = (removeAttachments ?? []) + more }
        return merged
    }

    /// A new report's content from this patch; the category and title must be given.
    public func makeContent() throws -> ReportContent {
        guard let category else {
            throw ReportSyncError(.invalidInput, "a report needs a category: give --category (one of \(ReportCategory.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        guard let title, title.hasVisibleText else {
            throw ReportSyncError(.invalidInput, "a report needs a title: give --title")
        }
        var content = ReportContent(category: category, title: title, body: body ?? "")
        apply(to: &content)
        return content
    }

    /// Writes every field this patch sets into `content`.
    public func apply(to content: inout ReportContent) {
        if let category { content.category = category }
        if let title { content.title = title }
        if let body { content.body = body }
        if let eventTime { content.eventTime = eventTime }
        if let place { content.place = place.nilIfEmpty }
        if let contact { content.contact = contact.nilIfEmpty }
        if let classification { content.classification = classification }
        if let disclosure { content.disclosure = disclosure }
        if let disclosureReason { content.disclosureReason = disclosureReason.nilIfEmpty }
        if let emergency { content.emergency = EmergencyDetails.merging(content.emergency, emergency) }
        if let newMedia { content.newMedia = NewMediaDetails.merging(content.newMedia, newMedia) }
        if let followUpOf { content.followUpOf = followUpOf.nilIfEmpty }
        if let solicitation { content.solicitation = solicitation.nilIfEmpty }
        if let removeAttachments { content.attachments.removeAll { removeAttachments.contains($0.name) } }
        if let attachments { content.attachments = Attachment.replacing(content.attachments, with: attachments) }
    }

    /// True when the patch sets nothing.
    public var isEmpty: Bool { self == ReportPatch() }
}

extension EmergencyDetails {
    /// `base` with every fact that `update` gives taken from `update`.
    static func merging(_ base: EmergencyDetails?, _ update: EmergencyDetails?) -> EmergencyDetails? {
        guard let update else { return base }
        guard var merged = base else { return update }
        merged.severity = update.severity ?? merged.severity
        merged.source = update.source ?? merged.source
        merged.cause = update.cause ?? merged.cause
        merged.deaths = update.deaths ?? merged.deaths
        merged.injuries = update.injuries ?? merged.injuries
        merged.propertyLoss = update.propertyLoss ?? merged.propertyLoss
        merged.course = update.course ?? merged.course
        merged.consequences = update.consequences ?? merged.consequences
        merged.impact = update.impact ?? merged.impact
        merged.trend = update.trend ?? merged.trend
        merged.leaderOnSite = update.leaderOnSite ?? merged.leaderOnSite
        merged.initialMeasures = update.initialMeasures ?? merged.initialMeasures
        merged.nextMeasures = update.nextMeasures ?? merged.nextMeasures
        merged.reporterName = update.reporterName ?? merged.reporterName
        merged.reporterContact = update.reporterContact ?? merged.reporterContact
        merged.phoneReportedAt = update.phoneReportedAt ?? merged.phoneReportedAt
        return merged
    }
}

extension String {
    /// `nil` for an empty string, the string otherwise.
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
