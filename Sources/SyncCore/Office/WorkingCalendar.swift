import Foundation

/// Working days in the bureau's time zone: weekends and the policy's holidays are not working days,
/// except the weekend days the policy names as make-up working days (调休).
public struct WorkingCalendar: Sendable {
    public let timeZone: TimeZone
    let holidays: Set<String>
    let workingWeekendDays: Set<String>
    let calendar: Calendar

    public init(policy: Policy) {
        timeZone = TimeZone(identifier: policy.timeZone) ?? TimeZone(identifier: "Asia/Shanghai")!
        holidays = Set(policy.holidays)
        workingWeekendDays = Set(policy.workingWeekendDays)
        calendar = Period.calendar(timeZone)
    }

    /// Whether the local day of `date` is a working day.
    public func isWorkingDay(_ date: Date) -> Bool {
        let day = day(of: date)
        if workingWeekendDays.contains(day) { return true }
        let weekday = calendar.component(.weekday, from: date)
        return weekday != 1 && weekday != 7 && !holidays.contains(day)
    }

    /// The same local time `days` working days later (a day off in between does not count).
    public func adding(workingDays days: Int, to date: Date) -> Date {
        var result = date
        var left = days
        while left > 0 {
            result = calendar.date(byAdding: .day, value: 1, to: result)!
            if isWorkingDay(result) { left -= 1 }
        }
        return result
    }

    /// `days` calendar days later, at the same local time.
    public func adding(days: Int, to date: Date) -> Date {
        calendar.date(byAdding: .day, value: days, to: date)!
    }

    /// The local day of `date` as `YYYY-MM-DD`.
    public func day(of date: Date) -> String {
        BureauTime.day(date, in: timeZone)
    }
}
