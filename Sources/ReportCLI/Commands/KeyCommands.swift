import ArgumentParser
import Foundation
import Store
import StorePostgres
import SyncCore

/// `report-cli key`: a person's signing key on this device (docs/signing.md).
struct KeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key", abstract: "Set up and list the signing keys that every workflow step is signed with.",
        subcommands: [KeySetup.self, KeyList.self])
}

/// `report-cli key setup`: makes a key pair for the acting member, sealed under a PIN they choose.
struct KeySetup: AsyncReplicaCommand {
    static let configuration = CommandConfiguration(
        commandName: "setup",
        abstract: "Set up a signing key for --as MEMBER on this device, protected by a PIN.",
        discussion: """
            On a unit's replica, give the one-time code the central office made with syncd member invite; the key can \
            sign after the next sync, when the central has registered it. The code is asked at the terminal when \
            --code is left out; the PIN is asked twice there, or read from --pin-file / REPORT_PIN_FILE.
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "The one-time code from syncd member invite (not needed on a standalone replica).") var code: String?

    func execute(in context: CommandContext) async throws {
        if let central = try global.postgres(in: context) { return try await setUp(at: central, in: context) }
        let replica = try global.openReplica(in: context)
        let member = try global.actingMember(on: replica, in: context)
        _ = try replica.member(member)
        let code = try replica.role() == .standalone ? code : code ?? context.askSecret("one-time code from the central office for \(member): ")
        let pin = try PINEntry(pinFile: global.pinFile, context: context).newPIN(for: member)
        let key = try replica.setUpKey(for: member, pin: pin, code: code)
        if global.json { return context.print(try Rendering.json(key)) }
        switch key.status {
        case .awaitingRegistration:
            context.print("key \(key.id.prefix(8)) set up for \(member); run report-cli sync so the central registers it, then \(member) can sign")
        default:
            context.print("key \(key.id.prefix(8)) set up and registered for \(member); steps as \(member) now ask for this PIN")
        }
    }

    /// The key set up at a central on PostgreSQL: registered at once with the code.
    private func setUp(at central: PostgresAddress, in context: CommandContext) async throws {
        let member = try global.actingMember(in: context)
        guard let code = code ?? context.askSecret("one-time code from the central office for \(member): ") else {
            throw ReportSyncError(.invalidInput, "give the one-time code from the central office: --code CODE (syncd member invite makes one)")
        }
        let pin = try PINEntry(pinFile: global.pinFile, context: context).newPIN(for: member)
        let key = KeyInfo.registeredHere(try await PostgresCentral.setUpKey(for: member, pin: pin, code: code, at: central), of: member)
        if global.json { return context.print(try Rendering.json(key)) }
        context.print("key \(key.id.prefix(8)) set up and registered for \(member); steps as \(member) now ask for this PIN")
    }
}

/// `report-cli key list`: the keys this replica knows, and which are on this device.
struct KeyList: ReplicaCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List signing keys (all members, or --as MEMBER).")

    @OptionGroup var global: GlobalOptions

    func execute(in context: CommandContext) throws {
        let keys = try global.openReplica(in: context).keys(of: global.actor)
        if global.json { return context.print(try Rendering.json(keys)) }
        var table = TextTable(["KEY", "MEMBER", "STATUS", "ON THIS DEVICE"])
        for key in keys {
            let revoked = key.revokedAt.map { " \($0.formatted(.iso8601))" } ?? ""
            table.add([String(key.id.prefix(16)), key.member, key.status.rawValue + revoked, key.onThisDevice ? "yes" : "no"])
        }
        context.print(table.render())
    }
}
