import Foundation
import SyncCore
import Testing

@Suite("Clocks and ids")
struct ClockTests {
    @Test("a hybrid logical clock never goes backwards, even when the wall clock does")
    func monotonic() {
        var clock = HybridLogicalClock()
        let t = Date(timeIntervalSince1970: 1_795_000_000)
        let a = clock.tick(now: t)
        let b = clock.tick(now: t)
        let c = clock.tick(now: t.addingTimeInterval(-60))
        let d = clock.tick(now: t.addingTimeInterval(1))
        #expect(a < b && b < c && c < d)
        #expect(b.wallMilliseconds == a.wallMilliseconds && b.logical == 1)
        #expect(d.logical == 0)
    }

    @Test("a stamp from further in the future than the skew bound is refused, with how far ahead it was")
    func skew() throws {
        var clock = HybridLogicalClock()
        let now = Date(timeIntervalSince1970: 1_795_000_000)
        let near = HybridTimestamp(wallMilliseconds: now.millisecondsSince1970 + 200_000, logical: 0)
        try clock.observe(near, now: now, maxSkew: 300)
        #expect(clock.tick(now: now) > near)
        let far = HybridTimestamp(wallMilliseconds: now.millisecondsSince1970 + 3_600_000, logical: 0)
        let error = #expect(throws: ReportSyncError.self) { try clock.observe(far, now: now, maxSkew: 300) }
        #expect(error?.message.contains("3600 s") == true)
    }

    @Test("UUIDv7 ids carry version 7 and sort by creation time")
    func uuidv7() {
        let early = UUIDv7.make(at: Date(timeIntervalSince1970: 1_795_000_000))
        let late = UUIDv7.make(at: Date(timeIntervalSince1970: 1_795_000_001))
        #expect(early < late)
        #expect(early.count == 36)
        #expect(Array(early)[14] == "7")
        #expect("89ab".contains(Array(early)[19]))
        #expect(UUID(uuidString: early) != nil)
    }

    @Test(
        "typed dates: local times are read in the bureau's zone, offsets are honoured",
        arguments: [
            ("2026-11-22T10:30", 1_795_314_600.0), ("2026-11-22 10:30", 1_795_314_600), ("2026-11-22T10:30:15", 1_795_314_615),
            ("2026-11-22T02:30:00Z", 1_795_314_600), ("2026-11-22T10:30:00+08:00", 1_795_314_600),
        ])
    func dates(text: String, expected: Double) {
        let shanghai = TimeZone(identifier: "Asia/Shanghai")!
        #expect(TimestampParser.parse(text, timeZone: shanghai)?.timeIntervalSince1970 == expected)
    }

    @Test("an unparseable date is refused with the forms that work", arguments: ["yesterday", "2026-13-01T10:00", "22/11/2026"])
    func badDates(text: String) {
        let error = #expect(throws: ReportSyncError.self) {
            try TimestampParser.require(text, timeZone: TimeZone(identifier: "UTC")!, what: "--event-time")
        }
        #expect(error?.message.contains("2026-11-22T10:30") == true)
    }

    @Test("calendar days refuse impossible dates")
    func days() {
        #expect(CalendarDay("2028-02-29") != nil)
        #expect(CalendarDay("2026-02-29") == nil)
        #expect(CalendarDay("2026-1-01") == nil)
        #expect(CalendarDay("2026-12-31")?.description == "2026-12-31")
    }
}

extension ClockTests {
    @Test("a date survives JSON and milliseconds unchanged: text → date → text is the same text")
    func dateRoundTrip() throws {
        for i in 0..<2000 {
            let date = Date(timeIntervalSince1970: 1_795_000_000 + Double(i) * 0.0137 + 0.00011)
            let text = JSONCoding.text(of: date)
            let back = try JSONCoding.decoder().decode([Date].self, from: Data("[\"\(text)\"]".utf8))[0]
            #expect(JSONCoding.text(of: back) == text)
            #expect(back == Date(millisecondsSince1970: date.millisecondsSince1970), "read back as the one date of its milliseconds")
        }
    }
}
