import Foundation
import NIOCore
import SyncCore
import SyncService

/// Bytes on the wire per changed record against its payload, and whether a 100-change delta grows
/// after many earlier overwrites (the peers: Yrs's delta grows 5×, Loro's stays flat).
enum WireBenchmark {
    struct Result: Codable {
        /// The payload of one change: a 100-character Chinese body, 300 bytes of UTF-8.
        let payloadBytes: Int
        /// A push body of 100 edits, per edit, as sent before compression.
        let bytesPerChange: Double
        let gzipBytesPerChange: Double
        /// `bytesPerChange - payloadBytes` (goal: at most 64).
        let overheadBytes: Double
        let overwrites: Int
        /// The push body of 100 edits before and after `overwrites` earlier overwrites of the same reports.
        let deltaBytesBefore: Int
        let deltaBytesAfter: Int
        let growth: Double
    }

    static func run(overwrites: Int) throws -> Result {
        let drafter = Member(id: "wang", name: "王小明", unit: "squad-3", role: .drafter, phone: "13800000000")
        let start = Date()
        var field = MemoryReplica(replicaID: UUIDv7.make(at: start))
        var central = MemoryReplica(replicaID: UUIDv7.make(at: start))
        let ids = (0..<100).map { _ in UUIDv7.make(at: start) }
        for id in ids { try field.draft(id: id, ReportContent(category: .dynamic, title: "夜查", body: "初稿"), by: drafter, now: start) }
        // A second writer, so every record's context names two replicas as in real use.
        central.receive(field.log, now: start)
        for id in ids { try central.edit(id, patch(title: "夜查行动"), by: Member(id: "zhao", name: "赵", unit: "bureau", role: .leader), now: start) }
        field.receive(central.log, now: start)

        var round = 0
        func delta() throws -> [Change] {
            round += 1
            return try ids.map { id in try field.edit(id, patch(body: body(round)), by: drafter, now: start)[0] }
        }
        let before = try delta()
        for _ in 0..<max(0, overwrites / ids.count) { _ = try delta() }
        let after = try delta()
        let beforeBytes = PushRequest(changes: before).canonicalJSON.utf8.count
        let afterBytes = PushRequest(changes: after).canonicalJSON.utf8.count
        let gzipBytes = try Gzip.compress(ByteBuffer(bytes: Array(PushRequest(changes: before).canonicalJSON.utf8))).readableBytes
        let payload = body(1).utf8.count
        let perChange = Double(beforeBytes) / Double(before.count)
        return Result(
            payloadBytes: payload, bytesPerChange: perChange, gzipBytesPerChange: Double(gzipBytes) / Double(before.count),
            overheadBytes: perChange - Double(payload), overwrites: (overwrites / ids.count) * ids.count,
            deltaBytesBefore: beforeBytes, deltaBytesAfter: afterBytes, growth: Double(afterBytes) / Double(beforeBytes))
    }

    /// 100 Chinese characters (300 bytes), different in every round.
    static func body(_ round: Int) -> String {
        let numerals = Array("零一二三四五六七八九")
        let digits = String(format: "%06d", round % 1_000_000).map { numerals[Int(String($0)) ?? 0] }
        return String(digits) + String(repeating: "夜查", count: 47)
    }

    static func patch(title: String? = nil, body: String? = nil) -> ReportPatch {
        var patch = ReportPatch()
        patch.title = title
        patch.body = body
        return patch
    }
}
