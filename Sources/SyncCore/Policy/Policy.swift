/// Every number a bureau may set differently, with DOMAIN.md's values as defaults.
///
/// Loaded from JSON with `Policy.decode(json:)`: keys left out keep their defaults, and an
/// unknown key is an error (a typo must not silently keep the default). A policy another replica
/// sends is read the same way, so a key added by a later version keeps its default when an earlier
/// policy is read (`Policy+Decoding.swift`).
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
    /// Whether a body over its limit is refused at submission or only warned about (000:673 says 原则上, "in
    /// principle"). Limits are never checked while drafting.
    public var lengthLimitEnforcement = LengthLimitEnforcement.warn
    public var deadlines = DeadlinePolicy()
    public var quotas = QuotaPolicy()
    public var points = PointsPolicy()
    /// Non-working days besides weekends, as `YYYY-MM-DD`.
    public var holidays: [String] = []
    /// The categories (`emergency`) or category/severity pairs (`emergency/major`) whose reports need the
    /// principal leader's approval after the leader's sign-off (`ApprovalChain`). 000:337 asks it of every
    /// emergency, 001:112 of major items, 000:21 of everything (list every category).
    public var principalApproval: [String] = ["emergency/major"]
    /// Unit kinds the bureau uses beyond the built-in ones (003:54: `town`, `department`), as slugs.
    public var unitKinds: [String] = []
    /// Weekend days that are working days (调休 make-up days), as `YYYY-MM-DD`.
    public var workingWeekendDays: [String] = []
    /// Whether `internal` reports (不宜公开) may go over the network. The rule books send them by hand
    /// only (000 §8.三, 001/#1 §8.三), the default; a bureau whose network counts as safe may allow it.
    /// Secret reports never may (`Secrecy`).
    public var internalOverNetwork = false
    /// How large attachments' files may be (004 §二 asks for photos; enforcement actions, for video).
    public var attachments = AttachmentLimits()

    /// The local day (`YYYY-MM-DD`) this version takes effect; nil for the one version kept from before
    /// policies had history, in force from the start. Set by `policy load`, never read from a policy file.
    public var effectiveFrom: String?
    /// The admin who loaded this version (000:603–609: the rules are set by those with the authority and
    /// kept on record). Set by `policy load`, never read from a policy file.
    public var loadedBy: String?

    public init() {}

    /// The defaults of DOMAIN.md.
    public static let standard = Policy()

    /// The numbers alone, without the version's effective day and author: what a policy file holds.
    public var settings: Policy {
        var copy = self
        copy.effectiveFrom = nil
        copy.loadedBy = nil
        return copy
    }

    /// The unit kinds a unit may have under this policy: the built-in ones and those it declares.
    public var knownUnitKinds: [UnitKind] { UnitKind.builtIn + unitKinds.compactMap(UnitKind.init(rawValue:)) }

    /// `slug` as a unit kind of this policy, or an error naming the kinds there are.
    public func unitKind(_ slug: String) throws -> UnitKind {
        guard let kind = UnitKind(rawValue: slug), knownUnitKinds.contains(kind) else {
            throw ReportSyncError(
                .invalidInput,
                "unknown unit kind '\(slug)': use one of \(knownUnitKinds.map(\.rawValue).joined(separator: ", ")), or declare it in the policy's unitKinds")
        }
        return kind
    }

    /// The length limit for a category, if it has one.
    public func lengthLimit(for category: ReportCategory) -> Int? { lengthLimits[category.rawValue] }
}

/// Whether a length limit stops a submission (`refuse`) or is shown as a warning (`warn`).
public enum LengthLimitEnforcement: String, Codable, Sendable, CaseIterable {
    case warn
    case refuse
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
    /// An item to be disclosed proactively (主动公开) goes to the disclosure group for review within this
    /// many working days of the event (000:175); 0 for no such deadline. Rule slug `disclosure-review`.
    public var disclosureWorkingDays = 5
    /// Hours from the event, by category, in place of the day rules (001:113: economic data within 24
    /// hours of its release). Rule slug `event-hours`.
    public var eventHours: [String: Int] = [:]
    /// Reports owed on a schedule: weekdays at a time, or a day of the month (none by default).
    public var recurring: [RecurringDeadline] = []

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
    /// Whether a report signed off after its deadline counts toward the quota (001:95 延期报送的信息将不予统计: false).
    public var countLateItems = true
    /// Whether a report the central office did not adopt (rejected, 不采用) counts toward the quota (001:95
    /// 信息质量较差将不记入每月信息任务: false).
    public var countRejectedItems = true
    /// Points a unit of each kind should reach in a year (003:74 全年达标分: towns 30, comprehensive
    /// departments 40, others 20; 000:631 the office sets them each year). None by default.
    public var annualPoints: [String: Int] = [:]
    /// Reports each person who drafts must send a month, by the kind of their unit (001:99 局机关每人每月至少
    /// 2篇: office 2). None by default.
    public var perPersonMonthly: [String: Int] = [:]
    /// What the per-person quota counts: reports signed off (001:99) or reports adopted (002:109 发表刊用).
    public var perPersonCounts = PersonQuotaBasis.submitted

    public init() {}
}

/// What a per-person quota counts.
public enum PersonQuotaBasis: String, Codable, Sendable, CaseIterable {
    /// The person's reports their unit signed off in the period.
    case submitted
    /// The person's reports adopted in the period.
    case adopted
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
    /// Points per adoption at a named outlet, in place of the level's (000:639: 5/10/20/30/50 by outlet).
    public var adoptionByOutlet: [String: Int] = [:]
    /// Points per adoption of a report of a category, in place of the level's (002:199: work items 2,
    /// research 5). An outlet's points come first.
    public var adoptionByCategory: [String: Int] = [:]
    /// Whether every adoption of a report earns points (003:66 累计计分) or only its best one (001:100 以最高奖励为标准).
    public var adoptionCounting = AdoptionCounting.accumulate

