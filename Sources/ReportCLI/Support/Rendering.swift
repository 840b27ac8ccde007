import Foundation
import SyncCore

/// How dates and JSON look on the terminal.
enum Rendering {
    /// A date as people read it in the bureau's time zone, which it names (`BureauTime`).
    static func local(_ date: Date?, in timeZone: TimeZone, seconds: Bool = false) -> String {
        date.map { BureauTime.text($0, in: timeZone, seconds: seconds) } ?? ""
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
