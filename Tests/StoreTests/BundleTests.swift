import Foundation
@testable import Store
import SyncCore
import TestSupport
import Testing

/// Bundle files between the real stores, in process: what the end-to-end tests do not reach
/// (docs/bundles.md).
@Suite("Bundles")
struct BundleTests {
    let central: CentralReplica
    let field: FieldReplica
    let token: String

    init() throws {
        try self.init(central: try CentralReplica.inMemory(bureau: OrgUnit(id: "bureau", name: "某某局", kind: .centralOffice)))
    }

    /// The fixture around `central`, a new central replica.
    init(central: CentralReplica) throws {
        self.central = central
        try central.replica.addUnit(OrgUnit(id: "squad-3", name: "第三中队", kind: .squad, parent: "bureau"))
        for person in BureauSimulation.people { try central.replica.addMember(person) }
        token = try central.enroll(unit: "squad-3", device: "laptop")
        field = try FieldReplica.inMemory(unit: "squad-3")
        try pull(into: field)
    }

    /// What a sync round does before bundles can go: the feed, and the central's bundle key.
    func pull(into device: FieldReplica) throws {
        let feed = try central.feed(after: try device.pullCursor(), limit: 1000, units: ["squad-3"])
        _ = try device.applyPulled(try feed.changes.map { try JSONCoding.value(Change.self, from: $0.body) }, next: feed.covered)
        try device.rememberCentralBundleKey(try central.bundleKey())
    }

    /// A sync round of `device` over the network (`FieldReplica.syncRound`).
    @discardableResult
    func round(into device: FieldReplica, token: String, limit: Int = 1000) throws -> (recovery: FieldRecovery, pages: [Int]) {
        try device.syncRound(with: central, token: token, limit: limit)
    }

    /// A field replica set up with `token` like `init` does (the in-memory fixture has no token), its
    /// clock `ahead` of this machine's by that many seconds.
    func device(token: String, ahead: TimeInterval = 0) throws -> FieldReplica {
        let path = try StoreFixtures.temporaryDirectory().appendingPathComponent("device.sqlite").path
        let device = try FieldReplica.create(
            at: path, unit: "squad-3", centralURL: "memory", token: token, now: { Date().addingTimeInterval(ahead) })
        try pull(into: device)
        // The first sync round binds the device's bundle keys to its enrolment (`PUT /v1/bundle-key`).
        let held = try central.bindBundleKey(try device.bundleKey().key, token: token, device: try central.authenticate(token: token))
        _ = try device.recordBundleKeyRegistration(centralHolds: held)
        return device
    }

    func secretDraft(on device: FieldReplica) throws -> String {
        var content = ReportContent(category: .emergency, title: "涉密", body: "正文")
        content.classification = .secret
        return try device.replica.draft(content, by: "wang").id
    }

    @Test("a bundle to the unit that starts past what the device has pulled is refused, and nothing is taken; one from its cursor is taken")
    func gapRefused() throws {
        let laptop = try device(token: token)
        _ = try secretDraft(on: laptop)
        _ = try central.importBundle(try laptop.exportBundle().file)
        // More happens at the central that this device has not pulled.
        try central.replica.addUnit(OrgUnit(id: "squad-9", name: "第九中队", kind: .squad, parent: "bureau"))
        let later = try central.exportBundle(unit: "squad-3", after: try laptop.pullCursor() + 1)
        let before = try laptop.replica.reportDigests()
        let refusal = #expect(throws: ReportSyncError.self) { try laptop.importBundle(later.file) }
        let cursor = try laptop.pullCursor()
        #expect(refusal?.message.contains("--after \(cursor)") == true, "\(refusal?.message ?? "")")
        #expect(try laptop.replica.reportDigests() == before)
        let imported = try laptop.importBundle(try central.exportBundle(unit: "squad-3").file)
        #expect(imported.delivered == 1)
        #expect(try laptop.outbox().isEmpty)
    }

    /// One network push of `device`'s next batch, answered in full.
    func push(_ device: FieldReplica) throws -> [PushResult.Status] {
        let batch = try device.nextPush(limit: 1000)
        let answers = try central.receivePush(batch.map(\.change), from: try central.authenticate(token: try device.central().token))
        try device.acknowledge(sent: batch, answers: answers)
        return answers.map(\.status)
    }

