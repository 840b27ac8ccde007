import Foundation
import SyncCore

/// How dates and JSON look on the terminal.
enum Rendering {
    /// A date as people read it in the bureau's time zone: `2026-11-22 10:30` (with `:05` seconds when asked).
    static func local(_ date: Date?, in timeZone: TimeZone, seconds: Bool = false) -> String {
        guard let date else { return "" }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = seconds ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }

    /// Pretty JSON for `--json` output.
    static func json(_ value: some Encodable) throws -> String {
        String(decoding: try JSONCoding.encoder(pretty: true).encode(value), as: UTF8.self)
    }

    /// The policy's time zone (it was validated when loaded).
    static func timeZone(of policy: Policy) -> TimeZone {
        TimeZone(identifier: policy.timeZone) ?? TimeZone(identifier: "UTC")!
    }
}
