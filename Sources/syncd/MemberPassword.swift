import ArgumentParser
import Desk
import Foundation
import HummingbirdBcrypt
import ReportCLI
import Store
import SyncCore

/// `syncd member password`: sets the password a central-office member signs in to the web desk with
/// (docs/desk.md), stored as a bcrypt hash; every session of theirs ends.
struct MemberPassword: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "password",
        abstract: "Set a central-office member's web desk password (asked twice at the terminal, or read from --password-file).")
    @OptionGroup var central: CentralOptions
    @Option(help: "Member id (a central editor, leader or admin of the bureau).") var member: String
    @Option(help: "A file whose first line is the password (for scripts); without it, the password is asked at the terminal.")
    var passwordFile: String?

    func run() async throws {
        try await reporting {
            let password = try readPassword()
            try DeskPasswordRule.check(password)
            let hash = Bcrypt.hash(password, cost: DeskPasswordRule.bcryptCost)
            try central.open().setDeskPassword(member: member, hash: hash)
            print("set the desk password of \(member); they sign in at /desk/sign-in of syncd serve (their earlier sessions ended)")
        }
    }

    private func readPassword() throws -> String {
        if let passwordFile {
            guard let text = try? String(contentsOfFile: passwordFile, encoding: .utf8) else {
                throw ReportSyncError(.notFound, "cannot read the password file \(passwordFile)")
            }
            return SecretFile.firstLine(of: text)
        }
        guard let first = TerminalSecret.ask("new desk password for \(member): ") else {
            throw ReportSyncError(.invalidInput, "no terminal to ask the password at: give it in a file with --password-file FILE")
        }
        guard TerminalSecret.ask("again: ") == first else { throw ReportSyncError(.invalidInput, "the two passwords differ; nothing was changed") }
        return first
    }
}
