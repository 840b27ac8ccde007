import Foundation

/// How grave an emergency is; decides its deadline (DOMAIN.md "Deadlines").
public enum EmergencySeverity: String, CaseIterable, Codable, Sendable {
    /// 较大及以上: phone within 30 minutes, written within 1 hour.
    case major
    /// 一般: written within 2 hours.
    case general
}

/// The fields an emergency report must carry before it may be submitted (004 §三.十).
///
/// Every field is optional so that a draft can be saved while facts are still coming in;
/// `missingFields` names what is still needed.
public struct EmergencyDetails: Codable, Sendable, Equatable {
    public var severity: EmergencySeverity?
    /// 信息来源
    public var source: String?
    /// 起因或性质
    public var cause: String?
    /// 死亡人数
    public var deaths: Int?
    /// 受伤人数
    public var injuries: Int?
    /// 财产损失
    public var propertyLoss: String?
    /// 事件经过
    public var course: String?
    /// 目前造成的后果
    public var consequences: String?
    /// 影响范围
    public var impact: String?
    /// 发展趋势
    public var trend: String?
    /// 责任领导是否在现场
    public var leaderOnSite: Bool?
    /// 已采取的措施
    public var initialMeasures: String?
    /// 下一步措施
    public var nextMeasures: String?
    /// 报告人
    public var reporterName: String?
    /// When it was first reported by phone (电话首报), if it was: the written report is then due within
    /// a working day of the call rather than within the hour.
    public var phoneReportedAt: Date?
    /// 报告人联系方式
    public var reporterContact: String?

    public init() {}

    /// One required fact of an emergency report, with the CLI option that supplies it.
    public struct Requirement: Sendable {
        public let name: String
        public let option: String
        let isPresent: @Sendable (EmergencyDetails) -> Bool
    }

    /// Every required fact except time and place, which live on the report itself.
    public static let requirements: [Requirement] = [
        .init(name: "source of the information", option: "--source") { $0.source.isPresentText },
        .init(name: "cause or nature", option: "--cause") { $0.cause.isPresentText },
        .init(name: "deaths", option: "--deaths") { $0.deaths != nil },
        .init(name: "injuries", option: "--injuries") { $0.injuries != nil },
        .init(name: "property loss", option: "--property-loss") { $0.propertyLoss.isPresentText },
        .init(name: "course of events", option: "--course") { $0.course.isPresentText },
        .init(name: "consequences so far", option: "--consequences") { $0.consequences.isPresentText },
        .init(name: "extent of impact", option: "--impact") { $0.impact.isPresentText },
        .init(name: "trend", option: "--trend") { $0.trend.isPresentText },
        .init(name: "whether the responsible leader is on site", option: "--leader-on-site") { $0.leaderOnSite != nil },
        .init(name: "initial measures taken", option: "--initial-measures") { $0.initialMeasures.isPresentText },
        .init(name: "next measures", option: "--next-measures") { $0.nextMeasures.isPresentText },
        .init(name: "reporter name", option: "--reporter") { $0.reporterName.isPresentText },
        .init(name: "reporter contact", option: "--reporter-contact") { $0.reporterContact.isPresentText },
    ]
}

extension Optional where Wrapped == String {
    /// True when the string is there and has visible text (`hasVisibleText`).
    var isPresentText: Bool {
        self?.hasVisibleText ?? false
    }
}
