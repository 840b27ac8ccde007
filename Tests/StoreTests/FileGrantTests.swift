import Foundation
@testable import Store
import SyncCore
import TestSupport
import Testing

/// Who may send and fetch a file at the central, and what a sender can do to another's transfer
/// (docs/attachments.md "Who may read a file"): on the real stores, with a device crafting what it pushes.
@Suite("Files: grants and senders")
struct FileGrantTests {
    let directory: URL
    let central: CentralReplica
    let laptop: Enrollment
    let tablet: Enrollment
    let station: Enrollment

    init() throws {
        directory = try StoreFixtures.temporaryDirectory()
        central = try CentralReplica.create(
            at: directory.appendingPathComponent("central.sqlite").path, bureau: OrgUnit(id: "bureau", name: "某某局", kind: .centralOffice))
        try central.replica.addUnit(OrgUnit(id: "squad-3", name: "第三中队", kind: .squad, parent: "bureau"))
        try central.replica.addUnit(OrgUnit(id: "squad-4", name: "第四中队", kind: .squad, parent: "bureau"))
        for person in BureauSimulation.people { try central.replica.addMember(person) }
        try central.replica.addMember(Member(id: "sun", name: "孙", unit: "squad-4", role: .drafter))
        laptop = try central.authenticate(token: try central.enroll(unit: "squad-3", device: "laptop"))
        tablet = try central.authenticate(token: try central.enroll(unit: "squad-3", device: "tablet"))
        station = try central.authenticate(token: try central.enroll(unit: "squad-4", device: "station"))
    }

    /// A report of `unit` naming `photo`, drafted on a device of the unit and pushed as it would be: a
    /// device that only claims to hold the file (it noted the hash, never had the bytes).
    func report(naming photo: BlobReference, unit: String, by drafter: String, from device: Enrollment) throws {
        let field = try FieldReplica.inMemory(unit: unit)
        let feed = try central.feed(after: 0, limit: 1000, units: [unit])
        _ = try field.applyPulled(try feed.changes.map { try JSONCoding.value(Change.self, from: $0.body) }, next: feed.covered)
        try field.replica.noteHeld(photo)
        var content = StoreFixtures.news()
        content.attachments = [SyncCore.Attachment(name: "scene.jpg", caption: "现场", blob: photo)]
        _ = try field.replica.draft(content, by: drafter)
        _ = try central.receivePush(try field.nextPush(limit: 100).map(\.change), from: device)
    }

    @Test("knowing a file's hash is not having it: another unit that names it must send the bytes itself, and may not fetch it")
    func namingIsNotHaving() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let bytes = Data("the squad's photo".utf8)
        let photo = BlobReference(hash: BlobHash.of(bytes), size: Int64(bytes.count), mediaType: "image/jpeg")
        try report(naming: photo, unit: "squad-3", by: "wang", from: laptop)
        #expect(throws: ReportSyncError.self, "nobody sent the bytes yet") { try central.fileGrant(photo.hash, for: tablet, sending: false) }
        try central.fileStore().append(bytes, at: 0, to: photo, from: laptop.device)
        try central.noteFileSupplied(photo, by: "squad-3", channel: .network)
        #expect(try central.fileGrant(photo.hash, for: tablet, sending: false).reference == photo, "the unit's other device fetches it")

        try report(naming: photo, unit: "squad-4", by: "sun", from: station)
        #expect(throws: ReportSyncError.self, "squad-4 never sent it") { try central.fileGrant(photo.hash, for: station, sending: false) }
        let asSender = try central.fileGrant(photo.hash, for: station, sending: true)
        #expect(!asSender.supplied, "it must send the bytes, which proves it has them")
        #expect(try central.fileStore().received(photo.hash, from: station.device) == 0)
    }

    @Test("a file that came by bundle only is not served over the network")
    func bundledIsNotServed() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let bytes = Data("a photo carried by hand".utf8)
        let photo = BlobReference(hash: BlobHash.of(bytes), size: Int64(bytes.count), mediaType: "image/jpeg")
        try report(naming: photo, unit: "squad-3", by: "wang", from: laptop)
        try central.fileStore().put(bytes, as: photo.hash)
        try central.noteFileSupplied(photo, by: "squad-3", channel: .bundle)
        #expect(throws: ReportSyncError.self) { try central.fileGrant(photo.hash, for: tablet, sending: false) }
    }

    @Test("one sender cannot wipe or extend another's partial copy, nor write past the file or before its own bytes")
    func sendersKeepTheirOwnCopies() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try central.fileStore()
        let bytes = Data((0..<1000).map { UInt8($0 % 251) })
        let file = BlobReference(hash: BlobHash.of(bytes), size: 1000, mediaType: "video/mp4")
        try store.append(bytes.prefix(400), at: 0, to: file, from: "victim")
        // The attacker's garbage fails the hash and is dropped: the victim's 400 bytes stay.
        #expect(throws: ReportSyncError.self) { try store.append(Data(repeating: 7, count: 1000), at: 0, to: file, from: "attacker") }
        #expect(store.received(file.hash, from: "victim") == 400 && store.received(file.hash, from: "attacker") == 0)
        #expect(throws: ReportSyncError.self, "past the file") { try store.append(Data(count: 601), at: 400, to: file, from: "victim") }
        #expect(throws: ReportSyncError.self, "not where its bytes end") { try store.append(Data(count: 10), at: 10, to: file, from: "victim") }
        #expect(throws: ReportSyncError.self) { try store.append(Data(count: 1), at: Int64.max, to: file, from: "victim") }
        try store.append(bytes.dropFirst(400), at: 400, to: file, from: "victim")
        #expect(store.contains(file.hash) && FileManager.default.contents(atPath: store.path(of: file.hash)) == bytes)

        let empty = BlobReference(hash: BlobHash.of(Data()), size: 0, mediaType: "text/plain")
        #expect(try store.append(Data(), at: 0, to: empty, from: "victim") == 0 && store.contains(empty.hash), "a file of no bytes settles")
    }
}
