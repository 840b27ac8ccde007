import HTTPTypes
import Hummingbird

/// Headers every desk answer carries, and the same-origin rule for its forms: pages load only what
/// syncd serves (no script, no frame, no other site), are never cached, and a form posted from a page
/// of another origin is refused before it is read (the sign-in form has no session token yet).
struct DeskHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.method == .post, let origin = request.headers[.origin], let host = request.head.authority,
            origin != "http://\(host)", origin != "https://\(host)"
        {
            return Self.secured(
                Response(
                    status: .forbidden, headers: [.contentType: "text/plain; charset=utf-8"],
                    body: ResponseBody(byteBuffer: ByteBuffer(string: "this form was posted from another site (\(origin)); open the desk at its own address and try again\n"))))
        }
        return Self.secured(try await next(request, context))
    }

    static func secured(_ response: Response) -> Response {
        var response = response
        response.headers[.contentSecurityPolicy] = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        response.headers[.cacheControl] = "no-store"
        return response
    }
}
