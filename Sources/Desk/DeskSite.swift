import Bulletin
import Foundation
import Hummingbird
import HummingbirdAuth
import HummingbirdBcrypt
import Mustache
import Store
import SyncCore

/// The central office's web desk (docs/desk.md): server-rendered pages under `/desk/` of `syncd serve`,
/// for the central office's own members, signed in with a password and kept in a server-side session.
/// Every form carries the session's anti-forgery token; every step is the same change, with the same
/// checks and the member's own signature, as `report-cli` makes on the central.
public struct DeskSite: Sendable {
    let store: any DeskStore
    let templates: DeskTemplates
    /// Whether the session cookie is `Secure` (the desk is served behind TLS).
    let secureCookies: Bool
    let now: @Sendable () -> Date

    /// How long a session lasts without a new sign-in.
    static let sessionLength: Duration = .seconds(8 * 3600)
    static let cookieName = "reportsync_desk"
    static let sessionKeyPrefix = "desk."
    /// At most this many password checks at once (bcrypt keeps a thread busy for a quarter of a second,
    /// on the pool the sync API's database work also runs on); more get "try again".
    let bcryptGate = BcryptGate(capacity: 4)

    public init(store: any DeskStore, secureCookies: Bool = false, now: @escaping @Sendable () -> Date = { Date() }) throws {
        self.store = store
        self.templates = try DeskTemplates()
        self.secureCookies = secureCookies
        self.now = now
    }

