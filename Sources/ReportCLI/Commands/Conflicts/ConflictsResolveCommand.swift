import ArgumentParser
import Store
import StorePostgres
import SyncCore

extension ResolutionStep.Keep: ExpressibleByArgument {}

/// `report-cli conflicts resolve`: settles a conflict with a new change that has seen both sides.
struct ConflictsResolveCommand: AsyncReplicaCommand {
    static let configuration = CommandConfiguration(
        commandName: "resolve",
        abstract: "Settle a conflict: keep the winner, the loser, or a new value. The decision syncs like any change.",
        discussion: """
            The unit decides conflicts of its reports' content and its own approvals; the central office decides \
            those that involve its steps. A refused change can only be dismissed (--keep winner) once it was redone.
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Conflict id (or a unique prefix) from conflicts list.") var id: String
    @Option(help: "winner, loser or value.") var keep: ResolutionStep.Keep
    @Option(help: "With --keep value: the value that stands (text fields take it as typed, others as JSON).") var value: String?
    @Option(help: "A comment for a step taken again (needed to keep a losing return or rejection).") var comment: String?

    func execute(in context: CommandContext) async throws {
        if let central = try global.postgres(in: context) {
            let actor = try global.actingMember(in: context)
            let signed = try await PostgresCentral.conflictEntry(id, at: central).kind.isSignedDecision
            let signer = signed ? try await global.signer(for: actor, at: central, in: context) : nil
            return try say(
                try await PostgresCentral.resolveConflict(id, keep: keep, value: value, comment: comment, by: actor, signer: signer, at: central), by: actor,
                in: context)
        }
        let replica = try global.openReplica(in: context)
        let actor = try global.actingMember(on: replica, in: context)
        // Deciding a merge conflict is signed; dismissing a refusal or a wait stays on this replica.
        let signer = try replica.conflictEntry(id).kind.isSignedDecision ? try await global.signer(for: actor, on: replica, in: context) : nil
        try say(try replica.resolveConflict(id, keep: keep, value: value, comment: comment, by: actor, signer: signer), by: actor, in: context)
    }

    private func say(_ entry: ConflictEntry, by actor: String, in context: CommandContext) throws {
        if global.json { return context.print(try Rendering.json(entry)) }
        context.print("conflict \(entry.id) resolved (\(entry.resolution?.how ?? keep.rawValue)) by \(actor); it reaches the other replicas with the next sync")
    }
}
