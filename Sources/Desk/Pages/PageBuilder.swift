import Bulletin
import Foundation
import Store
import SyncCore

/// Turns the store's values into pages, with every time in the bureau's time zone.
struct PageBuilder {
    let timeZone: TimeZone
    let now: Date

    /// A time as every replica shows one (`BureauTime`): the bureau's zone, with its offset.
    func time(_ date: Date) -> String {
        BureauTime.text(date, in: timeZone)
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
        let title = !item.isReport ? deadline.title : item.visibility.map { DeskWording.title(deadline.title, $0) } ?? DeskReport.unsentTitle
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
            bundleKeys: e.bundleKey != nil,
            outgoing: item.pull.map { pull in
                pull.outgoing > DevicePull.countLimit ? "超过 \(DevicePull.countLimit) 条" : pull.outgoing == 0 ? "已是最新" : "\(pull.outgoing) 条"
            } ?? "从未拉取",
            behind: (item.pull?.outgoing ?? 0) > 0, waiting: item.waiting, refused: item.refused,
            refusals: item.refusals.map { SyncPage.Refusal(at: time($0.at), dot: $0.dot, report: $0.report ?? "（单位内报告）", reason: $0.reason) },
            hasRefusals: !item.refusals.isEmpty)
    }

    func solicitation(_ item: DeskSolicitation) -> SolicitationsPage.Item {
        let passed = item.deadline < now
        let answers = item.answers.map { unit, answer in
            var row = answerRow(unit, answer, passed: passed)
            let sent = item.reminders[unit] ?? []
            if let last = sent.last {
                row.chased = "已催报 \(sent.count) 次，最近 \(time(last.at))（\(last.by)）" + (last.note.map { "：\($0)" } ?? "")
            }
            row.chase = answer == .waiting || { if case .returned = answer { true } else { false } }()
            return SolicitationsPage.Answer(
                unit: row.unit, status: row.status, late: row.late, link: row.link, chased: row.chased, chase: row.chase, solicitation: item.id)
        }
        let delivered = item.answers.filter { if case .delivered = $0.answer { true } else { false } }.count
        return SolicitationsPage.Item(
            topic: item.topic, deadline: time(item.deadline), contact: item.contact, issuedBy: item.issuedBy, answers: answers,
            summary: "\(delivered)/\(item.answers.count) 已报送")
    }

    /// One unit's answer in words, before the reminders are added.
    private func answerRow(_ unit: String, _ answer: DeskSolicitation.Answer, passed: Bool)
        -> (unit: String, status: String, late: Bool, link: String?, chased: String, chase: Bool)
    {
        switch answer {
        case .delivered(let report, let late):
            (unit, late ? "逾期报送（签发晚于截止时间）" : "已报送", late, "/desk/reports/\(report)", "", false)
        case .returned(let report): (unit, "已退回修改", false, "/desk/reports/\(report)", "", false)
        case .declined(let reason, let by): (unit, "不报：\(reason)（\(by)）", false, nil, "", false)
        case .waiting: (unit, passed ? "已超时未报" : "待报", passed, nil, "", false)
        }
    }

    func reportPage(
        _ item: DeskReport, history: ReportHistory, chain: [DeskReport], conflicts: [DeskConflict], frame: PageFrame
    ) -> ReportPage {
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
            levels: AdoptionLevel.allCases.map { ReportPage.Level(value: $0.rawValue, label: DeskWording.level($0)) },
            chain: chain.map { link in
                ReportPage.Link(
                    href: link.report.id == report.id ? nil : "/desk/reports/\(link.report.id)",
                    title: DeskWording.title(link.report.content.title, link.visibility), state: DeskWording.state(link.report.state),
                    created: time(link.report.createdAt), first: link.report.content.followUpOf == nil)
            },
            hasChain: !chain.isEmpty,
            attachments: withheld ? [] : report.content.attachments.map { file($0, of: item) },
            hasAttachments: !withheld && !report.content.attachments.isEmpty,
            conflicts: conflicts.map { conflict($0, showsText: !withheld) }, hasConflicts: !conflicts.isEmpty,
            openConflicts: conflicts.filter { $0.entry.status == .open }.count)
    }

    /// An attachment as the report page lists it: its file shown or linked once the central holds it.
    func file(_ attachment: Attachment, of item: DeskReport) -> ReportPage.File {
        let here = attachment.sha256.map(item.filesHere.contains) ?? false
        let href = here ? DeskFileResponse.address(report: item.report.id, name: attachment.name) : nil
        return ReportPage.File(
            name: attachment.name, kind: DeskWording.attachmentKind(attachment.kind), caption: attachment.caption,
            size: attachment.size.map(\.bytesText), href: href,
            image: here && DeskFileResponse.showsInline(attachment.mediaType ?? ""),
            missing: here ? nil : attachment.sha256 == nil ? "仅有名称，无文件" : "文件尚未传到中心")
    }

    /// A conflict side by side; `showsText` adds the two values of a field and their word diff.
    func conflict(_ item: DeskConflict, showsText: Bool) -> ConflictView {
        let entry = item.entry
        func side(_ side: ConflictEntry.Side) -> ConflictView.Side {
            let what = side.action.map(DeskWording.action) ?? (entry.kind == .fieldValue ? "修改内容" : "修改内容（改动：\(side.value ?? "")）")
            return ConflictView.Side(
                actor: side.actor, at: time(side.at), what: what, value: showsText && entry.kind == .fieldValue ? side.value ?? "（空）" : nil)
        }
        var parts: [ConflictView.Part] = []
        if showsText, entry.kind == .fieldValue, let old = entry.loser.value, let new = entry.winner?.value {
            parts = WordDiff(from: old, to: new).segments.map {
                ConflictView.Part(text: $0.text, same: $0.op == .same, removed: $0.op == .removed, added: $0.op == .added)
            }
        }
        let settled = entry.resolution.map { "\($0.actor) 于 \(time($0.at)) 处理：\(DeskWording.settlement($0.how))" }
        return ConflictView(
            key: entry.key, shortID: entry.id, kind: DeskWording.conflictKind(entry.kind, field: entry.field), reason: entry.reason,
            winner: entry.winner.map(side), loser: side(entry.loser), diff: parts, hasDiff: !parts.isEmpty, open: entry.status == .open,
            decidable: item.decidable,
            takesValue: entry.kind == .fieldValue, settled: settled)
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
