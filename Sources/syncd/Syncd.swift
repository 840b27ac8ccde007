import ArgumentParser
import Desk
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Store
import SyncCore
import StorePostgres
import SyncService

/// `syncd`: the central server (`serve`), the bureau's setup (`init`, `unit`, `member`, `enroll`,
/// `revoke`) and the field daemon (`run`). Parsing and wiring only; the work is in Store and SyncService.
@main
struct Syncd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "syncd",
        abstract: "The ReportSync sync daemon: the bureau's central server and the field sync loop.",
        subcommands: [
            Serve.self, InitCentral.self, UnitCommand.self, MemberCommand.self, Enroll.self, Devices.self, Revoke.self, RunField.self,
            BackupCentral.self, RestoreCentral.self, CompactCentral.self, MigrateCentral.self,
        ])
}

/// Options every central command takes.
struct CentralOptions: ParsableArguments {
    @Option(help: "The central replica file, or a central on PostgreSQL (postgres://USER:PASSWORD@HOST:PORT/DB).") var db: String
    @Flag(help: "Print data as JSON.") var json = false

    func open() throws -> CentralReplica { try CentralReplica.open(at: db) }

    /// The PostgreSQL database `--db` names, or `nil` for a file.
    func postgres() throws -> PostgresAddress? { PostgresAddress.isAddress(db) ? try PostgresAddress(parsing: db) : nil }
}

/// Runs `body`, printing a refusal as one `error:` line and exiting 1.
func reporting<T>(_ body: () async throws -> T) async throws -> T {
    do { return try await body() } catch let error as ReportSyncError {
        FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
        throw ExitCode(1)
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve the sync API for field replicas.")
    @Option(help: "The central replica file, or a central on PostgreSQL (postgres://USER:PASSWORD@HOST:PORT/DB).") var db: String
    @Option(help: "Address and port to listen on.") var listen = "127.0.0.1:8080"
    @Option(help: "With a central on PostgreSQL: the folder of attachments' files (the one syncd migrate named).") var files: String?
    @Option(
        help: "A file holding the token Prometheus sends to read /metrics (its credentials_file); without it, /metrics is not served.")
    var metricsTokenFile: String?
    @Flag(help: "Mark the web desk's session cookie Secure: set it when a TLS proxy serves the desk over https.")
    var secureCookies = false

    func run() async throws {
        let parts = listen.split(separator: ":")
        guard parts.count == 2, let port = Int(parts[1]) else {
            throw ValidationError("--listen takes HOST:PORT, for example 127.0.0.1:8080")
        }
        let scrapeToken = try await reporting { try metricsTokenFile.map(ScrapeToken.read(from:)) }
        var logger = Logger(label: "syncd")
        logger.logLevel = .info
        if PostgresAddress.isAddress(db) {
            return try await servePostgres(host: String(parts[0]), port: port, scrapeToken: scrapeToken, logger: logger)
        }
        let central = try await reporting { try CentralReplica.open(at: db) }
        let desk = try await reporting {
            do { return try DeskSite(store: central, secureCookies: secureCookies) } catch {
                throw ReportSyncError(.storage, "\(error)")
            }
        }
        let app = CentralServer.buildApplication(
            store: central, host: String(parts[0]), port: port, scrapeToken: scrapeToken, desk: desk, logger: logger)
        try await serving(app)
    }

    /// Serves the sync API from a central on PostgreSQL (several servers may share the database); the
    /// web desk is not built on PostgreSQL yet and is not served.
    private func servePostgres(host: String, port: Int, scrapeToken: ScrapeToken?, logger: Logger) async throws {
        let central = try await reporting {
            let central = try PostgresCentral(address: try PostgresAddress(parsing: db), files: files)
            try await central.checkReady()
            return central
        }
        FileHandle.standardError.write(
            Data("note: serving the central on PostgreSQL at \(central.address); the web desk is not built on PostgreSQL yet and is not served\n".utf8))
        let app = CentralServer.buildApplication(store: central, host: host, port: port, scrapeToken: scrapeToken, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await central.run() }
            defer { group.cancelAll() }
            try await serving(app)
        }
    }

    /// Runs `app` until it is stopped, saying in one line why it could not listen.
    private func serving(_ app: some ApplicationProtocol) async throws {
        do { try await app.runService() } catch let error as IOError where error.errnoCode == EADDRINUSE || error.errnoCode == EACCES {
            let why =
                error.errnoCode == EADDRINUSE
                ? "\(listen) is already in use (another syncd serve, or another server); stop it, or choose another port with --listen HOST:PORT"
                : "this user may not listen on \(listen) (ports below 1024 need privileges); choose a port above 1023 with --listen HOST:PORT"
            FileHandle.standardError.write(Data("error: \(why)\n".utf8))
            throw ExitCode(1)
        }
    }
}

