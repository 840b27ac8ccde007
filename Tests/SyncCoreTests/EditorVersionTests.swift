import Foundation
import SyncCore
import Testing

/// 000:197, 000:211–213: the central office edits a received text (编辑加工) under a named responsible
/// editor (责任编辑); its version is kept beside what the unit signed, never over it.
@Suite("The central office's edited version")
struct EditorVersionTests {
    /// A report signed off by squad-3 and received by the central office.
    func received() throws -> MemoryReplica {
        var central = MemoryReplica(replicaID: "central")
        try central.draft(id: "r", Cast.news("中队夜查"), by: Cast.wang, now: Cast.at(0))
        for (i, (action, actor)) in [(WorkflowAction.submit, Cast.wang), (.review, Cast.li), (.sign, Cast.zhao), (.receive, Cast.chen)].enumerated() {
            try central.perform(action, on: "r", by: actor, now: Cast.at(Double(10 * (i + 1))))
        }
        return central
    }

    @Test("a copy-edit keeps the unit's signed text as it was, names its editor, and later edits build on earlier ones")
    func keptBeside() throws {
        var central = try received()
        let signedText = try central.record("r").content()
        try central.perform(.copyedit, on: "r", by: Cast.chen, detail: StepDetail(revisedTitle: "某中队开展夜间专项巡查"), now: Cast.at(100))
        try central.perform(.adopt, on: "r", by: Cast.chen, detail: StepDetail(level: .city, outlet: "政务信息快报"), now: Cast.at(110))
        try central.perform(.copyedit, on: "r", by: Cast.chen, detail: StepDetail(revisedBody: "11月21日夜，某中队开展专项巡查，查处违规3起。"), now: Cast.at(120))
        let record = try central.record("r")
        #expect(try record.content() == signedText, "what the unit signed is unchanged")
        #expect(record.state == .adopted)
        let version = try #require(try ReportFacts(record: record, policy: .standard).editorVersion)
        #expect(version.title == "某中队开展夜间专项巡查" && version.body?.hasPrefix("11月21日夜") == true)
        #expect(version.editor == "chen" && version.at == Cast.at(120))
    }

    @Test("only a central editor copy-edits, only a received or adopted report, and only with a title or body a person can read")
    func whoAndWhen() throws {
        var central = try received()
        let drafter = #expect(throws: ReportSyncError.self) {
            try central.perform(.copyedit, on: "r", by: Cast.wang, detail: StepDetail(revisedTitle: "改"), now: Cast.at(100))
        }
        #expect(drafter?.message.contains("central-editor") == true, "\(drafter?.message ?? "")")
        let empty = #expect(throws: ReportSyncError.self) { try central.perform(.copyedit, on: "r", by: Cast.chen, detail: StepDetail(), now: Cast.at(100)) }
        #expect(empty?.message.contains("--title or --body") == true)
        #expect(throws: ReportSyncError.self) {
            try central.perform(.copyedit, on: "r", by: Cast.chen, detail: StepDetail(revisedTitle: "\u{200B}"), now: Cast.at(100))
        }
        var field = MemoryReplica(replicaID: "field")
        try field.draft(id: "s", Cast.news(), by: Cast.wang, now: Cast.at(0))
        let draft = #expect(throws: ReportSyncError.self) {
            try field.perform(.copyedit, on: "s", by: Cast.chen, detail: StepDetail(revisedTitle: "改"), now: Cast.at(100))
        }
        #expect(draft?.code == .wrongState, "a draft is the unit's own")
    }

    @Test("a report returned and received again starts without the central's earlier edit")
    func editsOfTheLastReceipt() throws {
        var central = try received()
        try central.perform(.copyedit, on: "r", by: Cast.chen, detail: StepDetail(revisedTitle: "旧的编辑标题"), now: Cast.at(100))
        try central.perform(.return, on: "r", by: Cast.chen, comment: "请补充", now: Cast.at(110))
        for (i, (action, actor)) in [(WorkflowAction.submit, Cast.wang), (.review, Cast.li), (.sign, Cast.zhao), (.receive, Cast.chen)].enumerated() {
            try central.perform(action, on: "r", by: actor, now: Cast.at(Double(120 + i)))
        }
        #expect(try ReportFacts(record: try central.record("r"), policy: .standard).editorVersion == nil)
    }
}
