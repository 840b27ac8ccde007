import GRDB
import SyncCore

/// A field replica's local changes that the central has not answered for yet, each with its push state.
///
/// Every change made on a field device that is meant for the central enters the outbox in the same
/// transaction as the change itself, and leaves it only when the central has answered for that very
/// dot. `status`, the push and the daemon's wake-up all read the outbox, so they count the same thing.
public enum Outbox {
    /// Where one outbox entry stands.
    public enum State: String, Sendable, Codable {
        /// Goes with the next push.
        case ready
        /// Its report (or the first report it follows up) is secret, or internal where the policy keeps
        /// internal reports off the network (`Secrecy`): it stays on this device until that report is
        /// declassified, or travels by bundle.
        case heldSecret = "held-secret"
    }

    /// The most changes of one report a push carries to take a declassified report's history to the
    /// central in one piece: the sync protocol's largest batch.
    public static let longestRun = 1000

    /// Whether a local change is meant for the central: report writes and a unit's declines of solicitations.
    static func travels(_ change: Change) -> Bool {
        switch change.payload {
        case .content, .transition, .resolution, .keyRequest, .redaction: true
        case .solicitation(let solicitation): solicitation.declined != nil
        case .void, .unit, .member, .policy, .signingKey, .reminder: false
        }
    }

    /// The outbox entries with their states. An entry is held when its report has a classification of
    /// `offNetwork` here, or is a follow-up of a report that has (the central could not apply it
    /// without its first report). A redaction is never held: it holds no text, and withdraws what left.
    static func entriesSQL(_ offNetwork: Set<Classification>) -> String {
        """
        SELECT o.seq, o.record, c.body, (c.withheld = 0 AND \(OffNetworkSQL.report(offNetwork))) AS held
        FROM outbox o JOIN changes c ON c.seq = o.seq LEFT JOIN reports r ON r.id = o.record
        LEFT JOIN reports f ON f.id = r.follow_up_of
        """
    }

    /// Keeps the central's refusal of this replica's change `dot` (shown by `list --rejected`), and takes
    /// the change out of the outbox: what a void from the feed, or a bundle's refusal, says. The stand-in
    /// reason of a report kept off the network (`VoidMarker.reasonKeptOffTheNetwork`) never replaces the
    /// central's own, which its bundle gave (the void may come again later, with a declassification).
    static func keepRefusal(of dot: Dot, reason: String, at millis: Int64, _ db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO push_rejections(replica, counter, record, reason, rejected_at)
                SELECT replica, counter, record, ?, ? FROM changes WHERE replica = ? AND counter = ? AND origin = 'local'
                ON CONFLICT(replica, counter) DO UPDATE SET reason = excluded.reason WHERE excluded.reason <> ?
                """,
            arguments: [reason, millis, dot.replica, dot.counter, VoidMarker.reasonKeptOffTheNetwork])
        try db.execute(sql: "DELETE FROM outbox WHERE replica = ? AND counter = ?", arguments: [dot.replica, dot.counter])
    }

    /// How many entries are in each state.
    static func counts(_ db: Database, offNetwork: Set<Classification>) throws -> (ready: Int, held: Int, heldReports: Int) {
        let row = try Row.fetchOne(
            db,
            sql: """
                SELECT COUNT(*) - COALESCE(SUM(held), 0) AS ready, COALESCE(SUM(held), 0) AS held,
                       COUNT(DISTINCT CASE WHEN held THEN record END) AS heldReports
                FROM (\(entriesSQL(offNetwork)))
                """)
        return (row?["ready"] ?? 0, row?["held"] ?? 0, row?["heldReports"] ?? 0)
    }
}

/// A local change waiting in the outbox, with its local sequence number.
public struct OutboxEntry: Sendable, Equatable {
    public let seq: Int64
    public let change: Change
    public let state: Outbox.State
}

/// What the central's answers to one push did to the outbox.
public struct PushAcknowledgement: Sendable {
    /// Answered accepted or duplicate: the central holds them.
    public var accepted = 0
    /// Answered waiting: held at the central until their causes arrive.
    public var waiting = 0
    /// Refused by the central, with its reasons (kept to be shown by `list --rejected`).
    public var refused: [(dot: Dot, reason: String)] = []
    /// Sent but not answered: they stay in the outbox and go again.
    public var unanswered: [Dot] = []
    /// Not taken because their report would be secret at the central: they stay in the outbox.
    public var held: [Dot] = []
    /// Changes of the central's own, sent back after it lost them, that it would not take back.
    public var notReturned: [Dot] = []
    /// Answers for changes this push did not send: ignored.
    public var foreign: [Dot] = []
    /// Not taken: the central holds other changes under these dots, so this file is an older copy of
    /// itself. They were written again under a new replica id (`reissue`).
    public var taken: [Dot] = []
    /// What writing the taken changes again did.
    public var reissue = FieldReplica.Reissue()
}