    /// Adds the desk's routes under `/desk` to the server's router.
    public func mount(on router: Router<BasicRequestContext>) {
        let desk = router.group("desk", context: DeskRequestContext.self)
        desk.add(middleware: DeskHeadersMiddleware())
        desk.add(
            middleware: SessionMiddleware(
                storage: StorePersistDriver(store: store, now: now),
                configuration: SessionMiddlewareConfiguration(
                    sessionCookieParameters: SessionCookieParameters(
                        name: Self.cookieName, path: "/desk", secure: secureCookies, sameSite: .strict),
                    keyPrefix: Self.sessionKeyPrefix, defaultSessionExpiration: Self.sessionLength)))

        desk.get { _, _ in Response.redirect(to: "/desk/inbox") }
        desk.get("static/desk.css") { _, _ in try templates.stylesheet() }
        desk.get("sign-in") { _, context in
            if try await signedIn(context) != nil { return Response.redirect(to: "/desk/inbox") }
            return try await signInPage(member: "", notice: nil, status: .ok)
        }
        desk.post("sign-in") { request, context in try await signIn(request, context) }
        desk.post("sign-out") { request, context in
            try await catching(context) {
                _ = try await requireForm(TokenForm.self, request, context) { $0.csrf }
                context.sessions.clearSession()
                return Response.redirect(to: "/desk/sign-in")
            }
        }
        desk.get("inbox") { request, context in try await inbox(request, context) }
        desk.get("sync") { _, context in
            try await page(context) { account, session in
                let devices = try await store.deskDevices()
                let builder = PageBuilder(timeZone: try await store.deskTimeZone(), now: now())
                let page = SyncPage(
                    frame: try await frame("同步情况 · 信息报送工作台", session, account: account), devices: devices.map(builder.device),
                    empty: devices.isEmpty)
                return try templates.render(page, "sync", status: .ok)
            }
        }
        desk.get("solicitations") { _, context in
            try await page(context) { account, session in try await solicitationsPage(account, session, notice: nil, status: .ok) }
        }
        desk.post("solicitations") { request, context in try await catching(context) { try await solicit(request, context) } }
        desk.post("solicitations/remind") { request, context in try await catching(context) { try await remind(request, context) } }
        desk.get("scores") { request, context in
            try await page(context) { account, session in
                let scores = try await store.deskScores(try period(request))
                let page = ScoresPage(
                    frame: try await frame("积分与通报 · 信息报送工作台", session, account: account), document: Self.bulletin(scores), scores: scores)
                return try templates.render(page, "scores", status: .ok)
            }
        }
        desk.get("bulletin") { request, context in
            try await page(context) { _, _ in
                let document = Self.bulletin(try await store.deskScores(try period(request)))
                let (text, type, ext): (String, String, String) =
                    switch request.uri.queryParameters.get("format") {
                    case "csv": (document.csv, "text/csv; charset=utf-8", "csv")
                    case "html": (document.html, "text/html; charset=utf-8", "html")
                    default: (document.markdown, "text/markdown; charset=utf-8", "md")
                    }
                // A download, never shown as a page of the desk (the HTML bulletin has its own inline style).
                return Response(
                    status: .ok,
                    headers: [.contentType: type, .contentDisposition: "attachment; filename=\"bulletin-\(document.period).\(ext)\""],
                    body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
            }
        }
        desk.get("people") { _, context in
            try await page(context) { account, session in try await peoplePage(account, session, status: .ok) }
        }
        desk.post("people/enroll") { request, context in try await catching(context) { try await enroll(request, context) } }
        desk.post("people/revoke") { request, context in try await catching(context) { try await revoke(request, context) } }
        desk.post("people/unit") { request, context in try await catching(context) { try await addUnit(request, context) } }
        desk.post("people/member") { request, context in try await catching(context) { try await addMember(request, context) } }
        desk.post("people/password") { request, context in try await catching(context) { try await setPassword(request, context) } }
        desk.get("deadlines") { request, context in
            try await page(context) { account, session in
                let query = request.uri.queryParameters
                let unit = query.get("unit").flatMap { $0.isEmpty ? nil : String($0) }
                let rule = query.get("rule").flatMap { $0.isEmpty ? nil : String($0) }
                let found = try await store.deskDeadlines(unit: unit, rule: rule, page: (query.get("page").flatMap { Int($0) } ?? 1) - 1)
                let builder = PageBuilder(timeZone: try await store.deskTimeZone(), now: now())
                let page = DeadlinesPage(
                    frame: try await frame("时限 · 信息报送工作台", session, account: account),
                    tallies: found.tallies.map { tally in
                        DeadlinesPage.Tally(
                            unit: tally.unit, rule: BulletinWording.ruleName(tally.rule), overdue: tally.overdue, dueSoon: tally.dueSoon,
                            link: DeadlinesPage.link(unit: tally.unit, rule: tally.rule), selected: tally.unit == unit && tally.rule == rule)
                    },
                    rows: found.items.map(builder.deadlineRow), empty: found.tallies.isEmpty,
                    summary: (unit.map { "\($0) " } ?? "") + (rule.map { "「\(BulletinWording.ruleName($0))」" } ?? "") + "共 \(found.total) 项"
                        + (found.pageCount > 1 ? "，第 \(found.page + 1)/\(found.pageCount) 页" : ""),
                    all: unit == nil && rule == nil ? nil : DeadlinesPage.link(unit: nil, rule: nil),
                    previous: found.page > 0 ? DeadlinesPage.link(unit: unit, rule: rule, page: found.page - 1) : nil,
                    next: found.page + 1 < found.pageCount ? DeadlinesPage.link(unit: unit, rule: rule, page: found.page + 1) : nil)
                return try templates.render(page, "deadlines", status: .ok)
            }
        }
        desk.get("reports/:id") { request, context in
            try await page(context) { account, session in
                // After a form: what was recorded (the redirect's `done`, an action's name).
                let done = request.uri.queryParameters.get("done").flatMap(WorkflowAction.init(rawValue:))
                let resolved = request.uri.queryParameters.get("resolved")
                return try await reportPage(
                    id: try context.parameters.require("id"), account, session, done: done, resolved: resolved, status: .ok)
            }
        }
        desk.get("reports/:id/files/:name") { _, context in
            try await page(context) { _, _ in
                // The path carries the name percent-encoded (`DeskFileResponse.address`).
                let name = try context.parameters.require("name")
                let file = try await store.deskFile(of: try context.parameters.require("id"), named: name.removingPercentEncoding ?? name)
                return try await DeskFileResponse.make(file, context: context)
            }
        }
        desk.post("reports/:id/:step") { request, context in
            try await catching(context) {
                context.parameters.get("step") == "resolve" ? try await resolve(request, context) : try await step(request, context)
            }
        }
    }

    // MARK: Sign-in

    private func signIn(_ request: Request, _ context: DeskRequestContext) async throws -> Response {
        let form: SignInForm
        do { form = try await FormBody.decode(SignInForm.self, from: request) } catch let failure as DeskFailure {
            return try await signInPage(member: "", notice: failure.message, status: failure.status)
        }
        let memberID = form.member.trimmingCharacters(in: .whitespaces)
        let wrong = "wrong member or password (only the central office's editors, leaders and admins sign in here)"
        let account: DeskAccount
        do { account = try await store.beginDeskSignIn(member: memberID) } catch let refusal as DeskSignInRefusal {
            switch refusal.reason {
            case .unknown:
                // As slow as a real check, so a name that has no password is not told apart by the time.
                guard try await bcryptGate.verify(form.password, hash: Self.decoyHash) != nil else {
                    return try await signInPage(member: memberID, notice: Self.busy, status: .serviceUnavailable)
                }
                return try await signInPage(member: memberID, notice: wrong, status: .unauthorized)
            case .wait(let seconds):
                return try await signInPage(
                    member: memberID, notice: "连续输错密码次数过多：请 \(seconds) 秒后再试", status: .tooManyRequests)
            }
        }
        guard let right = try await bcryptGate.verify(form.password, hash: account.passwordHash) else {
            return try await signInPage(member: memberID, notice: Self.busy, status: .serviceUnavailable)
        }
        guard right else { return try await signInPage(member: memberID, notice: wrong, status: .unauthorized) }
        try await store.deskSignInSucceeded(member: memberID)
        // A new session id at every sign-in, and the browser's earlier session ended: an id planted or
        // left before is worth nothing after.
        if let earlier = request.cookies[Self.cookieName]?.value {
            try await StorePersistDriver(store: store, now: now).remove(key: Self.sessionKeyPrefix + String(earlier))
        }
        context.sessions.createSession(DeskSession(member: memberID, csrf: DeskCSRF.newToken()))
        return Response.redirect(to: "/desk/inbox")
    }

    static let busy = "同时登录的人较多：请几秒后再试"

    /// A bcrypt hash of nothing anyone types, checked when the name is unknown.
    static let decoyHash = Bcrypt.hash(DeskCSRF.newToken(), cost: 12)

    private func signInPage(member: String, notice: String?, status: HTTPResponse.Status) async throws -> Response {
        let frame = try await frame("登录 · 信息报送工作台", nil, notice: notice, error: notice != nil)
        return try templates.render(SignInPage(frame: frame, member: member), "sign-in", status: status)
    }

    // MARK: Pages

    private func inbox(_ request: Request, _ context: DeskRequestContext) async throws -> Response {
        try await page(context) { account, session in
            let query = request.uri.queryParameters
            let text = { (name: String) in query.get(name).flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 } }
            let periodText = text("period") ?? ""
            let period = try? Period.parse(periodText)
            var filter = DeskInboxFilter(
                unit: text("unit"), category: text("category").flatMap(ReportCategory.init(rawValue:)), search: text("q"),
                state: text("state").flatMap(ApprovalState.init(rawValue:)).flatMap { $0.hasLeftUnit ? $0 : nil } ?? .received,
                period: period, page: (text("page").flatMap(Int.init) ?? 1) - 1)
            let found = try await store.deskInbox(filter)
            filter.page = found.page
            let builder = PageBuilder(timeZone: try await store.deskTimeZone(), now: now())
            let categories = ReportCategory.allCases.map {
                InboxPage.Option(value: $0.rawValue, label: DeskWording.category($0), selected: $0 == filter.category)
            }
            let states = DeskInboxFilter.listableStates.map {
                InboxPage.Option(value: $0.rawValue, label: DeskWording.state($0), selected: $0 == filter.state)
            }
            let periodLink = period == nil ? "" : periodText
            func link(_ page: Int) -> String {
                var other = filter
                other.page = page
                return InboxPage.link(other, period: periodLink)
            }
            let page = InboxPage(
                frame: try await frame("待处理 · 信息报送工作台", session, account: account),
                heading: filter.state == .received ? "待处理报告" : "\(DeskWording.state(filter.state))的报告",
                rows: found.reports.map(builder.inboxRow), empty: found.reports.isEmpty,
                summary: "共 \(found.total) 份" + (found.pageCount > 1 ? "，第 \(found.page + 1)/\(found.pageCount) 页" : ""),
                previous: found.page > 0 ? link(found.page - 1) : nil, next: found.page + 1 < found.pageCount ? link(found.page + 1) : nil,
                notice: period == nil && !periodText.isEmpty ? "时段「\(periodText)」无法识别：请写 2026-11、2026Q4 或 2026；未按时段筛选" : nil,
                categories: categories, states: states, unit: filter.unit ?? "", search: filter.search ?? "", period: periodText)
            return try templates.render(page, "inbox", status: .ok)
        }
    }

