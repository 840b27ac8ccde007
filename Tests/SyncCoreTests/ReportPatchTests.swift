import Foundation
import SyncCore
import Testing

@Suite("Report patches and diffs")
struct ReportPatchTests {
    @Test("options laid over a file win field by field; emergency facts merge")
    func overrides() throws {
        var file = ReportPatch()
        file.category = .emergency
        file.title = "from file"
        file.emergency = EmergencyDetails()
        file.emergency?.source = "file"
        file.emergency?.trend = "稳定"
        var options = ReportPatch()
        options.title = "from options"
        options.emergency = EmergencyDetails()
        options.emergency?.source = "options"
        let merged = file.overridden(by: options)
        #expect(merged.title == "from options")
        #expect(merged.category == .emergency)
        #expect(merged.emergency?.source == "options")
        #expect(merged.emergency?.trend == "稳定")
    }

    @Test("an empty string clears an optional field; a new content lists what changed")
    func clearAndDiff() throws {
        var patch = ReportPatch()
        patch.category = .dynamic
        patch.title = "t"
        patch.place = "甲地"
        let content = try patch.makeContent()
        var clear = ReportPatch()
        clear.place = ""
        clear.body = "新正文"
        var edited = content
        clear.apply(to: &edited)
        #expect(edited.place == nil)
        #expect(try edited.fields(changedSince: content).keys.sorted() == ["body", "place"])
        #expect(try edited.fields(changedSince: content)["place"] == "null")
    }

    @Test("a new report needs a category and a title")
    func required() {
        #expect(throws: ReportSyncError.self) { try ReportPatch().makeContent() }
        var patch = ReportPatch()
        patch.category = .dynamic
        #expect(throws: ReportSyncError.self) { try patch.makeContent() }
    }
}
