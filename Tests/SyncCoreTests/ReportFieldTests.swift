import Foundation
import SyncCore
import Testing

/// Every content field has one canonical form: what a local write makes passes the check a central
/// applies to pushed fields, and any other spelling of the same value does not.
@Suite("Report fields: typed and canonical")
struct ReportFieldTests {
    /// A report using every field, with text that needs escaping (quotes, newlines, slashes, tabs).
    static let rich: ReportContent = {
        var content = ReportContent(category: .emergency, title: "火情 \"北区\" / 续", body: "第一段\n第二段\t完")
        content.eventTime = Date(timeIntervalSince1970: 1_764_000_000.1234)
        content.place = "北区/仓库"
        content.contact = "138-0000"
        content.classification = .internal
        content.disclosure = .exempt
        content.disclosureReason = "涉及个人信息"
        var facts = EmergencyDetails()
        facts.severity = .major
        facts.source = "巡查"
        facts.deaths = 0
        facts.injuries = 2
        facts.leaderOnSite = true
        content.emergency = facts
        content.followUpOf = UUIDv7.make()
        content.followUpSequence = 2
        content.solicitation = "s-1"
        content.attachments = [Attachment(name: "现场.jpg", caption: "火场"), Attachment(name: "a.mp4", caption: nil)]
        return content
    }()

    @Test("every field a local write makes is accepted as it is")
    func localWritesAreCanonical() throws {
        for content in [Self.rich, ReportContent(category: .dynamic, title: "t", body: "")] {
            for (name, json) in try content.encodedFields() {
                let field = try #require(ReportField.named(name))
                #expect(throws: Never.self, "\(name) = \(json)") { try field.checkCanonical(json) }
            }
            #expect(try ReportContent.decode(fields: try content.encodedFields()).encodedFields() == content.encodedFields())
        }
    }

    @Test(
        "another spelling or another type of a value is refused",
        arguments: [
            ("classification", #""\u0073ecret""#), ("classification", #" "secret""#), ("classification", #""SECRET""#),
            ("category", #""weird""#), ("title", #""a\/b""#), ("title", "42"), ("body", #""\u7b2c""#),
            ("eventTime", #""2025-11-24T16:00""#), ("eventTime", #""yesterday""#), ("attachments", #"{"a":1}"#),
            ("emergency", #"{"deaths":"many"}"#), ("followUpSequence", "2.0"), ("place", #"null "#),
            // An empty value is taken only by a field it empties: never by a required one, never a list for a single value.
            ("title", "null"), ("body", "[]"), ("category", "null"), ("classification", "[]"), ("followUpSequence", "[]"),
            ("eventTime", "[]"), ("attachments", "null"),
        ])
    func otherSpellingsRefused(name: String, json: String) throws {
        let field = try #require(ReportField.named(name))
        #expect(throws: ReportField.FieldProblem.self) { try field.checkCanonical(json) }
    }

    @Test("an empty optional field (null) and an empty list ([]) are taken as a draft writes them", arguments: ["place", "eventTime", "emergency", "disclosure", "followUpSequence", "newMedia", "attachments"])
    func emptyValues(name: String) throws {
        let field = try #require(ReportField.named(name))
        let empty = name == "attachments" ? "[]" : "null"
        #expect(throws: Never.self) { try field.checkCanonical(empty) }
        #expect(try ReportContent(category: .dynamic, title: "t", body: "").encodedFields()[name] == empty)
    }

    @Test("an empty value read into a report that holds one empties the field; `null` is no empty list")
    func emptyValuesRead() throws {
        var fields = try Self.rich.encodedFields()
        for name in ["eventTime", "emergency", "disclosure", "followUpSequence", "newMedia"] { fields[name] = "null" }
        fields["attachments"] = "[]"
        let read = try ReportContent.decode(fields: fields)
        #expect(read.eventTime == nil && read.emergency == nil && read.disclosure == nil && read.followUpSequence == nil && read.newMedia == nil)
        #expect(read.attachments.isEmpty && read.title == Self.rich.title)
        fields["attachments"] = "null"
        #expect(throws: ReportSyncError.self) { try ReportContent.decode(fields: fields) }
    }

    @Test("a field over its size is refused before it is decoded")
    func tooLong() throws {
        let title = try #require(ReportField.named("title"))
        #expect(throws: ReportField.FieldProblem.tooLong(max: title.maxJSONLength)) {
            try title.checkCanonical("\"" + String(repeating: "长", count: title.maxJSONLength) + "\"")
        }
    }
}
