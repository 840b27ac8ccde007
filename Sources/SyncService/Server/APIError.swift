import Foundation
import Hummingbird
import SyncCore

/// An error answer with the body `{ "error": { "code", "message" } }`.
public struct APIError: HTTPResponseError, Sendable {
    public let status: HTTPResponse.Status
    public let code: String
    public let message: String

    public init(_ status: HTTPResponse.Status, code: String, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    /// The answer for a library error: malformed input 400, refusals 403, missing things 404, too large
    /// 413, rule violations 422, storage 503.
    public init(_ error: ReportSyncError) {
        self.init(HTTPResponse.Status(code: error.code.httpStatus), code: error.code.rawValue, error.message)
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = try JSONEncoder().encode(ErrorBody(code: code, message: message))
        return Response(
            status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}
