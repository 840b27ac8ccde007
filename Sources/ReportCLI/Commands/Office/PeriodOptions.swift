import ArgumentParser
import Foundation
import SyncCore

/// `--month 2026-10` or `--quarter 2026Q3`; this month in the bureau's time zone when neither is given.
struct PeriodOptions: ParsableArguments {
    @Option(help: "A month, e.g. 2026-10.") var month: String?
    @Option(help: "A quarter, e.g. 2026Q3.") var quarter: String?
    @Option(help: "A year, e.g. 2026 (annual targets, 000:631, 003:74).") var year: String?

    func validate() throws {
        if [month, quarter, year].compactMap({ $0 }).count > 1 { throw ValidationError("give one of --month, --quarter or --year") }
    }

    func period(policy: Policy, now: Date) throws -> Period {
        if let month {
            let period = try Period.parse(month)
            guard period.kind == .month else { throw ReportSyncError(.invalidInput, "--month takes a month like 2026-10; for a quarter use --quarter") }
            return period
        }
        if let quarter {
            let period = try Period.parse(quarter)
            guard period.kind == .quarter else { throw ReportSyncError(.invalidInput, "--quarter takes a quarter like 2026Q3") }
            return period
        }
        if let year {
            let period = try Period.parse(year)
            guard period.kind == .year else { throw ReportSyncError(.invalidInput, "--year takes a year like 2026") }
            return period
        }
        return Period.month(containing: now, in: Rendering.timeZone(of: policy))
    }
}
