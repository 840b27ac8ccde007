/// The kind of a report (DOMAIN.md "Categories"), with its stable slug.
public enum ReportCategory: String, CaseIterable, Codable, Sendable, CodingKeyRepresentable {
    case dynamic
    case experience
    case problem
    case suggestion
    case research
    case meeting
    case leaderVisit = "leader-visit"
    case emergency
    case solicited
    /// 月度工作报告: a unit's monthly work report, due by the 15th (001/#1 §7.一).
    case monthly
    /// 新媒体信息: an item published on a new-media platform, reported the day it was published (000:517).
    case newMedia = "new-media"
}
