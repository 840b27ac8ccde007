import ArgumentParser
import Foundation
import ReportCLI
import TestSupport
import Testing

/// Runs report-cli commands in-process against a temporary folder and captures what they print.
final class CLIHarness: @unchecked Sendable {
    /// What one command printed and whether it was refused.
    struct Outcome {
        var out: String
        var err: String
        var exitCode: Int32
        var succeeded: Bool { exitCode == 0 }
    }

    let directory: URL
    var environment: [String: String]

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("report-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let pinFile = directory.appendingPathComponent("pin")
        try "\(TestSigners.pin)\n".write(to: pinFile, atomically: true, encoding: .utf8)
        environment = [
            "REPORT_DB": directory.appendingPathComponent("field.sqlite").path, "REPORT_PIN_FILE": pinFile.path,
            // Never the config file of the person running the tests.
            "REPORTSYNC_CONFIG": directory.appendingPathComponent("config.json").path,
        ]
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// Parses `arguments` as report-cli would and runs the command, as the real binary does minus the process.
    @discardableResult
    func run(_ arguments: String...) async -> Outcome { await run(arguments) }

    func run(_ arguments: [String]) async -> Outcome {
        let out = Buffer()
        let err = Buffer()
        let context = CommandContext(
            environment: environment, workingDirectory: directory.path, out: { out.append($0) }, err: { err.append($0) })
        do {
            let command = try ReportCLI.parse(arguments)
            if let runnable = command as? any ReplicaCommand {
                try type(of: runnable).runReportingRefusals(runnable, in: context)
            } else if let runnable = command as? any AsyncReplicaCommand {
                try await type(of: runnable).runReportingRefusals(runnable, in: context)
            } else {
                return Outcome(out: "", err: "not a replica command", exitCode: 64)
            }
            return Outcome(out: out.text, err: err.text, exitCode: 0)
        } catch {
            let message = ReportCLI.message(for: error)
            return Outcome(out: out.text, err: err.text + message, exitCode: ReportCLI.exitCode(for: error).rawValue)
        }
    }

    /// Runs a command that must succeed and returns what it printed, trimmed.
    @discardableResult
    func ok(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) async -> String {
        let outcome = await run(arguments)
        #expect(outcome.succeeded, "report-cli \(arguments.joined(separator: " ")): \(outcome.err)", sourceLocation: sourceLocation)
        return outcome.out.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A member setup most tests start from: a squad replica with drafter, unit head and leader.
    func staffedReplica() async {
        await run("init", "--unit", "squad-3", "--unit-name", "第三中队")
        await run("member", "add", "--id", "wang", "--name", "王小明", "--role", "drafter", "--phone", "13800000000")
        await run("member", "add", "--id", "li", "--name", "李队长", "--role", "unit-head")
        await run("member", "add", "--id", "zhao", "--name", "赵局长", "--role", "leader")
        try? TestSigners.setUpKeys(["wang", "li", "zhao"], at: environment["REPORT_DB"]!)
    }

    final class Buffer: @unchecked Sendable {
        private let lock = NSLock()
        private var storage = ""
        func append(_ text: String) { lock.withLock { storage += text } }
        var text: String { lock.withLock { storage } }
    }
}
