import SyncCore

/// Loads what the merge engine asks of a central on PostgreSQL (`NotPreloaded`) into a `MergePreload`,
/// one round trip for each kind of question, inside the batch's transaction.
extension PostgresDatabase {
    func load(_ questions: NotPreloaded, into preload: inout MergePreload) async throws {
        if !questions.records.isEmpty {
            let ids = Array(questions.records)
            for row in try await randomAccessRows("SELECT id, record FROM reports WHERE id = ANY($1)", [ids]) {
                let record = try JSONCoding.value(ReportRecord.self, from: try row["record"].decode(String.self))
                preload.records[record.id] = record
            }
            preload.loadedRecords.formUnion(ids)
        }
        if !questions.dots.isEmpty {
            let dots = Array(questions.dots)
            let replicas = dots.map(\.replica)
            let counters = dots.map(\.counter)
            for (table, isWaiting) in [("changes", false), ("pending_changes", true)] {
                let rows = try await randomAccessRows(
                    """
                    SELECT t.replica, t.counter, t.body FROM \(table) t
                    JOIN unnest($1::text[], $2::bigint[]) AS asked(replica, counter)
                      ON t.replica = asked.replica AND t.counter = asked.counter
                    """, [replicas, counters])
                for row in rows {
                    let dot = Dot(replica: try row["replica"].decode(String.self), counter: try row["counter"].decode(Int64.self))
                    let body = try row["body"].decode(String.self)
                    if isWaiting { preload.waitingBodies[dot] = body } else { preload.held[dot] = body }
                }
            }
            preload.loadedDots.formUnion(dots)
        }
        if !questions.waitingOn.isEmpty {
            let records = Array(questions.waitingOn)
            for row in try await randomAccessRows("SELECT body, waits_for FROM pending_changes WHERE waits_for = ANY($1)", [records]) {
                let body = try row["body"].decode(String.self)
                let wait = WaitingChange(
                    change: try JSONCoding.value(Change.self, from: body), body: body, waitsFor: try row["waits_for"].decode(String.self))
                preload.waitingOn[wait.waitsFor, default: []].append(wait)
            }
            preload.loadedWaitingOn.formUnion(records)
        }
        if !questions.references.isEmpty {
            let ids = Array(questions.references)
            for row in try await randomAccessRows("SELECT record, hlc, replica, counter FROM reference_versions WHERE record = ANY($1)", [ids]) {
                preload.references[try row["record"].decode(String.self)] = ReferenceVersion(
                    hlc: HybridTimestamp(rawValue: try row["hlc"].decode(Int64.self)),
                    dot: Dot(replica: try row["replica"].decode(String.self), counter: try row["counter"].decode(Int64.self)))
            }
            preload.loadedReferences.formUnion(ids)
        }
        if !questions.originals.isEmpty {
            let ids = Array(questions.originals)
            for (record, changes) in try await originals(of: ids) { preload.originals[record] = changes }
            preload.loadedOriginals.formUnion(ids)
        }
        if !questions.keys.isEmpty {
            let ids = Array(questions.keys)
            for row in try await randomAccessRows("SELECT id, body FROM signing_keys WHERE id = ANY($1)", [ids]) {
                preload.keys[try row["id"].decode(String.self)] = try JSONCoding.value(SigningKey.self, from: try row["body"].decode(String.self))
            }
            preload.loadedKeys.formUnion(ids)
        }
    }
}
