import Foundation
import SyncCore

/// Reports and details used across the SyncCore tests.
enum Fixtures {
    static let policy = Policy.standard

    /// An emergency report with every fact 004 §三.十 asks for.
    static func completeEmergency() -> ReportContent {
        var details = EmergencyDetails()
        details.severity = .general
        details.source = "巡逻发现"
        details.cause = "连日降雨"
        details.deaths = 0
        details.injuries = 2
        details.propertyLoss = "约5万元"
        details.course = "山体滑坡，阻断道路"
        details.consequences = "交通中断"
        details.impact = "双向中断"
        details.trend = "可控"
        details.leaderOnSite = true
        details.initialMeasures = "封闭道路"
        details.nextMeasures = "清理塌方"
        details.reporterName = "王小明"
        details.reporterContact = "13800000000"
        return ReportContent(
            category: .emergency, title: "国道318线山体滑坡", body: "11月22日9时许发生山体滑坡。",
            eventTime: Date(timeIntervalSince1970: 1_795_000_000), place: "国道318线K100", emergency: details)
    }

    static func report(_ id: String, unit: String, content: ReportContent) -> Report {
        Report(
            id: id, unit: unit, content: content, state: .draft, drafter: "wang", version: 1,
            contentDot: Dot(replica: "r", counter: 1), createdAt: Date(), updatedAt: Date())
    }
}
