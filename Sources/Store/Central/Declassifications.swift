import Foundation
import GRDB
import SyncCore

/// The central's record of reports that came back on the network after being kept off it
/// (`Secrecy`), with the central sequence at which they did.
///
/// The network feed left their earlier changes out, and a device that pulled past those will never
/// ask for them again: when a page of the feed reaches a report's declassification, it carries the
/// report's changes from before the reader's cursor too (`CentralReplica.feed`), so the device can
/// apply what follows.
enum Declassifications {
    /// The records of `effects` that were off the network here before this transaction and are not now.
    static func declassified(by effects: MergeEffects, _ db: Database, at date: Date) throws -> [String] {
        let offNetwork = try Replica.offNetwork(db, at: date)
        return try effects.records.filter { !offNetwork.contains($0.guardedClassification) }.compactMap { record in
            let before = try String.fetchOne(db.cachedStatement(sql: "SELECT classification FROM reports WHERE id = ?"), arguments: [record.id])
            return before.flatMap(Classification.init(rawValue:)).map(offNetwork.contains) == true ? record.id : nil
        }
    }

    /// Notes that `records` came back on the network at the central's latest sequence.
    static func record(_ records: [String], _ db: Database) throws {
        for record in records {
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO declassifications(record, seq) SELECT ?, COALESCE(MAX(seq), 0) FROM changes
                    """, arguments: [record])
        }
    }

    /// The condition, on a row of `changes`, that its report (or the report it follows up) came back on
    /// the network after central sequence `?` and at or before `?`.
    static let between = """
        (changes.record IN (SELECT record FROM declassifications WHERE seq > ? AND seq <= ?)
         OR changes.record IN (SELECT r.id FROM reports r JOIN declassifications d ON d.record = r.follow_up_of
                               WHERE d.seq > ? AND d.seq <= ?))
        """
}
