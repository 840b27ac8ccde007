import Foundation

/// A report every unit owes on a schedule, as a policy setting: tables every Monday and Thursday by 17:00
/// (001:52), a Monday-morning report (001:116), a weekly summary by Friday 16:00 (000:521), a monthly
/// summary by the 5th or the 28th (001:55, 001:95). Each due time is met by the first report of the
/// category the unit signs off after the one before fell due.
public struct RecurringDeadline: Codable, Sendable, Equatable {
    /// The slug that names it in `deadlines`, scores and bulletins (`weekly-table`).
    public var rule: String
    /// Reports of this category meet it; any report when left out (a weekly quota, 002:185 每周至少上报一篇).
    public var category: ReportCategory?
    /// Weekly: the weekdays it falls due, 1 = Monday … 7 = Sunday.
    public var weekdays: [Int]?
    /// Monthly: the day of the month it falls due (the last day in a shorter month).
    public var dayOfMonth: Int?
    /// The local time it falls due, `HH:MM`; `24:00` (the default) is the end of the day.
    public var time: String?
    /// The unit kinds that owe it; all but the central office when left out.
    public var unitKinds: [UnitKind]?

    public init(
        rule: String, category: ReportCategory? = nil, weekdays: [Int]? = nil, dayOfMonth: Int? = nil, time: String? = nil,
        unitKinds: [UnitKind]? = nil
    ) {
        self.rule = rule
        self.category = category
        self.weekdays = weekdays
        self.dayOfMonth = dayOfMonth
        self.time = time
        self.unitKinds = unitKinds
    }

    /// The keys an entry may have (a policy file's entry with another key is refused).
    static let keys: Set<String> = ["rule", "category", "weekdays", "dayOfMonth", "time", "unitKinds"]

    /// Whether a report of `category` meets it.
    public func isMet(by category: ReportCategory) -> Bool { self.category.map { $0 == category } ?? true }

    /// Whether a unit of `kind` owes it.
    public func applies(to kind: UnitKind) -> Bool {
        unitKinds.map { $0.contains(kind) } ?? (kind != .centralOffice)
    }

    /// Minutes after local midnight it falls due.
    var minuteOfDay: Int? {
        let parts = (time ?? "24:00").split(separator: ":")
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let h = Int(parts[0]), let m = Int(parts[1]),
            (0...24).contains(h), (0...59).contains(m), h * 60 + m <= 24 * 60
        else { return nil }
        return h * 60 + m
    }

    /// What is wrong with it, or nil.
    func problem() -> String? {
        if !rule.hasVisibleText || rule.contains(where: { $0.isWhitespace }) { return "needs a rule slug without spaces" }
        if minuteOfDay == nil { return "time '\(time ?? "")' is not HH:MM between 00:00 and 24:00" }
        switch (weekdays, dayOfMonth) {
        case (let days?, nil):
            if days.isEmpty || !days.allSatisfy((1...7).contains) { return "weekdays are 1 (Monday) to 7 (Sunday)" }
        case (nil, let day?):
            if !(1...31).contains(day) { return "dayOfMonth must be 1 to 31" }
        default: return "give either weekdays or dayOfMonth"
        }
        return nil
    }

    /// Its due times from `start` (inclusive) to `end` (exclusive), in order, in `calendar`'s time zone.
    func dueTimes(from start: Date, to end: Date, calendar: Calendar) -> [Date] {
        guard let minute = minuteOfDay else { return [] }
        var result: [Date] = []
        var day = calendar.startOfDay(for: start)
        // Start a day early: a due time at 24:00 belongs to the day before the midnight it falls on.
        day = calendar.date(byAdding: .day, value: -1, to: day)!
        while day < end {
            let c = calendar.dateComponents([.weekday, .day, .month, .year], from: day)
            let isoWeekday = (c.weekday! + 5) % 7 + 1
            let lastDay = calendar.range(of: .day, in: .month, for: day)!.count
            let falls =
                if let weekdays { weekdays.contains(isoWeekday) } else { c.day! == min(dayOfMonth ?? 1, lastDay) }
            if falls {
                let due = calendar.date(byAdding: .minute, value: minute, to: day)!
                if due >= start && due < end { result.append(due) }
            }
            day = calendar.date(byAdding: .day, value: 1, to: day)!
        }
        return result
    }
}
