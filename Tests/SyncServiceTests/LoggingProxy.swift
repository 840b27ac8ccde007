import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

@testable import SyncService

/// An HTTP proxy on a loopback port between field devices and the central that keeps every request
/// and response body it carries, inflated: what crossed the network, for tests to search.
final class LoggingProxy: @unchecked Sendable {
    private let lock = NSLock()
    private var bodies: [String] = []
    private var task: Task<Void, Error>?
    private(set) var port = 0
    /// How many more bytes of files sent up (`PUT /v1/blobs/…`) reach the central before the proxy
    /// breaks the connection off (the central gets the bytes before the cut, the device a 502); nil for no limit.
    private var fileBytesLeft: Int?
    private var fileBytes = 0

    /// Lets `count` more bytes of files through to the central, then cuts; nil lets all through.
    func cutFiles(afterBytes count: Int?) { lock.withLock { fileBytesLeft = count } }

    /// Bytes of files fetched (`GET /v1/blobs/HASH`) still let through before the answer ends early; nil for no limit.
    private var downloadBytesLeft: Int?
    private var downloadBytes = 0

    /// Lets `count` more bytes of fetched files through, then ends the answers there; nil lets all through.
    func cutDownloads(afterBytes count: Int?) { lock.withLock { downloadBytesLeft = count } }

    /// The bytes of files fetched through the proxy since the last call, which resets the count.
    func takeFileBytesFetched() -> Int { lock.withLock { defer { downloadBytes = 0 }; return downloadBytes } }

    /// The bytes of files sent up through the proxy since the last call, which resets the count.
    func takeFileBytesSent() -> Int { lock.withLock { defer { fileBytes = 0 }; return fileBytes } }

    var url: String { "http://127.0.0.1:\(port)" }

    /// Every body carried so far, one after another.
    var traffic: String { lock.withLock { bodies.joined(separator: "\n") } }

    /// Starts a proxy to `upstream` (`http://HOST:PORT`) on a free loopback port.
    static func start(upstream: String) async throws -> LoggingProxy {
        let proxy = LoggingProxy()
        let router = Router()
        for method in [HTTPRequest.Method.get, .post, .put] {
            router.on("**", method: method) { request, _ in try await proxy.forward(request, to: upstream) }
        }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) })
        proxy.task = Task { try await app.runService() }
        for await port in ports {
            proxy.port = port
            break
        }
        return proxy
    }

    func stop() { task?.cancel() }

    /// Keeps `body`, inflated if it is gzip; returns whether it was.
    @discardableResult
    private func keep(_ body: ByteBuffer) throws -> Bool {
        let gzipped = body.readableBytesView.starts(with: [0x1f, 0x8b])
        let plain = gzipped ? try Gzip.decompress(body, limit: 256 << 20) : body
        lock.withLock { bodies.append(String(buffer: plain)) }
        return gzipped
    }

    private func forward(_ request: Request, to upstream: String) async throws -> Response {
        var body = try await request.body.collect(upTo: 256 << 20)
        var cut = false
        if request.uri.path.hasPrefix("/v1/blobs/") {
            // Files are bytes, not text to search; what counts is how many went and whether they may.
            if request.method == .put {
                let through = lock.withLock {
                    let through = min(fileBytesLeft ?? body.readableBytes, body.readableBytes)
                    fileBytesLeft = fileBytesLeft.map { $0 - through }
                    fileBytes += through
                    return through
                }
                cut = through < body.readableBytes
                body = body.getSlice(at: body.readerIndex, length: through) ?? ByteBuffer()
            }
        } else {
            try keep(body)
        }
        var outgoing = HTTPClientRequest(url: upstream + request.uri.description)
        outgoing.method = .init(rawValue: request.method.rawValue)
        // Without Accept-Encoding the central answers in plain text, which is what is kept.
        for field in request.headers where ![.acceptEncoding, .contentLength].contains(field.name) {
            outgoing.headers.add(name: field.name.rawName, value: field.value)
        }
        outgoing.body = .bytes(body)
        let answer = try await HTTPClient.shared.execute(outgoing, timeout: .seconds(60))
        // The central got the bytes before the cut; the device never hears its answer.
        if cut { return Response(status: .badGateway) }
        var bytes = try await answer.body.collect(upTo: 256 << 20)
        if request.method == .get, request.uri.path.hasPrefix("/v1/blobs/"), !request.uri.path.hasSuffix("/upload") {
            let through = lock.withLock {
                let through = min(downloadBytesLeft ?? bytes.readableBytes, bytes.readableBytes)
                downloadBytesLeft = downloadBytesLeft.map { $0 - through }
                downloadBytes += through
                return through
            }
            bytes = bytes.getSlice(at: bytes.readerIndex, length: through) ?? ByteBuffer()
        }
        // The client may have inflated the answer already: then it goes on without its Content-Encoding.
        let gzipped = request.uri.path.hasPrefix("/v1/blobs/") ? false : try keep(bytes)
        var dropped = ["content-length", "transfer-encoding", "connection"]
        if !gzipped { dropped.append("content-encoding") }
        var headers = HTTPFields()
        for header in answer.headers where !dropped.contains(header.name.lowercased()) {
            if let name = HTTPField.Name(header.name) { headers.append(HTTPField(name: name, value: header.value)) }
        }
        return Response(status: .init(code: Int(answer.status.code)), headers: headers, body: .init(byteBuffer: bytes))
    }
}
