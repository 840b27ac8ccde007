import ArgumentParser
import Foundation
import Store
import SyncCore

/// `report-cli solicit`: the central office asks units for a report on a topic by a deadline (约稿).
struct SolicitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "solicit", abstract: "Solicitations (约稿): issue them at the central office, answer or decline them in a unit.",
        discussion: "A unit answers with a report: report-cli draft --solicitation ID --category solicited …",
        subcommands: [SolicitNewCommand.self, SolicitListCommand.self, SolicitRemindCommand.self, SolicitDeclineCommand.self])
}

/// `report-cli solicit new`.
struct SolicitNewCommand: ReplicaCommand {
    static let configuration = CommandConfiguration(commandName: "new", abstract: "Ask units for a report (central replica only).")
    @OptionGroup var global: GlobalOptions
    @Option(help: "What the report should be about.") var topic: String
    @Option(help: "The units asked, comma separated, e.g. squad-3,squad-4.") var units: String
    @Option(help: "When it is due, e.g. 2026-10-20T18:00 (bureau time).") var deadline: String
    @Option(help: "Who to ask about it (name and phone).") var contact: String
    @Option(help: "The form wanted, e.g. 800 字以内, 附图片.") var format: String?
    @Option(help: "What it is for.") var purpose: String?

    func execute(in context: CommandContext) throws {
        let replica = try global.openReplica(in: context)
        let zone = Rendering.timeZone(of: try replica.policy())
        let due = try TimestampParser.require(deadline, timeZone: zone, what: "--deadline")
        let targets = units.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let issued = try replica.solicit(
            topic: topic, units: targets, deadline: due, contact: contact, format: format, purpose: purpose,
            by: try global.actingMember(on: replica, in: context))
        if global.json { return context.print(try Rendering.json(issued)) }
        context.print(issued.first?.id ?? "")
    }
}

/// `report-cli solicit list`.
struct SolicitListCommand: ReplicaCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List solicitations with how each was answered.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Only this unit's.") var unit: String?

    func execute(in context: CommandContext) throws {
        let replica = try global.openReplica(in: context)
        let list = try replica.solicitations(unit: unit)
        if global.json { return context.print(try Rendering.json(list)) }
        guard !list.isEmpty else { return context.print("no solicitations") }
        let zone = Rendering.timeZone(of: try replica.policy())
        let answers = Dictionary(grouping: try replica.reports().filter { $0.content.solicitation != nil }) {
            "\($0.content.solicitation ?? "")/\($0.unit)"
        }
        let reminders = Dictionary(grouping: try replica.reminders(unit: unit)) { "\($0.solicitation)/\($0.unit)" }
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
struct SolicitRemindCommand: ReplicaCommand {
    static let configuration = CommandConfiguration(
        commandName: "remind", abstract: "Chase a unit for its answer to a solicitation (催报; central replica only).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Solicitation id (or a unique prefix).") var id: String
    @Option(help: "The unit chased.") var unit: String
    @Option(help: "What to add, e.g. 请于今日17时前报送.") var note: String?

    func execute(in context: CommandContext) throws {
        let replica = try global.openReplica(in: context)
        let reminder = try replica.remind(id, unit: unit, note: note, by: try global.actingMember(on: replica, in: context))
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
