import Foundation

/// A month (`2026-10`), quarter (`2026Q3`) or year (`2026`) in the bureau's time zone: the span quotas,
/// scores and bulletins are counted over. Starts are inclusive, ends exclusive.
public struct Period: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable { case month, quarter, year }

    public let kind: Kind
    public let year: Int
    /// 1–12 for a month, 1–4 for a quarter, 1 for a year.
    public let index: Int

    public init(month: Int, of year: Int) {
        kind = .month
        self.year = year
        index = month
    }

    public init(quarter: Int, of year: Int) {
        kind = .quarter
        self.year = year
        index = quarter
    }

    public init(year: Int) {
        kind = .year
        self.year = year
        index = 1
    }

    /// Reads `2026-10`, `2026Q3` or `2026`; the error says what is expected.
    public static func parse(_ text: String) throws -> Period {
        if text.count == 4, let year = Int(text), (2000...2100).contains(year) { return Period(year: year) }
        let parts = text.uppercased().split(whereSeparator: { $0 == "-" || $0 == "Q" }).map(String.init)
        if parts.count == 2, let year = Int(parts[0]), let number = Int(parts[1]), (2000...2100).contains(year) {
            if text.uppercased().contains("Q"), (1...4).contains(number) { return Period(quarter: number, of: year) }
            if text.contains("-"), (1...12).contains(number), parts[1].count == 2 { return Period(month: number, of: year) }
        }
        throw ReportSyncError(.invalidInput, "unknown period '\(text)': write a month as 2026-10, a quarter as 2026Q3 or a year as 2026")
    }

    public var description: String {
        switch kind {
        case .month: String(format: "%04d-%02d", year, index)
        case .quarter: "\(year)Q\(index)"
        case .year: String(year)
        }
    }

    /// The month `date` falls in, in `timeZone`.
    public static func month(containing date: Date, in timeZone: TimeZone) -> Period {
        let c = calendar(timeZone).dateComponents([.year, .month], from: date)
        return Period(month: c.month ?? 1, of: c.year ?? 2000)
    }

    /// The months of the period, in order.
    public var monthsInside: [Period] {
        (0..<months).map { Period(month: firstMonth + $0, of: year) }
    }

    /// The month before this one (a month period).
    public var previousMonth: Period {
        firstMonth == 1 ? Period(month: 12, of: year - 1) : Period(month: firstMonth - 1, of: year)
    }

    /// Months the period spans (1, 3 or 12).
    public var months: Int {
        switch kind {
        case .month: 1
        case .quarter: 3
        case .year: 12
        }
    }

    /// The first month of the period.
    var firstMonth: Int {
        switch kind {
        case .month: index
        case .quarter: (index - 1) * 3 + 1
        case .year: 1
        }
    }

    /// The first moment of the period in `timeZone`.
    public func start(in timeZone: TimeZone) -> Date {
        Self.calendar(timeZone).date(from: DateComponents(year: year, month: firstMonth, day: 1))!
    }

    /// The first moment after the period in `timeZone`.
    public func end(in timeZone: TimeZone) -> Date {
        Self.calendar(timeZone).date(byAdding: .month, value: months, to: start(in: timeZone))!
    }

    /// Whether `date` falls in the period.
    public func contains(_ date: Date, in timeZone: TimeZone) -> Bool {
        date >= start(in: timeZone) && date < end(in: timeZone)
    }

    static func calendar(_ timeZone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }
}
