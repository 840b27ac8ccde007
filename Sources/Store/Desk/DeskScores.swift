import Foundation
import SyncCore

/// A period's scorecards as the desk's scores page and bulletin downloads take them.
public struct DeskScores: Sendable {
    public let bureau: String
    public let period: Period
    public let cards: [Scorecard]
    public let timeZone: TimeZone
}
