import Foundation

extension Policy {
    /// Reads a policy from JSON, keeping defaults for keys left out and naming any bad key.
    public static func decode(json data: Data) throws -> Policy {
        let policy: Policy
        do {
            var user = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            // What `policy show` prints reads back: the version's day and author come from `policy load`.
            if var object = user as? [String: Any] {
                object["effectiveFrom"] = nil
                object["loadedBy"] = nil
                user = object
            }
            let defaults = try JSONSerialization.jsonObject(with: JSONEncoder().encode(Policy.standard))
            let merged = try mergePolicyJSON(defaults, user, path: [])
            policy = try JSONDecoder().decode(Policy.self, from: JSONSerialization.data(withJSONObject: merged))
        } catch let error as DecodingError {
            throw ReportSyncError(.invalidInput, "policy: \(error.readableDescription)")
        } catch let error as ReportSyncError {
            throw error
        } catch {
            throw ReportSyncError(.invalidInput, "policy: not valid JSON (\(error.localizedDescription))")
        }
        try policy.validate()
        // Checked when a file is loaded only: a version other replicas already hold is never refused.
        for (i, entry) in policy.deadlines.recurring.enumerated() where entry.rule.hasPrefix("emergency-") {
            throw ReportSyncError(
                .invalidInput,
                "policy: key 'deadlines.recurring[\(i)].rule': '\(entry.rule)': emergency- names only the emergency rules (whose misses cost points); choose another")
        }
        return policy
    }

    /// Maps whose keys are slugs chosen by the bureau; other objects have a fixed set of keys.
    static let openMaps: Set<String> = [
        "lengthLimits", "quotas.monthly", "points.adoption", "points.instruction", "points.adoptionByOutlet",
        "points.adoptionByCategory", "deadlines.eventHours", "quotas.annualPoints", "quotas.perPersonMonthly",
    ]

    /// `user` laid over `defaults`, refusing keys that the policy does not have.
    static func mergePolicyJSON(_ defaults: Any, _ user: Any, path: [String]) throws -> Any {
        if path == ["deadlines", "recurring"], let entries = user as? [Any] {
            for (i, entry) in entries.enumerated() {
                for key in (entry as? [String: Any] ?? [:]).keys where !RecurringDeadline.keys.contains(key) {
                    throw ReportSyncError(
                        .invalidInput,
                        "policy: unknown key 'deadlines.recurring[\(i)].\(key)'; an entry has: \(RecurringDeadline.keys.sorted().joined(separator: ", "))")
                }
            }
        }
        guard let defaultObject = defaults as? [String: Any] else { return user }
        let where_ = path.isEmpty ? "the policy" : "key '\(path.joined(separator: "."))'"
        guard let userObject = user as? [String: Any] else {
            throw ReportSyncError(.invalidInput, "policy: \(where_) must be a JSON object")
        }
        var merged = defaultObject
        let isOpen = openMaps.contains(path.joined(separator: "."))
        for (key, value) in userObject {
            if value is NSNull {
                throw ReportSyncError(
                    .invalidInput, "policy: key '\((path + [key]).joined(separator: "."))' is null; give a value or leave the key out for the default")
            }
            if let base = defaultObject[key] {
                merged[key] = try mergePolicyJSON(base, value, path: path + [key])
            } else if isOpen {
                merged[key] = value
            } else {
                let known = defaultObject.keys.sorted().joined(separator: ", ")
                throw ReportSyncError(
                    .invalidInput, "policy: unknown key '\((path + [key]).joined(separator: "."))'; \(where_) has: \(known)")
            }
        }
        return merged
    }

