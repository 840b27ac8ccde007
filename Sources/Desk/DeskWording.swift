import Store
import SyncCore

/// The desk's Chinese names for the domain's values, in one place.
enum DeskWording {
    static func category(_ category: ReportCategory) -> String {
        switch category {
        case .dynamic: "工作动态"
        case .experience: "经验做法"
        case .problem: "问题反映"
        case .suggestion: "意见建议"
        case .research: "调研报告"
        case .meeting: "会议活动"
        case .leaderVisit: "领导活动"
        case .emergency: "突发事件"
        case .solicited: "约稿"
        case .monthly: "月度工作报告"
        case .newMedia: "新媒体信息"
        }
    }

    static func state(_ state: ApprovalState) -> String {
        switch state {
        case .draft: "草稿"
        case .awaitingReview: "待审核"
        case .reviewed: "已审核"
        case .signed: "已签发"
        case .received: "已接收"
        case .adopted: "已采用"
        case .returned: "已退回"
        case .rejected: "不采用"
        case .archived: "已归档"
        case .withdrawn: "已撤回"
        }
    }

    /// A refusal from the shared rules as the desk says it: a Chinese line for its kind, then the rule's
    /// own words (the lines `report-cli` prints, in English), so that what was wrong is never lost.
    static func refusal(_ error: ReportSyncError) -> String {
        let lead =
            switch error.code {
            case .invalidInput: "填写有误"
            case .malformed: "请求格式有误，请刷新页面后重试"
            case .tooLarge: "内容超过上限"
            case .notFound: "未找到"
            case .forbidden: "无权进行此操作"
            case .wrongPIN: "签名口令（PIN）不对"
            case .wrongState: "当前状态不允许此操作"
            case .ruleViolated: "不符合报送规则"
            case .alreadyExists: "已经存在"
            case .storage, .unavailable: "中心暂时无法处理，请稍后再试"
            case .schemaTooNew: "中心数据库的版本比本程序新，请升级 syncd"
            }
        return "\(lead)。（\(error.message)）"
    }

    /// A unit kind's name; a kind the policy declared keeps its slug.
    static func unitKind(_ kind: UnitKind) -> String {
        switch kind {
        case .office: "科室"
        case .squad: "中队"
        case .subSquad: "分队"
        case .station: "站所"
        case .centralOffice: "办公室"
        default: kind.rawValue
        }
    }

    static func level(_ level: AdoptionLevel) -> String {
        switch level {
        case .county: "县级"
        case .city: "市级"
        case .province: "省级"
        case .national: "国家级"
        }
    }

    static func action(_ action: WorkflowAction) -> String {
        switch action {
        case .submit: "提交"
        case .review: "审核"
        case .sign: "签发"
        case .approve: "审批"
        case .withdraw: "撤回"
        case .receive: "接收"
        case .adopt: "采用"
        case .return: "退回"
        case .reject: "不采用"
        case .archive: "归档"
        case .instruct: "批示"
        case .revise: "修改"
        case .copyedit: "编辑加工"
        }
    }

    static func role(_ role: Role) -> String {
        switch role {
        case .drafter: "信息员"
        case .unitHead: "单位负责人"
        case .leader: "分管领导"
        case .principalLeader: "主要领导"
        case .centralEditor: "办公室编辑"
        case .admin: "管理员"
        }
    }

    static func deadlineStatus(_ status: Deadline.Status) -> String {
        switch status {
        case .overdue: "已超时"
        case .dueSoon: "即将到期"
        case .open: "未到期"
        case .late: "迟报"
        case .met: "按时"
        case .declined: "已说明不报"
        }
    }

    /// A report's title as the desk may show it.
    static func title(_ title: String, _ visibility: DeskReport.Visibility) -> String {
        visibility.standInTitle ?? title
    }

    /// Why a report's text is not shown, or `nil` when it is.
    static func withheldNotice(_ visibility: DeskReport.Visibility) -> String? {
        switch visibility {
        case .shown: nil
        case .offNetwork: "此报告为涉密或不宜公开信息，内容不经网络传输，请在中心服务器上用 report-cli show 查看。"
        case .revisedInUnit: "此报告退回后已在单位内修改，修改稿尚未审核签发，重新报送前不显示内容。"
        case .withdrawn: "单位已将此报告定密，先前经网络报送的内容已撤回，不在网页上显示，请在中心服务器上用 report-cli show 查看。"
        }
    }

    static func conflictKind(_ kind: ConflictEntry.Kind, field: String?) -> String {
        switch kind {
        case .fieldValue: "内容冲突" + (field.map { "：\(fieldName($0))" } ?? "")
        case .approvalTransition: "审批冲突"
        case .staleApproval: "审批后内容又被修改"
        case .rejectedByCentral: "被中心拒收的修改"
        case .rejectedOnReceipt: "本机拒收的修改"
        case .pendingDependency: "等待前序修改"
        }
    }

    static func fieldName(_ field: String) -> String {
        switch field {
        case "title": "标题"
        case "body": "正文"
        case "category": "类别"
        case "place": "地点"
        case "eventTime": "发生时间"
        case "classification": "密级"
        default: field
        }
    }

    /// How a conflict was settled (`ConflictEntry.Settlement.how`).
    static func settlement(_ how: String) -> String {
        switch how {
        case "kept-winner": "保留现行的一方"
        case "kept-loser": "改用另一方"
        case "new-value": "改为新的内容"
        case "superseded": "已被后来的修改取代"
        case "dismissed": "已知悉"
        default: how
        }
    }

    static func attachmentKind(_ kind: Attachment.Kind) -> String {
        switch kind {
        case .photo: "照片"
        case .video: "视频"
        case .document: "文件"
        }
    }

    /// A scoring line's rule (`Scorecard.Line.rule`).
    static func scoreRule(_ rule: String) -> String {
        switch rule {
        case "submitted": "报送"
        case "research-item": "调研信息"
        case "quota-met": "完成定额"
        case "quota-missing": "未完成定额"
        case "quota-extra": "超出定额"
        case "adoption": "被采用"
        case "instruction": "领导批示"
        case "late-or-missing-emergency": "突发事件迟报、漏报"
        case "missed-solicitation": "约稿未报"
        case "false-report": "虚假信息"
        default: rule
        }
    }
}
