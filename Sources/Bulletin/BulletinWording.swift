import Foundation
import SyncCore

/// The words of a bulletin: Chinese, as the office publishes it (通报), or English on request.
public struct BulletinWording: Sendable {
    /// The language a bulletin is written in.
    public enum Language: String, CaseIterable, Sendable {
        case zh, en
    }

    public let language: Language
    /// The bureau's time zone, in which deadlines are written.
    public let timeZone: TimeZone

    public init(language: Language, timeZone: TimeZone) {
        self.language = language
        self.timeZone = timeZone
    }

    public func title(bureau: String, period: String) -> String {
        language == .zh ? "\(bureau) 信息报送通报 \(period)" : "\(bureau) information reporting bulletin \(period)"
    }

    /// The sentence under the title that says how the table is ordered.
    public var orderNote: String {
        language == .zh
            ? "各单位按完成报送任务的比例排名，比例相同的按积分排名。"
            : "Units ranked by the share of their quota met, then by points (积分)."
    }

    public var headers: [String] {
        language == .zh
            ? ["名次", "单位代码", "单位", "报送", "任务", "县级采用", "市级采用", "省级采用", "国家级采用", "采用率", "批示", "积分", "迟报", "漏报", "约稿完成/应报"]
            : ["rank", "unit", "name", "submitted", "quota", "adopted county", "adopted city", "adopted province", "adopted national",
                "adoption rate", "instructions", "points", "late", "missing", "solicitations answered/due"]
    }

    /// The heading of the list of named items (点名).
    public var namedHeading: String { language == .zh ? "点名" : "点名: late, missing and false items" }

    /// One named item of `unit`, as a line of the list.
    public func namedLine(_ item: Scorecard.NamedItem, unit: String, name: String) -> String {
        guard language == .zh else {
            return "\(name) (\(unit)), \(Self.englishReason(item.reason)): \(item.detail)" + (item.registration.map { " (No. \($0))" } ?? "")
        }
        let when = BureauTime.dueText(item.at, in: timeZone)
        let title = "「\(item.title)」" + (item.registration.map { "（\($0)）" } ?? "")
        let text: String
        switch (item.reason, item.rule) {
        case (.falseReport, _): text = "\(title)经核实不实，\(BureauTime.day(item.at, in: timeZone)) 不予采用"
        case (.missing, "solicitation"): text = "约稿「\(item.title)」未在时限（\(when)）内答复"
        case (.missing, let rule): text = "\(title)未在时限（\(Self.ruleName(rule))，\(when)）内签发"
        case (.late, let rule): text = "\(title)签发晚于时限（\(Self.ruleName(rule))，\(when)）"
        }
        return "\(name)（\(unit)）\(Self.chineseReason(item.reason))：\(text)"
    }

    static func chineseReason(_ reason: Scorecard.NamedItem.Reason) -> String {
        switch reason {
        case .late: "迟报"
        case .missing: "漏报"
        case .falseReport: "虚假信息"
        }
    }

    static func englishReason(_ reason: Scorecard.NamedItem.Reason) -> String {
        switch reason {
        case .late: "late (迟报)"
        case .missing: "missing (漏报)"
        case .falseReport: "false (虚假信息)"
        }
    }

    /// A deadline rule as the rule books name it.
    public static func ruleName(_ rule: String?) -> String {
        switch rule {
        case "emergency-major-written": "重大突发事件书面报告"
        case "emergency-general-written": "一般突发事件书面报告"
        case "emergency-major-phone": "重大突发事件电话报告"
        case "emergency-general-phone": "突发事件电话报告"
        case "phone-first-written": "电话报告后的书面报告"
        case "important-event": "重要活动信息"
        case "general-work": "一般工作信息"
        case "event-hours": "事件发生后时限"
        case "disclosure-review": "政府信息公开送审"
        case "new-media-same-day": "新媒体信息当日报送"
        case "solicitation": "约稿"
        case "monthly-report": "月度报告"
        case let other?: other
        case nil: "时限"
        }
    }
}
