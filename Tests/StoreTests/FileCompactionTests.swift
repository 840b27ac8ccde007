import Foundation
@testable import Store
import SyncCore
import TestSupport
import Testing

/// `syncd compact` and attachments' files (docs/attachments.md): a file goes only when no report names
/// it and every device in force has pulled past the last change that did.
@Suite("Compacting attachments' files")
struct FileCompactionTests {
    @Test("a file no report names is kept while a device has not pulled past its last mention, then removed; a named file stays")
    func unnamedFilesGoOnceEveryDeviceIsPast() async throws {
        let directory = try StoreFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let central = try CentralReplica.create(
            at: directory.appendingPathComponent("central.sqlite").path, bureau: OrgUnit(id: "bureau", name: "某某局", kind: .centralOffice))
        try central.replica.addUnit(OrgUnit(id: "squad-3", name: "第三中队", kind: .squad, parent: "bureau"))
        for person in BureauSimulation.people { try central.replica.addMember(person) }
        let laptopToken = try central.enroll(unit: "squad-3", device: "laptop")
        let tabletToken = try central.enroll(unit: "squad-3", device: "tablet")
        let field = try FieldReplica.create(
            at: directory.appendingPathComponent("laptop.sqlite").path, unit: "squad-3", centralURL: "memory", token: laptopToken)
        let feed = try central.feed(after: 0, limit: 1000, units: ["squad-3"])
        _ = try field.applyPulled(try feed.changes.map { try JSONCoding.value(Change.self, from: $0.body) }, next: feed.covered)

        var attachments: [SyncCore.Attachment] = []
        for (name, text) in [("dropped.jpg", "dropped"), ("kept.jpg", "kept")] {
            let path = directory.appendingPathComponent(name).path
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            attachments.append(try field.replica.storeFile(at: path, name: name, caption: "图", mediaType: "image/jpeg"))
        }
        var content = StoreFixtures.news()
        content.attachments = attachments
        let id = try field.replica.draft(content, by: "wang").id
        var patch = ReportPatch()
        patch.removeAttachments = ["dropped.jpg"]
        _ = try field.replica.edit(id, with: patch, by: "wang")
        let laptop: Enrollment = try await central.authenticate(token: laptopToken)
        _ = try await central.receivePush(try field.nextPush(limit: 100).map(\.change), from: laptop)
        for (attachment, text) in zip(attachments, ["dropped", "kept"]) {
            let reference = try #require(attachment.blob)
            try central.fileStore().append(Data(text.utf8), at: 0, to: reference, from: "laptop")
            try central.replica.noteHeld(reference)
        }
        let dropped = try #require(attachments[0].blob?.hash)
        let kept = try #require(attachments[1].blob?.hash)

        #expect(try central.compact().filesRemoved.files == 0, "no device has pulled past the change that named it")
        _ = try central.feed(after: 0, limit: 1000, for: laptop)
        #expect(try central.compact().filesRemoved.files == 0, "the tablet has not")
        _ = try await central.feed(after: 0, limit: 1000, for: central.authenticate(token: tabletToken))
        let done = try central.compact()
        #expect(done.filesRemoved.files == 1 && done.filesRemoved.bytes == 7)
        #expect(try !central.fileStore().contains(dropped) && central.fileStore().contains(kept))
    }
}
