import ArgumentParser
import Store
import SyncCore

/// `report-cli member`: the people who act on this replica.
struct MemberCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "member", abstract: "Add, list and choose the people who act on reports.",
        subcommands: [MemberAdd.self, MemberList.self, MemberUse.self])
}

/// `report-cli member add`.
struct MemberAdd: ReplicaCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a member.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Member id, e.g. wang.") var id: String
    @Option(help: "Full name.") var name: String
    @Option(help: "Role: \(Role.allCases.map(\.rawValue).joined(separator: ", ")).") var role: Role
    @Option(help: "Phone or other contact.") var phone: String?
    @Option(help: "The member's unit (default: this replica's unit).") var unit: String?

    func execute(in context: CommandContext) throws {
        let replica = try global.openReplica(in: context)
        let member = Member(id: id, name: name, unit: try unit ?? replica.identity().unit.id, role: role, phone: phone)
        try replica.addMember(member)
        context.print(global.json ? try Rendering.json(member) : "added \(id) (\(name)) as \(role.rawValue) of \(member.unit)")
    }
}

/// `report-cli member list`.
struct MemberList: ReplicaCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List members.")

    @OptionGroup var global: GlobalOptions

    func execute(in context: CommandContext) throws {
        let members = try global.openReplica(in: context).members()
        if global.json { return context.print(try Rendering.json(members)) }
        var table = TextTable(["ID", "NAME", "ROLE", "UNIT", "PHONE"])
        for m in members { table.add([m.id, m.name, m.role.rawValue, m.unit, m.phone ?? ""]) }
        context.print(table.render())
    }
}

/// `report-cli member use`: the default acting member of this replica.
struct MemberUse: ReplicaCommand {
    static let configuration = CommandConfiguration(
        commandName: "use", abstract: "Make a member the default for --as on this replica.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Member id.") var id: String

    func execute(in context: CommandContext) throws {
        try global.openReplica(in: context).setDefaultActor(id)
        context.print("commands on this replica now act as \(id) unless --as says otherwise")
    }
}
