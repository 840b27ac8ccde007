import Bulletin
import Foundation
import Store
import SyncCore

/// What every page's frame shows: the title, who is signed in, and their anti-forgery token for the
/// sign-out form.
struct PageFrame {
    let title: String
    let memberName: String?
    let csrf: String?
    let timeZone: String
    /// A one-line message above the page (an error or what was done).
    let notice: String?
    let noticeIsError: Bool
}

/// The sign-in page.
struct SignInPage {
    let frame: PageFrame
    let member: String
}

/// The inbox: received reports not yet decided, most urgent first.
struct InboxPage {
    struct Row {
        let id: String
        let shortID: String
        let unit: String
        let category: String
        let title: String
        let emergency: Bool
        let received: String
        let waiting: String
    }

    struct Option {
        let value: String
        let label: String
        let selected: Bool
    }

    let frame: PageFrame
    let rows: [Row]
    let empty: Bool
    /// Said when more reports wait than the page lists.
    let more: String?
    let categories: [Option]
    let unit: String
    let search: String
}

/// One report: content (unless it is kept off the network), history and the central office's forms.
struct ReportPage {
    struct Entry {
        let at: String
        let actor: String
        let what: String
        let comment: String?
        let took: Bool
    }

    struct Level {
        let value: String
        let label: String
    }

    let frame: PageFrame
    let id: String
    let unit: String
    let category: String
    let state: String
    let title: String
    /// Why the text is not shown, when it is not.
    let withheld: String?
    let body: [String]
    let place: String?
    let eventTime: String?
    let lastComment: String?
    let history: [Entry]
    let canDecide: Bool
    let canInstruct: Bool
    let canArchive: Bool
    let levels: [Level]
}

/// The deadlines missed or near, by due time.
struct DeadlinesPage {
    struct Row {
        let status: String
        let overdue: Bool
        let due: String
        let unit: String
        let rule: String
        let title: String
        /// The report's page, when the desk may show it.
        let link: String?
    }

    let frame: PageFrame
    let rows: [Row]
    let empty: Bool
}

/// Every device's sync health: when it was last seen, what of it waits or was refused, and why.
struct SyncPage {
    struct Refusal {
        let at: String
        let dot: String
        let report: String
        let reason: String
    }

    struct Device {
        let device: String
        let unit: String
        let enrolled: String
        let lastSeen: String
        /// Not seen for more than a day, or never.
        let stale: Bool
        let revoked: String?
        let bundleKeys: Bool
        let waiting: Int
        let refused: Int
        let refusals: [Refusal]
        let hasRefusals: Bool
    }

    let frame: PageFrame
    let devices: [Device]
    let empty: Bool
}

/// A period's scores: the bulletin's ranked table and named items, with the bulletin to download.
struct ScoresPage {
    struct Row {
        let cells: [String]
    }

    let frame: PageFrame
    let period: String
    let title: String
    let orderNote: String
    let headers: [String]
    let rows: [Row]
    let namedHeading: String
    let named: [String]
    let hasNamed: Bool
    /// The download links' query (`period=…`).
    let query: String

    init(frame: PageFrame, document: BulletinDocument) {
        self.frame = frame
        period = document.period
        title = document.wording.title(bureau: document.bureau, period: document.period)
        orderNote = document.wording.orderNote
        headers = document.wording.headers
        rows = document.rows.map { Row(cells: BulletinDocument.cells($0)) }
        namedHeading = document.wording.namedHeading
        named = document.named.flatMap { unit in unit.items.map { document.wording.namedLine($0, unit: unit.unit, name: unit.name) } }
        hasNamed = !named.isEmpty
        query = "period=" + document.period
    }
}

/// The solicitations: a form to issue one, and each one's answers by unit.
struct SolicitationsPage {
    struct Unit {
        let id: String
        let name: String
    }

    struct Answer {
        let unit: String
        let status: String
        let late: Bool
        let link: String?
    }

    struct Item {
        let topic: String
        let deadline: String
        let contact: String
        let issuedBy: String
        let answers: [Answer]
        let summary: String
    }

    let frame: PageFrame
    let units: [Unit]
    let items: [Item]
    let empty: Bool
}

/// A page that only says what went wrong.
struct ErrorPage {
    let frame: PageFrame
}

/// Turns the store's values into pages, with every time in the bureau's time zone.
struct PageBuilder {
    let timeZone: TimeZone
    let now: Date

    func time(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }

    /// How long something has waited, in the largest whole unit.
    func waited(since date: Date) -> String {
        let minutes = max(0, Int(now.timeIntervalSince(date) / 60))
        if minutes < 60 { return "\(minutes) 分钟" }
        if minutes < 48 * 60 { return "\(minutes / 60) 小时" }
        return "\(minutes / 1440) 天"
    }

