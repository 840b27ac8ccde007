import ArgumentParser
import SyncCore

/// A report-cli command whose work is done by `execute(in:)`, so tests can run it against a buffer.
public protocol ReplicaCommand: ParsableCommand {
    /// Does the command's work, writing to `context`; throws `ReportSyncError` on a refusal.
    func execute(in context: CommandContext) throws
}

extension ReplicaCommand {
    public mutating func run() throws {
        let context = CommandContext.standard
        do {
            try execute(in: context)
        } catch let error as ReportSyncError {
            context.printError("error: \(error.message)")
            throw ExitCode(1)
        }
    }
}