    /// The report page; `done` or `resolved`, after a form, says what was recorded — only when the
    /// report's last step is that action by this member, or that conflict was settled by this member (a
    /// link cannot make the page claim what did not happen).
    private func reportPage(
        id: String, _ account: Member, _ session: DeskSession, notice: String? = nil, error: Bool = false, done: WorkflowAction? = nil,
        resolved: String? = nil, status: HTTPResponse.Status
    ) async throws -> Response {
        let found: (report: DeskReport, history: ReportHistory)
        let conflicts: [DeskConflict]
        let chain: [DeskReport]
        do {
            found = try await store.deskReport(id)
            conflicts = try await store.deskConflicts(of: id, for: account.id)
            chain = try await store.deskChain(of: id)
        } catch let error as ReportSyncError {
            throw DeskFailure(HTTPResponse.Status(code: error.code.httpStatus), DeskWording.refusal(error))
        }
        var notice = notice
        if let done, let last = found.history.entries.last(where: { $0.kind == .transition && $0.outcome == .applied }),
            last.action == done, last.actor == account.id
        {
            notice = "已记录：\(DeskWording.action(done))，并以您的密钥签名。下次同步时送达报送单位。"
        }
        if let resolved, conflicts.contains(where: { $0.entry.key == resolved && $0.entry.resolution?.actor == account.id }) {
            notice = "已记录冲突的处理，并以您的密钥签名。下次同步时送达报送单位。"
        }
        let builder = PageBuilder(timeZone: try await store.deskTimeZone(), now: now())
        let frame = try await frame("报告 · 信息报送工作台", session, account: account, notice: notice, error: error)
        return try templates.render(
            builder.reportPage(found.report, history: found.history, chain: chain, conflicts: conflicts, frame: frame), "report", status: status)
    }

