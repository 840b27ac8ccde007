import ArgumentParser
import Store
import SyncCore

/// `report-cli draft`: saves a new report and prints its id.
struct DraftCommand: ReplicaCommand {
    static let configuration = CommandConfiguration(
        commandName: "draft", abstract: "Draft a new report; prints its id.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var fields: ReportFieldOptions

    func execute(in context: CommandContext) throws {
        let replica = try global.openReplica(in: context)
        let actor = try global.actingMember(on: replica, in: context)
        let policy = try replica.policy()
        var patch = try fields.patch(timeZone: Rendering.timeZone(of: policy), context: context)
        try AttachedFiles.store(&patch, on: replica, keeping: [], in: context)
        let content = try patch.makeContent()
        let report = try replica.draft(content, by: actor)
        LengthWarning.report(report.content, policy: policy, at: .saving, in: context)
        context.print(global.json ? try Rendering.json(["id": report.id]) : report.id)
    }
}

/// `report-cli edit`: changes fields of a report that is not yet signed.
struct EditCommand: ReplicaCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit", abstract: "Change fields of a report before sign-off (or after a return).")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Report id (or a unique prefix).") var id: String
    @OptionGroup var fields: ReportFieldOptions

    func execute(in context: CommandContext) throws {
        let replica = try global.openReplica(in: context)
        let actor = try global.actingMember(on: replica, in: context)
        let policy = try replica.policy()
        let id = try replica.resolveReportID(id)
        var patch = try fields.patch(timeZone: Rendering.timeZone(of: policy), context: context)
        let before = try replica.report(id).content
        try AttachedFiles.store(&patch, on: replica, keeping: before.attachments, in: context)
        let report = try replica.edit(id, with: patch, by: actor)
        LengthWarning.report(report.content, policy: policy, at: .saving, in: context)
        try ReclassificationWarning.report(
            id, from: before.classification, to: report.content.classification, on: replica, policy: policy, in: context)
        if global.json { return context.print(try Rendering.json(ReportView(report: report))) }
        context.print("saved version \(report.version) of \(report.id); state \(report.state.rawValue)")
    }
}