    @Test("a follow-up of a report made secret, received by bundle, is kept off the network feed with its first report, and a network push of one is held")
    func followUpOfSecretStaysOffTheNetwork() throws {
        let laptop = try device(token: token)
        let tablet = try device(token: try central.enroll(unit: "squad-3", device: "tablet"))
        let first = try laptop.replica.draft(ReportContent(category: .emergency, title: "突发", body: "首报"), by: "wang").id
        _ = try push(laptop)
        try pull(into: tablet)
        var patch = ReportPatch()
        patch.classification = .secret
        _ = try laptop.replica.edit(first, with: patch, by: "wang")
        var next = ReportContent(category: .emergency, title: "续报", body: "续报正文")
        next.followUpOf = first
        let followUp = try laptop.replica.draft(next, by: "wang").id
        _ = try central.importBundle(try laptop.exportBundle().file)
        #expect(try central.replica.report(followUp).content.title == "续报", "the bundle brought both")
        let network = try central.feed(after: 0, limit: 1000, units: ["squad-3"]).changes.map(\.body)
        #expect(
            !network.contains { $0.contains("突发") || $0.contains("首报") || $0.contains("续报") }, "no text of either crosses the network any more")

        // The tablet does not know the first report is secret now, and pushes a follow-up of it.
        var another = ReportContent(category: .emergency, title: "再续报", body: "正文")
        another.followUpOf = first
        let ids = Set(try central.replica.reportDigests().keys)
        _ = try tablet.replica.draft(another, by: "wang")
        #expect(try push(tablet) == [.held])
        #expect(Set(try central.replica.reportDigests().keys) == ids)
    }

    @Test("the central's refusal of a follow-up kept off the network with its secret first report carries a stand-in reason; its bundle to the unit gives its own")
    func followUpRefusalKeepsItsReasonOffTheLog() throws {
        let laptop = try device(token: token)
        let first = try secretDraft(on: laptop)
        var next = ReportContent(category: .emergency, title: "续报", body: "续报正文")
        next.followUpOf = first
        let followUp = try laptop.replica.draft(next, by: "wang").id
        _ = try central.importBundle(try laptop.exportBundle().file)
        var patch = ReportPatch()
        patch.body = "改后的续报"
        _ = try laptop.replica.edit(followUp, with: patch, by: "wang")
        // The central holds wang in another unit now (set in its table directly): his edit is refused.
        try central.replica.write { db in try db.execute(sql: "UPDATE members SET unit = 'bureau' WHERE id = 'wang'") }
        _ = try central.importBundle(try laptop.exportBundle().file)
        let voids = try central.replica.changes(limit: 1000).compactMap { stored -> VoidMarker? in
            if case .void(let marker) = stored.change.payload { marker } else { nil }
        }
        #expect(voids.map(\.reason) == [VoidMarker.reasonKeptOffTheNetwork])
        let network = try central.feed(after: 0, limit: 1000, units: ["squad-3"]).changes.map(\.body)
        #expect(!network.contains { $0.contains(first) || $0.contains(followUp) }, "not even the void names either report on the network")
        _ = try laptop.importBundle(try central.exportBundle(unit: "squad-3").file)
        let shown = try #require(try laptop.pushRejections().first { $0.record == followUp })
        #expect(shown.reason != VoidMarker.reasonKeptOffTheNetwork && shown.reason.contains("wang"), "\(shown.reason)")
    }

    @Test("a change the central refuses without a void reaches a device that syncs by bundle alone as a refusal, and leaves its outbox")
    func refusalsComeBackByBundle() throws {
        let laptop = try device(token: token)
        let id = try secretDraft(on: laptop)
        // The central holds wang as a leader (as if his role had changed while the station was away; set in
        // its table directly, there being no command for it): his creating write is refused, and no void says so.
        try central.replica.write { db in try db.execute(sql: "UPDATE members SET role = 'leader' WHERE id = 'wang'") }
        let imported = try central.importBundle(try laptop.exportBundle().file)
        #expect(imported.results.map(\.status) == [.rejected])
        let back = try laptop.importBundle(try central.exportBundle(unit: "squad-3").file)
        #expect(back.delivered == 0)
        #expect(try laptop.outbox().isEmpty, "the refused change does not go in every later bundle")
        #expect(try laptop.pushRejections().map(\.record) == [id])
    }

    @Test("a report made secret and carried by bundle, then made public again: a device that pulled over the network past its secret-era changes gets them with the declassification")
    func declassifiedHistoryReachesNetworkReaders() throws {
        let laptop = try device(token: token)
        let tablet = try device(token: try central.enroll(unit: "squad-3", device: "tablet"))
        let id = try laptop.replica.draft(ReportContent(category: .dynamic, title: "夜查", body: "初稿"), by: "wang").id
        _ = try push(laptop)
        try pull(into: tablet)
        var secret = ReportPatch()
        secret.classification = .secret
        _ = try laptop.replica.edit(id, with: secret, by: "wang")
        var body = ReportPatch()
        body.body = "定密期间的修改"
        _ = try laptop.replica.edit(id, with: body, by: "wang")
        _ = try central.importBundle(try laptop.exportBundle().file)
        try pull(into: tablet)
        let withdrawn = try tablet.replica.report(id)
        #expect(withdrawn.content.body == "" && withdrawn.withheldFields == ["body", "category", "contact", "title"], "the earlier text withdrawn, nothing of the secret era")
        try pull(into: laptop)
        var open = ReportPatch()
        open.classification = .public
        _ = try laptop.replica.edit(id, with: open, by: "wang")
        _ = try push(laptop)
        try pull(into: tablet)
        #expect(try tablet.replica.report(id).content.body == "定密期间的修改")
        #expect(try tablet.replica.report(id).content.title == "夜查", "made public again, the withdrawn text comes back")
        #expect(try tablet.replica.pendingCount() == 0, "nothing waits for changes the feed skipped")
        #expect(try tablet.replica.reportDigests()[id] == central.replica.reportDigests()[id])
    }

    @Test("a returned report its unit raised off the network is kept off it at the central from the redaction on (desk, feed, scores' titles), its text kept for the central's console")
    func withdrawnOnTheDesk() async throws {
        try TestSigners.register(["wang", "li", "zhao"], on: central.replica)
        let laptop = try device(token: token)
        let id = try laptop.replica.draft(ReportContent(category: .dynamic, title: "夜查", body: "初稿"), by: "wang").id
        for (action, actor) in [(WorkflowAction.submit, "wang"), (.review, "li"), (.sign, "zhao")] {
            try laptop.replica.perform(action, on: id, by: actor)
        }
        _ = try push(laptop)
        try central.replica.perform(.return, on: id, by: "chen", comment: "请补充")
        try pull(into: laptop)
        var secret = ReportPatch()
        secret.classification = .secret
        _ = try laptop.replica.edit(id, with: secret, by: "wang")
        #expect(try push(laptop) == [.accepted], "the redaction goes; the raise waits for a bundle")
        for replica in [laptop.replica, central.replica] {
            let checks = try replica.verifySteps(report: id)
            let failed = checks.filter { !$0.verified }
            #expect(failed.isEmpty, "every write and step verifies, its text withheld or kept: \(failed)")
        }
        #expect(try await central.deskReport(id).report.visibility == .offNetwork, "the redaction says what it was raised to")
        #expect(try central.replica.reportFacts().first { $0.id == id }?.title == ReportFacts.secretTitle, "scores and bulletins name it 涉密信息")
        #expect(try central.replica.report(id).content.title == "夜查", "the central keeps the text, for its console")
        let network = try central.feed(after: 0, limit: 1000, units: ["squad-3"]).changes.map(\.body).joined()
        #expect(!network.contains("夜查") && !network.contains("初稿"), "the feed carries none of its text")
        // As a central put back from a backup taken before it kept the text: the laptop's bundle gives it back.
        func kept() throws -> Int { try central.replica.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM withheld_originals") ?? 0 } }
        #expect(try kept() > 0)
        try central.replica.write { db in try db.execute(sql: "DELETE FROM withheld_originals") }
        _ = try central.importBundle(try laptop.exportBundle().file)
        #expect(try kept() > 0, "the bundle gave the central the text back")
        #expect(try await central.deskReport(id).report.visibility == .offNetwork)
    }

    @Test("a device that first pulls after a report was raised off the network gets its history withheld and the redaction, and nothing waits")
    func latecomerGetsTheWithheldHistory() throws {
        try TestSigners.register(["wang", "li"], on: central.replica)
        let laptop = try device(token: token)
        let id = try laptop.replica.draft(ReportContent(category: .dynamic, title: "夜查", body: "初稿"), by: "wang").id
        try laptop.replica.perform(.submit, on: id, by: "wang")
        _ = try push(laptop)
        var secret = ReportPatch()
        secret.classification = .secret
        _ = try laptop.replica.edit(id, with: secret, by: "wang")
        _ = try push(laptop)
        _ = try central.importBundle(try laptop.exportBundle().file)
        let late = try device(token: try central.enroll(unit: "squad-3", device: "late"))
        let report = try late.replica.report(id)
        #expect(report.content.title == "" && report.withheldFields?.contains("title") == true && report.state == .awaitingReview)
        #expect(try late.replica.pendingCount() == 0, "the steps it needs came with the copies")
        let log = try late.replica.changes(limit: 1000).map(\.change.canonicalJSON).joined()
        #expect(!log.contains("夜查") && !log.contains("初稿"), "no text of it reached the late device")
    }

    @Test("an edit still in the outbox when the report is raised: the redaction waits at the central for it, and the bundle brings both; nothing is lost")
    func raiseOverAnUnsentEdit() throws {
        let laptop = try device(token: token)
        let id = try laptop.replica.draft(ReportContent(category: .dynamic, title: "夜查", body: "初稿"), by: "wang").id
        _ = try push(laptop)
        try editThenRaise(id, body: "离线修改", on: laptop)
        _ = try push(laptop)
        #expect(try central.replica.report(id).content.body == "初稿", "nothing withdrawn before the edit it covers arrives")
        let imported = try central.importBundle(try laptop.exportBundle().file)
        #expect(!imported.results.contains { $0.status == .rejected }, "\(imported.results.map(\.status))")
        #expect(try central.replica.report(id).content.body == "离线修改")
        #expect(try central.replica.reportDigests()[id] == laptop.replica.reportDigests()[id])
    }

    /// The standard policy with internal reports allowed over the network, loaded by an admin of the
    /// bureau on `central`, in force from `day` (today when nil).
    static func allowInternalOverNetwork(on central: CentralReplica, from day: CalendarDay? = nil) throws {
        if (try? central.replica.member("qian")) == nil {
            try central.replica.addMember(Member(id: "qian", name: "钱管理员", unit: "bureau", role: .admin))
        }
        var open = Policy.standard
        open.internalOverNetwork = true
        try central.replica.setPolicy(open, effectiveFrom: day, by: "qian")
    }

    /// An internal report drafted on `laptop` and carried to the central by bundle, while `tablet`
    /// pulled over the network past its changes.
    func internalReportByBundle(from laptop: FieldReplica, past tablet: FieldReplica) throws -> String {
        var content = ReportContent(category: .dynamic, title: "不宜公开", body: "内部情况")
        content.classification = .internal
        let id = try laptop.replica.draft(content, by: "wang").id
        _ = try central.importBundle(try laptop.exportBundle().file)
        try pull(into: tablet)
        #expect(try tablet.pullCursor() == central.feed(after: 0, limit: 1000, units: ["squad-3"]).covered)
        #expect(throws: ReportSyncError.self) { try tablet.replica.report(id) }
        return id
    }

    @Test("a bureau that starts allowing internal reports over the network: a device that pulled past an internal report's changes pulls again from its first and gets them, once")
    func policyReleasesInternalReports() throws {
        let laptop = try device(token: token)
        let tabletToken = try central.enroll(unit: "squad-3", device: "tablet")
        let tablet = try device(token: tabletToken)
        let id = try internalReportByBundle(from: laptop, past: tablet)
        try Self.allowInternalOverNetwork(on: central)
        let released = try round(into: tablet, token: tabletToken)
        #expect(released.recovery.notices.contains { $0.contains("policy now lets reports on the network") }, "\(released.recovery.notices)")
        #expect(try tablet.replica.report(id).content.body == "内部情况")
        #expect(try tablet.replica.pendingCount() == 0, "nothing waits for changes the feed skipped")
        #expect(try tablet.replica.reportDigests()[id] == central.replica.reportDigests()[id])
        let next = try round(into: tablet, token: tabletToken)
        #expect(next.recovery == FieldRecovery() && next.pages == [0], "a release is pulled again for once")
    }

    @Test("a release of many internal reports comes in pages no larger than the feed's, not in one")
    func policyReleaseComesInPages() throws {
        let laptop = try device(token: token)
        let tabletToken = try central.enroll(unit: "squad-3", device: "tablet")
        let tablet = try device(token: tabletToken)
        var ids: [String] = []
        for n in 0..<25 {
            var content = ReportContent(category: .dynamic, title: "不宜公开\(n)", body: "内部情况")
            content.classification = .internal
            ids.append(try laptop.replica.draft(content, by: "wang").id)
        }
        _ = try central.importBundle(try laptop.exportBundle().file)
        try round(into: tablet, token: tabletToken, limit: 10)
        try Self.allowInternalOverNetwork(on: central)
        let released = try round(into: tablet, token: tabletToken, limit: 10)
        #expect(released.pages.count > 2 && released.pages.allSatisfy { $0 <= 10 }, "\(released.pages)")
        for id in ids { #expect(try tablet.replica.report(id).content.body == "内部情况") }
        #expect(try tablet.replica.pendingCount() == 0)
    }

    @Test("a policy allowing internal reports from a later day releases them at the central's first write on that day, not before")
    func policyReleasesInternalReportsOnItsDay() throws {
        let clock = TestClock(Date())
        let central = try CentralReplica.inMemory(bureau: OrgUnit(id: "bureau", name: "某某局", kind: .centralOffice), now: { clock.now })
        let scoped = try BundleTests(central: central)
        let laptop = try scoped.device(token: scoped.token)
        let tabletToken = try central.enroll(unit: "squad-3", device: "tablet")
        let tablet = try scoped.device(token: tabletToken)
        let id = try scoped.internalReportByBundle(from: laptop, past: tablet)
        let zone = WorkingCalendar(policy: try central.replica.policy()).timeZone
        let tomorrow = CalendarDay(BureauTime.day(clock.now.addingTimeInterval(86_400), in: zone))!
        try Self.allowInternalOverNetwork(on: central, from: tomorrow)
        try scoped.round(into: tablet, token: tabletToken)
        #expect(throws: ReportSyncError.self, "not before its day") { try tablet.replica.report(id) }
        clock.advance(86_400)
        try central.replica.addUnit(OrgUnit(id: "squad-9", name: "第九中队", kind: .squad, parent: "bureau"))
        try scoped.round(into: tablet, token: tabletToken)
        #expect(try tablet.replica.report(id).content.body == "内部情况")
        #expect(try tablet.replica.reportDigests()[id] == central.replica.reportDigests()[id])
    }

    @Test("a later 'public' written concurrently with a 'secret' does not put the report back on the network: the push is held, the feed leaves the report out")
    func concurrentClassificationsJudgedByTheStrictest() throws {
        let laptop = try device(token: token)
        // The tablet's clock runs a minute ahead: its write is the later one, and wins the field.
        let tablet = try device(token: try central.enroll(unit: "squad-3", device: "tablet"), ahead: 60)
        let id = try laptop.replica.draft(ReportContent(category: .dynamic, title: "夜查", body: "初稿"), by: "wang").id
        _ = try push(laptop)
        try pull(into: tablet)
        var secret = ReportPatch()
        secret.classification = .secret
        secret.body = "定密后的正文"
        _ = try laptop.replica.edit(id, with: secret, by: "wang")
        // The tablet writes the field too (a patch writes only what changes: internal, then public again).
        for value in [Classification.internal, .public] {
            var patch = ReportPatch()
            patch.classification = value
            _ = try tablet.replica.edit(id, with: patch, by: "wang")
        }
        _ = try central.importBundle(try laptop.exportBundle().file)
        // The tablet's own redaction (its raise to internal) is held with them: the central holds the report off the network.
        #expect(try push(tablet) == [.held, .held, .held])
        #expect(try tablet.replica.report(id).content.classification == .public)
        let network = try central.feed(after: 0, limit: 1000, units: ["squad-3"]).changes.map(\.body)
        #expect(!network.contains { $0.contains("夜查") || $0.contains("初稿") || $0.contains("定密后的正文") }, "no text of it on the network")

        // Both values meet at the central and on the laptop; writing 'public' again there settles it.
        _ = try central.importBundle(try tablet.exportBundle(.all).file)
        #expect(try central.replica.record(id).fields["classification"]?.count == 2)
        _ = try laptop.importBundle(try central.exportBundle(unit: "squad-3").file)
        var settle = ReportPatch()
        settle.classification = .public
        _ = try laptop.replica.edit(id, with: settle, by: "wang")
        #expect(try push(laptop) == [.accepted, .accepted], "the sealing of what the laptop wrote while it was secret, and the lowering")
        #expect(try central.replica.record(id).guardedClassification == .public)
        let after = try central.feed(after: 0, limit: 1000, units: ["squad-3"]).changes.map(\.body)
        #expect(after.contains { $0.contains("初稿") }, "settled public, the report is on the network again")
        #expect(!after.contains { $0.contains("定密后的正文") }, "the body the laptop wrote with the raise lost to the tablet's: it stays sealed")
    }

    @Test(
        "a raise the central refuses still keeps the report off the network: what its device wrote after it was written as secret; its refusal reaches the devices by sync with a stand-in reason, and the full one by bundle"
    )
    func refusedRaiseStaysOffTheNetwork() throws {
        let (laptop, id) = try reportWithdrawnOnTheTablet()
        var raise = ReportPatch()
        raise.classification = .secret
        raise.body = "定密后的正文"
        _ = try laptop.replica.edit(id, with: raise, by: "wang")
        _ = try push(laptop)
        _ = try central.importBundle(try laptop.exportBundle().file)
        let record = try central.replica.record(id)
        #expect(record.voided.count == 1, "the raise is refused: the central holds the report withdrawn")
        #expect(record.networkClassification == .secret, "its redaction still keeps it off the network")
        // The void goes by network (it holds no text), its reason not: a refusal may quote the report. The
        // device shows the refusal at once; its record takes the void when the bundle brings its causes
        // (the withdrawal, kept off the network with the report).
        try pull(into: laptop)
        let refused = try #require(try laptop.pushRejections().first { $0.record == id })
        #expect(refused.reason == VoidMarker.reasonKeptOffTheNetwork)
        _ = try laptop.importBundle(try central.exportBundle(unit: "squad-3").file)
        #expect(try laptop.replica.record(id).networkClassification == .secret)
        #expect(try laptop.replica.record(id).voided.count == 1)
        let shown = try #require(try laptop.pushRejections().first { $0.record == id })
        #expect(shown.reason.contains("withdrawn"), "the bundle gives the central's own reason: \(shown.reason)")
        // The feed taken in again (a crash before its cursor was kept): the stand-in does not replace it.
        let again = try central.feed(after: 0, limit: 1000, units: ["squad-3"]).changes
        _ = try laptop.applyPulled(try again.map { try JSONCoding.value(Change.self, from: $0.body) }, next: try laptop.pullCursor())
        #expect(try laptop.pushRejections().first { $0.record == id }?.reason == shown.reason)
        let network = again.map(\.body)
        #expect(!network.contains { $0.contains("定密后的正文") || $0.contains("初稿") })
        #expect(network.contains { $0.contains(VoidMarker.reasonKeptOffTheNetwork) })
    }

    @Test("a refusal the central makes before the redaction that comes in the same bundle keeps the central's reason, and goes by bundle only")
    func refusalBeforeTheRaiseStaysOffTheFeed() throws {
        let (laptop, id) = try reportWithdrawnOnTheTablet()
        try editThenRaise(id, body: "离线改稿", on: laptop)
        _ = try central.importBundle(try laptop.exportBundle().file)
        #expect(try central.replica.record(id).voided.count == 2, "the edit and the raise are refused: the report is withdrawn")
        let voids = try central.feed(after: 0, limit: 1000, units: ["squad-3"]).changes.compactMap { row -> VoidMarker? in
            if case .void(let marker) = try JSONCoding.value(Change.self, from: row.body).payload { marker } else { nil }
        }
        #expect(voids.map(\.reason) == [VoidMarker.reasonKeptOffTheNetwork], "only the void made once the report was raised goes by network")
    }

    /// Wang edits report `id`'s body on `device` without syncing, then makes it secret.
    func editThenRaise(_ id: String, body: String, on device: FieldReplica) throws {
        var edit = ReportPatch()
        edit.body = body
        _ = try device.replica.edit(id, with: edit, by: "wang")
        var raise = ReportPatch()
        raise.classification = .secret
        _ = try device.replica.edit(id, with: raise, by: "wang")
    }

    /// A report wang drafted on a laptop, pushed, and withdrew on a tablet, which pushed the withdrawal:
    /// the laptop, which has not pulled since, still holds it as a draft.
    func reportWithdrawnOnTheTablet() throws -> (laptop: FieldReplica, id: String) {
        try TestSigners.register(["wang"], on: central.replica)
        let laptop = try device(token: token)
        let tablet = try device(token: try central.enroll(unit: "squad-3", device: "tablet"))
        let id = try laptop.replica.draft(ReportContent(category: .dynamic, title: "夜查", body: "初稿"), by: "wang").id
        _ = try push(laptop)
        try pull(into: tablet)
        _ = try tablet.replica.perform(.withdraw, on: id, by: "wang", comment: "撤回")
        _ = try push(tablet)
        return (laptop, id)
    }

    @Test("a bundle addressed to the device but signed by a key other than its central's is refused, and nothing is taken")
    func foreignCentralRefused() throws {
        let laptop = try device(token: token)
        // The device's public keys are in the clear in any bundle it wrote: anyone may address it.
        let deviceKey = try laptop.exportBundle().header.sender
        let forged = UnitBundle(bureau: "bureau", unit: "squad-3", after: 0, covered: 1_000_000, changes: [])
        let file = try BundleFile.seal(
            try JSONCoding.encoder().encode(forged), direction: .toUnit, id: UUIDv7.make(), at: Date(), from: BundleIdentity(),
            to: [deviceKey])
        let cursor = try laptop.pullCursor()
        let refusal = #expect(throws: ReportSyncError.self) { try laptop.importBundle(file) }
        #expect(refusal?.message.contains("not written by this replica's central") == true, "\(refusal?.message ?? "")")
        #expect(try laptop.pullCursor() == cursor)
    }

    @Test("the central's bundle keys are pinned at the device's first round: a standing that names others gets a notice, and bundles stay encrypted to the first")
    func centralKeyPinned() throws {
        let laptop = try device(token: token)
        let impostor = try CentralReplica.inMemory(bureau: OrgUnit(id: "bureau", name: "冒充的局", kind: .centralOffice))
        let notice = try laptop.rememberCentralBundleKey(try impostor.bundleKey())
        #expect(notice?.contains("other bundle keys") == true, "\(notice ?? "")")
        #expect(throws: ReportSyncError.self) { try impostor.importBundle(try laptop.exportBundle().file) }
        _ = try central.importBundle(try laptop.exportBundle().file)
    }

    @Test("once a device's first round bound its bundle keys, another replica file with its token is told so at registration, and its bundles are refused")
    func copiedTokenRefused() throws {
        let laptop = try device(token: token)
        let path = try StoreFixtures.temporaryDirectory().appendingPathComponent("copy.sqlite").path
        let copy = try FieldReplica.create(at: path, unit: "squad-3", centralURL: "memory", token: token)
        try pull(into: copy)
        let refusal = #expect(throws: ReportSyncError.self) {
            try central.bindBundleKey(try copy.bundleKey().key, token: token, device: try central.authenticate(token: token))
        }
        #expect(refusal?.message.contains("revoke the device and enroll it again") == true)
        #expect(try central.exportBundle(unit: "squad-3").devices == ["laptop"], "bundles to the unit are not encrypted to it")
        _ = try secretDraft(on: copy)
        let before = try central.replica.reportDigests()
        let refused = #expect(throws: ReportSyncError.self) { try central.importBundle(try copy.exportBundle().file) }
        #expect(refused?.message.contains("signed by another key") == true, "\(refused?.message ?? "")")
        #expect(try central.replica.reportDigests() == before)
        _ = laptop
    }
}