    /// Decides a conflict of the report from its form, as the signed-in member.
    private func resolve(_ request: Request, _ context: DeskRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let (account, session, form) = try await requireForm(ResolveForm.self, request, context) { $0.csrf }
        guard let key = form.conflict, let keep = form.keep.flatMap(ResolutionStep.Keep.init(rawValue:)) else {
            return try await reportPage(
                id: id, account, session, notice: "请选择保留哪一方（或填写新的值）", error: true, status: .unprocessableContent)
        }
        let value = keep == .value ? form.value : nil
        do {
            _ = try await store.deskResolve(
                key, on: id, keep: keep, value: value, comment: form.comment.flatMap { $0.isEmpty ? nil : $0 }, by: account.id, pin: form.pin ?? "")
        } catch let error as ReportSyncError {
            return try await reportPage(id: id, account, session, notice: DeskWording.refusal(error), error: true, status: HTTPResponse.Status(code: error.code.httpStatus))
        }
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return Response.redirect(to: "/desk/reports/\(id)?resolved=\(key.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")")
    }

    /// A central-office step from the report page's forms.
    private func step(_ request: Request, _ context: DeskRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let (account, session, form) = try await requireForm(StepForm.self, request, context) { $0.csrf }
        let action: WorkflowAction
        var detail: StepDetail?
        var comment = form.comment.flatMap { $0.isEmpty ? nil : $0 }
        switch context.parameters.get("step") {
        case "adopt":
            guard let level = form.level.flatMap(AdoptionLevel.init(rawValue:)) else {
                return try await reportPage(id: id, account, session, notice: "请选择采用的级别", error: true, status: .unprocessableContent)
            }
            action = .adopt
            detail = StepDetail(level: level, outlet: form.outlet.flatMap { $0.isEmpty ? nil : $0 }, date: try await day(form.date))
            comment = nil
        case "instruct":
            guard let level = form.level.flatMap(AdoptionLevel.init(rawValue:)), let leader = form.leader, !leader.isEmpty else {
                return try await reportPage(
                    id: id, account, session, notice: "请填写批示的领导及其级别", error: true, status: .unprocessableContent)
            }
            action = .instruct
            detail = StepDetail(level: level, leader: leader, date: try await day(form.date))
        case "return": action = .return
        case "reject":
            action = .reject
            if form.falseReport == "on" { detail = StepDetail(falseReport: true) }
        case "archive": action = .archive
        default: throw DeskFailure(.notFound, "工作台没有这一操作")
        }
        do {
            _ = try await store.deskPerform(action, on: id, by: account.id, pin: form.pin ?? "", comment: comment, detail: detail)
        } catch let error as ReportSyncError {
            return try await reportPage(id: id, account, session, notice: DeskWording.refusal(error), error: true, status: HTTPResponse.Status(code: error.code.httpStatus))
        }
        return Response.redirect(to: "/desk/reports/\(id)?done=\(action.rawValue)")
    }

