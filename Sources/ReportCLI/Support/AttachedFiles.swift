import Foundation
import Hummingbird
import Store
import SyncCore

/// `--attach FILE[=CAPTION]` made real: each file named is copied into the replica's blob store and the
/// attachment names it by content address; a name the report already has, given without a file, only
/// changes its caption. A file that is not there is refused before anything is written.
enum AttachedFiles {
    /// Replaces each attachment of `patch` given by path with one that names the stored file.
    /// - Parameter current: the report's attachments now (none for a new report).
    static func store(_ patch: inout ReportPatch, on replica: Replica, keeping current: [Attachment], in context: CommandContext) throws {
        guard let attachments = patch.attachments else { return }
        patch.attachments = try attachments.map { attachment in
            guard attachment.sha256 == nil else { return attachment }
            let path = context.absolute(attachment.name)
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue {
                let name = URL(fileURLWithPath: path).lastPathComponent
                return try replica.storeFile(at: path, name: name, caption: attachment.caption, mediaType: mediaType(of: name))
            }
            if current.contains(where: { $0.name == attachment.name }) { return attachment }
            throw ReportSyncError(
                .notFound,
                "no file at \(path) to attach: give a file that exists (--attach FILE or FILE=CAPTION)"
                    + (current.isEmpty ? "" : ", or the name of one of the report's attachments to caption it"))
        }
    }

    /// The media type a file's extension says (`image/jpeg`), or `application/octet-stream`.
    static func mediaType(of name: String) -> String {
        let ext = URL(fileURLWithPath: name).pathExtension
        return MediaType.getMediaType(forExtension: ext).map { "\($0)" } ?? "application/octet-stream"
    }
}
