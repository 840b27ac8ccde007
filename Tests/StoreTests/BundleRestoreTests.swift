import Foundation
@testable import Store
import SyncCore
import Testing
import TestSupport

/// A station that syncs by bundle alone, and a central restored from a backup (docs/bundles.md,
/// "A restored central"): the bundle back carries what the central held when it was written, so the
/// device finds out as a sync round over the network would, and sends again what the central lost.
@Suite("Bundles and a restored central")
struct BundleRestoreTests {
    let directory: URL
    let path: String
    let backup: String
    let token: String
    let laptop: FieldReplica

    /// A file central whose backup is taken before anything of the laptop's reached it, and a laptop
    /// of squad-3 set up over the network (its first round: the feed, the keys) that syncs by bundle from then on.
    init() throws {
        directory = try StoreFixtures.temporaryDirectory()
        path = directory.appendingPathComponent("central.sqlite").path
        backup = directory.appendingPathComponent("central.bak").path
        let central = try StoreFixtures.fileCentral(at: path)
        token = try central.enroll(unit: "squad-3", device: "laptop")
        laptop = try FieldReplica.create(
            at: directory.appendingPathComponent("laptop.sqlite").path, unit: "squad-3", centralURL: "memory", token: token)
        let device = try central.authenticate(token: token)
        try laptop.syncRound(with: central, token: token)
        try laptop.rememberCentralBundleKey(try central.bundleKey())
        _ = try laptop.recordBundleKeyRegistration(centralHolds: try central.bindBundleKey(try laptop.bundleKey().key, token: token, device: device))
        _ = try central.replica.backup(to: backup)
        try central.replica.close()
    }

    func central() throws -> CentralReplica { try CentralReplica.open(at: path) }

    /// The central put back from its backup with `syncd restore`, as the central office does.
    func restoreCentral() throws {
        _ = try CentralReplica.restore(from: backup, to: path)
    }

    /// A report drafted on the laptop, carried to the central and confirmed by the bundle back.
    func deliveredReport() throws -> String {
        let id = try laptop.replica.draft(ReportContent(category: .dynamic, title: "夜查", body: "中队开展夜查。"), by: "wang").id
        _ = try central().importBundle(try laptop.exportBundle(.all).file)
        let back = try laptop.importBundle(try central().exportBundle(unit: "squad-3").file)
        #expect(back.delivered == 1 && back.recovery.notices.isEmpty)
        #expect(try laptop.outbox().isEmpty)
        return id
    }

    @Test("a bundle from a restored central puts what it lost back in the outbox; the next bundle brings it back, and both hold the same report")
    func restoredCentralGetsItsChangesBack() throws {
        let id = try deliveredReport()
        try restoreCentral()
        #expect(throws: ReportSyncError.self) { try central().replica.record(id) }

        let back = try laptop.importBundle(try central().exportBundle(unit: "squad-3").file)
        #expect(back.recovery.resent == 1, "\(back.recovery)")
        #expect(back.recovery.notices.contains { $0.contains("restored from a backup") }, "\(back.recovery.notices)")
        #expect(try laptop.outbox().count == 1)

        let again = try central().importBundle(try laptop.exportBundle(.all).file)
        #expect(again.results.map(\.status) == [.accepted])
        let confirmed = try laptop.importBundle(try central().exportBundle(unit: "squad-3").file)
        #expect(confirmed.delivered == 1 && confirmed.recovery.notices.isEmpty)
        #expect(try laptop.outbox().isEmpty)
        #expect(try central().replica.record(id) == (try laptop.replica.record(id)))
    }

    @Test("a bundle written before the restore and imported after one written since is refused whole: the outbox and the cursor stay, and the central gets the report")
    func olderBundleIsRefused() throws {
        let id = try deliveredReport()
        let older = try central().exportBundle(unit: "squad-3").file
        try restoreCentral()
        let newer = try laptop.importBundle(try central().exportBundle(unit: "squad-3").file)
        #expect(newer.recovery.resent == 1)
        let cursor = try laptop.knowledge().cursor

        let refusal = #expect(throws: ReportSyncError.self) { try laptop.importBundle(older) }
        #expect(refusal?.code == .wrongState)
        #expect(refusal?.message.contains("written before the central was restored") == true, "\(refusal?.message ?? "")")
        #expect(try laptop.outbox().count == 1, "the older bundle's confirmation must not retire what the restored central lacks")
        #expect(try laptop.knowledge().cursor == cursor)

        _ = try central().importBundle(try laptop.exportBundle(.all).file)
        #expect(try central().replica.record(id) == (try laptop.replica.record(id)))
        // Had the older bundle's incarnation been taken for the current one, this would look like another restore.
        let next = try laptop.importBundle(try central().exportBundle(unit: "squad-3").file)
        #expect(next.recovery.notices.isEmpty, "\(next.recovery.notices)")
        #expect(try laptop.outbox().isEmpty)
    }

    @Test("a bundle key two enrolments share (a copied file with another token) still finds a restored central by the bundle")
    func sharedKeyFindsTheRestore() throws {
        let id = try deliveredReport()
        try restoreCentral()
        let copy = try central().enroll(unit: "squad-3", device: "laptop-copy")
        _ = try central().bindBundleKey(try laptop.bundleKey().key, token: copy, device: try central().authenticate(token: copy))
        let export = try central().exportBundle(unit: "squad-3")
        #expect(export.devices == ["laptop", "laptop-copy"])
        let back = try laptop.importBundle(export.file)
        #expect(back.recovery.resent == 1, "\(back.recovery)")
        _ = try central().importBundle(try laptop.exportBundle(.all).file)
        #expect(try central().replica.record(id) == (try laptop.replica.record(id)))
    }

    @Test("a bundle from a central that was not restored judges nothing, however many come")
    func nothingWrong() throws {
        _ = try deliveredReport()
        _ = try deliveredReport()
        let again = try laptop.importBundle(try central().exportBundle(unit: "squad-3").file)
        #expect(again.recovery == FieldRecovery())
    }
}
