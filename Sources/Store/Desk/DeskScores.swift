import Foundation
import SyncCore

/// A period's scorecards as the desk's scores page and bulletin downloads take them.
public struct DeskScores: Sendable {
    /// The bureau's name, for the bulletin's title.
    public let bureau: String
    public let period: Period
    /// Every judged unit's card; a named item whose report the desk may not show is named without its
    /// title (涉密信息, or that it is still in its unit).
    public let cards: [Scorecard]
    /// The bureau's time zone, in which the bulletin writes its deadlines.
    public let timeZone: TimeZone
    /// How the desk names each report a card's lines are about: its title where it shows the report, else
    /// its stand-in (涉密信息, or that it is still in its unit).
    public let reportTitles: [String: String]
    /// The reports of the lines that have a page on the desk (they left their unit).
    public let linkable: Set<String>
}
