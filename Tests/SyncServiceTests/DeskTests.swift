@testable import Desk
import Foundation
import Hummingbird
import HummingbirdBcrypt
import HummingbirdTesting
import Logging
import Store
import SyncCore
import SyncService
import TestSupport
import Testing

/// The web desk at the router (docs/desk.md): sign-in and its lock-out, sessions, anti-forgery tokens,
/// what the pages show and hide, and a step taken from a form — on the real central store.
@Suite("Web desk")
struct DeskTests {
    static let password = "desk-password-of-chen"
    static let pin = "desk pin 2026"

    /// A central with chen (central editor) able to sign in and sign on the central, a report of
    /// squad-3 received, and a draft the central holds but must not show.
    struct Desk {
        let fixture: CentralFixture
        let clock: TestClock
        let received: String
        let draft: String

        init(directory: URL? = nil) throws {
            // Now, in whole seconds: the store keeps times in milliseconds.
            clock = TestClock(Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded()))
            fixture = try CentralFixture(clock: clock, directory: directory)
            // chen's key sealed under a PIN on the central itself, as report-cli key setup --db central.sqlite does.
            let code = try fixture.store.invite(member: "chen").code
            _ = try fixture.central.setUpKey(for: "chen", pin: DeskTests.pin, code: code, cost: TestSigners.cheapCost)
            try fixture.store.setDeskPassword(member: "chen", hash: Bcrypt.hash(DeskTests.password, cost: 4))
            try fixture.store.setDeskPassword(member: "zhao", hash: Bcrypt.hash("desk-password-of-zhao", cost: 4))
            received = try fixture.signedReport()
            draft = try fixture.field.draft(ReportContent(category: .dynamic, title: "未送审的草稿", body: "内部"), by: "wang").id
            let enrollment = try fixture.store.authenticate(token: fixture.squad3Token)
            _ = try fixture.store.receivePush(try fixture.field.changes().map(\.change).filter { !$0.payload.isReference }, from: enrollment)
        }

