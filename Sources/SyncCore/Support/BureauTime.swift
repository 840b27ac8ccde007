import Foundation

/// How a moment reads to people: in the bureau's time zone, with the zone's offset named, so that no
/// time on a screen or in a message is ambiguous (`2026-11-22 10:30 +08:00`).
public enum BureauTime {
    /// `date` in `timeZone`, as `2026-11-22 10:30 +08:00` (with `:05` seconds when asked).
    /// Written from the calendar's fields, not by a `DateFormatter`: making one costs more than a page of
    /// the desk spends on everything else (docs/performance.md).
    public static func text(_ date: Date, in timeZone: TimeZone, seconds: Bool = false) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let offset = timeZone.secondsFromGMT(for: date)
        var text = String(format: "%04d-%02d-%02d %02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0)
        if seconds { text += String(format: ":%02d", c.second ?? 0) }
        return text + (offset < 0 ? " -" : " +") + String(format: "%02d:%02d", abs(offset) / 3600, abs(offset) % 3600 / 60)
    }

    /// The instant that decides a due time's day and period: a due time at local midnight is the end of
    /// the day before (`dueText` writes it 24:00), so it counts there.
    public static func dueInstant(_ date: Date, in timeZone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.startOfDay(for: date) == date ? date.addingTimeInterval(-0.001) : date
    }

    /// A due time as people write it: one at local midnight is the end of the day before,
    /// `2026-10-15 24:00 +08:00` ("by the 15th"), not the start of the 16th.
    public static func dueText(_ date: Date, in timeZone: TimeZone) -> String {
        let text = text(date, in: timeZone)
        guard text.dropFirst(11).hasPrefix("00:00") else { return text }
        return day(date.addingTimeInterval(-1), in: timeZone) + " 24:00" + text.dropFirst(16)
    }

    /// The bureau's calendar day of `date`, as `2026-11-22`.
    public static func day(_ date: Date, in timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
    }

    /// `date` in the time zone of `policy`.
    public static func text(_ date: Date, policy: Policy, seconds: Bool = false) -> String {
        text(date, in: TimeZone(identifier: policy.timeZone) ?? TimeZone(identifier: "UTC")!, seconds: seconds)
    }
}