    private func solicitationsPage(
        _ account: Member, _ session: DeskSession, notice: String?, error: Bool = false, status: HTTPResponse.Status
    ) async throws -> Response {
        let builder = PageBuilder(timeZone: try await store.deskTimeZone(), now: now())
        let items = try await store.deskSolicitations()
        let page = SolicitationsPage(
            frame: try await frame("约稿 · 信息报送工作台", session, account: account, notice: notice, error: error),
            units: try await store.deskUnits().map { SolicitationsPage.Unit(id: $0.id, name: $0.name) }, items: items.map(builder.solicitation),
            empty: items.isEmpty)
        return try templates.render(page, "solicitations", status: status)
    }

    /// Issues a solicitation from the form, as the signed-in member.
    private func solicit(_ request: Request, _ context: DeskRequestContext) async throws -> Response {
        let (account, session, form) = try await requireForm(SolicitationForm.self, request, context) { $0.csrf }
        let timeZone = try await store.deskTimeZone()
        guard let deadline = form.deadline.flatMap({ TimestampParser.parse($0, timeZone: timeZone) }) else {
            return try await solicitationsPage(
                account, session, notice: "请填写截止的日期和时间（本局时区）", error: true, status: .unprocessableContent)
        }
        do {
            try await store.deskSolicit(
                topic: form.topic ?? "", units: form.units ?? [], deadline: deadline, contact: form.contact ?? "", by: account.id)
        } catch let error as ReportSyncError {
            return try await solicitationsPage(
                account, session, notice: DeskWording.refusal(error), error: true, status: HTTPResponse.Status(code: error.code.httpStatus))
        }
        return Response.redirect(to: "/desk/solicitations")
    }

