import ArgumentParser
import Store
import StorePostgres
import SyncCore

/// Runs one workflow action from the command line and says where the report now stands.
struct TransitionRunner {
    let global: GlobalOptions
    let action: WorkflowAction
    let id: String
    let comment: String?
    /// What the central office records with the step, read against the replica's policy (its time zone).
    var detail: (Policy) throws -> StepDetail? = { _ in nil }

    func run(in context: CommandContext) async throws {
        if let central = try global.postgres(in: context) { return try await run(at: central, in: context) }
        let replica = try global.openReplica(in: context)
        let actor = try global.actingMember(on: replica, in: context)
        let policy = try replica.policy()
        let detail = try detail(policy)
        try replica.checkStep(action, on: id, by: actor, comment: comment, detail: detail)
        let signer = try await global.signer(for: actor, on: replica, in: context)
        let report = try replica.perform(action, on: id, as: signer, comment: comment, detail: detail)
        if action == .submit { LengthWarning.report(report.content, policy: policy, at: .submitted, in: context) }
        try say(report, signer: signer, in: context)
    }

    /// The step at a central on PostgreSQL: the same checks, asked before the PIN, and the same change.
    private func run(at central: PostgresAddress, in context: CommandContext) async throws {
        let actor = try global.actingMember(in: context)
        let detail = try detail(try await PostgresCentral.policy(at: central))
        try await PostgresCentral.checkStep(action, on: id, by: actor, comment: comment, detail: detail, at: central)
        let signer = try await global.signer(for: actor, at: central, in: context)
        try say(try await PostgresCentral.perform(action, on: id, as: signer, comment: comment, detail: detail, at: central), signer: signer, in: context)
    }

    private func say(_ report: Report, signer: StepSigner, in context: CommandContext) throws {
        if global.json { return context.print(try Rendering.json(ReportView(report: report))) }
        context.print("\(report.id): \(action.rawValue) by \(signer.member), signed with key \(signer.keyID.prefix(8)); now \(report.state.rawValue)")
    }
}

/// `report-cli submit`: the drafter hands a report to the unit head.
struct SubmitCommand: AsyncReplicaCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit", abstract: "Submit a draft for review (checks every content rule first).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Report id (or a unique prefix).") var id: String
    func execute(in context: CommandContext) async throws {
        try await TransitionRunner(global: global, action: .submit, id: id, comment: nil).run(in: context)
    }
}

/// `report-cli review`: the unit head approves the content (审核).
struct ReviewCommand: AsyncReplicaCommand {
    static let configuration = CommandConfiguration(commandName: "review", abstract: "Review a report (unit head, 审核).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Report id (or a unique prefix).") var id: String
    @Option(help: "An optional note.") var comment: String?
    func execute(in context: CommandContext) async throws {
        try await TransitionRunner(global: global, action: .review, id: id, comment: comment).run(in: context)
    }
}

/// `report-cli sign`: the supervising leader signs a reviewed report off (签发).
struct SignCommand: AsyncReplicaCommand {
    static let configuration = CommandConfiguration(commandName: "sign", abstract: "Sign off a reviewed report (leader, 签发).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Report id (or a unique prefix).") var id: String
    @Option(help: "An optional note.") var comment: String?
    func execute(in context: CommandContext) async throws {
        try await TransitionRunner(global: global, action: .sign, id: id, comment: comment).run(in: context)
    }
}

/// `report-cli approve`: the principal leader approves a signed report the approval chain sends to them (审批).
struct ApproveCommand: AsyncReplicaCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve", abstract: "Approve a signed report that needs the principal leader (主要领导审批).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Report id (or a unique prefix).") var id: String
    @Option(help: "An optional note.") var comment: String?
    func execute(in context: CommandContext) async throws {
        try await TransitionRunner(global: global, action: .approve, id: id, comment: comment).run(in: context)
    }
}

/// `report-cli withdraw`: the unit takes a report back before the central office has it.
struct WithdrawCommand: AsyncReplicaCommand {
    static let configuration = CommandConfiguration(commandName: "withdraw", abstract: "Withdraw a report.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Report id (or a unique prefix).") var id: String
    @Option(help: "Why it is withdrawn.") var comment: String?
    func execute(in context: CommandContext) async throws {
        try await TransitionRunner(global: global, action: .withdraw, id: id, comment: comment).run(in: context)
    }
}

/// `report-cli return`: sends a report back for revision (退回) with a comment.
struct ReturnCommand: AsyncReplicaCommand {
    static let configuration = CommandConfiguration(
        commandName: "return", abstract: "Return a report for revision (退回), with a comment.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Report id (or a unique prefix).") var id: String
    @Option(help: "What must change.") var comment: String
    func execute(in context: CommandContext) async throws {
        try await TransitionRunner(global: global, action: .return, id: id, comment: comment).run(in: context)
    }
}

/// `report-cli receive`: the central office acknowledges a signed report (回执); syncd does it on arrival.
struct ReceiveCommand: AsyncReplicaCommand {
    static let configuration = CommandConfiguration(commandName: "receive", abstract: "Receive a signed report (central office).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Report id (or a unique prefix).") var id: String
    func execute(in context: CommandContext) async throws {
        try await TransitionRunner(global: global, action: .receive, id: id, comment: nil).run(in: context)
    }
}

/// `report-cli archive`: the central office files a finished report (归档).
struct ArchiveCommand: AsyncReplicaCommand {
    static let configuration = CommandConfiguration(commandName: "archive", abstract: "Archive an adopted or declined report.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Report id (or a unique prefix).") var id: String
    func execute(in context: CommandContext) async throws {
        try await TransitionRunner(global: global, action: .archive, id: id, comment: nil).run(in: context)
    }
}