struct InitCentral: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "init", abstract: "Create the bureau's central replica.")
    @Option(help: "The central replica file to create, or an empty PostgreSQL database (postgres://USER@HOST:PORT/DB).") var db: String
    @Option(help: "The bureau's name, e.g. 某某局.") var bureau: String
    @Option(help: "The id of the bureau's own unit (its central office).") var bureauId = "bureau"

    func run() async throws {
        try await reporting {
            let unit = OrgUnit(id: bureauId, name: bureau, kind: .centralOffice)
            if PostgresAddress.isAddress(db) {
                let address = try PostgresAddress(parsing: db)
                try await PostgresCentral.create(bureau: unit, at: address)
                return print("created the central of \(bureau) in the PostgreSQL database at \(address)")
            }
            _ = try CentralReplica.create(at: db, bureau: unit)
            print("created the central replica of \(bureau) at \(db)")
        }
    }
}

struct UnitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "unit", abstract: "Units of the bureau.", subcommands: [UnitAdd.self])
}

struct UnitAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a unit.")
    @OptionGroup var central: CentralOptions
    @Option(help: "Unit id.") var id: String
    @Option(help: "Unit name.") var name: String
    @Option(help: "office, squad, sub-squad, station, or a kind the policy declares (unitKinds).") var kind: String = "squad"
    @Option(help: "Parent unit (default: the bureau).") var parent: String?

    func run() async throws {
        try await reporting {
            if let address = try central.postgres() {
                try await PostgresCentral.addUnit(id: id, name: name, kind: kind, parent: parent, at: address)
                return print("added unit \(id) (\(name))")
            }
            let replica = try central.open().replica
            let kind = try replica.policy().unitKind(kind)
            try replica.addUnit(OrgUnit(id: id, name: name, kind: kind, parent: parent ?? replica.identity().unit.id))
            print("added unit \(id) (\(name))")
        }
    }
}

struct MemberCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "member", abstract: "Members of the bureau.",
        subcommands: [MemberAdd.self, MemberInvite.self, MemberRevokeKey.self, MemberPassword.self])
}

struct MemberAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a member.")
    @OptionGroup var central: CentralOptions
    @Option(help: "Member id.") var id: String
    @Option(help: "Full name.") var name: String
    @Option(help: "The member's unit (central office members: the bureau's id).") var unit: String
    @Option(help: "drafter, unit-head, leader, central-editor, admin.") var role: String
    @Option(help: "Phone.") var phone: String?

    func run() async throws {
        try await reporting {
            guard let role = Role(rawValue: role) else {
                throw ReportSyncError(.invalidInput, "unknown role '\(role)': use one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let member = Member(id: id, name: name, unit: unit, role: role, phone: phone)
            if let address = try central.postgres() {
                try await PostgresCentral.addMember(member, at: address)
            } else {
                try central.open().replica.addMember(member)
            }
            print("added \(id) (\(name)) as \(role.rawValue) of \(unit)")
        }
    }
}

struct MemberInvite: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invite",
        abstract: "Make a one-time code with which a member registers the signing key they set up (report-cli key setup).")
    @OptionGroup var central: CentralOptions
    @Option(help: "Member id.") var member: String
    @Option(help: "Days the code stays valid (1-90).") var days: Int = KeyInvitations.defaultDays

    func run() async throws {
        try await reporting {
            let invite =
                if let address = try central.postgres() {
                    try await PostgresCentral.invite(member: member, days: days, at: address)
                } else {
                    try central.open().invite(member: member, days: days)
                }
            if central.json {
                print(String(decoding: try JSONEncoder().encode(["code": invite.code, "expires": invite.expires.formatted(.iso8601)]), as: UTF8.self))
            } else {
                // The code alone on standard output, so that code=$(syncd member invite …) works; the hint on standard error.
                print(invite.code)
                FileHandle.standardError.write(
                    Data("give this code to \(member) (it is shown once, valid until \(invite.expires.formatted(.iso8601))): report-cli key setup --as \(member) --code CODE\n".utf8))
            }
        }
    }
}

