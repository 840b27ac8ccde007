import TestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Store
import SyncCore
import SyncService

/// A central replica with two squads and their people, a device token per squad, and a field replica of squad-3.
struct CentralFixture {
    let store: CentralReplica
    var central: Replica { store.replica }
    let field: Replica
    let squad3Token: String
    let squad4Token: String
    let scrape: ScrapeToken

    /// A central on `clock` (real time when none is given), in memory, or in files in `directory` (which
    /// attachments' files need).
    init(clock: TestClock? = nil, directory: URL? = nil) throws {
        let now: @Sendable () -> Date
        if let clock { now = { clock.now } } else { now = { Date() } }
        let bureau = OrgUnit(id: "bureau", name: "某某局", kind: .centralOffice)
        store =
            if let directory {
                try CentralReplica.create(at: directory.appendingPathComponent("central.sqlite").path, bureau: bureau, now: now)
            } else {
                try CentralReplica.inMemory(bureau: bureau, now: now)
            }
        let central = store.replica
        try central.addUnit(OrgUnit(id: "squad-3", name: "第三中队", kind: .squad, parent: "bureau"))
        try central.addUnit(OrgUnit(id: "squad-4", name: "第四中队", kind: .squad, parent: "bureau"))
        try central.addMember(Member(id: "wang", name: "王小明", unit: "squad-3", role: .drafter))
        try central.addMember(Member(id: "li", name: "李队长", unit: "squad-3", role: .unitHead))
        try central.addMember(Member(id: "zhao", name: "赵局长", unit: "bureau", role: .leader))
        try central.addMember(Member(id: "chen", name: "陈编辑", unit: "bureau", role: .centralEditor))
        try central.addMember(Member(id: "sun", name: "孙信息员", unit: "squad-4", role: .drafter))
        try central.addMember(Member(id: "ju", name: "鞠局长", unit: "bureau", role: .principalLeader))
        try TestSigners.register(["wang", "li", "zhao", "chen", "sun", "ju"], on: central)
        squad3Token = try store.enroll(unit: "squad-3", device: "laptop")
        squad4Token = try store.enroll(unit: "squad-4", device: "tablet")
        scrape = try ScrapeToken(Self.scrapeToken)
        // The field replica starts from the central's reference data, as report-cli init --central does.
        let squad = OrgUnit(id: "squad-3", name: "第三中队", kind: .squad)
        field =
            if let directory {
                try Replica.create(at: directory.appendingPathComponent("field.sqlite").path, unit: squad, now: now)
            } else {
                try Replica.inMemory(unit: squad, now: now)
            }
        _ = try field.receive(try central.changes().map(\.change))
    }

    /// The token the test's Prometheus scrapes `/metrics` with.
    static let scrapeToken = "scrape-token-of-the-tests"

    var application: some ApplicationProtocol {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return Application(router: CentralServer.buildRouter(store: store, scrapeToken: scrape), logger: logger)
    }

    /// A report of squad-3 drafted, submitted, reviewed and signed on the field replica.
    func signedReport() throws -> String {
        let id = try field.draft(ReportContent(category: .dynamic, title: "夜查", body: "中队开展夜查。"), by: "wang").id
        _ = try field.perform(.submit, on: id, by: "wang")
        _ = try field.perform(.review, on: id, by: "li")
        _ = try field.perform(.sign, on: id, by: "zhao")
        return id
    }

    /// The field's report changes, as a push body.
    func pushBody(_ changes: [Change]? = nil) throws -> ByteBuffer {
        let changes = try changes ?? field.changes().map(\.change).filter { !$0.payload.isReference }
        return ByteBuffer(bytes: try JSONCoding.encoder().encode(PushRequest(changes: changes)))
    }
}

extension HTTPFields {
    static func bearer(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)", .contentType: "application/json"] }
}
