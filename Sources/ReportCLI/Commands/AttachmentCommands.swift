import ArgumentParser
import Foundation
import Store
import SyncCore

/// `report-cli attachments ID`: a report's attached files, each with whether it is on this replica.
struct AttachmentsCommand: ReplicaCommand {
    static let configuration = CommandConfiguration(
        commandName: "attachments", abstract: "List a report's attached files and whether each is on this replica.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Report id (or a unique prefix).") var id: String

    func execute(in context: CommandContext) throws {
        let files = try global.openReplica(in: context).attachmentFiles(of: id)
        if global.json { return context.print(try Rendering.json(files.map(AttachmentView.init))) }
        guard !files.isEmpty else { return context.print("no attachments") }
        var table = TextTable(["NAME", "KIND", "SIZE", "TYPE", "HERE", "CAPTION"])
        for file in files {
            let a = file.attachment
            table.add([
                a.name, a.kind.rawValue, a.size.map(\.bytesText) ?? "-", a.mediaType ?? "-",
                a.sha256 == nil ? "name only" : file.held ? "yes" : "not yet", a.caption ?? "",
            ])
        }
        context.print(table.render())
    }
}

/// One attached file as `attachments --json` prints it.
struct AttachmentView: Encodable {
    let name: String
    let kind: Attachment.Kind
    let caption: String?
    let sha256: String?
    let size: Int64?
    let mediaType: String?
    /// Whether the whole file is on this replica.
    let here: Bool

    init(_ file: AttachmentFile) {
        name = file.attachment.name
        kind = file.attachment.kind
        caption = file.attachment.caption
        sha256 = file.attachment.sha256
        size = file.attachment.size
        mediaType = file.attachment.mediaType
        here = file.held
    }
}

/// `report-cli attachment get ID NAME --out FILE`: writes an attached file out of the replica.
struct AttachmentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attachment", abstract: "Read an attached file out of the replica.", subcommands: [Get.self])

    struct Get: ReplicaCommand {
        static let configuration = CommandConfiguration(commandName: "get", abstract: "Write an attached file to --out.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Report id (or a unique prefix).") var id: String
        @Argument(help: "The attachment's name (report-cli attachments ID lists them).") var name: String
        @Option(help: "Where to write the file; it must not exist yet.") var out: String

        func execute(in context: CommandContext) throws {
            let source = try global.openReplica(in: context).storedFile(of: id, named: name).path
            let target = context.absolute(out)
            guard !FileManager.default.fileExists(atPath: target) else {
                throw ReportSyncError(.alreadyExists, "\(out) already exists: choose another --out (nothing was overwritten)")
            }
            do { try FileManager.default.copyItem(atPath: source, toPath: target) } catch {
                throw ReportSyncError(.storage, "cannot write \(out): check the folder exists, that you may write it, and the free space")
            }
            context.print(global.json ? try Rendering.json(["out": target]) : "wrote \(out)")
        }
    }
}