    func inboxRow(_ item: DeskReport) -> InboxPage.Row {
        let report = item.report
        return InboxPage.Row(
            id: report.id, shortID: String(report.id.prefix(13)), unit: report.unit, category: DeskWording.category(report.content.category),
            title: DeskWording.title(report.content.title, item.visibility), emergency: report.content.category == .emergency,
            received: time(report.updatedAt), waiting: waited(since: report.updatedAt))
    }

    func deadlineRow(_ item: DeskDeadline) -> DeadlinesPage.Row {
        let deadline = item.deadline
        // A report still in its unit is counted, never named; one the desk shows in part is named as its page names it.
        let title = !item.isReport ? deadline.title : item.visibility.map { DeskWording.title(deadline.title, $0) } ?? DeskWording.unsentTitle
        return DeadlinesPage.Row(
            status: DeskWording.deadlineStatus(deadline.status), overdue: deadline.status == .overdue, due: time(deadline.due),
            unit: deadline.unit, rule: BulletinWording.ruleName(deadline.rule), title: title,
            link: item.visibility != nil ? "/desk/reports/\(deadline.report)" : nil)
    }

    func device(_ item: DeskDevice) -> SyncPage.Device {
        let e = item.enrollment
        return SyncPage.Device(
            device: e.device, unit: e.unit, enrolled: time(e.createdAt),
            lastSeen: e.lastSeenAt.map { "\(time($0))（\(waited(since: $0))前）" } ?? "从未同步",
            stale: e.revokedAt == nil && (e.lastSeenAt.map { now.timeIntervalSince($0) > 86_400 } ?? true), revoked: e.revokedAt.map(time),
            bundleKeys: e.bundleKey != nil, waiting: item.waiting, refused: item.refused,
            refusals: item.refusals.map { SyncPage.Refusal(at: time($0.at), dot: $0.dot, report: $0.report, reason: $0.reason) },
            hasRefusals: !item.refusals.isEmpty)
    }

    func solicitation(_ item: DeskSolicitation) -> SolicitationsPage.Item {
        let passed = item.deadline < now
        let answers = item.answers.map { unit, answer in
            switch answer {
            case .delivered(let report): SolicitationsPage.Answer(unit: unit, status: "已报送", late: false, link: "/desk/reports/\(report)")
            case .declined(let reason, let by): SolicitationsPage.Answer(unit: unit, status: "不报：\(reason)（\(by)）", late: false, link: nil)
            case .waiting: SolicitationsPage.Answer(unit: unit, status: passed ? "已超时未报" : "待报", late: passed, link: nil)
            }
        }
        let delivered = item.answers.filter { if case .delivered = $0.answer { true } else { false } }.count
        return SolicitationsPage.Item(
            topic: item.topic, deadline: time(item.deadline), contact: item.contact, issuedBy: item.issuedBy, answers: answers,
            summary: "\(delivered)/\(item.answers.count) 已报送")
    }

    func reportPage(_ item: DeskReport, history: ReportHistory, frame: PageFrame) -> ReportPage {
        let report = item.report
        let withheld = !item.visibility.showsText
        let entries = history.entries.map { entry in
            ReportPage.Entry(
                at: time(entry.at), actor: entry.actor, what: describe(entry, named: !withheld),
                comment: withheld ? nil : entry.comment, took: entry.outcome == .applied)
        }
        return ReportPage(
            frame: frame, id: report.id, unit: report.unit, category: DeskWording.category(report.content.category),
            state: DeskWording.state(report.state), title: DeskWording.title(report.content.title, item.visibility),
            withheld: DeskWording.withheldNotice(item.visibility),
            body: withheld ? [] : report.content.body.split(separator: "\n", omittingEmptySubsequences: false).map(String.init),
            place: withheld ? nil : report.content.place, eventTime: withheld ? nil : report.content.eventTime.map(time),
            lastComment: withheld ? nil : report.lastComment, history: entries, canDecide: report.state == .received,
            canInstruct: report.state == .adopted,
            canArchive: report.state == .adopted || report.state == .rejected,
            levels: AdoptionLevel.allCases.map { ReportPage.Level(value: $0.rawValue, label: DeskWording.level($0)) })
    }

    /// A history entry in words; `named` adds the outlet or leader of an adoption or instruction.
    private func describe(_ entry: HistoryEntry, named showsNames: Bool) -> String {
        if let action = entry.action {
            var text = DeskWording.action(action)
            if let level = entry.detail?.level {
                let named = showsNames ? entry.detail?.outlet ?? entry.detail?.leader : nil
                text += "（\(DeskWording.level(level))" + (named.map { "，\($0)" } ?? "") + "）"
            }
            return text
        }
        return entry.version.map { "第 \($0) 稿" } ?? entry.kind.rawValue
    }
}
