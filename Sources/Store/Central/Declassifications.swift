import Foundation
import GRDB
import SyncCore

/// The central's record of reports that came back on the network after being kept off it
/// (`Secrecy`), with the central sequence at which they did, and of the policy releases that let a
/// whole classification back on it.
///
/// The network feed left their earlier changes out, and a device that pulled past those will never
/// ask for them again: when a page of the feed reaches a report's declassification, it carries the
/// report's changes from before the reader's cursor too (`CentralReplica.feed`), so the device can
/// apply what follows.
public enum Declassifications {
    /// The records of `effects` that were off the network here before this transaction and are not now,
    /// `offNetwork` being the classifications kept off it.
    static func declassified(by effects: MergeEffects, offNetwork: Set<Classification>, _ db: Database) throws -> [String] {
        try cameBack(effects.records, offNetwork: offNetwork) { id in
            try String.fetchOne(db.cachedStatement(sql: "SELECT classification FROM reports WHERE id = ?"), arguments: [id])
        }
    }

    /// The ids of `records` (merged this transaction) that are on the network now and were off it before,
    /// `stored` reading a report's stored `classification` column from before the transaction.
    public static func cameBack(
        _ records: [ReportRecord], offNetwork: Set<Classification>, stored: (String) throws -> String?
    ) rethrows -> [String] {
        try records.filter { !offNetwork.contains($0.networkClassification) }.compactMap { record in
            try stored(record.id).flatMap(Classification.init(rawValue:)).map(offNetwork.contains) == true ? record.id : nil
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

    /// Notes a policy release (`CentralStanding.PolicyRelease`) at the central's latest sequence when the
    /// policy in force keeps fewer classifications off the network (`offNetwork`) than the one this
    /// central last judged by: a bureau that starts allowing internal reports over the network
    /// (`Policy.internalOverNetwork`), on the day that version takes effect. The feed had left those
    /// reports' changes out, and there may be any number of them: rather than bring them all in one page
    /// (as for one report declassified by a write), the standing tells each reader past the first of
    /// them to pull again from there, in pages (`FieldReplica.reconcile`). Called by every write
    /// transaction that logs a change, after its changes are in; the first only remembers the classifications.
    static func releasedByPolicy(offNetwork: Set<Classification>, _ db: Database) throws {
        let served = try Meta.get(.offNetworkServed, db)
        let judged = judge(served: served, offNetwork: offNetwork)
        guard let remember = judged.remember else { return }
        try Meta.set(.offNetworkServed, remember, db)
        guard let released = judged.released else { return }
        let firsts = try Row.fetchAll(db, sql: "SELECT unit, MIN(seq) AS first FROM changes WHERE \(released) GROUP BY unit")
        guard !firsts.isEmpty else { return }
        let release = StoredRelease(
            at: try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(seq), 0) FROM changes") ?? 0,
            firstByUnit: Dictionary(uniqueKeysWithValues: firsts.map { ($0["unit"] as String, $0["first"] as Int64) }))
        try Meta.set(.policyReleases, try JSONCoding.string(try stored(db) + [release]), db)
    }

    /// What a write transaction that logged changes does about policy releases, `served` being what the
    /// central last judged by (`Meta.Key.offNetworkServed`) and `offNetwork` what the policy in force keeps
    /// off the network: the text to remember when it changed, and then, if the policy lets a
    /// classification on the network again, the condition on a row of `changes` (the same SQL in every
    /// store) that its report's changes were kept off the network before and are not now.
    public static func judge(served: String?, offNetwork: Set<Classification>) -> (remember: String?, released: String?) {
        let text = offNetwork.map(\.rawValue).sorted().joined(separator: ",")
        guard served != text else { return (nil, nil) }
        guard let served else { return (text, nil) }
        let before = Set(served.split(separator: ",").compactMap { Classification(rawValue: String($0)) })
        guard !before.subtracting(offNetwork).isEmpty else { return (text, nil) }
        let released = "kind = 'report' AND \(OffNetworkSQL.change(before))" + (offNetwork.isEmpty ? "" : " AND NOT \(OffNetworkSQL.change(offNetwork))")
        return (text, released)
    }

    /// A policy release as the central keeps it: its sequence, and the first change it let on the network of each unit.
    public struct StoredRelease: Codable, Sendable {
        public let at: Int64
        public let firstByUnit: [String: Int64]

        public init(at: Int64, firstByUnit: [String: Int64]) {
            self.at = at
            self.firstByUnit = firstByUnit
        }
    }

    /// The policy releases this central made, oldest first.
    static func stored(_ db: Database) throws -> [StoredRelease] {
        try Meta.get(.policyReleases, db).map { try JSONCoding.value([StoredRelease].self, from: $0) } ?? []
    }

    /// The policy releases that let on the network changes a device of `unit` pulls (its unit's and
    /// those below), each from the first of those: a scope with no internal report pulls nothing again.
    static func releases(forUnit unit: String, _ db: Database) throws -> [CentralStanding.PolicyRelease] {
        let releases = try stored(db)
        if releases.isEmpty { return [] }
        return self.releases(releases, scope: try Replica.unitScope(of: unit, db))
    }

    /// The releases of `stored` a device whose units are `scope` pulls again for, each from the first
    /// change it let on the network in that scope.
    public static func releases(_ stored: [StoredRelease], scope: Set<String>) -> [CentralStanding.PolicyRelease] {
        stored.compactMap { release in
            scope.compactMap { release.firstByUnit[$0] }.min().map { CentralStanding.PolicyRelease(at: release.at, from: $0) }
        }
    }

    /// The condition, on a row of `changes`, that its report (or the report it follows up) came back on
    /// the network after central sequence `?` and at or before `?`.
    static let between = between(after: "?", covered: "?")

    /// `between` with its two bounds as the given SQL (placeholders).
    public static func between(after: String, covered: String) -> String {
        """
        (changes.record IN (SELECT record FROM declassifications WHERE seq > \(after) AND seq <= \(covered))
         OR changes.record IN (SELECT r.id FROM reports r JOIN declassifications d ON d.record = r.follow_up_of
                               WHERE d.seq > \(after) AND d.seq <= \(covered)))
        """
    }
}
