import Foundation
import SyncCore
import Testing

/// DOMAIN.md: every number is a policy setting with DOMAIN.md's value as its default.
@Suite("Policy")
struct PolicyTests {
    @Test("defaults are DOMAIN.md's numbers")
    func defaults() {
        let p = Policy.standard
        #expect(p.timeZone == "Asia/Shanghai")
        #expect(p.lengthLimit(for: .dynamic) == 600)
        #expect(p.lengthLimit(for: .experience) == 2000)
        #expect(p.lengthLimit(for: .research) == nil)
        #expect(p.deadlines.emergencyMajorPhoneMinutes == 30)
        #expect(p.deadlines.emergencyMajorWrittenMinutes == 60)
        #expect(p.deadlines.emergencyGeneralWrittenMinutes == 120)
        #expect(p.deadlines.importantEventDays == 1)
        #expect(p.deadlines.generalDays == 2)
        #expect(p.deadlines.monthlyReportDayOfMonth == 15)
        #expect(p.deadlines.monthlyMediaSummaryDayOfMonth == 28)
        #expect(p.quotas.monthly == ["office": 2, "squad": 3, "sub-squad": 3, "station": 4, "central-office": 0])
        #expect(p.quotas.quarterlyResearch == 1)
        #expect(p.points.adoption == ["county": 1, "city": 2, "province": 3, "national": 4])
        #expect(p.points.instruction == ["county": 5, "city": 10, "province": 15, "national": 20])
        #expect(p.points.missedSolicitation == -5)
        #expect(p.points.falseReport == -10)
        #expect(p.points.lateOrMissingEmergency == -20)
    }

    @Test("a partial file changes only what it names and keeps every other default")
    func partial() throws {
        let p = try Policy.decode(json: Data(#"{"quotas": {"monthly": {"station": 5}}, "lengthLimits": {"research": 3000}}"#.utf8))
        #expect(p.quotas.monthly["station"] == 5)
        #expect(p.quotas.monthly["squad"] == 3)
        #expect(p.lengthLimit(for: .research) == 3000)
        #expect(p.lengthLimit(for: .dynamic) == 600)
        #expect(p.deadlines == DeadlinePolicy())
    }

    @Test("the seed 002/#4 points scheme fits the same keys")
    func otherScheme() throws {
        let p = try Policy.decode(
            json: Data(#"{"points": {"quotaMet": 5, "perMissingItem": -1, "perExtraItem": 1, "researchItem": 5, "adoption": {"county": 2, "city": 2}}}"#.utf8))
        #expect(p.points.quotaMet == 5)
        #expect(p.points.adoption["city"] == 2)
        #expect(p.points.adoption["national"] == 4)
    }

    @Test("a policy stored or sent by an earlier version, without the keys added since, is read with their defaults")
    func earlierPolicy() throws {
        var stored = try JSONSerialization.jsonObject(with: JSONEncoder().encode(Policy.standard)) as! [String: Any]
        stored["lengthLimitEnforcement"] = nil
        stored["workingWeekendDays"] = nil
        stored["principalApproval"] = nil
        stored["internalOverNetwork"] = nil
        var deadlines = stored["deadlines"] as! [String: Any]
        deadlines["disclosureWorkingDays"] = nil
        stored["deadlines"] = deadlines
        var points = stored["points"] as! [String: Any]
        points["adoptionByOutlet"] = nil
        points["adoptionCounting"] = nil
        points["falseReport"] = -30
        stored["points"] = points
        let policy = try JSONDecoder().decode(Policy.self, from: JSONSerialization.data(withJSONObject: stored))
        #expect(policy.points.falseReport == -30, "what it holds is kept")
        #expect(policy.points.adoptionCounting == .accumulate && policy.workingWeekendDays.isEmpty)
        #expect(policy.lengthLimitEnforcement == .refuse && policy.principalApproval.isEmpty && policy.deadlines.disclosureWorkingDays == 0
            && policy.internalOverNetwork,
            "a setting that changes what the earlier version did keeps the earlier behaviour when absent")
        #expect(Policy.standard.principalApproval == ["emergency/major"] && Policy.standard.lengthLimitEnforcement == .warn
            && !Policy.standard.internalOverNetwork, "a new bureau gets the rule books'")
        let wrongType = #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Policy.self, from: Data(#"{"holidays": "2026-10-01"}"#.utf8))
        }
        #expect(wrongType != nil, "a key of the wrong type is still an error")
    }

    @Test(
        "a bad file is refused with the key and the reason",
        arguments: [
            (#"{"quotas": {"montly": {}}}"#, "quotas.montly"),
            (#"{"deadlines": {"generalDays": "two"}}"#, "deadlines.generalDays"),
            (#"{"timeZone": "Mars/Olympus"}"#, "timeZone"),
            (#"{"lengthLimits": {"dynamc": 600}}"#, "lengthLimits.dynamc"),
            (#"{"holidays": ["2026-02-30"]}"#, "holidays"),
            (#"{"workingWeekendDays": ["10-10"]}"#, "workingWeekendDays"),
            (#"{"principalApproval": null}"#, "principalApproval' is null"),
            (#"{"deadlines": {"disclosureWorkingDays": -1}}"#, "deadlines.disclosureWorkingDays"),
            (#"{"lengthLimitEnforcement": "block"}"#, "lengthLimitEnforcement"),
            (#"{"points": {"adoptionCounting": "best"}}"#, "points.adoptionCounting"),
            (#"{"points": {"adoptionByCategory": {"news": 2}}}"#, "points.adoptionByCategory.news"),
            (#"{"deadlines": {"monthlyReportDayOfMonth": 40}}"#, "deadlines.monthlyReportDayOfMonth"),
            (#"[1, 2]"#, "the policy"),
            (#"{"quotas": "#, "JSON"),
        ])
    func badFile(json: String, key: String) {
        let error = #expect(throws: ReportSyncError.self) { try Policy.decode(json: Data(json.utf8)) }
        #expect(error?.code == .invalidInput)
        #expect(error?.message.contains(key) == true, "\(error?.message ?? "")")
    }
}
