import Foundation
import Store
import SyncCore
import Testing

/// A replica that already holds a report whose fields an older, less careful central let through
/// without checking their types: every command still reads it, and a person can repair it.
@Suite("Data an older central let in")
struct DamagedDataTests {
    @Test("a report with fields of the wrong type is listed, shown, counted and repaired; no command prints a Swift error")
    func listedAndRepaired() async throws {
        let cli = try CLIHarness()
        await cli.staffedReplica()
        let path = try #require(cli.environment["REPORT_DB"])
        let id = UUIDv7.make()
        var fields = try ReportContent(category: .dynamic, title: "旧数据", body: "正文").encodedFields()
        fields["category"] = #""weird""#
        fields["eventTime"] = #""yesterday""#
        fields["attachments"] = #"{"a":1}"#
        let bad = Change(
            dot: Dot(replica: "old-device", counter: 1), hlc: HybridTimestamp(wallMilliseconds: Date().millisecondsSince1970 - 60_000, logical: 0),
            record: id, unit: "squad-3", actor: "wang", context: VersionVector(),
            payload: .content(ContentWrite(creates: true, fields: fields)))
        #expect(try Replica.open(at: path).receive([bad]) == [.applied])

        for command in [["list"], ["list", "--json"], ["show", id], ["show", id, "--json"], ["digest"], ["history", id], ["deadlines"],
                        ["score", "--month", "2026-11"], ["bulletin", "--month", "2026-11"]] {
            let outcome = await cli.run(command)
            #expect(outcome.succeeded, "\(command): \(outcome.err)")
            #expect(!outcome.err.contains("DecodingError") && !outcome.out.contains("DecodingError"), "\(command)")
        }
        let shown = await cli.run("show", id)
        #expect(shown.out.contains("unreadable: attachments, category, eventTime"), "\(shown.out)")
        #expect(shown.out.contains("--category"))

        let repaired = await cli.run("edit", id, "--as", "wang", "--category", "dynamic", "--event-time", "2026-11-20T10:00")
        #expect(repaired.succeeded, "\(repaired.err)")
        let after = await cli.run("show", id)
        #expect(after.out.contains("unreadable: attachments"), "only the field not written again stays unreadable: \(after.out)")
        #expect(!after.out.contains("category, "))
    }
}
