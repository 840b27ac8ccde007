import ArgumentParser
import Store
import SyncCore

/// `report-cli backup`: a consistent copy of the replica, safe to put back later.
struct BackupCommand: ReplicaCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Write a consistent backup of this replica to a new file, while it stays in use.",
        discussion: """
            To restore, stop syncd run, copy the backup over the replica file (removing its -wal and -shm files) and \
            sync: the restored file takes a new replica id before it writes anything, and takes back from the central \
            what it had sent since the backup. See docs/operations.md.
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "The backup file to create (never overwritten).") var out: String

    func execute(in context: CommandContext) throws {
        let info = try global.openReplica(in: context).backup(to: out)
        if global.json { return context.print(try Rendering.json(["path": info.path, "replica": info.replicaID, "bytes": "\(info.bytes)"])) }
        context.print("backed up replica \(info.replicaID) (\(info.counter) changes made here, \(info.bytes) bytes) to \(info.path)")
    }
}