    /// Throws 403 unless the signed-in member is an admin: the units and people page and its forms (the
    /// store checks each change again).
    private func requireAdmin(_ account: Member) throws {
        guard account.role == .admin else {
            throw DeskFailure(.forbidden, "单位与人员页面只对管理员开放：请联系本局管理员")
        }
    }

    /// Chases a unit for its answer to a solicitation, as the signed-in member.
    private func remind(_ request: Request, _ context: DeskRequestContext) async throws -> Response {
        let (account, session, form) = try await requireForm(ReminderForm.self, request, context) { $0.csrf }
        let unit = form.unit ?? ""
        do {
            try await store.deskRemind(solicitation: form.solicitation ?? "", unit: unit, note: form.note, by: account.id)
        } catch let error as ReportSyncError {
            return try await solicitationsPage(
                account, session, notice: DeskWording.refusal(error), error: true, status: HTTPResponse.Status(code: error.code.httpStatus))
        }
        return try await solicitationsPage(account, session, notice: "已向 \(unit) 催报：该单位下一次同步时收到。", status: .ok)
    }

    /// The units and people page (admins only); `token` is a device's token just made, shown this once.
    private func peoplePage(
        _ account: Member, _ session: DeskSession, notice: String? = nil, error: Bool = false, token: DirectoryPage.NewToken? = nil,
        status: HTTPResponse.Status
    ) async throws -> Response {
        try requireAdmin(account)
        let builder = PageBuilder(timeZone: try await store.deskTimeZone(), now: now())
        let page = DirectoryPage(
            frame: try await frame("单位与人员 · 信息报送工作台", session, account: account, notice: notice, error: error),
            directory: try await store.deskDirectory(), builder: builder, token: token)
        return try templates.render(page, "people", status: status)
    }

    /// Enrols a device from the people page's form and shows its token once.
    private func enroll(_ request: Request, _ context: DeskRequestContext) async throws -> Response {
        let (account, session, form) = try await requireForm(DeviceForm.self, request, context) { $0.csrf }
        let device = (form.device ?? "").trimmingCharacters(in: .whitespaces)
        do {
            let token = try await store.deskEnroll(unit: form.unit ?? "", device: device, by: account.id)
            return try await peoplePage(
                account, session, notice: "已登记设备 \(device)。登记码只显示这一次，请交给该设备的信息员。",
                token: DirectoryPage.NewToken(device: device, token: token), status: .ok)
        } catch let error as ReportSyncError {
            return try await peoplePage(account, session, notice: DeskWording.refusal(error), error: true, status: HTTPResponse.Status(code: error.code.httpStatus))
        }
    }

    /// Revokes a device's token from the people page's form.
    private func revoke(_ request: Request, _ context: DeskRequestContext) async throws -> Response {
        let (account, session, form) = try await requireForm(DeviceForm.self, request, context) { $0.csrf }
        let device = form.device ?? ""
        do {
            try await store.deskRevoke(device: device, by: account.id)
            return try await peoplePage(account, session, notice: "已注销设备 \(device)：它的下一次同步会被拒绝。", status: .ok)
        } catch let error as ReportSyncError {
            return try await peoplePage(account, session, notice: DeskWording.refusal(error), error: true, status: HTTPResponse.Status(code: error.code.httpStatus))
        }
    }

