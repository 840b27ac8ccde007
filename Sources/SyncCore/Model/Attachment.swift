/// Metadata of a file attached to a report (the file itself travels separately).
public struct Attachment: Codable, Sendable, Equatable {
    /// What the file is; photos need a caption (图说).
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case photo, video, document
    }

    public var name: String
    public var kind: Kind
    public var caption: String?

    public init(name: String, kind: Kind, caption: String? = nil) {
        self.name = name
        self.kind = kind
        self.caption = caption
    }

    /// An attachment whose kind is guessed from the file name's extension.
    public init(name: String, caption: String?) {
        let ext = name.split(separator: ".").last.map { $0.lowercased() } ?? ""
        let kind: Kind =
            switch ext {
            case "jpg", "jpeg", "png", "gif", "heic", "webp", "bmp", "tif", "tiff": .photo
            case "mp4", "mov", "avi", "mkv", "m4v", "3gp": .video
            default: .document
            }
        self.init(name: name, kind: kind, caption: caption)
    }
}

extension Attachment {
    /// `list` with each of `new` put in place of the attachment of the same name, or added at the end.
    public static func replacing(_ list: [Attachment], with new: [Attachment]) -> [Attachment] {
        var result = list
        for attachment in new {
            if let i = result.firstIndex(where: { $0.name == attachment.name }) { result[i] = attachment } else { result.append(attachment) }
        }
        return result
    }
}
