import Foundation

/// What a central-office step records beside the move itself: the level and outlet of an adoption
/// (采用), the leader and level of a written instruction (批示), a rejection for a false report, the
/// registration number of a receipt (登记、编号).
public struct StepDetail: Codable, Sendable, Equatable {
    public var level: AdoptionLevel?
    /// The publication that adopted it, e.g. 政务信息快报.
    public var outlet: String?
    /// For an instruction: the leader who wrote it.
    public var leader: String?
    /// The day it happened, when that is not the day it was recorded.
    public var date: Date?
    /// For a rejection: the report was false (虚假信息), which costs the unit points.
    public var falseReport: Bool?
    /// For a receipt: the number the central registered the report under, per bureau year (`2026-0123`, 001:112).
    public var registration: String?
    /// For a copy-edit (编辑加工, 000:197, 000:213): the central office's version of the title and body,
    /// kept beside the unit's signed text, never over it. Either may be left as the version before had it.
    public var revisedTitle: String?
    public var revisedBody: String?

    public init(
        level: AdoptionLevel? = nil, outlet: String? = nil, leader: String? = nil, date: Date? = nil, falseReport: Bool? = nil,
        registration: String? = nil, revisedTitle: String? = nil, revisedBody: String? = nil
    ) {
        self.level = level
        self.outlet = outlet
        self.leader = leader
        self.date = date
        self.falseReport = falseReport
        self.registration = registration
        self.revisedTitle = revisedTitle
        self.revisedBody = revisedBody
    }
}
