import Foundation

/// Every device's sync health: when it was last seen, what of it waits or was refused, and why.
struct SyncPage {
    struct Refusal {
        let at: String
        let dot: String
        let report: String
        let reason: String
    }

    struct Device {
        let device: String
        let unit: String
        let enrolled: String
        let lastSeen: String
        /// Not seen for more than a day, or never.
        let stale: Bool
        let revoked: String?
        let bundleKeys: Bool
        /// The changes its feed carries that it has not pulled yet, in words.
        let outgoing: String
        let behind: Bool
        let waiting: Int
        let refused: Int
        let refusals: [Refusal]
        let hasRefusals: Bool
    }

    let frame: PageFrame
    let devices: [Device]
    let empty: Bool
}
