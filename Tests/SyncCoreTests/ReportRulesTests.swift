import Foundation
import SyncCore
import Testing

/// DOMAIN.md "The report": the content rules and their messages.
@Suite("Report rules")
struct ReportRulesTests {
    let policy = Policy.standard

    /// The policy with hard length limits.
    var refusing: Policy {
        var p = Policy.standard
        p.lengthLimitEnforcement = .refuse
        return p
    }

    @Test("no field a write changes may hold U+0000 (a store cannot keep it); one an older version holds does not block an edit of another")
    func noNUL() throws {
        var content = ReportContent(category: .dynamic, title: "夜查", body: "正文\u{0}尾")
        let error = #expect(throws: ReportSyncError.self) {
            try ReportRules.checkWrite(content, replacing: nil, unit: "squad-3", followUpTarget: nil, policy: policy)
        }
        #expect(error?.code == .ruleViolated && error?.message.contains("U+0000") == true && error?.message.contains("body") == true)
        let held = content
        content.place = "城东"
        try ReportRules.checkWrite(content, replacing: held, unit: "squad-3", followUpTarget: nil, policy: policy)
        content.body = "写着\\u0000的正文"
        try ReportRules.checkWrite(content, replacing: held, unit: "squad-3", followUpTarget: nil, policy: policy)
    }

    @Test("U+0000 is found in a field with structure (an emergency's cause), and left alone when the write does not change that field")
    func noNULInStructuredFields() throws {
        var content = ReportContent(category: .emergency, title: "火情", body: "正文")
        content.emergency = EmergencyDetails()
        content.emergency?.cause = "线路\u{0}老化"
        let error = #expect(throws: ReportSyncError.self) {
            try ReportRules.checkWrite(content, replacing: nil, unit: "squad-3", followUpTarget: nil, policy: policy)
        }
        #expect(error?.message.contains("emergency") == true)
        let held = content
        content.title = "火情续"
        try ReportRules.checkWrite(content, replacing: held, unit: "squad-3", followUpTarget: nil, policy: policy)
        content.emergency?.cause = "线路老化"
        try ReportRules.checkWrite(content, replacing: held, unit: "squad-3", followUpTarget: nil, policy: policy)
    }

    @Test("Length limits (000:673): a dynamic item may have 600 characters, counted as characters not bytes; the limit waits for the submission")
    func dynamicLimit() throws {
        let ok = ReportContent(category: .dynamic, title: "动态", body: String(repeating: "报", count: 600))
        try ReportRules.checkSubmission(ok, unit: "u", followUpTarget: nil, policy: refusing)
        let long = ReportContent(category: .dynamic, title: "动态", body: String(repeating: "报", count: 601))
        try ReportRules.checkWrite(long, replacing: nil, unit: "u", followUpTarget: nil, policy: refusing)
        let error = #expect(throws: ReportSyncError.self, "a draft may be long; its submission may not") {
            try ReportRules.checkSubmission(long, unit: "u", followUpTarget: nil, policy: refusing)
        }
        #expect(error?.message.contains("601") == true)
        #expect(error?.message.contains("600") == true)
    }

    @Test("Length limits (000:673 原则上, in principle): by default a long body is a warning, and the submission goes ahead")
    func limitIsAWarningByDefault() throws {
        let long = ReportContent(category: .dynamic, title: "动态", body: String(repeating: "报", count: 601))
        #expect(Policy.standard.lengthLimitEnforcement == .warn)
        try ReportRules.checkSubmission(long, unit: "u", followUpTarget: nil, policy: policy)
        #expect(ReportRules.lengthExcess(long, policy: policy)?.contains("at most 600") == true)
        #expect(ReportRules.lengthExcess(ReportContent(category: .research, title: "t", body: String(repeating: "研", count: 9000)), policy: policy) == nil,
            "only the categories the rule names have a limit")
    }

    @Test(
        "Length limits (000:673): experience, problem and suggestion items may have 2,000 characters",
        arguments: [ReportCategory.experience, .problem, .suggestion])
    func longFormLimit(category: ReportCategory) throws {
        try ReportRules.checkSubmission(
            ReportContent(category: category, title: "t", body: String(repeating: "经", count: 2000)), unit: "u",
            followUpTarget: nil, policy: refusing)
        #expect(throws: ReportSyncError.self) {
            try ReportRules.checkSubmission(
                ReportContent(category: category, title: "t", body: String(repeating: "经", count: 2001)), unit: "u",
                followUpTarget: nil, policy: refusing)
        }
    }

    @Test("a length limit is a policy setting: a bureau may allow 800 characters for dynamic items")
    func limitFromPolicy() throws {
        var relaxed = refusing
        relaxed.lengthLimits["dynamic"] = 800
        try ReportRules.checkSubmission(
            ReportContent(category: .dynamic, title: "t", body: String(repeating: "字", count: 700)), unit: "u",
            followUpTarget: nil, policy: relaxed)
    }

    @Test("Emergency report required fields (004 §三.十): submission is refused while any is missing, naming it")
    func emergencyFields() throws {
        try ReportRules.checkSubmission(Fixtures.completeEmergency(), unit: "u", followUpTarget: nil, policy: policy)
        var noTrend = Fixtures.completeEmergency()
        noTrend.emergency?.trend = nil
        let error = #expect(throws: ReportSyncError.self) {
            try ReportRules.checkSubmission(noTrend, unit: "u", followUpTarget: nil, policy: policy)
        }
        #expect(error?.message.contains("--trend") == true)
        var noPlace = Fixtures.completeEmergency()
        noPlace.place = "  "
        #expect(ReportRules.missingEmergencyFacts(noPlace) == ["place (--place)"])
        var zeroCasualties = Fixtures.completeEmergency()
        zeroCasualties.emergency?.deaths = 0
        #expect(ReportRules.missingEmergencyFacts(zeroCasualties).isEmpty, "zero deaths is a fact, not a missing one")
    }

    @Test("a title is checked when a write sets it: one an older version let in blocks no edit of another field, here or at the central")
    func titleCheckedWhenWritten() throws {
        // An older version let a title with an escape in; it reaches this replica from an old device.
        var field = MemoryReplica(replicaID: "field")
        try field.draft(id: "r1", Cast.news(), by: Cast.wang, now: Cast.at(0))
        var old = Cast.news("\u{1B}[2J夜查")
        old.body = "中队开展夜查。"
        let oldTitle = try #require(try old.encodedFields()["title"])
        let oldWrite = Change(
            dot: Dot(replica: "old-device", counter: 1), hlc: HybridTimestamp(wallMilliseconds: Cast.at(5).millisecondsSince1970, logical: 0),
            record: "r1", unit: "squad-3", actor: "wang", context: try field.record("r1").vv,
            payload: .content(ContentWrite(creates: false, fields: ["title": oldTitle])))
        field.receive([oldWrite], now: Cast.at(6))
        let before = try field.record("r1")
        #expect(try before.content().title == "\u{1B}[2J夜查")

        let bodyEdit = try field.edit("r1", Cast.patch(body: "补充了正文。"), by: Cast.wang, now: Cast.at(10))
        #expect(bodyEdit.count == 1, "an edit of the body is taken although the title it keeps has a control character")
        try PushedContentRules().admit(bodyEdit[0], into: before, policy: policy) { _ in nil }

        let error = #expect(throws: ReportSyncError.self) {
            _ = try field.edit("r1", Cast.patch(title: "夜查\u{1B}[31m"), by: Cast.wang, now: Cast.at(20))
        }
        #expect(error?.message.contains("control characters") == true)
        var crafted = Cast.news("\u{200B}")
        crafted.body = "中队开展夜查。"
        let titleWrite = Change(
            dot: Dot(replica: "field", counter: 9), hlc: HybridTimestamp(wallMilliseconds: Cast.at(30).millisecondsSince1970, logical: 0),
            record: "r1", unit: "squad-3", actor: "wang", context: before.vv,
            payload: .content(ContentWrite(creates: false, fields: ["title": try #require(try crafted.encodedFields()["title"])])))
        #expect(throws: ReportSyncError.self, "a pushed write that sets an invisible title is refused") {
            try PushedContentRules().admit(titleWrite, into: before, policy: policy) { _ in nil }
        }
    }

    @Test("an internal or secret report cannot be disclosed proactively (000 第二条); what an older version let in blocks no other edit")
    func proactiveOnlyWhenPublic() throws {
        for classification in [Classification.internal, .secret] {
            let content = ReportContent(category: .dynamic, title: "t", body: "b", classification: classification, disclosure: .proactive)
            let error = #expect(throws: ReportSyncError.self) {
                try ReportRules.checkWrite(content, replacing: nil, unit: "u", followUpTarget: nil, policy: policy)
            }
            #expect(error?.message.contains("主动公开") == true)
            var madeSecret = ReportContent(category: .dynamic, title: "t", body: "b", disclosure: .proactive)
            let before = madeSecret
            madeSecret.classification = classification
            #expect(throws: ReportSyncError.self, "making a proactive report \(classification) needs its disclosure changed too") {
                try ReportRules.checkWrite(madeSecret, replacing: before, unit: "u", followUpTarget: nil, policy: policy)
            }
            var edited = content
            edited.body = "新的正文"
            try ReportRules.checkWrite(edited, replacing: content, unit: "u", followUpTarget: nil, policy: policy)
            try ReportRules.checkWrite(
                ReportContent(category: .dynamic, title: "t", body: "b", classification: classification, disclosure: .onRequest),
                replacing: nil, unit: "u", followUpTarget: nil, policy: policy)
        }
    }

    @Test("an incomplete emergency report may still be saved as a draft")
    func incompleteDraftSaves() throws {
        try ReportRules.checkWrite(
            ReportContent(category: .emergency, title: "滑坡", body: ""), replacing: nil, unit: "u", followUpTarget: nil, policy: policy)
    }

    @Test("Disclosure attribute (000 政府信息公开报送审核制度 §4): exempt needs a reason")
    func exemptReason() throws {
        var content = ReportContent(category: .dynamic, title: "t", body: "b", disclosure: .exempt)
        #expect(throws: ReportSyncError.self) {
            try ReportRules.checkWrite(content, replacing: nil, unit: "u", followUpTarget: nil, policy: policy)
        }
        content.disclosureReason = "涉及个人隐私"
        try ReportRules.checkWrite(content, replacing: nil, unit: "u", followUpTarget: nil, policy: policy)
    }

    @Test("Follow-up reports (001/#1 §5): a follow-up continues an emergency report of the same unit")
    func followUps() throws {
        var followUp = ReportContent(category: .emergency, title: "续报", body: "进展", followUpOf: "first")
        let first = Fixtures.report("first", unit: "squad-3", content: Fixtures.completeEmergency())
        try ReportRules.checkSubmission(followUp, unit: "squad-3", followUpTarget: first, policy: policy)

        let missing = #expect(throws: ReportSyncError.self) {
            try ReportRules.checkWrite(followUp, replacing: nil, unit: "squad-3", followUpTarget: nil, policy: policy)
        }
        #expect(missing?.code == .notFound)
        let otherUnit = #expect(throws: ReportSyncError.self) {
            try ReportRules.checkWrite(followUp, replacing: nil, unit: "squad-4", followUpTarget: first, policy: policy)
        }
        #expect(otherUnit?.code == .ruleViolated)
        let news = Fixtures.report("first", unit: "squad-3", content: ReportContent(category: .dynamic, title: "t", body: "b"))
        #expect(throws: ReportSyncError.self) {
            try ReportRules.checkWrite(followUp, replacing: nil, unit: "squad-3", followUpTarget: news, policy: policy)
        }
        followUp.category = .dynamic
        #expect(throws: ReportSyncError.self) {
            try ReportRules.checkWrite(followUp, replacing: nil, unit: "squad-3", followUpTarget: first, policy: policy)
        }
    }

    @Test("Photos carry captions (图说, 004 §二): a photo without one blocks submission")
    func photoCaption() throws {
        var content = ReportContent(
            category: .dynamic, title: "t", body: "b", attachments: [Attachment(name: "scene.jpg", caption: nil)])
        #expect(content.attachments[0].kind == .photo)
        #expect(throws: ReportSyncError.self) {
            try ReportRules.checkSubmission(content, unit: "u", followUpTarget: nil, policy: policy)
        }
        content.attachments = [Attachment(name: "scene.jpg", caption: "现场")]
        try ReportRules.checkSubmission(content, unit: "u", followUpTarget: nil, policy: policy)
    }

    @Test("a report with no body cannot be submitted")
    func emptyBody() {
        #expect(throws: ReportSyncError.self) {
            try ReportRules.checkSubmission(
                ReportContent(category: .dynamic, title: "t", body: " "), unit: "u", followUpTarget: nil, policy: policy)
        }
    }
}
