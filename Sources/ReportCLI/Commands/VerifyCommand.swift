import ArgumentParser
import Store
import SyncCore

/// `report-cli verify`: re-checks every signed step of a report, or of the whole replica.
struct VerifyCommand: ReplicaCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Re-check the signature of every workflow step and conflict decision; list anything that does not verify.",
        discussion: "Exits 1 when a step does not verify (altered in the file, forged, or signed after its key was revoked).")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Report id (or a unique prefix); all reports when left out.") var id: String?

    func execute(in context: CommandContext) throws {
        let checks = try global.openReplica(in: context).verifySteps(report: id)
        let failed = checks.filter { !$0.verified }
        if global.json {
            context.print(try Rendering.json(checks))
        } else if failed.isEmpty {
            let steps = checks.filter(\.isSignedStep).count
            context.print("\(steps) signed step\(steps == 1 ? "" : "s") and \(checks.count - steps) other writes checked; all verify")
        } else {
            var table = TextTable(["REPORT", "STEP", "ACTOR", "DOT", "PROBLEM"])
            for check in failed { table.add([String(check.report.prefix(13)), check.step.description, check.actor, check.dot?.description ?? "-", check.summary]) }
            context.print(table.render())
        }
        if !failed.isEmpty {
            throw ReportSyncError(.forbidden, "\(failed.count) of \(checks.count) writes and steps do not verify (listed above); this replica's file or what it received was altered")
        }
    }
}
