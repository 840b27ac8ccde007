import Foundation
@testable import Store
import SyncCore
import Testing
import TestSupport

/// A bureau's policy letting internal reports on the network (docs/bundles.md, "Secret and internal
/// reports over the network"): the standing's releases against restores and rounds that overlap.
@Suite("Policy releases")
struct PolicyReleaseTests {
    let directory: URL
    let path: String
    let backup: String

    /// A file central of squad-3 with an admin who can change the policy.
    init() throws {
        directory = try StoreFixtures.temporaryDirectory()
        path = directory.appendingPathComponent("central.sqlite").path
        backup = directory.appendingPathComponent("central.bak").path
        let central = try StoreFixtures.fileCentral(at: path)
        try central.replica.addMember(Member(id: "qian", name: "钱管理员", unit: "bureau", role: .admin))
        try central.replica.close()
    }

    func central() throws -> CentralReplica { try CentralReplica.open(at: path) }

    /// A device of `unit` enrolled, through its first round, its bundle keys bound.
    func device(_ name: String, of unit: String = "squad-3") throws -> (replica: FieldReplica, token: String) {
        let central = try central()
        let token = try central.enroll(unit: unit, device: name)
        let device = try FieldReplica.create(
            at: directory.appendingPathComponent("\(name).sqlite").path, unit: unit, centralURL: "memory", token: token)
        try round(device, token)
        try device.rememberCentralBundleKey(try central.bundleKey())
        _ = try device.recordBundleKeyRegistration(
            centralHolds: try central.bindBundleKey(try device.bundleKey().key, token: token, device: try central.authenticate(token: token)))
        return (device, token)
    }

    /// A sync round of `device` over the network (`FieldReplica.syncRound`).
    @discardableResult
    func round(_ device: FieldReplica, _ token: String) throws -> FieldRecovery {
        try device.syncRound(with: try central(), token: token).recovery
    }

    func allowInternalOverNetwork(_ allowed: Bool) throws {
        var policy = Policy.standard
        policy.internalOverNetwork = allowed
        try central().replica.setPolicy(policy, effectiveFrom: nil, by: "qian")
    }

    /// An internal report drafted on `device` and carried to the central by bundle.
    func internalReportByBundle(from device: FieldReplica, titled title: String) throws -> String {
        var content = ReportContent(category: .dynamic, title: title, body: "内部情况")
        content.classification = .internal
        let id = try device.replica.draft(content, by: "wang").id
        _ = try central().importBundle(try device.exportBundle(.all).file)
        return id
    }

    @Test("a release the restored central makes again is pulled again for, though the device handled one at a higher sequence of the lost history")
    func releaseAfterRestore() throws {
        let (laptop, _) = try device("laptop")
        let (tablet, tabletToken) = try device("tablet")
        _ = try central().replica.backup(to: backup)
        for n in 0..<20 { try central().replica.addUnit(OrgUnit(id: "squad-x\(n)", name: "中队\(n)", kind: .squad, parent: "bureau")) }
        _ = try internalReportByBundle(from: laptop, titled: "恢复前")
        try round(tablet, tabletToken)
        try allowInternalOverNetwork(true)
        try round(tablet, tabletToken)

        // Put back from before the policy: internal reports are off the network again, and the
        // central's sequences after the backup are numbered again.
        _ = try CentralReplica.restore(from: backup, to: path)
        try round(tablet, tabletToken)
        let later = try internalReportByBundle(from: laptop, titled: "恢复后")
        try round(tablet, tabletToken)
        #expect(throws: ReportSyncError.self) { try tablet.replica.report(later) }
        try allowInternalOverNetwork(true)
        let released = try round(tablet, tabletToken)
        #expect(released.notices.contains { $0.contains("policy now lets reports on the network") }, "\(released.notices)")
        #expect(try tablet.replica.report(later).content.body == "内部情况")
    }

    @Test("a page fetched before another round pulled again for a release does not carry the cursor past it")
    func pageFetchedBeforeTheRewind() throws {
        let (laptop, _) = try device("laptop")
        let (tablet, tabletToken) = try device("tablet")
        let id = try internalReportByBundle(from: laptop, titled: "内部")
        try round(tablet, tabletToken)
        try allowInternalOverNetwork(true)
        try central().replica.addUnit(OrgUnit(id: "squad-9", name: "第九中队", kind: .squad, parent: "bureau"))
        // One round (the daemon's) asks for a page…
        let cursor = try tablet.pullCursor()
        let page = try central().feed(after: cursor, limit: 1000, units: ["squad-3"])
        // …while another (report-cli sync) reads the standing and moves the cursor back for the release…
        let known = try tablet.knowledge()
        let recovery = try tablet.reconcile(
            with: try central().standing(for: try central().authenticate(token: tabletToken), asking: known.replicas), known: known)
        #expect(recovery.notices.count == 1)
        #expect(try tablet.pullCursor() < cursor)
        // …and the first round's page goes in after it.
        _ = try tablet.applyPulled(try page.changes.map { try JSONCoding.value(Change.self, from: $0.body) }, after: cursor, next: page.covered)
        #expect(try tablet.pullCursor() < cursor, "the page must not carry the cursor past the release")
        try round(tablet, tabletToken)
        #expect(try tablet.replica.report(id).content.body == "内部情况")
    }

    @Test("a device of a unit with no internal report pulls nothing again for a release; one of a unit above the report's does")
    func releaseScopedToTheUnits() throws {
        try central().replica.addUnit(OrgUnit(id: "squad-4", name: "第四中队", kind: .squad, parent: "bureau"))
        try central().replica.addMember(Member(id: "sun", name: "孙", unit: "squad-4", role: .drafter))
        let (laptop, _) = try device("laptop")
        let (other, otherToken) = try device("other", of: "squad-4")
        let (office, officeToken) = try device("office", of: "bureau")
        _ = try internalReportByBundle(from: laptop, titled: "内部")
        for n in 0..<3 { _ = try other.replica.draft(ReportContent(category: .dynamic, title: "四中队\(n)", body: "公开"), by: "sun") }
        try round(other, otherToken)
        try round(office, officeToken)
        try allowInternalOverNetwork(true)

        let standing = try central().standing(for: try central().authenticate(token: otherToken))
        #expect(standing.releases == [], "squad-4 has no internal report")
        let cursor = try other.pullCursor()
        #expect(try round(other, otherToken).notices.isEmpty)
        #expect(try other.pullCursor() >= cursor)
        #expect(try round(office, officeToken).notices.count == 1, "the bureau's scope holds squad-3")
    }

    @Test("a release no central could write (its first change before sequence 1, after the release, or past the top) is ignored")
    func impossibleReleasesIgnored() throws {
        var standing = CentralStanding(
            incarnations: [.init(id: "a", base: 0)], top: 50, device: [], central: [], centralNow: .init(replica: "c", counter: 1), elsewhere: [])
        standing.releases = [.init(at: 40, from: .min), .init(at: 10, from: 20), .init(at: .max, from: 5), .init(at: 30, from: 25)]
        #expect(standing.possibleReleases == [.init(at: 30, from: 25)])
        #expect(standing.pullFrom(releasesAfter: 0, cursor: 45) == 24)
        #expect(standing.pullFrom(releasesAfter: 30, cursor: 45) == 45)
    }
}
