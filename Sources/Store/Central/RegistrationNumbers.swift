import Foundation
import GRDB
import SyncCore

/// Registration numbers (登记、编号, 001:112): the central gives each report it receives a serial number per
/// bureau year, `2026-0123`, recorded in the receipt step so that every replica shows the same one.
public enum RegistrationNumbers {
    /// The detail of a receipt of `record`: the number it was registered under before (a report received
    /// again after a return keeps it), or the next one of the year of `now` in the bureau's time zone.
    static func receiptDetail(for record: ReportRecord, now: Date, policy: Policy, _ ledger: some CentralLedger) throws -> StepDetail {
        if let number = record.transitions.lazy.compactMap({ $0.action == .receive ? $0.detail?.registration : nil }).first {
            return StepDetail(registration: number)
        }
        let year = Period.month(containing: now, in: WorkingCalendar(policy: policy).timeZone).year
        let next = try ledger.lastRegistration(in: year) + 1
        try ledger.keepRegistration(next, in: year)
        return StepDetail(registration: String(format: "%d-%04d", year, next))
    }

    /// The year and serial of the registration number a receipt carries, if `change` is one.
    public static func number(carriedBy change: Change) -> (year: Int, serial: Int)? {
        guard case .transition(let step) = change.payload, step.action == .receive, let number = step.detail?.registration else { return nil }
        let parts = number.split(separator: "-")
        guard parts.count == 2, let year = Int(parts[0]), let serial = Int(parts[1]) else { return nil }
        return (year, serial)
    }

    /// Keeps the year's counter at least at the number a logged receipt carries: a central restored from
    /// a backup, given its lost receipts back by the devices, never hands out their numbers again.
    static func keep(_ change: Change, _ db: Database) throws {
        guard let (year, serial) = number(carriedBy: change) else { return }
        try db.executeCached(
            sql: "INSERT INTO registrations(year, last) VALUES (?, ?) ON CONFLICT(year) DO UPDATE SET last = max(last, excluded.last)",
            arguments: [year, serial])
    }
}
