import Foundation
import Hummingbird
import Store
import SyncCore

/// An attached file as the desk serves it. A file is what a field device sent, so only raster images
/// are shown in the page; everything else (an HTML page, an SVG, a video) is a download, never rendered
/// in the desk's origin.
enum DeskFileResponse {
    /// Media types the desk shows inline (`<img>`).
    static let inlineTypes: Set<String> = ["image/jpeg", "image/png", "image/gif", "image/webp"]

    /// Whether the desk shows a file of this media type in the page.
    static func showsInline(_ mediaType: String) -> Bool { inlineTypes.contains(mediaType.lowercased()) }

    /// Where the desk serves attachment `name` of report `id`.
    static func address(report id: String, name: String) -> String {
        "/desk/reports/\(id)/files/\(name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/", "?", "#"])) ?? name)"
    }

    static func make(_ file: StoredFile, context: some RequestContext) async throws -> Response {
        let inline = showsInline(file.reference.mediaType)
        let encodedName = file.attachment.name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "file"
        let headers: HTTPFields = [
            .contentType: inline ? file.reference.mediaType : "application/octet-stream",
            .contentDisposition: (inline ? "inline" : "attachment") + "; filename*=UTF-8''\(encodedName)",
            // The stored file's own size: a report may say another.
            .contentLength: String((try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0),
        ]
        return Response(status: .ok, headers: headers, body: try await FileIO().loadFile(path: file.path, context: context))
    }
}
