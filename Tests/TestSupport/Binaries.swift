import Foundation

/// The binaries built beside the test bundle, run as real processes, as a person would.
public enum Binaries {
    /// The folder holding the test bundle and the built executables.
    public static var directory: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    }

    /// The folder, inside a test's folder, where the binaries keep the machine's state (counter watermarks).
    public static let stateFolder = "state"

    /// The PIN file of tests that set keys up as a person does (`setUpKeys`).
    public static let pinFile = "test.pin"

    /// Runs a built binary (or a program at an absolute path) to completion in `directory`, without `REPORT_DB`/`REPORT_AS` from the test's
    /// environment (with `REPORT_PIN_FILE` naming `pinFile` when the test wrote one there, and the
    /// machine state in `stateFolder` there), and
    /// returns its exit status and output.
    @discardableResult
    public static func run(_ name: String, _ arguments: [String], in directory: URL) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = name.hasPrefix("/") ? URL(fileURLWithPath: name) : Self.directory.appendingPathComponent(name)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["REPORT_DB"] = nil
        environment["REPORT_AS"] = nil
        // A config file of the person running the tests must not choose a test's replica or member.
        environment["REPORTSYNC_CONFIG"] = directory.appendingPathComponent("config.json").path
        let pin = directory.appendingPathComponent(pinFile).path
        environment["REPORT_PIN_FILE"] = FileManager.default.fileExists(atPath: pin) ? pin : nil
        // Each test folder is one machine: its own counter watermarks (`state/`), which a test may put back too.
        environment["REPORTSYNC_STATE_DIR"] = directory.appendingPathComponent(stateFolder).path
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }
}

extension Binaries {
    /// Sets up signing keys for `members` on replica `db` as people do: a one-time code from
    /// `syncd member invite` on `central`, then `report-cli key setup` with the PIN in `pinFile`. Keys set up
    /// on a field replica are registered by its next sync.
    public static func setUpKeys(_ members: [String], on db: String, central: String = "central.sqlite", in directory: URL) throws {
        try "\(TestSigners.pin)\n".write(to: directory.appendingPathComponent(pinFile), atomically: true, encoding: .utf8)
        for member in members {
            let invite = try run("syncd", ["member", "invite", "--db", central, "--member", member], in: directory)
            guard invite.status == 0, let code = invite.out.split(separator: "\n").first.map(String.init) else {
                throw SetupFailure(message: "syncd member invite \(member): \(invite.err)")
            }
            let setup = try run("report-cli", ["key", "setup", "--db", db, "--as", member, "--code", code], in: directory)
            guard setup.status == 0 else { throw SetupFailure(message: "report-cli key setup \(member) on \(db): \(setup.err)") }
        }
    }

    /// A fixture step that failed.
    public struct SetupFailure: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }
}
