import Foundation

/// Reads the date-and-time forms people type: ISO 8601 with or without an offset, `T` or a space.
public enum TimestampParser {
    static let zonedFormats = [
        "yyyy-MM-dd'T'HH:mm:ss.SSSXXXXX", "yyyy-MM-dd'T'HH:mm:ssXXXXX", "yyyy-MM-dd'T'HH:mmXXXXX",
        "yyyy-MM-dd HH:mm:ssXXXXX", "yyyy-MM-dd HH:mmXXXXX",
        // The form every time is printed in (`BureauTime`), so a time copied from the screen reads back.
        "yyyy-MM-dd HH:mm:ss XXXXX", "yyyy-MM-dd HH:mm XXXXX",
    ]
    static let localFormats = [
        "yyyy-MM-dd'T'HH:mm:ss.SSS", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm",
        "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm",
    ]

    /// The moment `text` names; a time without an offset is read in `timeZone`. `nil` when it is no date.
    public static func parse(_ text: String, timeZone: TimeZone) -> Date? {
        let text = text.trimmingCharacters(in: .whitespaces)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.calendar = Calendar(identifier: .gregorian)
        formatter.isLenient = false
        formatter.timeZone = timeZone
        for format in zonedFormats + localFormats {
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }

    /// Like `require`, but a bare day (`2026-10-15`) is also taken, as the start of that day.
    public static func require(dayOrTime text: String, timeZone: TimeZone, what: String) throws -> Date {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        return try require(trimmed.count == 10 ? trimmed + "T00:00" : trimmed, timeZone: timeZone, what: what)
    }

    /// Like `parse`, but throws an error that shows the accepted forms.
    public static func require(_ text: String, timeZone: TimeZone, what: String) throws -> Date {
        guard let date = parse(text, timeZone: timeZone) else {
            throw ReportSyncError(
                .invalidInput,
                "\(what) '\(text)' is not a date and time; write it like 2026-11-22T10:30 (in \(timeZone.identifier)) or 2026-11-22T10:30:00+08:00"
            )
        }
        return date
    }
}