    /// Adds a unit from the people page's form.
    private func addUnit(_ request: Request, _ context: DeskRequestContext) async throws -> Response {
        let (account, session, form) = try await requireForm(UnitForm.self, request, context) { $0.csrf }
        try requireAdmin(account)
        let id = (form.id ?? "").trimmingCharacters(in: .whitespaces)
        let name = (form.name ?? "").trimmingCharacters(in: .whitespaces)
        do {
            guard !name.isEmpty else { throw ReportSyncError(.invalidInput, "a unit needs a name; nothing was added") }
            guard let kind = UnitKind(rawValue: form.kind ?? "") else {
                throw ReportSyncError(.invalidInput, "choose the unit's kind from the list; nothing was added")
            }
            let parent = (form.parent ?? "").isEmpty ? nil : form.parent
            try await store.deskAddUnit(OrgUnit(id: id, name: name, kind: kind, parent: parent), by: account.id)
            return try await peoplePage(account, session, notice: "已添加单位 \(name)（\(id)），下一次同步时各设备都会收到。", status: .ok)
        } catch let error as ReportSyncError {
            return try await peoplePage(account, session, notice: DeskWording.refusal(error), error: true, status: HTTPResponse.Status(code: error.code.httpStatus))
        }
    }

    /// Adds a member from the people page's form.
    private func addMember(_ request: Request, _ context: DeskRequestContext) async throws -> Response {
        let (account, session, form) = try await requireForm(MemberForm.self, request, context) { $0.csrf }
        try requireAdmin(account)
        let id = (form.id ?? "").trimmingCharacters(in: .whitespaces)
        let name = (form.name ?? "").trimmingCharacters(in: .whitespaces)
        let phone = (form.phone ?? "").trimmingCharacters(in: .whitespaces)
        do {
            guard let role = Role(rawValue: form.role ?? "") else {
                throw ReportSyncError(.invalidInput, "choose the member's role from the list; nothing was added")
            }
            try await store.deskAddMember(
                Member(id: id, name: name, unit: form.unit ?? "", role: role, phone: phone.isEmpty ? nil : phone), by: account.id)
            return try await peoplePage(
                account, session, notice: "已添加人员 \(name)（\(id)）。签名密钥请在中心用 syncd member invite 发放邀请码。", status: .ok)
        } catch let error as ReportSyncError {
            return try await peoplePage(account, session, notice: DeskWording.refusal(error), error: true, status: HTTPResponse.Status(code: error.code.httpStatus))
        }
    }

    /// Sets a central-office member's desk password from the people page's form; their sessions end.
    private func setPassword(_ request: Request, _ context: DeskRequestContext) async throws -> Response {
        let (account, session, form) = try await requireForm(PasswordForm.self, request, context) { $0.csrf }
        // Checked before any bcrypt work: only an admin's form costs the server a hash.
        try requireAdmin(account)
        let member = form.member ?? ""
        let password = form.password ?? ""
        do {
            guard password == form.again else { throw ReportSyncError(.invalidInput, "the two passwords differ; nothing was changed") }
            try DeskPasswordRule.check(password)
            guard let hash = try await bcryptGate.hash(password, cost: DeskPasswordRule.bcryptCost) else {
                throw DeskFailure(.serviceUnavailable, "服务器正忙于核对密码：请几秒后再试")
            }
            try await store.deskSetPassword(member: member, hash: hash, by: account.id)
            if member == account.id { return Response.redirect(to: "/desk/sign-in") }
            return try await peoplePage(account, session, notice: "已设置 \(member) 的工作台密码；其原有的登录均已结束。", status: .ok)
        } catch let error as ReportSyncError {
            return try await peoplePage(account, session, notice: DeskWording.refusal(error), error: true, status: HTTPResponse.Status(code: error.code.httpStatus))
        }
    }

    /// The request's `period` (a month `2026-10`, a quarter `2026Q3` or a year), or `nil` (this month).
    private func period(_ request: Request) throws -> Period? {
        guard let text = request.uri.queryParameters.get("period"), !text.isEmpty else { return nil }
        do { return try Period.parse(String(text)) } catch {
            throw DeskFailure(.unprocessableContent, "请按月（2026-10）、季度（2026Q3）或年（2026）填写时段")
        }
    }