    public init() {}
}

extension PointsPolicy {
    /// What one adoption earns: the outlet's points if the policy lists the outlet, else the category's,
    /// else the level's.
    public func points(forAdoptionAt level: AdoptionLevel, outlet: String?, of category: ReportCategory) -> Int {
        if let outlet, let points = adoptionByOutlet[outlet] { return points }
        if let points = adoptionByCategory[category.rawValue] { return points }
        return adoption[level.rawValue] ?? 0
    }
}

/// How several adoptions of one report earn points.
public enum AdoptionCounting: String, Codable, Sendable, CaseIterable {
    /// Each adoption earns its points (003:66).
    case accumulate
    /// Only the adoption worth the most points counts (001:100).
    case highest
}

// A stored or received policy is read key by key: a key an earlier version did not write keeps its
// default, so a replica that upgrades still reads the policy it holds. A setting that changes what an
// earlier version did takes, when absent, the earlier behaviour — no principal approval, no disclosure
// deadline, hard length limits, internal reports over the network — so that upgrading never re-judges
// what the policy held already judged.
extension Policy {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        timeZone = try c.value(.timeZone, or: timeZone)
        maxClockSkewSeconds = try c.value(.maxClockSkewSeconds, or: maxClockSkewSeconds)
        lengthLimits = try c.value(.lengthLimits, or: lengthLimits)
        lengthLimitEnforcement = try c.value(.lengthLimitEnforcement, or: .refuse)
        deadlines = try c.value(.deadlines, or: deadlines)
        quotas = try c.value(.quotas, or: quotas)
        points = try c.value(.points, or: points)
        holidays = try c.value(.holidays, or: holidays)
        workingWeekendDays = try c.value(.workingWeekendDays, or: workingWeekendDays)
        unitKinds = try c.value(.unitKinds, or: unitKinds)
        principalApproval = try c.value(.principalApproval, or: [])
        internalOverNetwork = try c.value(.internalOverNetwork, or: true)
        attachments = try c.value(.attachments, or: attachments)
        effectiveFrom = try c.decodeIfPresent(String.self, forKey: .effectiveFrom)
        loadedBy = try c.decodeIfPresent(String.self, forKey: .loadedBy)
    }
}

extension DeadlinePolicy {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        emergencyMajorPhoneMinutes = try c.value(.emergencyMajorPhoneMinutes, or: emergencyMajorPhoneMinutes)
        emergencyMajorWrittenMinutes = try c.value(.emergencyMajorWrittenMinutes, or: emergencyMajorWrittenMinutes)
        emergencyGeneralWrittenMinutes = try c.value(.emergencyGeneralWrittenMinutes, or: emergencyGeneralWrittenMinutes)
        phoneFirstWrittenWorkingDays = try c.value(.phoneFirstWrittenWorkingDays, or: phoneFirstWrittenWorkingDays)
        importantEventDays = try c.value(.importantEventDays, or: importantEventDays)
        generalDays = try c.value(.generalDays, or: generalDays)
        monthlyReportDayOfMonth = try c.value(.monthlyReportDayOfMonth, or: monthlyReportDayOfMonth)
        monthlyMediaSummaryDayOfMonth = try c.value(.monthlyMediaSummaryDayOfMonth, or: monthlyMediaSummaryDayOfMonth)
        disclosureWorkingDays = try c.value(.disclosureWorkingDays, or: 0)
        eventHours = try c.value(.eventHours, or: eventHours)
        recurring = try c.value(.recurring, or: recurring)
    }
}

extension QuotaPolicy {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        monthly = try c.value(.monthly, or: monthly)
        quarterlyResearch = try c.value(.quarterlyResearch, or: quarterlyResearch)
        countLateItems = try c.value(.countLateItems, or: countLateItems)
        countRejectedItems = try c.value(.countRejectedItems, or: countRejectedItems)
        annualPoints = try c.value(.annualPoints, or: annualPoints)
        perPersonMonthly = try c.value(.perPersonMonthly, or: perPersonMonthly)
        perPersonCounts = try c.value(.perPersonCounts, or: perPersonCounts)
    }
}

extension PointsPolicy {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        submitted = try c.value(.submitted, or: submitted)
        adoption = try c.value(.adoption, or: adoption)
        instruction = try c.value(.instruction, or: instruction)
        researchItem = try c.value(.researchItem, or: researchItem)
        quotaMet = try c.value(.quotaMet, or: quotaMet)
        perMissingItem = try c.value(.perMissingItem, or: perMissingItem)
        perExtraItem = try c.value(.perExtraItem, or: perExtraItem)
        missedSolicitation = try c.value(.missedSolicitation, or: missedSolicitation)
        falseReport = try c.value(.falseReport, or: falseReport)
        lateOrMissingEmergency = try c.value(.lateOrMissingEmergency, or: lateOrMissingEmergency)
        adoptionByOutlet = try c.value(.adoptionByOutlet, or: adoptionByOutlet)
        adoptionByCategory = try c.value(.adoptionByCategory, or: adoptionByCategory)
        adoptionCounting = try c.value(.adoptionCounting, or: adoptionCounting)
    }
}

extension KeyedDecodingContainer {
    /// The value under `key`, or `fallback` when the key is absent (a present key of the wrong type is an error).
    fileprivate func value<T: Decodable>(_ key: Key, or fallback: T) throws -> T {
        try decodeIfPresent(T.self, forKey: key) ?? fallback
    }
}
