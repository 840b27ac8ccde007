import AsyncHTTPClient
import Crypto
import Desk
import Foundation
import Hummingbird
import HummingbirdBcrypt
import Logging
import NIOCore
import NIOHTTP1
import Store
import SyncCore
import SyncService

/// The web desk's pages (docs/desk.md) on a central of many reports, over loopback HTTP with a signed-in
/// session: each page's median time beside the median of `/healthz` on the same server (the anchor).
enum DeskBenchmark {
    struct Page: Codable {
        let path: String
        let medianMilliseconds: Double
        /// The first request's time: before the server remembered any report's facts (`ReportFactsCache`).
        let firstMilliseconds: Double
    }

    struct Result: Codable {
        let centralReports: Int
        let received: Int
        let healthzMilliseconds: Double
        let pages: [Page]
    }

    static let password = "bench-desk-password"

    /// How long the benchmark's central has been in use: its reports are spread over these days.
    static let historyDays = 5 * 365
    /// How many reports go through the chain between two pushes (about a week's at 100,000 reports).
    static let chunk = 400

    /// A central of `reports` reports: 2% drafts of another unit (the unfinished ones), the rest drafted,
    /// signed off and pushed by a squad's device over five years, received, and decided by the central
    /// office (30% adopted, the others not) except the last two weeks' (the inbox). Then `requests`
    /// requests of each page.
    static func run(reports: Int, requests: Int, in directory: URL) async throws -> Result {
        let clock = SimulatedTime(Date().addingTimeInterval(-Double(historyDays) * 86_400))
        let center = try CentralReplica.create(
            at: directory.appendingPathComponent("desk-central.sqlite").path, bureau: OrgUnit(id: "bureau", name: "某某局", kind: .centralOffice),
            now: clock.read)
        let central = center.replica
        try central.addUnit(OrgUnit(id: "squad", name: "第三中队", kind: .squad, parent: "bureau"))
        try central.addUnit(OrgUnit(id: "other", name: "第四中队", kind: .squad, parent: "bureau"))
        var signers: [String: StepSigner] = [:]
        for (id, role, unit) in [
            ("wang", Role.drafter, "squad"), ("li", .unitHead, "squad"), ("zhao", .leader, "bureau"), ("chen", .centralEditor, "bureau"),
            ("gao", .admin, "bureau"),
        ] {
            try central.addMember(Member(id: id, name: id, unit: unit, role: role))
            let signer = StepSigner(member: id, privateKey: Curve25519.Signing.PrivateKey())
            try central.registerKey(signer.publicKey)
            signers[id] = signer
        }
        try center.setDeskPassword(member: "gao", hash: Bcrypt.hash(password, cost: 4))
        let enrollment = try await center.authenticate(token: try center.enroll(unit: "squad", device: "laptop"))
        // Reports of the squad through the whole chain on a field replica, pushed as a device pushes them.
        let field = try Replica.inMemory(unit: OrgUnit(id: "squad", name: "第三中队", kind: .squad), now: clock.read)
        _ = try field.receive(try central.changes().map(\.change).filter(\.payload.isReference))
        let drafts = reports / 50
        let sent = reports - drafts
        let step = Double(historyDays) * 86_400 / Double(max(sent, 1))
        var first: String?
        var undecided: [[String]] = []
        var pushed: Int64 = 0
        for start in stride(from: 0, to: sent, by: chunk) {
            var ids: [String] = []
            for i in start..<min(start + chunk, sent) {
                clock.advance(step)
                let id = try field.draft(
                    ReportContent(category: i % 10 == 0 ? .problem : .dynamic, title: "中队巡查情况 \(i)", body: "本周巡查三次，发现问题两处，已整改。"), by: "wang"
                ).id
                first = first ?? id
                for (action, member) in [(WorkflowAction.submit, "wang"), (.review, "li"), (.sign, "zhao")] {
                    _ = try field.perform(action, on: id, as: signers[member]!)
                }
                ids.append(id)
            }
            let page = try field.changes(after: pushed, limit: 10 * chunk)
            pushed = page.last?.seq ?? pushed
            let answers = try await center.receivePush(page.map(\.change).filter { !$0.payload.isReference }, from: enrollment)
            if let refused = answers.first(where: { $0.status != .accepted }) {
                throw ReportSyncError(.storage, "the central did not take the benchmark's reports: \(refused.status) \(refused.reason ?? "")")
            }
            // The office decides a week's reports two weeks after they came.
            undecided.append(ids)
            if undecided.count > 2 {
                for (n, id) in undecided.removeFirst().enumerated() {
                    if n % 10 < 3 {
                        _ = try central.perform(.adopt, on: id, as: signers["chen"]!, detail: StepDetail(level: .county, outlet: "政务信息", date: clock.read()))
                    } else {
                        _ = try central.perform(.reject, on: id, as: signers["chen"]!, comment: "不采用")
                    }
                }
            }
        }
        try IncrementalBenchmark.fill(central, reports: drafts)
        clock.advance(3_600)
        var logger = Logger(label: "bench")
        logger.logLevel = .critical
        let router = CentralServer.buildRouter(store: center)
        try DeskSite(store: center).mount(on: router)
        let (ports, listening) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "syncd"),
            onServerRunning: { channel in listening.yield(channel.localAddress?.port ?? 0) }, logger: logger)
        let paths = ["/desk/inbox", "/desk/inbox?q=%E6%95%B4%E6%94%B9", "/desk/reports/\(first ?? "")", "/desk/deadlines", "/desk/sync",
            "/desk/solicitations", "/desk/scores", "/desk/people"]
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService(gracefulShutdownSignals: []) }
            defer { group.cancelAll() }
            var iterator = ports.makeAsyncIterator()
            let base = "http://127.0.0.1:\(await iterator.next() ?? 0)"
            // Redirects are answers here (sign-in answers 303), never followed.
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
            do {
                let cookie = try await signIn(client, base: base)
                let healthz = try await median(requests) { try await get(client, base + "/healthz", cookie: nil) }.median
                var pages: [Page] = []
                for path in paths {
                    let times = try await median(requests) { try await get(client, base + path, cookie: cookie) }
                    pages.append(Page(path: path, medianMilliseconds: times.median, firstMilliseconds: times.first))
                }
                try await client.shutdown()
                return Result(centralReports: reports, received: sent, healthzMilliseconds: healthz, pages: pages)
            } catch {
                try? await client.shutdown()
                throw error
            }
        }
    }

    private static func signIn(_ client: HTTPClient, base: String) async throws -> String {
        var request = HTTPClientRequest(url: base + "/desk/sign-in")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.body = .bytes(ByteBuffer(string: "member=gao&password=\(password)"))
        let response = try await client.execute(request, timeout: .seconds(30))
        guard response.status == .seeOther, let set = response.headers.first(name: "Set-Cookie") else {
            throw ReportSyncError(.storage, "the benchmark could not sign in to the desk (\(response.status))")
        }
        return String(set.split(separator: ";")[0])
    }

    private static func get(_ client: HTTPClient, _ url: String, cookie: String?) async throws {
        var request = HTTPClientRequest(url: url)
        if let cookie { request.headers.add(name: "Cookie", value: cookie) }
        let response = try await client.execute(request, timeout: .seconds(60))
        guard response.status == .ok else { throw ReportSyncError(.storage, "\(url) answered \(response.status)") }
        _ = try await response.body.collect(upTo: 16 << 20)
    }

    /// The median of `count` timed runs of `body` (fewer, at least three, for a page slower than 5 s in all),
    /// and the first run's, in milliseconds.
    private static func median(_ count: Int, _ body: () async throws -> Void) async throws -> (median: Double, first: Double) {
        var times: [Double] = []
        for _ in 0..<count where times.count < 3 || times.reduce(0, +) < 5_000 {
            let started = ContinuousClock.now
            try await body()
            times.append((ContinuousClock.now - started).seconds * 1000)
        }
        return (times.sorted()[times.count / 2], times[0])
    }
}

/// The benchmark's clock: moved by hand through the years its central has been in use.
final class SimulatedTime: @unchecked Sendable {
    private let lock = NSLock()
    private var now: Date

    init(_ start: Date) { now = start }

    func advance(_ seconds: TimeInterval) { lock.withLock { now += seconds } }

    @Sendable func read() -> Date { lock.withLock { now } }
}
