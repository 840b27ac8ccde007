import ArgumentParser
import SyncCore

/// A report-cli command whose work is done by `execute(in:)`, so tests can run it against a buffer.
public protocol ReplicaCommand: ParsableCommand {
    /// Does the command's work, writing to `context`; throws `ReportSyncError` on a refusal.
    func execute(in context: CommandContext) throws
}

extension ReplicaCommand {
    public mutating func run() throws {
        try Self.runReportingRefusals(self, in: .standard)
    }

    /// Runs `command`; a refusal is printed as one `error:` line on stderr and becomes exit code 1.
    public static func runReportingRefusals(_ command: any ReplicaCommand, in context: CommandContext) throws {
        do {
            try command.execute(in: context)
        } catch let error as ReportSyncError {
            throw refusal(error.message, in: context)
        } catch let error as DecodingError {
            throw refusal(
                "stored data could not be read (\(error.readableDescription)); this report-cli may be older than the one that wrote it: install the newer one",
                in: context)
        }
    }
}

/// A report-cli command that talks to the network, so its work is `async`.
public protocol AsyncReplicaCommand: AsyncParsableCommand {
    /// Does the command's work, writing to `context`; throws `ReportSyncError` on a refusal.
    func execute(in context: CommandContext) async throws
}

extension AsyncReplicaCommand {
    public mutating func run() async throws {
        try await Self.runReportingRefusals(self, in: .standard)
    }

    /// Runs `command`; a refusal is printed as one `error:` line on stderr and becomes exit code 1.
    public static func runReportingRefusals(_ command: any AsyncReplicaCommand, in context: CommandContext) async throws {
        do {
            try await command.execute(in: context)
        } catch let error as ReportSyncError {
            throw refusal(error.message, in: context)
        } catch let error as DecodingError {
            throw refusal(
                "stored data could not be read (\(error.readableDescription)); this report-cli may be older than the one that wrote it: install the newer one",
                in: context)
        }
    }
}

/// Prints a refusal as one `error:` line on stderr; the exit code 1 to throw.
func refusal(_ message: String, in context: CommandContext) -> ExitCode {
    context.printError("error: \(message)")
    return ExitCode(1)
}
