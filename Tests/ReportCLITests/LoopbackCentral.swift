import Foundation
import Hummingbird
import Logging
import NIOCore
import Store
import SyncCore
import TestSupport
import SyncService

/// A real central replica file served over HTTP on a loopback port, inside the test process, with
/// squad-3's people and two enrolled devices: the place field replicas made by `report-cli init --central` sync with.
final class LoopbackCentral: @unchecked Sendable {
    let center: CentralReplica
    var replica: Replica { center.replica }
    let path: String
    let url: String
    let tokens: [String]
    private let server: Task<Void, any Error>

    /// Creates `central.sqlite` in `directory` and serves it until `stop()`; returns once the server listens.
    init(in directory: URL) async throws {
        path = directory.appendingPathComponent("central.sqlite").path
        center = try CentralReplica.create(at: path, bureau: OrgUnit(id: "bureau", name: "某某局", kind: .centralOffice))
        let replica = center.replica
        try replica.addUnit(OrgUnit(id: "squad-3", name: "第三中队", kind: .squad, parent: "bureau"))
        try replica.addUnit(OrgUnit(id: "squad-4", name: "第四中队", kind: .squad, parent: "bureau"))
        for member in [
            Member(id: "wang", name: "王小明", unit: "squad-3", role: .drafter, phone: "13800000000"),
            Member(id: "li", name: "李队长", unit: "squad-3", role: .unitHead),
            Member(id: "zhao", name: "赵局长", unit: "bureau", role: .leader),
            Member(id: "chen", name: "陈编辑", unit: "bureau", role: .centralEditor),
            Member(id: "sun", name: "孙信息员", unit: "squad-4", role: .drafter),
            Member(id: "qian", name: "钱管理员", unit: "bureau", role: .admin),
            Member(id: "ju", name: "鞠局长", unit: "bureau", role: .principalLeader),
        ] {
            try replica.addMember(member)
        }
        tokens = [try center.enroll(unit: "squad-3", device: "laptop"), try center.enroll(unit: "squad-3", device: "tablet")]
        var logger = Logger(label: "central")
        logger.logLevel = .critical
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: CentralServer.buildRouter(store: center),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
            logger: logger)
        server = Task { try await app.runService(gracefulShutdownSignals: []) }
        var iterator = ports.makeAsyncIterator()
        url = "http://127.0.0.1:\(await iterator.next() ?? 0)"
    }

    func stop() { server.cancel() }

    /// Sets up PIN-sealed keys for `members` on the replica `db` of `directory` (a field replica, or
    /// `central.sqlite`), each with a fresh code from the central; a field's keys are registered on its next sync.
    func setUpKeys(_ members: [String], on db: String, in directory: URL) throws {
        try TestSigners.setUpKeys(members, at: directory.appendingPathComponent(db).path) { try center.invite(member: $0).code }
    }
}
