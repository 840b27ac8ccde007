import ArgumentParser
import Foundation
import Store
import SyncCore

extension AdoptionLevel: ExpressibleByArgument {}

/// A day typed as `2026-10-15` (or a full time), read in the bureau's time zone.
struct DayOption: ParsableArguments {
    @Option(help: "The day it happened, if not today, e.g. 2026-10-15 (bureau time).") var date: String?

    func value(policy: Policy) throws -> Date? {
        try date.map { try TimestampParser.require(dayOrTime: $0, timeZone: Rendering.timeZone(of: policy), what: "--date") }
    }
}

/// `report-cli adopt`: the central office adopts a report at a level (采用); it may be adopted again elsewhere.
struct AdoptCommand: AsyncReplicaCommand {
    static let configuration = CommandConfiguration(
        commandName: "adopt", abstract: "Adopt a received report at a level (central office, 采用); repeat for each outlet.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Report id (or a unique prefix).") var id: String
    @Option(help: "county, city, province or national.") var level: AdoptionLevel
    @Option(help: "The outlet that adopted it, e.g. 政务信息快报.") var outlet: String?
    @OptionGroup var day: DayOption
    func execute(in context: CommandContext) async throws {
        try await TransitionRunner(global: global, action: .adopt, id: id, comment: nil) { policy in
            StepDetail(level: level, outlet: outlet, date: try day.value(policy: policy))
        }.run(in: context)
    }
}

/// `report-cli instruct`: records a leader's written instruction (批示) on an adopted report.
struct InstructCommand: AsyncReplicaCommand {
    static let configuration = CommandConfiguration(
        commandName: "instruct", abstract: "Record a leader's written instruction (批示) on an adopted report (central office).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Report id (or a unique prefix).") var id: String
    @Option(help: "The leader's level: county, city, province or national.") var level: AdoptionLevel
    @Option(help: "The leader who wrote it, e.g. 市长.") var leader: String
    @Option(help: "What the instruction says.") var comment: String?
    @OptionGroup var day: DayOption
    func execute(in context: CommandContext) async throws {
        try await TransitionRunner(global: global, action: .instruct, id: id, comment: comment) { policy in
            StepDetail(level: level, leader: leader, date: try day.value(policy: policy))
        }.run(in: context)
    }
}

/// `report-cli reject`: the central office declines a report (不采用), with a comment.
struct RejectCommand: AsyncReplicaCommand {
    static let configuration = CommandConfiguration(commandName: "reject", abstract: "Decline a received report (central office).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Report id (or a unique prefix).") var id: String
    @Option(help: "Why it is not adopted.") var comment: String
    @Flag(help: "The report was false (虚假信息): the unit loses the policy's false-report points.") var falseReport = false
    func execute(in context: CommandContext) async throws {
        let detail = falseReport ? StepDetail(falseReport: true) : nil
        try await TransitionRunner(global: global, action: .reject, id: id, comment: comment) { _ in detail }.run(in: context)
    }
}

/// `report-cli copyedit`: the central office's edited version of a received text (编辑加工), kept beside
/// the unit's signed text; the editor who runs it is the responsible editor (责任编辑).
struct CopyeditCommand: AsyncReplicaCommand {
    static let configuration = CommandConfiguration(
        commandName: "copyedit",
        abstract: "Record the central office's edited title or body of a received report (编辑加工); the unit's signed text stays.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Report id (or a unique prefix).") var id: String
    @Option(help: "The edited title.") var title: String?
    @Option(help: "The edited body.") var body: String?
    func execute(in context: CommandContext) async throws {
        try await TransitionRunner(global: global, action: .copyedit, id: id, comment: nil) { _ in
            StepDetail(revisedTitle: title, revisedBody: body)
        }.run(in: context)
    }
}
