import Foundation
import Hummingbird
import Mustache

/// The desk's Mustache templates and stylesheet, shipped as resources beside the code and loaded once.
/// Every `{{value}}` is HTML-escaped scalar by scalar (`ScalarHTMLEscaping`, named by each template's
/// pragma); the templates use no triple braces.
struct DeskTemplates: Sendable {
    private let library: MustacheLibrary
    private let css: [UInt8]

    init() throws {
        guard let folder = Bundle.module.url(forResource: "Templates", withExtension: nil),
            let stylesheet = Bundle.module.url(forResource: "Static/desk", withExtension: "css")
                ?? Bundle.module.url(forResource: "desk", withExtension: "css", subdirectory: "Static")
        else { throw DeskTemplatesMissing() }
        MustacheContentTypes.register(ScalarHTMLEscaping(), named: ScalarHTMLEscaping.name)
        var templates: [String: MustacheTemplate] = [:]
        for file in try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil) where file.pathExtension == "mustache" {
            templates[file.deletingPathExtension().lastPathComponent] = try MustacheTemplate(string: String(contentsOf: file, encoding: .utf8))
        }
        library = MustacheLibrary(templates: templates)
        css = Array(try Data(contentsOf: stylesheet))
    }

    /// A page rendered with its template, as an HTML answer.
    func render(_ page: Any, _ name: String, status: HTTPResponse.Status) throws -> Response {
        guard let html = library.render(page, withTemplate: name) else { throw DeskTemplatesMissing() }
        return Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    func stylesheet() throws -> Response {
        Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: css)))
    }
}

/// The desk's templates are not installed beside syncd.
struct DeskTemplatesMissing: Error, CustomStringConvertible {
    var description: String { "the web desk's templates are not installed beside syncd (its Desk resources are missing); reinstall syncd" }
}
