import ArgumentParser
import Bulletin
import SyncCore

extension ReportCategory: ExpressibleByArgument {}
extension Role: ExpressibleByArgument {}
extension ApprovalState: ExpressibleByArgument {}
extension BulletinWording.Language: ExpressibleByArgument {}
extension UnitKind: ExpressibleByArgument {}
extension Classification: ExpressibleByArgument {}
extension Disclosure: ExpressibleByArgument {}
extension EmergencySeverity: ExpressibleByArgument {}

/// A yes-or-no answer typed on the command line (`yes`, `no`, `true`, `false`, `是`, `否`).
public struct YesNo: ExpressibleByArgument, Sendable {
    public let value: Bool

    public init?(argument: String) {
        switch argument.lowercased() {
        case "yes", "y", "true", "1", "是": value = true
        case "no", "n", "false", "0", "否": value = false
        default: return nil
        }
    }

    public static var allValueStrings: [String] { ["yes", "no"] }
}
