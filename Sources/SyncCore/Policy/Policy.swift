/// Every number a bureau may set differently, with DOMAIN.md's values as defaults.
///
/// Loaded from JSON with `Policy.decode(json:)`: keys left out keep their defaults, and an
/// unknown key is an error (a typo must not silently keep the default).
public struct Policy: Codable, Sendable, Equatable {
    /// The bureau's time zone, for deadlines and months.
    public var timeZone: String = "Asia/Shanghai"
    /// How far ahead of this machine's clock another replica's stamp may be.
    public var maxClockSkewSeconds: Int = 300
    /// Maximum body length in characters, per category; a category not listed has no limit.
    public var lengthLimits: [String: Int] = [
        ReportCategory.dynamic.rawValue: 600,
        ReportCategory.meeting.rawValue: 600,
        ReportCategory.leaderVisit.rawValue: 600,
        ReportCategory.experience.rawValue: 2000,
        ReportCategory.problem.rawValue: 2000,
        ReportCategory.suggestion.rawValue: 2000,
    ]
    public var deadlines = DeadlinePolicy()
    public var quotas = QuotaPolicy()
    public var points = PointsPolicy()
    /// Non-working days besides weekends, as `YYYY-MM-DD`.
    public var holidays: [String] = []

    public init() {}

    /// The defaults of DOMAIN.md.
    public static let standard = Policy()

    /// The length limit for a category, if it has one.
    public func lengthLimit(for category: ReportCategory) -> Int? { lengthLimits[category.rawValue] }
}

/// Deadlines (时限) counted from the event (DOMAIN.md "Deadlines").
public struct DeadlinePolicy: Codable, Sendable, Equatable {
    /// The phone call of any emergency reported by phone first, major or general (004:21).
    public var emergencyMajorPhoneMinutes = 30
    public var emergencyMajorWrittenMinutes = 60
    public var emergencyGeneralWrittenMinutes = 120
    public var phoneFirstWrittenWorkingDays = 1
    /// Leader visit, important meeting, major enforcement action.
    public var importantEventDays = 1
    public var generalDays = 2
    public var monthlyReportDayOfMonth = 15
    public var monthlyMediaSummaryDayOfMonth = 28

    public init() {}
}

/// Monthly quotas (每月报送不少于) by unit kind, and quarterly research items.
public struct QuotaPolicy: Codable, Sendable, Equatable {
    public var monthly: [String: Int] = [
        UnitKind.office.rawValue: 2,
        UnitKind.squad.rawValue: 3,
        UnitKind.subSquad.rawValue: 3,
        UnitKind.station.rawValue: 4,
        UnitKind.centralOffice.rawValue: 0,
    ]
    public var quarterlyResearch = 1

    public init() {}
}

/// Points (积分); the default is the scheme of seed 003 §三.三, the others fit the same keys.
public struct PointsPolicy: Codable, Sendable, Equatable {
    public var submitted = 0
    public var adoption: [String: Int] = ["county": 1, "city": 2, "province": 3, "national": 4]
    public var instruction: [String: Int] = ["county": 5, "city": 10, "province": 15, "national": 20]
    public var researchItem = 0
    public var quotaMet = 0
    public var perMissingItem = 0
    public var perExtraItem = 0
    public var missedSolicitation = -5
    public var falseReport = -10
    public var lateOrMissingEmergency = -20

    public init() {}
}