        var application: some ApplicationProtocol {
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            let router = CentralServer.buildRouter(store: fixture.store, scrapeToken: fixture.scrape)
            try! DeskSite(store: fixture.store, now: { [clock] in clock.now }).mount(on: router)
            return Application(router: router, logger: logger)
        }
    }

    /// Signs in and returns the session cookie and the session's form token.
    static func signIn(_ client: some TestClientProtocol, member: String = "chen", password: String = password) async throws -> (cookie: String, csrf: String) {
        let cookie = try await client.execute(
            uri: "/desk/sign-in", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
            body: form(["member": member, "password": password])
        ) { response in
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/desk/inbox")
            let set = try #require(response.headers[.setCookie])
            return String(set.split(separator: ";")[0])
        }
        let csrf = try await client.execute(uri: "/desk/inbox", method: .get, headers: [.cookie: cookie]) { response in
            let html = String(buffer: response.body)
            let marker = try #require(html.range(of: "name=\"csrf\" value=\""))
            return String(html[marker.upperBound...].prefix { $0 != "\"" })
        }
        return (cookie, csrf)
    }

    static func form(_ fields: [String: String]) -> ByteBuffer {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let text = fields.sorted { $0.key < $1.key }
            .map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&")
        return ByteBuffer(string: text)
    }

    static func formHeaders(_ cookie: String) -> HTTPFields {
        [.contentType: "application/x-www-form-urlencoded", .cookie: cookie]
    }

    @Test("a right password opens a session whose cookie is HttpOnly, SameSite=Strict and scoped to /desk; the store keeps only its hash")
    func signInSession() async throws {
        let desk = try Desk()
        try await desk.application.test(.router) { client in
            try await client.execute(
                uri: "/desk/sign-in", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: Self.form(["member": "chen", "password": Self.password])
            ) { response in
                #expect(response.status == .seeOther)
                let set = try #require(response.headers[.setCookie])
                #expect(set.contains("HttpOnly"))
                #expect(set.contains("SameSite=Strict"))
                #expect(set.contains("Path=/desk"))
                let id = String(set.split(separator: ";")[0].split(separator: "=", maxSplits: 1)[1])
                // The session id itself is nowhere in the central file: only its SHA-256.
                #expect(try await desk.fixture.store.deskSession(keyHash: "desk." + id) == nil)
            }
        }
    }

    @Test("a wrong password, an unknown name and a unit's member are all refused alike; after a few wrong ones the next try must wait")
    func signInRefusals() async throws {
        let desk = try Desk()
        #expect(throws: ReportSyncError.self) { try desk.fixture.store.setDeskPassword(member: "li", hash: Bcrypt.hash("x", cost: 4)) }
        try await desk.application.test(.router) { client in
            for (member, password) in [("nobody", "whatever-it-is"), ("li", "whatever-it-is"), ("chen", "not the password")] {
                try await client.execute(
                    uri: "/desk/sign-in", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                    body: Self.form(["member": member, "password": password])
                ) { response in
                    #expect(response.status == .unauthorized)
                    #expect(response.headers[.setCookie] == nil)
                    #expect(String(buffer: response.body).contains("wrong member or password"))
                }
            }
            // A name nobody has is locked out the same way: the wait does not tell which names exist.
            for attempt in 1...4 {
                try await client.execute(
                    uri: "/desk/sign-in", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                    body: Self.form(["member": "nemo", "password": "guess \(attempt)"])
                ) { response in #expect(response.status == (attempt < 4 ? .unauthorized : .tooManyRequests)) }
            }
            for _ in 0..<2 {
                _ = try await client.execute(
                    uri: "/desk/sign-in", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                    body: Self.form(["member": "chen", "password": "still not it"]))
            }
            // The right password now waits too: the lock-out holds whatever is typed.
            try await client.execute(
                uri: "/desk/sign-in", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: Self.form(["member": "chen", "password": Self.password])
            ) { response in
                #expect(response.status == .tooManyRequests)
                #expect(String(buffer: response.body).contains("秒后再试"))
            }
            desk.clock.advance(31)
            _ = try await Self.signIn(client)
        }
    }

    @Test("the inbox lists what the central received, escaped, and never a draft; a draft's page is not found")
    func inboxShowsOnlySentReports() async throws {
        let desk = try Desk()
        try await desk.application.test(.router) { client in
            try await client.execute(uri: "/desk/inbox", method: .get) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/desk/sign-in")
            }
            let session = try await Self.signIn(client)
            try await client.execute(uri: "/desk/inbox", method: .get, headers: [.cookie: session.cookie]) { response in
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(html.contains("夜查"))
                #expect(html.contains("squad-3"))
                #expect(!html.contains("未送审的草稿"))
                #expect(html.contains("Asia/Shanghai"))
                #expect(response.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
            }
            try await client.execute(uri: "/desk/reports/\(desk.draft)", method: .get, headers: [.cookie: session.cookie]) { response in
                #expect(response.status == .notFound)
                #expect(!String(buffer: response.body).contains("未送审的草稿"))
            }
        }
    }

    @Test("the inbox lists a hundred reports a page with links to the others; a state or a month of sign-off filters it, and a period it cannot read is said")
    func inboxPagesAndFilters() async throws {
        let desk = try Desk()
        for _ in 0..<105 { _ = try desk.fixture.signedReport() }
        let enrollment = try await desk.fixture.store.authenticate(token: desk.fixture.squad3Token)
        var cursor: Int64 = 0
        while case let page = try desk.fixture.field.changes(after: cursor), let last = page.last {
            _ = try await desk.fixture.store.receivePush(page.map(\.change).filter { !$0.payload.isReference }, from: enrollment)
            cursor = last.seq
        }
        let month = Period.month(containing: desk.clock.now, in: TimeZone(identifier: "Asia/Shanghai")!)
        try await desk.application.test(.router) { client in
            let session = try await Self.signIn(client)
            func page(_ uri: String) async throws -> String {
                try await client.execute(uri: uri, method: .get, headers: [.cookie: session.cookie]) { response in
                    #expect(response.status == .ok, "\(uri)")
                    return String(buffer: response.body)
                }
            }
            func rows(_ html: String) -> Int { html.components(separatedBy: "<tr").count - 2 }
            let first = try await page("/desk/inbox")
            #expect(first.contains("共 106 份，第 1/2 页") && rows(first) == 100, "\(rows(first)) rows")
            #expect(first.contains("href=\"/desk/inbox?page=2\" rel=\"next\"") && !first.contains("rel=\"prev\""))
            let second = try await page("/desk/inbox?page=2")
            #expect(second.contains("第 2/2 页") && rows(second) == 6 && second.contains("href=\"/desk/inbox\" rel=\"prev\""))
            #expect(try await page("/desk/inbox?page=99").contains("第 2/2 页"), "a page past the end shows the last")
            let filtered = try await page("/desk/inbox?unit=squad-3&state=received&period=\(month)&page=2")
            #expect(filtered.contains("第 2/2 页") && filtered.contains("href=\"/desk/inbox?unit=squad-3&amp;period=\(month)\" rel=\"prev\""))
            let adopted = try await page("/desk/inbox?state=adopted")
            #expect(adopted.contains("<h1>已采用的报告</h1>"))
            #expect(adopted.contains("没有符合条件的报告") && !adopted.contains("夜查"), "no report is adopted yet")
            #expect(try await page("/desk/inbox?state=draft").contains("共 106 份"), "a unit's state is not listable: the inbox lists received ones")
            #expect(try await page("/desk/inbox?period=2020-01").contains("没有符合条件的报告"), "nothing was signed off in January 2020")
            let unreadable = try await page("/desk/inbox?period=next-week")
            #expect(unreadable.contains("时段「next-week」无法识别") && unreadable.contains("共 106 份"))
        }
    }

    @Test("HTML in a report's title and body is shown as text on every page")
    func htmlIsEscaped() async throws {
        let desk = try Desk()
        let id = try desk.fixture.field.draft(
            ReportContent(category: .dynamic, title: "<script>alert(1)</script>", body: "<img src=x onerror=alert(2)>"), by: "wang"
        ).id
        _ = try desk.fixture.field.perform(.submit, on: id, by: "wang")
        _ = try desk.fixture.field.perform(.review, on: id, by: "li")
        _ = try desk.fixture.field.perform(.sign, on: id, by: "zhao")
        let enrollment = try await desk.fixture.store.authenticate(token: desk.fixture.squad3Token)
        _ = try await desk.fixture.store.receivePush(try desk.fixture.field.changes().map(\.change).filter { !$0.payload.isReference }, from: enrollment)
        try await desk.application.test(.router) { client in
            let session = try await Self.signIn(client)
            for uri in ["/desk/inbox", "/desk/reports/\(id)"] {
                try await client.execute(uri: uri, method: .get, headers: [.cookie: session.cookie]) { response in
                    let html = String(buffer: response.body)
                    #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
                    #expect(!html.contains("<script"))
                    #expect(!html.contains("<img src=x"))
                }
            }
        }
    }

    @Test("adopting and recording an instruction from the report page are chen's signed steps; a wrong PIN changes nothing and says why")
    func adoptFromTheDesk() async throws {
        let desk = try Desk()
        try await desk.application.test(.router) { client in
            let session = try await Self.signIn(client)
            try await client.execute(
                uri: "/desk/reports/\(desk.received)/adopt", method: .post, headers: Self.formHeaders(session.cookie),
                body: Self.form(["csrf": session.csrf, "level": "city", "outlet": "政务信息快报", "pin": "not the pin"])
            ) { response in
                #expect(response.status == .forbidden)
                #expect(String(buffer: response.body).contains("签名口令（PIN）不对。（") && String(buffer: response.body).contains("wrong PIN"))
            }
            #expect(try desk.fixture.central.report(desk.received).state == .received)
            try await client.execute(
                uri: "/desk/reports/\(desk.received)/adopt", method: .post, headers: Self.formHeaders(session.cookie),
                body: Self.form(["csrf": session.csrf, "level": "city", "outlet": "政务信息快报", "pin": Self.pin])
            ) { response in
                #expect(response.status == .seeOther, "\(String(buffer: response.body))")
                #expect(response.headers[.location] == "/desk/reports/\(desk.received)?done=adopt")
            }
            #expect(try desk.fixture.central.report(desk.received).state == .adopted)
            let step = try #require(try desk.fixture.central.history(of: desk.received).entries.last { $0.action == .adopt })
            #expect(step.actor == "chen")
            #expect(step.detail?.level == .city)
            #expect(step.signatureVerified == true)
            try await client.execute(uri: "/desk/reports/\(desk.received)", method: .get, headers: [.cookie: session.cookie]) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("已采用"))
                #expect(html.contains("市级"))
            }
            // A leader's instruction (批示) on the adopted report, from its form.
            try await client.execute(
                uri: "/desk/reports/\(desk.received)/instruct", method: .post, headers: Self.formHeaders(session.cookie),
                body: Self.form(["csrf": session.csrf, "level": "province", "leader": "副省长", "comment": "请总结推广", "pin": Self.pin])
            ) { response in #expect(response.status == .seeOther) }
            let instruction = try #require(try desk.fixture.central.history(of: desk.received).entries.last { $0.action == .instruct })
            #expect(instruction.actor == "chen")
            #expect(instruction.detail?.leader == "副省长")
            #expect(instruction.comment == "请总结推广")
        }
    }

    @Test("a form without the session's token, or with another session's, is refused and changes nothing")
    func formsNeedTheSessionsToken() async throws {
        let desk = try Desk()
        try await desk.application.test(.router) { client in
            let chen = try await Self.signIn(client)
            let zhao = try await Self.signIn(client, member: "zhao", password: "desk-password-of-zhao")
            for fields in [["level": "city", "pin": Self.pin], ["csrf": zhao.csrf, "level": "city", "pin": Self.pin]] {
                try await client.execute(
                    uri: "/desk/reports/\(desk.received)/adopt", method: .post, headers: Self.formHeaders(chen.cookie), body: Self.form(fields)
                ) { response in
                    #expect(response.status == .forbidden)
                    #expect(String(buffer: response.body).contains("不是从您本次登录的页面提交的"))
                }
            }
            // A form posted from another site's page is refused before it is read.
            var headers = Self.formHeaders(chen.cookie)
            headers[.origin] = "https://evil.example"
            try await client.execute(
                uri: "/desk/reports/\(desk.received)/adopt", method: .post, headers: headers,
                body: Self.form(["csrf": chen.csrf, "level": "city", "pin": Self.pin])
            ) { response in #expect(response.status == .forbidden) }
            #expect(try desk.fixture.central.report(desk.received).state == .received)
        }
    }

    @Test("a session ends at sign-out, when it runs out, and when the member's password is changed")
    func sessionsEnd() async throws {
        let desk = try Desk()
        try await desk.application.test(.router) { client in
            let first = try await Self.signIn(client)
            try await client.execute(
                uri: "/desk/sign-out", method: .post, headers: Self.formHeaders(first.cookie), body: Self.form(["csrf": first.csrf])
            ) { response in #expect(response.headers[.location] == "/desk/sign-in") }
            try await client.execute(uri: "/desk/inbox", method: .get, headers: [.cookie: first.cookie]) { response in
                #expect(response.headers[.location] == "/desk/sign-in")
            }
            let second = try await Self.signIn(client)
            desk.clock.advance(8 * 3600 + 1)
            try await client.execute(uri: "/desk/inbox", method: .get, headers: [.cookie: second.cookie]) { response in
                #expect(response.headers[.location] == "/desk/sign-in")
            }
            let third = try await Self.signIn(client)
            try desk.fixture.store.setDeskPassword(member: "chen", hash: Bcrypt.hash("a new desk password", cost: 4))
            try await client.execute(uri: "/desk/inbox", method: .get, headers: [.cookie: third.cookie]) { response in
                #expect(response.headers[.location] == "/desk/sign-in")
            }
        }
    }

    @Test("the deadlines page counts what is overdue by unit and rule and lists it a hundred a page; a report still in its unit is counted, never named")
    func deadlinesNameOnlySentReports() async throws {
        let desk = try Desk()
        for i in 0..<120 { _ = try desk.fixture.field.draft(ReportContent(category: .dynamic, title: "草稿 \(i)", body: "内部"), by: "wang") }
        let enrollment = try await desk.fixture.store.authenticate(token: desk.fixture.squad3Token)
        var cursor: Int64 = 0
        while case let page = try desk.fixture.field.changes(after: cursor), let last = page.last {
            _ = try await desk.fixture.store.receivePush(page.map(\.change).filter { !$0.payload.isReference }, from: enrollment)
            cursor = last.seq
        }
        desk.clock.advance(40 * 86_400)
        try await desk.application.test(.router) { client in
            let session = try await Self.signIn(client)
            func page(_ uri: String) async throws -> String {
                try await client.execute(uri: uri, method: .get, headers: [.cookie: session.cookie]) { response in
                    #expect(response.status == .ok)
                    return String(buffer: response.body)
                }
            }
            let html = try await page("/desk/deadlines")
            #expect(html.contains("已超时") && html.contains("一般工作信息") && html.contains("（单位内尚未报送的报告）"))
            #expect(!html.contains("未送审的草稿") && !html.contains("草稿 1"))
            #expect(html.contains("<td>squad-3</td><td><a href=\"/desk/deadlines?unit=squad-3&amp;rule=general-work\">一般工作信息</a></td><td>121</td>"))
            #expect(html.contains("共 1") && html.contains("第 1/2 页") && html.contains("rel=\"next\""))
            let second = try await page("/desk/deadlines?unit=squad-3&rule=general-work&page=2")
            #expect(second.contains("squad-3 「一般工作信息」共 121 项，第 2/2 页") && second.contains("全部单位和规则"))
            #expect(second.components(separatedBy: "（单位内尚未报送的报告）").count - 1 == 21)
            // squad-4 drafted nothing (its monthly report may be due soon, by today's date: not asserted).
            let none = try await page("/desk/deadlines?unit=squad-4&rule=general-work")
            #expect(none.contains("squad-4 「一般工作信息」共 0 项"), "\(none)")
        }
    }

    @Test("a returned report written again in its unit shows its state and history, not the unsent text")
    func revisedInUnitIsWithheld() async throws {
        let desk = try Desk()
        try await desk.application.test(.router) { client in
            let session = try await Self.signIn(client)
            try await client.execute(
                uri: "/desk/reports/\(desk.received)/return", method: .post, headers: Self.formHeaders(session.cookie),
                body: Self.form(["csrf": session.csrf, "comment": "请补充", "pin": Self.pin])
            ) { response in #expect(response.status == .seeOther) }
            try await client.execute(uri: "/desk/reports/\(desk.received)", method: .get, headers: [.cookie: session.cookie]) { response in
                #expect(String(buffer: response.body).contains("夜查"), "the returned text, as sent, is still shown")
            }
            // The unit gets the return and writes the report again; the new text is not reviewed or signed.
            let feed = try desk.fixture.store.feed(after: 0, limit: 1000, units: ["squad-3"])
            _ = try desk.fixture.field.receive(try feed.changes.map { try JSONCoding.value(Change.self, from: $0.body) })
            var patch = ReportPatch()
            patch.title = "未签发的修改稿"
            _ = try desk.fixture.field.edit(desk.received, with: patch, by: "wang")
            let enrollment = try await desk.fixture.store.authenticate(token: desk.fixture.squad3Token)
            let mine = try desk.fixture.field.changes().map(\.change).filter { $0.record == desk.received }
            _ = try await desk.fixture.store.receivePush(mine, from: enrollment)
            try await client.execute(uri: "/desk/reports/\(desk.received)", method: .get, headers: [.cookie: session.cookie]) { response in
                let html = String(buffer: response.body)
                #expect(response.status == .ok)
                #expect(!html.contains("未签发的修改稿"))
                #expect(html.contains("已退回"))
            }
        }
    }

    @Test("ids only whole, one not-found for all; a link cannot claim a step; a quote with a combining mark stays inside its attribute; a new sign-in ends the browser's earlier session")
    func reviewFindings() async throws {
        let desk = try Desk()
        try await desk.application.test(.router) { client in
            let first = try await Self.signIn(client)
            let prefix = String(desk.received.prefix(13))
            for id in [prefix, desk.received.uppercased(), String(desk.draft.prefix(13)), desk.draft, "01"] {
                try await client.execute(uri: "/desk/reports/\(id)", method: .get, headers: [.cookie: first.cookie]) { response in
                    #expect(response.status == .notFound)
                    #expect(String(buffer: response.body).contains("has reached the central office"))
                }
            }
            try await client.execute(uri: "/desk/reports/\(desk.received)?done=adopt", method: .get, headers: [.cookie: first.cookie]) { response in
                #expect(!String(buffer: response.body).contains("已记录"))
            }
            try await client.execute(uri: "/desk/inbox?q=a%22%CC%81%20autofocus", method: .get, headers: [.cookie: first.cookie]) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("value=\"a&quot;\u{301} autofocus\""))
            }
            // Signing in again from the same browser (its cookie sent) ends the earlier session.
            try await client.execute(
                uri: "/desk/sign-in", method: .post, headers: Self.formHeaders(first.cookie),
                body: Self.form(["member": "chen", "password": Self.password])
            ) { response in #expect(response.status == .seeOther) }
            try await client.execute(uri: "/desk/inbox", method: .get, headers: [.cookie: first.cookie]) { response in
                #expect(response.headers[.location] == "/desk/sign-in")
            }
        }
    }

    @Test("the sync page lists every enrolled device with when it last synced and how many changes it has yet to pull, as /metrics does; one never seen is marked")
    func syncPage() async throws {
        let desk = try Desk()
        let laptop = try await desk.fixture.store.authenticate(token: desk.fixture.squad3Token)
        try await desk.application.test(.router) { client in
            let session = try await Self.signIn(client)
            func page() async throws -> String {
                try await client.execute(uri: "/desk/sync", method: .get, headers: [.cookie: session.cookie]) { response in
                    #expect(response.status == .ok)
                    return String(buffer: response.body)
                }
            }
            let before = try await page()
            #expect(before.contains("laptop") && before.contains("tablet") && before.contains("从未同步"))
            #expect(before.contains("前）"), "the laptop's last request, with how long ago")
            #expect(!before.contains("已是最新") && before.components(separatedBy: "从未拉取").count == 3, "neither device pulled yet")
            // The laptop pulls everything; then the office solicits squad-3: one change it has not pulled.
            var slice = try desk.fixture.store.feed(after: 0, limit: 100_000, for: laptop)
            #expect(!slice.more)
            #expect(try await page().contains("<td>已是最新</td>"))
            desk.clock.advance(60)
            _ = try desk.fixture.central.solicit(topic: "防汛", units: ["squad-3"], deadline: desk.clock.now + 86_400 * 3, contact: "陈", by: "chen")
            let behind = try await page()
            #expect(behind.contains("<td class=\"behind\">1 条</td>"), "the solicitation waits for the laptop")
            try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer \(CentralFixture.scrapeToken)"]) { response in
                let text = String(buffer: response.body)
                #expect(text.contains("reportsync_replica_outgoing_changes{device=\"laptop\",unit=\"squad-3\"} 1"), "\(text)")
            }
            // Three more solicitations, pulled a page of one at a time within the same second: the page
            // follows every pull, not only the first of each 30 s.
            for topic in ["汛前检查", "安全生产", "节日值守"] {
                _ = try desk.fixture.central.solicit(topic: topic, units: ["squad-3"], deadline: desk.clock.now + 86_400 * 3, contact: "陈", by: "chen")
            }
            #expect(try await page().contains("<td class=\"behind\">4 条</td>"))
            var pages = 0
            repeat {
                slice = try desk.fixture.store.feed(after: slice.covered, limit: 1, for: laptop)
                pages += 1
                if pages == 2 { #expect(try await page().contains("<td class=\"behind\">2 条</td>"), "two pages pulled, two to go") }
            } while slice.more
            let caughtUp = try await page()
            #expect(pages == 4 && caughtUp.contains("<td>已是最新</td>"))
        }
    }

    @Test("the scores page shows the bulletin's ranked table for a period, and the bulletin downloads as Markdown, CSV and HTML")
    func scoresAndBulletin() async throws {
        let desk = try Desk()
        _ = try await desk.fixture.store.deskPerform(.adopt, on: desk.received, by: "chen", pin: Self.pin, comment: nil, detail: StepDetail(level: .city))
        try await desk.application.test(.router) { client in
            let session = try await Self.signIn(client)
            try await client.execute(uri: "/desk/scores", method: .get, headers: [.cookie: session.cookie]) { response in
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(html.contains("信息报送通报"))
                #expect(html.contains("第三中队"))
                #expect(html.contains("采用率"))
                // The chart of totals, and each unit's points line by line, its reports linked.
                #expect(html.contains("<svg class=\"chart\""))
                #expect(html.contains("<title>第三中队："))
                #expect(html.contains("<summary>第三中队（squad-3）："))
                #expect(html.contains("<td>被采用</td><td><a href=\"/desk/reports/\(desk.received)\">夜查</a></td>"), "\(html)")
            }
            for (format, type, start) in [("csv", "text/csv", "名次,单位代码"), ("markdown", "text/markdown", "# 某某局"), ("html", "text/html", "<!DOCTYPE html>")] {
                try await client.execute(uri: "/desk/bulletin?period=2026-12&format=\(format)", method: .get, headers: [.cookie: session.cookie]) {
                    response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType]?.hasPrefix(type) == true)
                    #expect(response.headers[.contentDisposition]?.contains("attachment; filename=\"bulletin-2026-12.") == true)
                    #expect(String(buffer: response.body).hasPrefix(start))
                }
            }
            try await client.execute(uri: "/desk/scores?period=last-month", method: .get, headers: [.cookie: session.cookie]) { response in
                #expect(response.status == .unprocessableContent)
            }
            // Not signed in: no bulletin.
            try await client.execute(uri: "/desk/bulletin?format=csv", method: .get) { response in #expect(response.status == .seeOther) }
        }
    }

    @Test("the scores page and the bulletin name a missed report still in its unit without its title")
    func scoresNameOnlySentReports() async throws {
        let desk = try Desk()
        let zone = TimeZone(identifier: "Asia/Shanghai")!
        let thisMonth = Period.month(containing: desk.clock.now, in: zone)
        // A draft of a month's last days misses its deadline in the next month (failed on the 31st).
        let nextMonth = Period.month(containing: desk.clock.now.addingTimeInterval(20 * 86_400), in: zone)
        desk.clock.advance(40 * 86_400)
        try await desk.application.test(.router) { client in
            let session = try await Self.signIn(client)
            var standIns = 0
            for uri in [
                "/desk/scores?period=\(thisMonth)", "/desk/scores?period=\(nextMonth)", "/desk/scores",
                "/desk/bulletin?period=\(thisMonth)&format=markdown", "/desk/bulletin?period=\(nextMonth)&format=markdown",
            ] {
                try await client.execute(uri: uri, method: .get, headers: [.cookie: session.cookie]) { response in
                    let text = String(buffer: response.body)
                    #expect(!text.contains("未送审的草稿"), "\(uri) names the unit's unsent draft")
                    if text.contains(DeskReport.unsentTitle) { standIns += 1 }
                }
            }
            #expect(standIns > 0, "the missed draft is named, by its stand-in")
        }
    }

    @Test("a solicitation issued from the desk reaches the units asked, and the page shows each unit's answer")
    func solicitations() async throws {
        let desk = try Desk()
        try await desk.application.test(.router) { client in
            let session = try await Self.signIn(client)
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.dateFormat = "yyyy-MM-dd'T'HH:mm"
            formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
            let due = formatter.string(from: desk.clock.now.addingTimeInterval(7 * 86_400))
            let body = "csrf=\(session.csrf)&topic=%E7%A7%8B%E5%AD%A3%E5%AE%89%E5%85%A8&units[]=squad-3&units[]=squad-4&deadline=\(due)&contact=chen"
            try await client.execute(
                uri: "/desk/solicitations", method: .post, headers: Self.formHeaders(session.cookie), body: ByteBuffer(string: body)
            ) { response in #expect(response.status == .seeOther) }
            #expect(Set(try desk.fixture.central.solicitations().map(\.unit)) == ["squad-3", "squad-4"])
            #expect(try desk.fixture.central.solicitations().allSatisfy { $0.topic == "秋季安全" && $0.issuedBy == "chen" })
            try await client.execute(uri: "/desk/solicitations", method: .get, headers: [.cookie: session.cookie]) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("秋季安全"))
                #expect(html.contains("0/2 已报送"))
            }
            // No unit chosen: refused, with the rule's own words; nothing issued.
            try await client.execute(
                uri: "/desk/solicitations", method: .post, headers: Self.formHeaders(session.cookie),
                body: ByteBuffer(string: "csrf=\(session.csrf)&topic=x&deadline=\(due)&contact=chen")
            ) { response in
                #expect(response.status == .unprocessableContent)
                #expect(String(buffer: response.body).contains("say which units are asked"))
            }
            // A unit the form does not offer (the central office itself), whatever a crafted form sends: refused.
            try await client.execute(
                uri: "/desk/solicitations", method: .post, headers: Self.formHeaders(session.cookie),
                body: ByteBuffer(string: "csrf=\(session.csrf)&topic=x&units[]=bureau&deadline=\(due)&contact=chen")
            ) { response in #expect(response.status == .unprocessableContent) }
            #expect(try desk.fixture.central.solicitations().count == 2)
        }
    }

    @Test("the units and people page is an admin's: it lists units, members with keys and desk passwords, and devices; an editor is refused")
    func peopleIsForAdmins() async throws {
        let desk = try Desk()
        try desk.fixture.central.addMember(Member(id: "gao", name: "高管理", unit: "bureau", role: .admin))
        try desk.fixture.store.setDeskPassword(member: "gao", hash: Bcrypt.hash("desk-password-of-gao", cost: 4))
        try await desk.application.test(.router) { client in
            let chen = try await Self.signIn(client)
            try await client.execute(uri: "/desk/people", method: .get, headers: [.cookie: chen.cookie]) { response in
                #expect(response.status == .forbidden)
                #expect(!String(buffer: response.body).contains("王小明"))
            }
            let gao = try await Self.signIn(client, member: "gao", password: "desk-password-of-gao")
            try await client.execute(uri: "/desk/people", method: .get, headers: [.cookie: gao.cookie]) { response in
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                for fact in ["第三中队", "王小明", "信息员", "办公室编辑", "可登录", "laptop", "tablet"] { #expect(html.contains(fact), "\(fact)") }
            }
        }
    }

    @Test("a unit is chased from the solicitations page; the reminder reaches the field beside the unit's decline, which it does not overwrite; a declined unit is not chased again; a device cannot push a reminder")
    func chaseASolicitation() async throws {
        let desk = try Desk()
        let asked = try desk.fixture.central.solicit(
            topic: "防汛检查", units: ["squad-3", "squad-4"], deadline: desk.clock.now + 3 * 86_400, contact: "陈编辑", by: "chen")[0]
        let laptop = try await desk.fixture.store.authenticate(token: desk.fixture.squad3Token)
        @Sendable func pull(after cursor: Int64) async throws -> Int64 {
            let slice = try desk.fixture.store.feed(after: cursor, limit: 100_000, for: laptop)
            _ = try desk.fixture.field.receive(try slice.changes.map { try JSONCoding.value(Change.self, from: $0.body) })
            return slice.covered
        }
        let cursor = try await pull(after: 0)
        // The unit declines offline while the office chases it.
        _ = try desk.fixture.field.declineSolicitation(asked.id, reason: "本周无防汛任务", by: "li")
        try await desk.application.test(.router) { client in
            let session = try await Self.signIn(client)
            func remind(_ unit: String, note: String) async throws -> (HTTPResponse.Status, String) {
                try await client.execute(
                    uri: "/desk/solicitations/remind", method: .post, headers: Self.formHeaders(session.cookie),
                    body: Self.form(["csrf": session.csrf, "solicitation": asked.id, "unit": unit, "note": note])
                ) { response in (response.status, String(buffer: response.body)) }
            }
            var (status, html) = try await remind("squad-3", note: "请今日报送")
            #expect(status == .ok && html.contains("已向 squad-3 催报") && html.contains("已催报 1 次"), "\(status)")
            (status, html) = try await remind("squad-4", note: "")
            #expect(status == .ok && html.components(separatedBy: "已催报 1 次").count == 3)
            try await client.execute(
                uri: "/desk/solicitations/remind", method: .post, headers: Self.formHeaders(session.cookie),
                body: Self.form(["solicitation": asked.id, "unit": "squad-3"])
            ) { response in #expect(response.status == .forbidden, "no form token, no reminder") }

            // The decline arrives after the reminder was written; both stand, on both sides.
            let decline = try desk.fixture.field.changes().map(\.change).filter {
                if case .solicitation(let s) = $0.payload { s.declined != nil } else { false }
            }
            #expect(try await desk.fixture.store.receivePush(decline, from: laptop).map(\.status) == [.accepted])
            _ = try await pull(after: cursor)
            let reminders = try desk.fixture.field.reminders()
            #expect(reminders.map(\.unit) == ["squad-3"] && reminders.first?.note == "请今日报送" && reminders.first?.by == "chen")
            #expect(try desk.fixture.field.solicitations().first?.declined?.reason == "本周无防汛任务")
            #expect(try desk.fixture.central.solicitations(unit: "squad-3").first?.declined?.reason == "本周无防汛任务")
            (status, html) = try await remind("squad-3", note: "再催")
            #expect(status == .unprocessableContent && html.contains("当前状态不允许此操作") && html.contains("declined solicitation"), "\(status)")
            #expect(try desk.fixture.central.reminders(unit: "squad-3").count == 1, "nothing written")
        }
        // A device that crafts a reminder gets its whole push refused.
        let forged = SolicitationReminder(id: UUIDv7.make(at: desk.clock.now), solicitation: asked.id, unit: "squad-3", by: "wang", at: desk.clock.now)
        let change = Change(
            dot: Dot(replica: try desk.fixture.field.identity().replicaID, counter: 9_000), hlc: HybridTimestamp(wallMilliseconds: desk.clock.now.millisecondsSince1970, logical: 0),
            record: forged.recordID, unit: "squad-3", actor: "wang", context: VersionVector(), payload: .reminder(forged))
        await #expect(throws: ReportSyncError.self) { try await desk.fixture.store.receivePush([change], from: laptop) }
        #expect(try desk.fixture.central.reminders(unit: "squad-3").count == 1)
    }

    @Test("an admin adds a unit and a member and sets an editor's desk password from the people page; the unit and member reach the field's next pull; bad forms and an editor change nothing")
    func manageUnitsAndPeopleFromTheDesk() async throws {
        let desk = try Desk()
        try desk.fixture.central.addMember(Member(id: "gao", name: "高管理", unit: "bureau", role: .admin))
        try desk.fixture.store.setDeskPassword(member: "gao", hash: Bcrypt.hash("desk-password-of-gao", cost: 4))
        try await desk.application.test(.router) { client in
            let chen = try await Self.signIn(client)
            let unit = ["id": "squad-5", "name": "第五中队", "kind": "squad", "parent": "bureau"]
            try await client.execute(
                uri: "/desk/people/unit", method: .post, headers: Self.formHeaders(chen.cookie), body: Self.form(unit.merging(["csrf": chen.csrf]) { a, _ in a })
            ) { response in #expect(response.status == .forbidden) }
            #expect(try !desk.fixture.central.units().contains { $0.id == "squad-5" }, "an editor added nothing")
            try await client.execute(
                uri: "/desk/people/password", method: .post, headers: Self.formHeaders(chen.cookie),
                body: Self.form(["csrf": chen.csrf, "member": "chen", "password": "an-editor-new-password", "again": "an-editor-new-password"])
            ) { response in #expect(response.status == .forbidden, "refused before any bcrypt work") }

            let gao = try await Self.signIn(client, member: "gao", password: "desk-password-of-gao")
            func post(_ path: String, _ fields: [String: String]) async throws -> (HTTPResponse.Status, String) {
                try await client.execute(
                    uri: "/desk/people/\(path)", method: .post, headers: Self.formHeaders(gao.cookie),
                    body: Self.form(fields.merging(["csrf": gao.csrf]) { a, _ in a })
                ) { response in (response.status, String(buffer: response.body)) }
            }
            var (status, html) = try await post("unit", unit)
            #expect(status == .ok && html.contains("已添加单位 第五中队（squad-5）"), "\(html)")
            (status, html) = try await post("unit", unit)
            #expect(status == .unprocessableContent && html.contains("已经存在。（unit squad-5 already exists"), "\(status)")
            (status, html) = try await post("unit", ["id": "squad-6", "name": "第六中队", "kind": "Bad Kind", "parent": "bureau"])
            #expect(status == .unprocessableContent && html.contains("choose the unit"))
            (status, html) = try await post("member", ["id": "zhou", "name": "周信息员", "unit": "squad-5", "role": "drafter", "phone": "139"])
            #expect(status == .ok && html.contains("已添加人员 周信息员（zhou）"))
            (status, html) = try await post("member", ["id": "wu", "name": "吴", "unit": "squad-9", "role": "drafter"])
            #expect(status == .notFound && html.contains("unit squad-9 is unknown"))
            #expect(try !desk.fixture.central.members().contains { $0.id == "wu" })

            (status, html) = try await post("password", ["member": "zhao", "password": "a-new-password-for-zhao", "again": "a-new-password-for-zhao-typo"])
            #expect(status == .unprocessableContent && html.contains("the two passwords differ"))
            (status, html) = try await post("password", ["member": "zhou", "password": "a-password-for-zhou", "again": "a-password-for-zhou"])
            #expect(status == .forbidden && html.contains("only the central office"), "a squad's drafter never signs in")
            (status, html) = try await post("password", ["member": "zhao", "password": "short", "again": "short"])
            #expect(status == .unprocessableContent && html.contains("at least 12 characters"))
            (status, html) = try await post("password", ["member": "zhao", "password": "a-new-password-for-zhao", "again": "a-new-password-for-zhao"])
            #expect(status == .ok && html.contains("已设置 zhao 的工作台密码"))
            _ = try await Self.signIn(client, member: "zhao", password: "a-new-password-for-zhao")

            // The field learns of the new unit and member at its next pull, as from syncd unit add.
            let laptop = try await desk.fixture.store.authenticate(token: desk.fixture.squad3Token)
            let slice = try desk.fixture.store.feed(after: 0, limit: 100_000, for: laptop)
            _ = try desk.fixture.field.receive(try slice.changes.map { try JSONCoding.value(Change.self, from: $0.body) })
            #expect(try desk.fixture.field.units().contains { $0.id == "squad-5" && $0.name == "第五中队" })
            #expect(try desk.fixture.field.members().contains { $0.id == "zhou" && $0.unit == "squad-5" })
        }
    }

    @Test("an admin enrols a device from the people page and sees its token once, which then syncs; revoking it from the page ends the token; an editor can do neither")
    func enrolAndRevokeFromTheDesk() async throws {
        let desk = try Desk()
        try desk.fixture.central.addMember(Member(id: "gao", name: "高管理", unit: "bureau", role: .admin))
        try desk.fixture.store.setDeskPassword(member: "gao", hash: Bcrypt.hash("desk-password-of-gao", cost: 4))
        try await desk.application.test(.router) { client in
            let chen = try await Self.signIn(client)
            for path in ["enroll", "revoke"] {
                try await client.execute(
                    uri: "/desk/people/\(path)", method: .post, headers: Self.formHeaders(chen.cookie),
                    body: Self.form(["csrf": chen.csrf, "unit": "squad-3", "device": path == "enroll" ? "phone" : "laptop"])
                ) { response in #expect(response.status == .forbidden) }
            }
            #expect(try desk.fixture.store.enrollments().map(\.device).sorted() == ["laptop", "tablet"], "an editor enrolled nothing")
            #expect(try await desk.fixture.store.authenticate(token: desk.fixture.squad3Token).device == "laptop", "nor revoked anything")

            let gao = try await Self.signIn(client, member: "gao", password: "desk-password-of-gao")
            let token = try await client.execute(
                uri: "/desk/people/enroll", method: .post, headers: Self.formHeaders(gao.cookie),
                body: Self.form(["csrf": gao.csrf, "unit": "squad-4", "device": "squad-4-phone"])
            ) { response in
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(response.headers[.cacheControl] == "no-store")
                let marker = try #require(html.range(of: "<p><code>"))
                return String(html[marker.upperBound...].prefix { $0 != "<" })
            }
            #expect(token.hasPrefix("rs_"))
            let enrolled = try await desk.fixture.store.authenticate(token: token)
            #expect(enrolled.device == "squad-4-phone" && enrolled.unit == "squad-4")
            try await client.execute(uri: "/desk/people", method: .get, headers: [.cookie: gao.cookie]) { response in
                #expect(!String(buffer: response.body).contains(token), "the token is shown once, never again")
            }
            try await client.execute(
                uri: "/desk/people/enroll", method: .post, headers: Self.formHeaders(gao.cookie),
                body: Self.form(["csrf": gao.csrf, "unit": "squad-4", "device": "squad-4-phone"])
            ) { response in
                #expect(response.status == .unprocessableContent)
                #expect(String(buffer: response.body).contains("already enrolled"))
            }
            try await client.execute(
                uri: "/desk/people/revoke", method: .post, headers: Self.formHeaders(gao.cookie),
                body: Self.form(["csrf": gao.csrf, "device": "squad-4-phone"])
            ) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("已注销设备 squad-4-phone"))
            }
            await #expect(throws: TokenRefused.self) { try await desk.fixture.store.authenticate(token: token) }
        }
    }

    @Test("a report kept off the network shows its unit, state and history on the desk, never its text")
    func offNetworkReportIsWithheld() async throws {
        let desk = try Desk()
        let id = try desk.fixture.field.draft(
            ReportContent(category: .dynamic, title: "涉密标题不可见", body: "涉密正文", classification: .secret), by: "wang"
        ).id
        _ = try desk.fixture.field.perform(.submit, on: id, by: "wang")
        _ = try desk.fixture.field.perform(.review, on: id, by: "li")
        _ = try desk.fixture.field.perform(.sign, on: id, by: "zhao")
        let enrollment = try await desk.fixture.store.authenticate(token: desk.fixture.squad3Token)
        let changes = try desk.fixture.field.changes().map(\.change).filter { $0.record == id }
        _ = try desk.fixture.store.receivePush(changes, from: enrollment, by: .bundle)
        try await desk.application.test(.router) { client in
            let session = try await Self.signIn(client)
            for uri in ["/desk/inbox", "/desk/reports/\(id)", "/desk/inbox?q=%E6%B6%89%E5%AF%86"] {
                try await client.execute(uri: uri, method: .get, headers: [.cookie: session.cookie]) { response in
                    let html = String(buffer: response.body)
                    #expect(!html.contains("涉密标题不可见"))
                    #expect(!html.contains("涉密正文"))
                }
            }
            try await client.execute(uri: "/desk/reports/\(id)", method: .get, headers: [.cookie: session.cookie]) { response in
                #expect(String(buffer: response.body).contains("已接收"))
            }
        }
    }

    @Test("a conflict between the central's receipt and the unit's return is chen's to decide on the report page, signed; a content conflict shows both texts and their word diff and is left to the unit")
    func conflictsOnTheReportPage() async throws {
        let desk = try Desk()
        let fixture = desk.fixture
        let enrollment = try await fixture.store.authenticate(token: fixture.squad3Token)
        // The unit head returns the signed report before the field hears that the central received it.
        _ = try fixture.field.perform(.return, on: desk.received, by: "li", comment: "数据有误")
        // Another report edited on two devices of the unit at once, then signed off.
        let second = try Replica.inMemory(unit: OrgUnit(id: "squad-3", name: "第三中队", kind: .squad))
        _ = try second.receive(try fixture.central.changes().map(\.change).filter(\.payload.isReference))
        let edited = try fixture.field.draft(ReportContent(category: .dynamic, title: "检查", body: "查处违规两起。"), by: "wang").id
        _ = try second.receive(try fixture.field.changes().map(\.change).filter { $0.record == edited })
        var mine = ReportPatch()
        mine.body = "查处违规三起，罚款两千元。"
        _ = try fixture.field.edit(edited, with: mine, by: "wang")
        var theirs = ReportPatch()
        theirs.body = "查处违规两起，已整改。"
        _ = try second.edit(edited, with: theirs, by: "li")
        _ = try fixture.field.receive(try second.changes().map(\.change).filter { $0.record == edited })
        for (action, actor) in [(WorkflowAction.submit, "wang"), (.review, "li"), (.sign, "zhao")] {
            _ = try fixture.field.perform(action, on: edited, by: actor)
        }
        _ = try await fixture.store.receivePush(try fixture.field.changes().map(\.change).filter { !$0.payload.isReference }, from: enrollment)
        let conflict = try #require(
            try fixture.central.conflictEntries(matching: ConflictFilter(report: desk.received)).first { $0.kind == .approvalTransition })
        #expect(try fixture.central.conflictEntries(matching: ConflictFilter(report: edited)).contains { $0.kind == .fieldValue })

        try await desk.application.test(.router) { client in
            let session = try await Self.signIn(client)
            try await client.execute(uri: "/desk/reports/\(edited)", method: .get, headers: [.cookie: session.cookie]) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("内容冲突：正文"))
                #expect(html.contains("查处违规三起，罚款两千元。") && html.contains("查处违规两起，已整改。"), "both texts side by side")
                #expect(html.contains("<del>") && html.contains("<ins>"), "and the word diff")
                #expect(html.contains("此冲突由报送单位处理"))
                #expect(!html.contains("name=\"conflict\""), "no form: the content is the unit's to decide")
            }
            try await client.execute(uri: "/desk/reports/\(desk.received)", method: .get, headers: [.cookie: session.cookie]) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("审批冲突"))
                #expect(html.contains("name=\"conflict\" value=\"\(conflict.key)\""))
            }
            let fields = ["csrf": session.csrf, "conflict": conflict.key, "keep": "winner", "comment": "以中心接收为准"]
            try await client.execute(
                uri: "/desk/reports/\(desk.received)/resolve", method: .post, headers: Self.formHeaders(session.cookie),
                body: Self.form(fields.merging(["pin": "not the pin"]) { $1 })
            ) { response in
                #expect(response.status == .forbidden)
                #expect(String(buffer: response.body).contains("wrong PIN"))
            }
            #expect(try fixture.central.conflictEntry(conflict.key).status == .open, "a wrong PIN decides nothing")
            let location = try await client.execute(
                uri: "/desk/reports/\(desk.received)/resolve", method: .post, headers: Self.formHeaders(session.cookie),
                body: Self.form(fields.merging(["pin": Self.pin]) { $1 })
            ) { response in
                #expect(response.status == .seeOther, "\(String(buffer: response.body))")
                return try #require(response.headers[.location])
            }
            let settled = try fixture.central.conflictEntry(conflict.key)
            #expect(settled.status == .resolved)
            #expect(settled.resolution?.actor == "chen")
            let decision = try #require(try fixture.central.changes().map(\.change).last { if case .resolution = $0.payload { true } else { false } })
            #expect(decision.actor == "chen" && decision.signature != nil, "the decision is chen's, signed with chen's key")
            try await client.execute(uri: location, method: .get, headers: [.cookie: session.cookie]) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("已记录冲突的处理"))
                #expect(html.contains("陈编辑") || html.contains("chen"))
            }
            // Settled: no form is left, and sending it again changes nothing.
            try await client.execute(
                uri: "/desk/reports/\(desk.received)/resolve", method: .post, headers: Self.formHeaders(session.cookie),
                body: Self.form(fields.merging(["pin": Self.pin]) { $1 })
            ) { response in
                #expect(response.status.code >= 400)
                #expect(String(buffer: response.body).contains("already resolved"))
            }
            // A conflict of another report, sent to this one's form, is not found here.
            let other = try #require(try fixture.central.conflictEntries(matching: ConflictFilter(report: edited)).first)
            try await client.execute(
                uri: "/desk/reports/\(desk.received)/resolve", method: .post, headers: Self.formHeaders(session.cookie),
                body: Self.form(["csrf": session.csrf, "conflict": other.key, "keep": "winner", "pin": Self.pin])
            ) { response in #expect(response.status == .notFound) }
        }
    }

    /// A general emergency with every fact the rule books require before it is submitted.
    static func emergency(_ title: String, _ body: String) -> ReportContent {
        var details = EmergencyDetails()
        details.severity = .general
        details.source = "巡查"; details.cause = "阀门老化"; details.deaths = 0; details.injuries = 0; details.propertyLoss = "无"
        details.course = "泄漏"; details.consequences = "停产"; details.impact = "一厂"; details.trend = "稳定"; details.leaderOnSite = true
        details.initialMeasures = "封堵"; details.nextMeasures = "检修"; details.reporterName = "王"; details.reporterContact = "138"
        return ReportContent(category: .emergency, title: title, body: body, eventTime: Date(), place: "化工园区", emergency: details)
    }

    @Test("a report's page lists its follow-up chain as far as it left the unit, linked, and its attachments with their captions")
    func followUpChainAndAttachments() async throws {
        let desk = try Desk()
        let field = desk.fixture.field
        let first = try field.draft(Self.emergency("化工厂泄漏", "首报：泄漏已控制。"), by: "wang").id
        var next = Self.emergency("化工厂泄漏续报", "续报：无人员伤亡。")
        next.attachments = [Attachment(name: "现场.jpg", caption: "泄漏点已封堵"), Attachment(name: "通报.pdf", caption: nil)]
        next.followUpOf = first
        let sent = try field.draft(next, by: "wang").id
        var unsent = Self.emergency("尚未送审的第二次续报", "内部")
        unsent.followUpOf = first
        _ = try field.draft(unsent, by: "wang")
        for id in [first, sent] {
            for (action, actor) in [(WorkflowAction.submit, "wang"), (.review, "li"), (.sign, "zhao")] {
                _ = try field.perform(action, on: id, by: actor)
            }
        }
        let enrollment = try await desk.fixture.store.authenticate(token: desk.fixture.squad3Token)
        _ = try await desk.fixture.store.receivePush(try field.changes().map(\.change).filter { !$0.payload.isReference }, from: enrollment)
        try await desk.application.test(.router) { client in
            let session = try await Self.signIn(client)
            try await client.execute(uri: "/desk/reports/\(first)", method: .get, headers: [.cookie: session.cookie]) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("续报"))
                #expect(html.contains("<a href=\"/desk/reports/\(sent)\">化工厂泄漏续报</a>"), "the follow-up, linked")
                #expect(!html.contains("尚未送审的第二次续报"), "a follow-up still in its unit is not named")
            }
            try await client.execute(uri: "/desk/reports/\(sent)", method: .get, headers: [.cookie: session.cookie]) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("首报：<a href=\"/desk/reports/\(first)\">化工厂泄漏</a>"))
                #expect(html.contains("照片：现场.jpg —— 泄漏点已封堵"))
                #expect(html.contains("文件：通报.pdf"))
            }
        }
    }

    @Test("a report's photo the central holds is shown in its page and served inline; any other file only as a download; one not sent yet is named")
    func attachedFilesOnTheDesk() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reportsync-desk-files-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let desk = try Desk(directory: directory)
        let field = desk.fixture.field
        let png = Data([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] + Array(repeating: 7, count: 100))
        let page = Data("<script>alert(1)</script>".utf8)
        var files: [SyncCore.Attachment] = []
        for (name, bytes, type) in [("现场.png", png, "image/png"), ("evil.html", page, "text/html"), ("later.jpg", Data("later".utf8), "image/jpeg")] {
            let path = directory.appendingPathComponent(name).path
            try bytes.write(to: URL(fileURLWithPath: path))
            files.append(try field.storeFile(at: path, name: name, caption: name == "evil.html" ? nil : "说明", mediaType: type))
        }
        var content = ReportContent(category: .dynamic, title: "现场照片", body: "附现场照片。")
        content.attachments = files
        let id = try field.draft(content, by: "wang").id
        for (action, actor) in [(WorkflowAction.submit, "wang"), (.review, "li"), (.sign, "zhao")] { _ = try field.perform(action, on: id, by: actor) }
        let enrollment = try await desk.fixture.store.authenticate(token: desk.fixture.squad3Token)
        _ = try await desk.fixture.store.receivePush(try field.changes().map(\.change).filter { !$0.payload.isReference }, from: enrollment)
        // The first two reached the central whole (as FileTransfer sends them); the third did not yet.
        for (file, bytes) in zip(files.prefix(2), [png, page]) {
            let reference = try #require(file.blob)
            try desk.fixture.store.fileStore().append(bytes, at: 0, to: reference, from: "laptop")
            try await desk.fixture.store.noteFileStored(reference, from: enrollment)
        }
        try await desk.application.test(.router) { client in
            let session = try await Self.signIn(client)
            let photo = DeskFileResponse.address(report: id, name: "现场.png")
            try await client.execute(uri: "/desk/reports/\(id)", method: .get, headers: [.cookie: session.cookie]) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("<img src=\"\(photo)\" alt=\"说明\">"), "the photo, in the page")
                #expect(html.contains("evil.html") && !html.contains("<img src=\"\(DeskFileResponse.address(report: id, name: "evil.html"))"))
                #expect(html.contains("later.jpg") && html.contains("文件尚未传到中心"))
            }
            try await client.execute(uri: photo, method: .get, headers: [.cookie: session.cookie]) { response in
                #expect(response.status == .ok && response.headers[.contentType] == "image/png" && Data(buffer: response.body) == png)
                #expect(response.headers[.contentDisposition]?.hasPrefix("inline") == true)
            }
            try await client.execute(
                uri: DeskFileResponse.address(report: id, name: "evil.html"), method: .get, headers: [.cookie: session.cookie]
            ) { response in
                #expect(response.headers[.contentType] == "application/octet-stream", "never rendered in the desk's origin")
                #expect(response.headers[.contentDisposition]?.hasPrefix("attachment") == true)
            }
            try await client.execute(uri: DeskFileResponse.address(report: id, name: "later.jpg"), method: .get, headers: [.cookie: session.cookie]) {
                response in #expect(response.status == .notFound)
            }
            try await client.execute(uri: photo, method: .get) { response in
                #expect(response.status != .ok && response.headers[.location] == "/desk/sign-in", "signed-in members only")
            }
        }
    }
}