    /// Checks values that JSON types alone cannot: known slugs, real time zone, positive numbers.
    public func validate() throws {
        func fail(_ key: String, _ why: String) -> ReportSyncError {
            ReportSyncError(.invalidInput, "policy: key '\(key)': \(why)")
        }
        if let day = effectiveFrom, CalendarDay(day) == nil {
            throw fail("effectiveFrom", "'\(day)' is not a date written YYYY-MM-DD")
        }
        if TimeZone(identifier: timeZone) == nil {
            throw fail("timeZone", "'\(timeZone)' is not a known time zone (for example Asia/Shanghai)")
        }
        if maxClockSkewSeconds < 0 { throw fail("maxClockSkewSeconds", "must not be negative") }
        for (slug, limit) in lengthLimits {
            if ReportCategory(rawValue: slug) == nil {
                throw fail("lengthLimits.\(slug)", "unknown category; use one of \(ReportCategory.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if limit <= 0 { throw fail("lengthLimits.\(slug)", "must be a positive number of characters") }
        }
        for key in principalApproval {
            let parts = key.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard (1...2).contains(parts.count), ReportCategory(rawValue: parts[0]) != nil,
                parts.count == 1 || EmergencySeverity(rawValue: parts[1]) != nil
            else {
                throw fail("principalApproval", "'\(key)' is not a category or category/severity (emergency, emergency/major)")
            }
        }
        for slug in unitKinds where UnitKind(rawValue: slug) == nil {
            throw fail("unitKinds", "'\(slug)' is not a slug of lowercase letters, digits and -")
        }
        let kinds = Set(knownUnitKinds.map(\.rawValue))
        let unknownKind = "unknown unit kind; use one of \(knownUnitKinds.map(\.rawValue).joined(separator: ", ")), or declare it in unitKinds"
        for (name, table) in [
            ("quotas.monthly", quotas.monthly), ("quotas.annualPoints", quotas.annualPoints), ("quotas.perPersonMonthly", quotas.perPersonMonthly),
        ] {
            for (slug, value) in table {
                if !kinds.contains(slug) { throw fail("\(name).\(slug)", unknownKind) }
                if value < 0 { throw fail("\(name).\(slug)", "must not be negative") }
            }
        }
        for (i, entry) in deadlines.recurring.enumerated() {
            for kind in entry.unitKinds ?? [] where !kinds.contains(kind.rawValue) {
                throw fail("deadlines.recurring[\(i)].unitKinds", "'\(kind)': " + unknownKind)
            }
        }
        for (name, table) in [("points.adoption", points.adoption), ("points.instruction", points.instruction)] {
            for slug in table.keys where AdoptionLevel(rawValue: slug) == nil {
                throw fail("\(name).\(slug)", "unknown level; use one of \(AdoptionLevel.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        for slug in points.adoptionByCategory.keys where ReportCategory(rawValue: slug) == nil {
            throw fail("points.adoptionByCategory.\(slug)", "unknown category; use one of \(ReportCategory.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        for outlet in points.adoptionByOutlet.keys where !outlet.hasVisibleText {
            throw fail("points.adoptionByOutlet", "an outlet needs a name")
        }
        for (key, days) in [("holidays", holidays), ("workingWeekendDays", workingWeekendDays)] {
            for day in days where CalendarDay(day) == nil {
                throw fail(key, "'\(day)' is not a date written YYYY-MM-DD")
            }
        }
        for day in Set(holidays).intersection(workingWeekendDays).sorted() {
            throw fail("workingWeekendDays", "\(day) is also a holiday: a day is one or the other")
        }
        let d = deadlines
        for (slug, hours) in d.eventHours {
            if ReportCategory(rawValue: slug) == nil {
                throw fail("deadlines.eventHours.\(slug)", "unknown category; use one of \(ReportCategory.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if hours <= 0 { throw fail("deadlines.eventHours.\(slug)", "must be a positive number of hours") }
        }
        var slugs: Set<String> = []
        for (i, entry) in d.recurring.enumerated() {
            if let problem = entry.problem() { throw fail("deadlines.recurring[\(i)]", problem) }
            if !slugs.insert(entry.rule).inserted || DeadlineRules.builtInRules.contains(entry.rule) {
                throw fail("deadlines.recurring[\(i)].rule", "'\(entry.rule)' is already the name of a deadline rule; choose another")
            }
        }
        for (key, value) in [
            ("emergencyMajorPhoneMinutes", d.emergencyMajorPhoneMinutes),
            ("emergencyMajorWrittenMinutes", d.emergencyMajorWrittenMinutes),
            ("emergencyGeneralWrittenMinutes", d.emergencyGeneralWrittenMinutes),
            ("phoneFirstWrittenWorkingDays", d.phoneFirstWrittenWorkingDays),
            ("importantEventDays", d.importantEventDays), ("generalDays", d.generalDays),
        ] where value <= 0 {
            throw fail("deadlines.\(key)", "must be positive")
        }
        if d.disclosureWorkingDays < 0 { throw fail("deadlines.disclosureWorkingDays", "must not be negative (0: no disclosure deadline)") }
        for (key, value) in [
            ("monthlyReportDayOfMonth", d.monthlyReportDayOfMonth),
            ("monthlyMediaSummaryDayOfMonth", d.monthlyMediaSummaryDayOfMonth),
        ] where !(1...31).contains(value) {
            throw fail("deadlines.\(key)", "must be a day of the month, 1 to 31")
        }
    }
}
