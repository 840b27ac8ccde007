import Foundation
import SyncCore

/// The peers' CRDT workload (../shared/peers/crdt_bench.py) as ReportSync changes: 20 replicas each
/// write 5,000 reports' bodies (about 300 bytes); 20 % of each replica's writes go to a pool of shared
/// reports, each written concurrently by exactly two replicas.
///
/// A ReportSync report is created once, by one replica, under a fresh id; the peers' shared keys are
/// therefore created beforehand on every replica (`baseline`, not timed) and the two replicas' writes
/// to them are concurrent edits of the body.
struct PeersWorkload {
    let replicas: Int
    let perReplica: Int
    let sharedPerReplica: Int
    /// Creations of the shared reports, known to every replica before the timed writes.
    private(set) var baseline: [Change] = []
    /// Each replica's writes, in its own order.
    private(set) var writes: [[Change]] = []

    var sharedPool: Int { replicas * sharedPerReplica / 2 }
    var totalWrites: Int { writes.reduce(0) { $0 + $1.count } }

    init(replicas: Int = 20, perReplica: Int = 5000, sharedPerReplica: Int = 1000) throws {
        self.replicas = replicas
        self.perReplica = perReplica
        self.sharedPerReplica = sharedPerReplica
        var rng = SplitMix64(seed: 11)
        let t0 = Date(timeIntervalSince1970: 1_795_000_000)
        let seedDot = { (i: Int) in Dot(replica: "baseline", counter: Int64(i + 1)) }
        var sharedCreation: [String: Dot] = [:]
        for j in 0..<sharedPool {
            let id = String(format: "shared-%05d", j)
            let dot = seedDot(j)
            sharedCreation[id] = dot
            baseline.append(
                Change(
                    dot: dot, hlc: HybridTimestamp(wallMilliseconds: t0.millisecondsSince1970, logical: Int64(j % 60_000)),
                    record: id, unit: "squad", actor: "seed", context: VersionVector(),
                    payload: .content(ContentWrite(creates: true, fields: Self.fields(title: id, body: "\"\"")))))
        }
        var keys = [[String]](repeating: [], count: replicas)
        for j in 0..<sharedPool {
            let a = j % replicas
            let b = (a + 1 + (j / replicas) % (replicas - 1)) % replicas
            keys[a].append(String(format: "shared-%05d", j))
            keys[b].append(String(format: "shared-%05d", j))
        }
        for r in 0..<replicas {
            let own = perReplica - keys[r].count
            keys[r] += (0..<own).map { String(format: "r%02d-%05d", r, $0) }
            keys[r].shuffle(using: &rng)
            let replicaID = String(format: "office-%02d", r)
            var changes: [Change] = []
            changes.reserveCapacity(keys[r].count)
            for (i, key) in keys[r].enumerated() {
                let dot = Dot(replica: replicaID, counter: Int64(i + 1))
                let hlc = HybridTimestamp(wallMilliseconds: t0.millisecondsSince1970 + Int64(i), logical: 0)
                let body = try JSONCoding.string(Self.body(office: r, key: key, using: &rng))
                if let created = sharedCreation[key] {
                    changes.append(
                        Change(
                            dot: dot, hlc: hlc, record: key, unit: "squad", actor: replicaID,
                            context: VersionVector([created.replica: created.counter]),
                            payload: .content(ContentWrite(creates: false, fields: ["body": body]))))
                } else {
                    changes.append(
                        Change(
                            dot: dot, hlc: hlc, record: key, unit: "squad", actor: replicaID, context: VersionVector(),
                            payload: .content(ContentWrite(creates: true, fields: Self.fields(title: key, body: body)))))
                }
            }
            writes.append(changes)
        }
    }

    /// A text body of about 300 bytes, like the peers' JSON value.
    /// `count` new reports written by `replicas` offices in turn, with the peers' 300-byte bodies: the bulk push.
    static func bulkCreations(count: Int, replicas: Int) throws -> [Change] {
        var rng = SplitMix64(seed: 17)
        let t0 = Date(timeIntervalSince1970: 1_795_000_000)
        return try (0..<count).map { i in
            let r = i % replicas
            let key = String(format: "bulk-%02d-%07d", r, i / replicas)
            let body = try JSONCoding.string(Self.body(office: r, key: key, using: &rng))
            return Change(
                dot: Dot(replica: String(format: "office-%02d", r), counter: Int64(i / replicas + 1)),
                hlc: HybridTimestamp(wallMilliseconds: t0.millisecondsSince1970 + Int64(i), logical: 0),
                record: UUIDv7.make(at: t0.addingTimeInterval(Double(i) / 1000), using: &rng), unit: "squad",
                actor: String(format: "office-%02d", r), context: VersionVector(),
                payload: .content(ContentWrite(creates: true, fields: Self.fields(title: key, body: body))))
        }
    }

    static func body(office: Int, key: String, using rng: inout some RandomNumberGenerator) -> String {
        let head = "{\"id\":\"\(key)\",\"office\":\"office-\(office)\",\"status\":\"open\",\"body\":\""
        let letters = Array("abcdefghijklmnopqrstuvwxyz      ")
        return head + String((0..<(300 - head.count - 2)).map { _ in letters[Int.random(in: 0..<letters.count, using: &rng)] }) + "\"}"
    }

    /// The fields of a newly created dynamic report.
    static func fields(title: String, body: String) -> [String: String] {
        [
            "category": "\"dynamic\"", "title": "\"\(title)\"", "body": body, "classification": "\"public\"",
            "attachments": "[]",
        ]
    }
}