    /// The bulletin of a period's scores, in Chinese.
    private static func bulletin(_ scores: DeskScores) -> BulletinDocument {
        BulletinDocument(
            bureau: scores.bureau, period: scores.period, cards: scores.cards, wording: BulletinWording(language: .zh, timeZone: scores.timeZone))
    }

    /// A day typed as `2026-10-15` (or a full time), read in the bureau's time zone, if one was given.
    private func day(_ text: String?) async throws -> Date? {
        guard let text, !text.isEmpty else { return nil }
        do { return try TimestampParser.require(dayOrTime: text, timeZone: try await store.deskTimeZone(), what: "the day") } catch {
            throw DeskFailure(.unprocessableContent, "请按 2026-10-15 的格式填写日期")
        }
    }

    // MARK: Sessions and forms

    /// The member signed in on this request, if the session names one who may still use the desk.
    private func signedIn(_ context: DeskRequestContext) async throws -> (Member, DeskSession)? {
        guard let session = context.sessions.session else { return nil }
        guard let member = try await store.deskMember(session.member) else {
            context.sessions.clearSession()
            return nil
        }
        return (member, session)
    }

    /// Runs a page for a signed-in member; anyone else is sent to the sign-in page.
    private func page(
        _ context: DeskRequestContext, _ body: (Member, DeskSession) async throws -> Response
    ) async throws -> Response {
        guard let (member, session) = try await signedIn(context) else { return Response.redirect(to: "/desk/sign-in") }
        do { return try await body(member, session) } catch let failure as DeskFailure {
            return try await failurePage(failure, session, member)
        } catch let error as ReportSyncError {
            return try await failurePage(DeskFailure(HTTPResponse.Status(code: error.code.httpStatus), DeskWording.refusal(error)), session, member)
        }
    }

    /// Reads a signed-in member's form and checks its anti-forgery token; refuses anything else with a page that says why.
    private func requireForm<Form: Decodable>(
        _ type: Form.Type, _ request: Request, _ context: DeskRequestContext, token: (Form) -> String?
    ) async throws -> (Member, DeskSession, Form) {
        guard let (member, session) = try await signedIn(context) else {
            throw DeskFailure(.forbidden, "尚未登录或登录已结束：请在 /desk/sign-in 重新登录")
        }
        let form = try await FormBody.decode(type, from: request)
        guard let sent = token(form), DeskCSRF.matches(sent, session.csrf) else {
            throw DeskFailure(.forbidden, "此表单不是从您本次登录的页面提交的：请刷新页面后重试")
        }
        return (member, session, form)
    }

    /// Runs a form's handler; a refusal becomes a page that says why, with the status it stands for.
    private func catching(_ context: DeskRequestContext, _ body: () async throws -> Response) async throws -> Response {
        let failure: DeskFailure
        do { return try await body() } catch let refused as DeskFailure { failure = refused } catch let error as ReportSyncError {
            failure = DeskFailure(HTTPResponse.Status(code: error.code.httpStatus), DeskWording.refusal(error))
        }
        let signed = try await signedIn(context)
        return try await failurePage(failure, signed?.1, signed?.0)
    }

    private func failurePage(_ failure: DeskFailure, _ session: DeskSession?, _ member: Member?) async throws -> Response {
        let frame = try await frame("出错 · 信息报送工作台", session, account: member, notice: failure.message, error: true)
        return try templates.render(ErrorPage(frame: frame), "error", status: failure.status)
    }

    private func frame(
        _ title: String, _ session: DeskSession?, account: Member? = nil, notice: String? = nil, error: Bool = false
    ) async throws -> PageFrame {
        PageFrame(
            title: title, memberName: account.map { "\($0.name)（\($0.id)）" }, csrf: session?.csrf, isAdmin: account?.role == .admin,
            timeZone: try await store.deskTimeZone().identifier, notice: notice, noticeIsError: error)
    }
}
