import Foundation

/// Which version of the policy is in force at a moment (000:603–609): the one with the latest effective
/// day on or before that moment's day, the day counted in the time zone of the latest version, so that
/// every replica, whatever stores it, picks the same one; DOMAIN.md's defaults before any version.
public enum PolicyInForce {
    /// The version in force at `date` among `versions` (effective day, `""` for the version from before
    /// policies had history, and the body), in any order; `decode` reads a body.
    public static func at(
        _ date: Date, among versions: [(effectiveFrom: String, body: String)], decode: (String) throws -> Policy
    ) throws -> Policy {
        guard let latest = versions.max(by: { $0.effectiveFrom < $1.effectiveFrom }) else { return .standard }
        let day = BureauTime.day(date, in: WorkingCalendar(policy: try decode(latest.body)).timeZone)
        guard let inForce = versions.filter({ $0.effectiveFrom <= day }).max(by: { $0.effectiveFrom < $1.effectiveFrom }) else {
            return .standard
        }
        return try decode(inForce.body)
    }
}
