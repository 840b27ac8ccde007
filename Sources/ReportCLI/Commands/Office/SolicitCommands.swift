import ArgumentParser
import Foundation
import Store
import StorePostgres
import SyncCore

/// `report-cli solicit`: the central office asks units for a report on a topic by a deadline (约稿).
struct SolicitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "solicit", abstract: "Solicitations (约稿): issue them at the central office, answer or decline them in a unit.",
        discussion: "A unit answers with a report: report-cli draft --solicitation ID --category solicited …",
        subcommands: [SolicitNewCommand.self, SolicitListCommand.self, SolicitRemindCommand.self, SolicitDeclineCommand.self])
}

/// `report-cli solicit new`.
struct SolicitNewCommand: AsyncReplicaCommand {
    static let configuration = CommandConfiguration(commandName: "new", abstract: "Ask units for a report (central replica only).")
    @OptionGroup var global: GlobalOptions
    @Option(help: "What the report should be about.") var topic: String
    @Option(help: "The units asked, comma separated, e.g. squad-3,squad-4.") var units: String
    @Option(help: "When it is due, e.g. 2026-10-20T18:00 (bureau time).") var deadline: String
    @Option(help: "Who to ask about it (name and phone).") var contact: String
    @Option(help: "The form wanted, e.g. 800 字以内, 附图片.") var format: String?
    @Option(help: "What it is for.") var purpose: String?

    func execute(in context: CommandContext) async throws {
        let targets = units.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let issued: [Solicitation]
        if let central = try global.postgres(in: context) {
            let due = try TimestampParser.require(deadline, timeZone: Rendering.timeZone(of: try await PostgresCentral.policy(at: central)), what: "--deadline")
            issued = try await PostgresCentral.solicit(
                topic: topic, units: targets, deadline: due, contact: contact, format: format, purpose: purpose, by: try global.actingMember(in: context),
                at: central)
        } else {
            let replica = try global.openReplica(in: context)
            let due = try TimestampParser.require(deadline, timeZone: Rendering.timeZone(of: try replica.policy()), what: "--deadline")
            issued = try replica.solicit(
                topic: topic, units: targets, deadline: due, contact: contact, format: format, purpose: purpose,
                by: try global.actingMember(on: replica, in: context))
        }
        if global.json { return context.print(try Rendering.json(issued)) }
        context.print(issued.first?.id ?? "")
    }
}

/// `report-cli solicit list`.
struct SolicitListCommand: AsyncReplicaCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List solicitations with how each was answered.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Only this unit's.") var unit: String?

    func execute(in context: CommandContext) async throws {
        let (list, answers, sent, policy): ([Solicitation], [String: [Report]], [SolicitationReminder], Policy)
        if let central = try global.postgres(in: context) {
            (list, answers, sent) = try await PostgresCentral.solicitations(unit: unit, at: central)
            policy = try await PostgresCentral.policy(at: central)
        } else {
            let replica = try global.openReplica(in: context)
            list = try replica.solicitations(unit: unit)
            answers = Dictionary(grouping: try replica.reports().filter { $0.content.solicitation != nil }) {
                "\($0.content.solicitation ?? "")/\($0.unit)"
            }
            (sent, policy) = (try replica.reminders(unit: unit), try replica.policy())
        }
        if global.json { return context.print(try Rendering.json(list)) }
        guard !list.isEmpty else { return context.print("no solicitations") }
        let zone = Rendering.timeZone(of: policy)
        let reminders = Dictionary(grouping: sent) { "\($0.solicitation)/\($0.unit)" }
        var table = TextTable(["ID", "UNIT", "DUE", "TOPIC", "ANSWER", "CHASED"])
        for s in list {
            let answer = s.declined.map { "declined: \($0.reason)" }
                ?? answers["\(s.id)/\(s.unit)"].map { $0.map { "\(String($0.id.prefix(13))) (\($0.state.rawValue))" }.joined(separator: ", ") }
                ?? "none yet"
            let chased = reminders["\(s.id)/\(s.unit)"].flatMap { all in
                all.last.map { last in "\(all.count)×, last \(Rendering.local(last.at, in: zone))" + (last.note.map { ": \($0)" } ?? "") }
            } ?? ""
            table.add([String(s.id.prefix(13)), s.unit, Rendering.local(s.deadline, in: zone), s.topic, answer, chased])
        }
        context.print(table.render())
    }
}

/// `report-cli solicit remind`.
struct SolicitRemindCommand: AsyncReplicaCommand {
    static let configuration = CommandConfiguration(
        commandName: "remind", abstract: "Chase a unit for its answer to a solicitation (催报; central replica only).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Solicitation id (or a unique prefix).") var id: String
    @Option(help: "The unit chased.") var unit: String
    @Option(help: "What to add, e.g. 请于今日17时前报送.") var note: String?

    func execute(in context: CommandContext) async throws {
        let reminder: SolicitationReminder
        if let central = try global.postgres(in: context) {
            reminder = try await PostgresCentral.remind(id, unit: unit, note: note, by: try global.actingMember(in: context), at: central)
        } else {
            let replica = try global.openReplica(in: context)
            reminder = try replica.remind(id, unit: unit, note: note, by: try global.actingMember(on: replica, in: context))
        }
        if global.json { return context.print(try Rendering.json(reminder)) }
        context.print("chased \(reminder.unit) for solicitation \(reminder.solicitation); the unit sees it after its next sync")
    }
}

/// `report-cli solicit decline`.
struct SolicitDeclineCommand: ReplicaCommand {
    static let configuration = CommandConfiguration(commandName: "decline", abstract: "Decline a solicitation for your unit, saying why.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Solicitation id (or a unique prefix).") var id: String
    @Option(help: "Why the unit will not deliver.") var reason: String

    func execute(in context: CommandContext) throws {
        let replica = try global.openReplica(in: context)
        let declined = try replica.declineSolicitation(id, reason: reason, by: try global.actingMember(on: replica, in: context))
        if global.json { return context.print(try Rendering.json(declined)) }
        context.print("declined \(declined.id) for \(declined.unit); the central office sees it after the next sync")
    }
}