struct MemberRevokeKey: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke-key",
        abstract: "Revoke a member's signing keys (a person who left or lost a device); steps signed before still verify.")
    @OptionGroup var central: CentralOptions
    @Option(help: "Member id.") var member: String
    @Option(help: "Only the key whose id starts with this (default: every key of the member).") var key: String?

    func run() async throws {
        try await reporting {
            let revoked =
                if let address = try central.postgres() {
                    try await PostgresCentral.revokeKeys(of: member, keyID: key, at: address)
                } else {
                    try central.open().revokeKeys(of: member, keyID: key)
                }
            print("revoked \(revoked.map { String($0.id.prefix(8)) }.joined(separator: ", ")) of \(member); a new key needs a new code (syncd member invite)")
        }
    }
}

struct Enroll: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Enroll a field device; prints its token once.")
    @OptionGroup var central: CentralOptions
    @Option(help: "The unit the device syncs for.") var unit: String
    @Option(help: "A name for the device, e.g. squad-3-laptop.") var device: String

    func run() async throws {
        try await reporting {
            let token =
                if let address = try central.postgres() {
                    try await PostgresCentral.enroll(unit: unit, device: device, at: address)
                } else {
                    try central.open().enroll(unit: unit, device: device)
                }
            if central.json {
                print(String(decoding: try JSONEncoder().encode(["token": token]), as: UTF8.self))
            } else {
                print(token)
            }
        }
    }
}

struct Devices: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List enrolled devices: unit, enrolment, last request, revocation, bound bundle keys.")
    @OptionGroup var central: CentralOptions

    func run() async throws {
        try await reporting {
            let enrollments =
                if let address = try central.postgres() { try await PostgresCentral.enrollments(at: address) } else { try central.open().enrollments() }
            if central.json {
                let rows = enrollments.map { e in
                    [
                        "device": e.device, "unit": e.unit, "enrolledAt": e.createdAt.formatted(.iso8601),
                        "lastSeenAt": e.lastSeenAt?.formatted(.iso8601) ?? "", "revokedAt": e.revokedAt?.formatted(.iso8601) ?? "",
                        "bundleKey": e.bundleKey ?? "",
                    ]
                }
                return print(String(decoding: try JSONEncoder().encode(rows), as: UTF8.self))
            }
            if enrollments.isEmpty { return print("no device is enrolled; enroll one with syncd enroll --unit U --device NAME") }
            for e in enrollments {
                let seen = e.lastSeenAt.map { "last seen \($0.formatted(.iso8601))" } ?? "never seen"
                let revoked = e.revokedAt.map { ", revoked \($0.formatted(.iso8601))" } ?? ""
                let key = e.bundleKey.map { ", bundle keys \($0)" } ?? ", no bundle keys yet"
                print("\(e.device)  \(e.unit)  enrolled \(e.createdAt.formatted(.iso8601)), \(seen)\(revoked)\(key)")
            }
        }
    }
}

struct Revoke: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Withdraw a device's token.")
    @OptionGroup var central: CentralOptions
    @Option(help: "The device to revoke.") var device: String

    func run() async throws {
        try await reporting {
            if let address = try central.postgres() {
                try await PostgresCentral.revoke(device: device, at: address)
            } else {
                try central.open().revoke(device: device)
            }
            print("revoked \(device)")
        }
    }
}

struct RunField: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Sync a field replica in the background.")
    @Option(help: "The field replica file.") var db: String
    @Option(help: "Seconds between scheduled syncs.") var interval = 60

    func run() async throws {
        let field = try await reporting { try FieldReplica.open(at: db) }
        let (url, token) = try await reporting { try field.central() }
        var logger = Logger(label: "syncd-run")
        logger.logLevel = .info
        let service = FieldSyncService(
            field: field, client: SyncClient(baseURL: url, token: token), interval: .seconds(interval), logger: logger)
        let group = ServiceGroup(services: [service], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await group.run()
    }
}
