import Foundation

/// What the central office counts about one report: when it was signed off and received, its
/// adoptions and instructions, and the facts its deadline depends on.
public struct ReportFacts: Sendable, Equatable {
    /// An adoption (采用) or a leader's written instruction (批示), with its level and day.
    public struct Recognition: Sendable, Equatable, Encodable {
        public let level: AdoptionLevel
        /// The outlet (adoption) or leader (instruction).
        public let by: String?
        public let at: Date
    }

    public let id: String
    public let unit: String
    /// The member who drafted it (拟稿人), whose personal score it counts toward.
    public let drafter: String
    /// Its title, or `secretTitle` for a secret report: these facts go into scores, deadline lists and
    /// published bulletins, which never name what a secret report is about.
    public let title: String
    public let category: ReportCategory
    public let state: ApprovalState
    public let createdAt: Date
    public let eventTime: Date?
    public let severity: EmergencySeverity?
    /// Whether it is to be disclosed proactively (主动公开), on request, or exempt.
    public let disclosure: Disclosure?
    public let phoneReportedAt: Date?
    public let isFollowUp: Bool
    public let solicitation: String?
    /// When the unit finished with it: its leader's first sign-off (签发) that stood, or the principal
    /// leader's first approval (审批) that stood when it has one; a report whose chain needs the approval
    /// and that the central has not received is not finished without it. Deadlines are judged by this;
    /// signing again after a return does not make a report late.
    public let signedAt: Date?
    /// When the central office had it (回执): shown beside the sign-off, never judged.
    public let receivedAt: Date?
    /// The number the central registered it under at receipt (登记、编号, 001:112), e.g. `2026-0123`.
    public let registration: String?
    public let adoptions: [Recognition]
    public let instructions: [Recognition]
    /// When the central office rejected it as a false report (虚假信息), if it did.
    public let falseReportAt: Date?
    /// When the central office rejected it (不采用), false or not, if that step stands.
    public let rejectedAt: Date?
    /// The central office's edited version (编辑加工), if a central editor made one: the latest, with every
    /// part the edits so far gave it.
    public let editorVersion: EditorVersion?

    /// The central office's version of a report's text beside the unit's, and its responsible editor (责任编辑).
    public struct EditorVersion: Sendable, Equatable, Encodable {
        public let title: String?
        public let body: String?
        /// The central editor who made the latest edit.
        public let editor: String
        public let at: Date
    }

    /// What a schedule of recurring deadlines reads of a report: nil when it is not finished.
    public var signed: SignedReport? {
        signedAt.map { SignedReport(id: id, unit: unit, category: category, title: title, signedAt: $0, receivedAt: receivedAt) }
    }

    /// What stands for a secret report's title wherever its facts are shown (涉密信息: a secret item).
    public static let secretTitle = "涉密信息"

    /// The facts of a merged record under `policy`: only steps that took effect count.
    public init(record: ReportRecord, policy: Policy) throws {
        let content = record.readableContent().content
        let steps = ApprovalChain.standingSteps(of: record)
        func recognition(_ event: TransitionEvent, by: String?) -> Recognition? {
            guard let level = event.detail?.level else { return nil }
            return Recognition(level: level, by: by, at: event.detail?.date ?? event.hlc.date)
        }
        id = record.id
        unit = record.unit
        drafter = record.drafter
        title = record.networkClassification == .secret ? Self.secretTitle : content.title
        category = content.category
        state = record.state
        createdAt = record.versions.first(where: \.creates)?.hlc.date ?? Date(timeIntervalSince1970: 0)
        eventTime = content.eventTime
        severity = content.emergency?.severity
        disclosure = content.disclosure
        phoneReportedAt = content.emergency?.phoneReportedAt
        isFollowUp = content.followUpOf != nil
        solicitation = content.solicitation
        let timeline = ReportTimeline(record: record, eventTime: content.eventTime, phoneReportedAt: content.emergency?.phoneReportedAt)
        signedAt = timeline.finishedAt(needsPrincipal: ApprovalChain.needsPrincipal(content, policy: policy))
        receivedAt = timeline.firstReceipt
        registration = steps.first(where: { $0.action == .receive && $0.detail?.registration != nil })?.detail?.registration
        adoptions = steps.filter { $0.action == .adopt }.compactMap { recognition($0, by: $0.detail?.outlet) }
        instructions = steps.filter { $0.action == .instruct }.compactMap { recognition($0, by: $0.detail?.leader) }
        falseReportAt = steps.first { $0.action == .reject && $0.detail?.falseReport == true }?.hlc.date
        rejectedAt = steps.first { $0.action == .reject }?.hlc.date
        // Edits of the text the central last received: a report returned and sent again is edited afresh.
        let lastReceipt = steps.lastIndex { $0.action == .receive }
        let edits = lastReceipt.map { steps[$0...].filter { $0.action == .copyedit } } ?? []
        editorVersion = edits.last.map { last in
            EditorVersion(
                title: edits.last(where: { $0.detail?.revisedTitle != nil })?.detail?.revisedTitle,
                body: edits.last(where: { $0.detail?.revisedBody != nil })?.detail?.revisedBody, editor: last.actor, at: last.hlc.date)
        }
    }
}
