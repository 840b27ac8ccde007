/// A file attached to a report: its name, kind and caption, and the content address of its bytes
/// (`sha256`), which travel apart from the report's changes (docs/attachments.md).
public struct Attachment: Codable, Sendable, Equatable {
    /// What the file is; photos need a caption (图说).
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case photo, video, document
    }

    public var name: String
    public var kind: Kind
    public var caption: String?
    /// The SHA-256 of the file's bytes, in lowercase hex; nil for an attachment an older ReportSync
    /// recorded by name alone (no bytes of it exist anywhere).
    public var sha256: String?
    /// The file's size in bytes (with `sha256`).
    public var size: Int64?
    /// The file's media type (`image/jpeg`, `video/mp4`), for showing it (with `sha256`).
    public var mediaType: String?

    public init(name: String, kind: Kind, caption: String? = nil, blob: BlobReference? = nil) {
        self.name = name
        self.kind = kind
        self.caption = caption
        sha256 = blob?.hash.hex
        size = blob?.size
        mediaType = blob?.mediaType
    }

    /// The bytes this attachment names, if it names any (a hash that is not one reads as none; the
    /// content rules refuse such a write).
    public var blob: BlobReference? {
        guard let sha256, let hash = BlobHash(hex: sha256), let size else { return nil }
        return BlobReference(hash: hash, size: size, mediaType: mediaType ?? "application/octet-stream")
    }

    /// An attachment whose kind is guessed from the file name's extension.
    public init(name: String, caption: String?, blob: BlobReference? = nil) {
        let ext = name.split(separator: ".").last.map { $0.lowercased() } ?? ""
        let kind: Kind =
            switch ext {
            case "jpg", "jpeg", "png", "gif", "heic", "webp", "bmp", "tif", "tiff": .photo
            case "mp4", "mov", "avi", "mkv", "m4v", "3gp": .video
            default: .document
            }
        self.init(name: name, kind: kind, caption: caption, blob: blob)
    }
}

extension Attachment {
    /// `list` with each of `new` put in place of the attachment of the same name, or added at the end.
    /// One given by name alone (a caption added later) keeps the file of the one it replaces.
    public static func replacing(_ list: [Attachment], with new: [Attachment]) -> [Attachment] {
        var result = list
        for var attachment in new {
            if let i = result.firstIndex(where: { $0.name == attachment.name }) {
                if attachment.sha256 == nil {
                    attachment.sha256 = result[i].sha256
                    attachment.size = result[i].size
                    attachment.mediaType = result[i].mediaType
                }
                result[i] = attachment
            } else {
                result.append(attachment)
            }
        }
        return result
    }
}
