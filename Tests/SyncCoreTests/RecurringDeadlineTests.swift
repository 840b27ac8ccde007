import Foundation
import SyncCore
import Testing

/// Deadlines on a schedule and by the hour, as policy (the rule-book issue): fixed weekdays and clock
/// times (001:52, 001:116, 000:521), a day of the next month (001:55, 001:95), hours after the event
/// (001:113). Fixed clocks in the bureau's time zone; November 2026 starts on a Sunday.
@Suite("Recurring and hourly deadlines")
struct RecurringDeadlineTests {
    let rules = OfficeRulesTests()
    let squad = OrgUnit(id: "squad-3", name: "第三中队", kind: .squad)

    func at(_ text: String) -> Date { OfficeRulesTests.local(text) }

    func policy(_ json: String) throws -> Policy { try Policy.decode(json: Data(json.utf8)) }

    /// A report of `category` signed off at `time`.
    func signed(_ id: String, _ category: ReportCategory = .problem, at time: String) throws -> ReportFacts {
        try rules.facts(ReportContent(category: category, title: id, body: "b"), id: id, signedAt: at(time))
    }

    @Test("001:52 tables every Monday and Thursday by 17:00: met, late (and not counted again), missing, due soon")
    func mondayAndThursday() throws {
        let p = try policy(#"{"deadlines": {"recurring": [{"rule": "daily-table", "category": "problem", "weekdays": [1, 4], "time": "17:00"}]}}"#)
        let rule = p.deadlines.recurring[0]
        let reports = [try signed("mon", at: "2026-11-02T16:00"), try signed("thu-late", at: "2026-11-06T09:00")]
        let items = DeadlineRules.recurring(
            rule, unit: squad, from: at("2026-11-01T00:00"), to: at("2026-11-13T00:00"), signed: reports.compactMap(\.signed), policy: p, now: at("2026-11-12T10:00"))
        #expect(items.map(\.due) == [at("2026-11-02T17:00"), at("2026-11-05T17:00"), at("2026-11-09T17:00"), at("2026-11-12T17:00")])
        #expect(items.map(\.status) == [.met, .late, .overdue, .dueSoon], "\(items.map(\.status))")
        #expect(items.map(\.report) == ["mon", "thu-late", "daily-table/squad-3/2026-11-09", "daily-table/squad-3/2026-11-12"])
        #expect(items.allSatisfy { $0.rule == "daily-table" && $0.unit == "squad-3" })
    }

    @Test("001:55 次月5日前 and 001:95 每月28日前: by the end of a day of the month; the 31st is the last day of a shorter month")
    func dayOfTheMonth() throws {
        let p = try policy(#"{"deadlines": {"recurring": [{"rule": "monthly-summary", "category": "research", "dayOfMonth": 5}, {"rule": "month-end", "category": "research", "dayOfMonth": 31, "time": "16:00"}]}}"#)
        let summary = DeadlineRules.recurring(
            p.deadlines.recurring[0], unit: squad, from: at("2026-11-01T00:00"), to: at("2026-12-01T00:00"),
            signed: [try signed("oct-summary", .research, at: "2026-11-05T22:00")].compactMap(\.signed), policy: p, now: at("2026-11-20T00:00"))
        #expect(summary.map(\.due) == [at("2026-11-06T00:00")], "24:00 on the 5th")
        #expect(summary.first?.status == .met)
        let monthEnd = DeadlineRules.recurring(
            p.deadlines.recurring[1], unit: squad, from: at("2026-11-01T00:00"), to: at("2026-12-01T00:00"), signed: [], policy: p,
            now: at("2026-12-02T00:00"))
        #expect(monthEnd.map(\.due) == [at("2026-11-30T16:00")] && monthEnd.first?.status == .overdue)
    }

    @Test("001:116 a Monday-morning report; only the unit kinds named owe it; a unit set up after the week began owes nothing for it")
    func mondayMorningForOffices() throws {
        let p = try policy(#"{"deadlines": {"recurring": [{"rule": "monday-report", "category": "problem", "weekdays": [1], "time": "12:00", "unitKinds": ["office"]}]}}"#)
        let rule = p.deadlines.recurring[0]
        let window = (from: at("2026-11-01T00:00"), to: at("2026-11-17T00:00"), now: at("2026-11-17T00:00"))
        #expect(DeadlineRules.recurring(rule, unit: squad, from: window.from, to: window.to, signed: [], policy: p, now: window.now).isEmpty)
        var office = OrgUnit(id: "office-1", name: "综合科", kind: .office)
        #expect(DeadlineRules.recurring(rule, unit: office, from: window.from, to: window.to, signed: [], policy: p, now: window.now).count == 3)
        office.since = at("2026-11-05T09:00")
        let owed = DeadlineRules.recurring(rule, unit: office, from: window.from, to: window.to, signed: [], policy: p, now: window.now)
        #expect(owed.map(\.due) == [at("2026-11-16T12:00")], "the report of 9 November covers a week that began before the unit existed")
    }

    @Test("001:113 within 24 hours of the data's release: eventHours by category replaces the day rule; a missed one is named, without the emergency penalty")
    func hoursAfterTheEvent() throws {
        let p = try policy(#"{"deadlines": {"eventHours": {"dynamic": 24}}}"#)
        var data = ReportContent(category: .dynamic, title: "经济指标", body: "b")
        data.eventTime = at("2026-11-03T09:00")
        let late = try rules.facts(data, id: "gdp", signedAt: at("2026-11-04T10:00"))
        let deadlines = DeadlineRules.deadlines(of: late, solicitations: [:], policy: p, now: at("2026-11-20T00:00"))
        #expect(deadlines.map(\.rule) == ["event-hours"] && deadlines.first?.due == at("2026-11-04T09:00") && deadlines.first?.status == .late)
        let card = Scorecard(unit: squad, period: try Period.parse("2026-11"), reports: [late], solicitations: [], policy: p, now: at("2026-12-01T00:00"))
        #expect(card.late == 1 && card.named.contains { $0.subject == "gdp" && $0.rule == "event-hours" })
        #expect(!card.lines.contains { $0.rule == "late-or-missing-emergency" }, "only emergencies cost the emergency penalty")
    }

    @Test("a scorecard counts and names the recurring items of its period that were late or missed")
    func scoredInThePeriod() throws {
        let p = try policy(#"{"deadlines": {"recurring": [{"rule": "weekly-summary", "category": "problem", "weekdays": [5], "time": "16:00"}]}}"#)
        let reports = [try signed("w1", at: "2026-11-06T15:00"), try signed("w2", at: "2026-11-13T18:00")]
        let card = Scorecard(unit: squad, period: try Period.parse("2026-11"), reports: reports, solicitations: [], policy: p, now: at("2026-12-01T00:00"))
        let weekly = card.named.filter { $0.rule == "weekly-summary" }
        #expect(weekly.map(\.reason) == [.late, .missing, .missing], "13th late; 20th and 27th missed")
        #expect(weekly.map(\.subject) == ["w2", "weekly-summary/squad-3/2026-11-20", "weekly-summary/squad-3/2026-11-27"])
    }

    @Test("002:185 每周至少上报一篇: a recurring deadline without a category is a weekly quota any report meets")
    func weeklyQuota() throws {
        let p = try policy(#"{"deadlines": {"recurring": [{"rule": "weekly-item", "weekdays": [7]}]}}"#)
        let items = DeadlineRules.recurring(
            p.deadlines.recurring[0], unit: squad, from: at("2026-11-03T00:00"), to: at("2026-11-17T00:00"),
            signed: [try signed("any", .experience, at: "2026-11-06T10:00")].compactMap(\.signed), policy: p, now: at("2026-11-20T00:00"))
        #expect(items.map(\.status) == [.met, .overdue], "\(items.map { ($0.due, $0.status, $0.report) })")
        #expect(items.map(\.report) == ["any", "weekly-item/squad-3/2026-11-15"], "named by the Sunday it ends")
    }

    @Test("000:513–517 a new-media item names when, where and by whom it was published, and is reported the same day")
    func newMediaSameDay() throws {
        var item = ReportContent(category: .newMedia, title: "公众号推送", body: "本周推送三篇。")
        let error = #expect(throws: ReportSyncError.self) { try ReportRules.checkSubmission(item, unit: "u", followUpTarget: nil, policy: .standard) }
        #expect(error?.message.contains("--platform") == true && error?.message.contains("--publisher") == true && error?.message.contains("--event-time") == true)
        item.eventTime = at("2026-11-05T21:00")
        item.newMedia = NewMediaDetails(platform: "微信公众号「法润永宁」", publisher: "马文", publisherPost: "宣传干事")
        try ReportRules.checkSubmission(item, unit: "u", followUpTarget: nil, policy: .standard)
        let sameDay = try rules.facts(item, id: "n1", signedAt: at("2026-11-05T23:30"))
        let nextDay = try rules.facts(item, id: "n2", signedAt: at("2026-11-06T08:00"))
        for (facts, status) in [(sameDay, Deadline.Status.met), (nextDay, .late)] {
            let deadlines = DeadlineRules.deadlines(of: facts, solicitations: [:], policy: .standard, now: at("2026-11-20T00:00"))
            #expect(deadlines.map(\.rule) == ["new-media-same-day"] && deadlines.first?.due == at("2026-11-06T00:00"))
            #expect(deadlines.first?.status == status)
        }
    }

    @Test("a verdict does not depend on the window asked: a unit that always signs an hour late and skipped a week reads the same in a month, a year and deadlines")
    func windowIndependent() throws {
        let p = try policy(#"{"deadlines": {"recurring": [{"rule": "weekly-summary", "category": "problem", "weekdays": [5], "time": "16:00"}]}}"#)
        let rule = p.deadlines.recurring[0]
        // Every Friday from July to November 2026, signed at 17:00, except 16 October: reports long
        // before any window asked, which a match started at the window would pair differently.
        var reports: [ReportFacts] = []
        var friday = at("2026-07-03T17:00")
        while friday < at("2026-12-01T00:00") {
            if BureauTime.day(friday, in: OfficeRulesTests.zone) != "2026-10-16" {
                var content = ReportContent(category: .problem, title: "周报", body: "b")
                content.eventTime = friday.addingTimeInterval(-3600)
                reports.append(try rules.facts(content, id: "w\(reports.count)", signedAt: friday))
            }
            friday = friday.addingTimeInterval(7 * 86_400)
        }
        let now = at("2026-12-02T00:00")
        func verdicts(from: String, to: String) -> [String: Deadline.Status] {
            Dictionary(uniqueKeysWithValues: DeadlineRules.recurring(rule, unit: squad, from: at(from), to: at(to), signed: reports.compactMap(\.signed), policy: p, now: now).map {
                (BureauTime.day($0.due, in: OfficeRulesTests.zone), $0.status)
            })
        }
        let november = verdicts(from: "2026-11-01T00:00", to: "2026-12-01T00:00")
        let autumn = verdicts(from: "2026-07-01T00:00", to: "2026-12-01T00:00")
        let asOfNow = Dictionary(
            uniqueKeysWithValues: DeadlineRules.recurring(rule, unit: squad, from: at("2026-11-01T00:00"), to: now, signed: reports.compactMap(\.signed), policy: p, now: now)
                .map { (BureauTime.day($0.due, in: OfficeRulesTests.zone), $0.status) })
        #expect(november.count == 4 && november.allSatisfy { autumn[$0.key] == $0.value && asOfNow[$0.key] == $0.value }, "\(november) against \(autumn)")
        #expect(autumn["2026-10-16"] == .overdue && autumn.filter { $0.key != "2026-10-16" }.allSatisfy { $0.value == .late }, "\(autumn)")
    }

    @Test("a due time at 24:00 on a period's last day is that period's: the 31st of October is October's")
    func endOfDayStaysInItsPeriod() throws {
        let p = try policy(#"{"deadlines": {"recurring": [{"rule": "month-end", "category": "research", "dayOfMonth": 31}]}}"#)
        let october = DeadlineRules.recurring(
            p.deadlines.recurring[0], unit: squad, from: at("2026-10-01T00:00"), to: at("2026-11-01T00:00"), signed: [], policy: p, now: at("2026-12-02T00:00"))
        #expect(october.map(\.due) == [at("2026-11-01T00:00")] && october.first?.report == "month-end/squad-3/2026-10-31")
        #expect(BureauTime.dueText(at("2026-11-01T00:00"), in: OfficeRulesTests.zone) == "2026-10-31 24:00 +08:00")
    }

    @Test(
        "a bad recurring entry is refused with the key and the reason",
        arguments: [
            (#"{"deadlines": {"recurring": [{"rule": "t", "category": "problem", "weekdays": [1], "dayOfMonth": 5}]}}"#, "either weekdays or dayOfMonth"),
            (#"{"deadlines": {"recurring": [{"rule": "t", "category": "problem", "weekdays": [8]}]}}"#, "1 (Monday) to 7 (Sunday)"),
            (#"{"deadlines": {"recurring": [{"rule": "t", "category": "problem", "weekdays": [1], "time": "5pm"}]}}"#, "HH:MM"),
            (#"{"deadlines": {"recurring": [{"rule": "monthly-report", "category": "problem", "dayOfMonth": 5}]}}"#, "already the name"),
            (#"{"deadlines": {"recurring": [{"rule": "t", "category": "problem", "weekday": [1]}]}}"#, "recurring[0].weekday"),
            (#"{"deadlines": {"eventHours": {"dynamic": 0}}}"#, "deadlines.eventHours.dynamic"),
        ])
    func badEntries(json: String, message: String) {
        let error = #expect(throws: ReportSyncError.self) { try Policy.decode(json: Data(json.utf8)) }
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "")")
    }
}
