import Foundation
import SyncCore
import Testing

/// Times as every replica writes them (`BureauTime`): the bureau's zone, with its offset.
@Suite("Bureau time")
struct BureauTimeTests {
    static let instant = Date(timeIntervalSince1970: 1_795_000_000)  // 2026-11-18 11:06:40 UTC

    @Test(
        "a time is written in the zone with its offset, east and west of UTC and by half hours",
        arguments: [
            ("Asia/Shanghai", false, "2026-11-18 19:06 +08:00"),
            ("UTC", true, "2026-11-18 11:06:40 +00:00"),
            ("America/New_York", false, "2026-11-18 06:06 -05:00"),
            ("Asia/Kolkata", true, "2026-11-18 16:36:40 +05:30"),
        ])
    func text(zone: String, seconds: Bool, expected: String) throws {
        #expect(BureauTime.text(Self.instant, in: try #require(TimeZone(identifier: zone)), seconds: seconds) == expected)
    }

    @Test("a due time at local midnight is written as 24:00 of the day before")
    func dueAtMidnight() throws {
        let zone = try #require(TimeZone(identifier: "Asia/Shanghai"))
        let midnight = Date(timeIntervalSince1970: 1_794_931_200)  // 2026-11-18 00:00 +08:00
        #expect(BureauTime.dueText(midnight, in: zone) == "2026-11-17 24:00 +08:00")
    }
}
