import ArgumentParser
import Store
import StorePostgres
import SyncCore

/// `report-cli digest`: the fingerprint of the replica's logical state, to compare two copies.
struct DigestCommand: AsyncReplicaCommand {
    static let configuration = CommandConfiguration(
        commandName: "digest",
        abstract: "Print the digest of this replica's state (equal digests mean equal reports).",
        discussion: "With --unit, only that unit's reports count, so a field replica and the central replica can be compared.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Only this unit's reports.") var unit: String?

    func execute(in context: CommandContext) async throws {
        let (digest, count): (String, Int)
        if let central = try global.postgres(in: context) {
            (digest, count) = try await PostgresCentral.digest(unit: unit, at: central)
        } else {
            let replica = try global.openReplica(in: context)
            (digest, count) = (try replica.digest(unit: unit), try replica.reports(matching: ReportFilter(unit: unit)).count)
        }
        if global.json {
            struct Output: Encodable {
                let digest: String
                let unit: String?
                let reports: Int
            }
            return context.print(try Rendering.json(Output(digest: digest, unit: unit, reports: count)))
        }
        context.print(digest)
    }
}
