import ArgumentParser
import Foundation
import SyncCore

/// The content options shared by `draft` and `edit`; each one left out leaves its field as it is.
struct ReportFieldOptions: ParsableArguments {
    @Option(help: "Category: \(ReportCategory.allCases.map(\.rawValue).joined(separator: ", ")).")
    var category: ReportCategory?
    @Option(help: "Title.") var title: String?
    @Option(help: "Body text (length limits count characters).") var body: String?
    @Option(help: "When the event happened, e.g. 2026-11-22T10:30 (bureau time) or with an offset.")
    var eventTime: String?
    @Option(help: "Where the event happened.") var place: String?
    @Option(help: "The drafter's phone or contact (default: the member's phone).") var contact: String?
    @Option(help: "public, internal or secret.") var classification: Classification?
    @Option(help: "Disclosure attribute: proactive, on-request or exempt.") var disclosure: Disclosure?
    @Option(help: "Why an exempt item is not disclosed (required with exempt).") var disclosureReason: String?
    @Option(help: "For a follow-up (续报): the id of the emergency report it continues.") var followUpOf: String?
    @Option(help: "The solicitation (约稿) this report answers.") var solicitation: String?
    @Option(name: .customLong("attach"), help: "Attach a file as FILE or FILE=CAPTION (repeatable): it is copied into the replica and travels with the report; the name of one already attached replaces it, and NAME=CAPTION alone captions it.")
    var attachments: [String] = []
    @Option(name: .customLong("remove-attachment"), help: "Remove the attachment of this name (repeatable).")
    var removedAttachments: [String] = []

    @Option(help: "Emergency: major or general.") var severity: EmergencySeverity?
    @Option(help: "Emergency: source of the information.") var source: String?
    @Option(help: "Emergency: cause or nature.") var cause: String?
    @Option(help: "Emergency: number of deaths.") var deaths: Int?
    @Option(help: "Emergency: number of injured.") var injuries: Int?
    @Option(help: "Emergency: property loss.") var propertyLoss: String?
    @Option(help: "Emergency: course of events.") var course: String?
    @Option(help: "Emergency: consequences so far.") var consequences: String?
    @Option(help: "Emergency: extent of impact.") var impact: String?
    @Option(help: "Emergency: trend.") var trend: String?
    @Option(help: "Emergency: is the responsible leader on site (yes/no).") var leaderOnSite: YesNo?
    @Option(help: "Emergency: initial measures taken.") var initialMeasures: String?
    @Option(help: "Emergency: next measures.") var nextMeasures: String?
    @Option(help: "Emergency: reporter's name.") var reporter: String?
    @Option(help: "Emergency: reporter's contact.") var reporterContact: String?
    @Option(help: "Emergency: when it was first reported by phone (电话首报), e.g. 2026-11-22T10:40; the written report is then due within a working day.")
    var phoneReportedAt: String?

    @Option(help: "New-media item: the platform it was published on (发布平台).") var platform: String?
    @Option(help: "New-media item: who published it (发布人员).") var publisher: String?
    @Option(help: "New-media item: the publisher's post (职务).") var publisherPost: String?

    @Option(help: "Read fields from a JSON file (keys as in show --json); options given beside it win.")
    var fromFile: String?

    /// The patch these options describe, read against the bureau's time zone.
    func patch(timeZone: TimeZone, context: CommandContext) throws -> ReportPatch {
        var patch = ReportPatch()
        if let fromFile { patch = try Self.readFile(context.absolute(fromFile), timeZone: timeZone) }
        var options = ReportPatch()
        options.category = category
        options.title = title
        options.body = body
        options.eventTime = try eventTime.map { try TimestampParser.require($0, timeZone: timeZone, what: "--event-time") }
        options.place = place
        options.contact = contact
        options.classification = classification
        options.disclosure = disclosure
        options.disclosureReason = disclosureReason
        options.followUpOf = followUpOf
        options.solicitation = solicitation
        if !attachments.isEmpty { options.attachments = attachments.map(Self.attachment) }
        if !removedAttachments.isEmpty { options.removeAttachments = removedAttachments }
        options.emergency = emergency
        if platform != nil || publisher != nil || publisherPost != nil {
            options.newMedia = NewMediaDetails(platform: platform, publisher: publisher, publisherPost: publisherPost)
        }
        if let phoneReportedAt {
            options.emergency = options.emergency ?? EmergencyDetails()
            options.emergency?.phoneReportedAt = try TimestampParser.require(phoneReportedAt, timeZone: timeZone, what: "--phone-reported-at")
        }
        if options.followUpOf != nil, options.category == nil, patch.category == nil { options.category = .emergency }
        return patch.overridden(by: options)
    }

    private var emergency: EmergencyDetails? {
        var details = EmergencyDetails()
        details.severity = severity
        details.source = source
        details.cause = cause
        details.deaths = deaths
        details.injuries = injuries
        details.propertyLoss = propertyLoss
        details.course = course
        details.consequences = consequences
        details.impact = impact
        details.trend = trend
        details.leaderOnSite = leaderOnSite?.value
        details.initialMeasures = initialMeasures
        details.nextMeasures = nextMeasures
        details.reporterName = reporter
        details.reporterContact = reporterContact
        return details == EmergencyDetails() ? nil : details
    }

    static func attachment(_ text: String) -> Attachment {
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        return Attachment(name: parts.first ?? text, caption: parts.count > 1 ? parts[1] : nil)
    }

    static func readFile(_ path: String, timeZone: TimeZone) throws -> ReportPatch {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ReportSyncError(.notFound, "cannot read \(path): check the --from-file path")
        }
        if let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
            let unknown = KnownKeys.unknown(in: object)
            if !unknown.isEmpty {
                throw ReportSyncError(
                    .invalidInput, "\(path): \(unknown.joined(separator: "; ")) (the keys are those of show --json)")
            }
        }
        do {
            return try JSONCoding.decoder(timeZone: timeZone).decode(ReportPatch.self, from: data)
        } catch let error as DecodingError {
            throw ReportSyncError(.invalidInput, "\(path): \(error.readableDescription)")
        } catch {
            throw ReportSyncError(.invalidInput, "\(path) is not valid JSON: \(error.localizedDescription)")
        }
    }
}
