import Store
import SyncCore

/// The sync protocol's version; the path carries it (`/v1/...`).
public enum SyncProtocol {
    public static let version = 1
    /// The most changes one push may carry.
    public static let maxBatch = Outbox.longestRun
    /// The largest request body the server reads, in bytes.
    public static let maxBodyBytes = 16 * 1024 * 1024
    /// The most bytes of a file one request sends (`PUT /v1/blobs/{hash}`), streamed to the disk as they come.
    public static let maxFileChunk = 64 * 1024 * 1024
    /// The most changes one pull page returns.
    public static let maxPage = 1000
}

/// `GET /v1/whoami`: who the token belongs to, and the bureau it syncs with.
public struct WhoAmI: Codable, Sendable, Equatable {
    public let protocolVersion: Int
    public let unit: String
    public let device: String
    public let bureau: String
}

/// `POST /v1/push`: local changes, oldest first.
public struct PushRequest: Codable, Sendable, CanonicalEncodable {
    public let changes: [Change]

    public init(changes: [Change]) { self.changes = changes }

    /// Written by hand: the body of every push, where `JSONEncoder` would cost more than the network.
    public func write(to json: inout CanonicalJSON) {
        json.object { j in
            j.key("changes"); j.values(changes)
        }
    }
}

/// The answer to a push: one result per change, in the order sent.
public struct PushResponse: Codable, Sendable, CanonicalEncodable {
    public let results: [PushResult]

    public func write(to json: inout CanonicalJSON) {
        json.object { j in
            j.key("results")
            j.array { a in
                for result in results {
                    a.object { r in
                        r.key("dot"); r.value(result.dot)
                        if let reason = result.reason { r.key("reason"); r.string(reason) }
                        r.key("status"); r.string(result.status.rawValue)
                    }
                }
            }
        }
    }
}

/// One change of the central feed with its central sequence number.
public struct FeedChange: Codable, Sendable {
    public let seq: Int64
    public let change: Change
}

/// `GET /v1/changes?after=N&limit=M`: the next page of the central feed in the caller's scope, as the
/// field reads it (the server writes it as `FeedPage`).
public struct PullResponse: Codable, Sendable {
    public let changes: [FeedChange]
    /// The cursor to ask from next time: the last central sequence this page covered.
    public let next: Int64
    /// Whether more changes follow.
    public let more: Bool
}

/// A pull answer as the server writes it: the stored canonical JSON of each change inserted as it is,
/// never decoded and encoded again.
struct FeedPage: CanonicalEncodable {
    let slice: FeedSlice

    init(_ slice: FeedSlice) { self.slice = slice }

    func write(to json: inout CanonicalJSON) {
        json.object { j in
            j.key("changes")
            j.array { a in
                for feed in slice.changes {
                    a.object { f in
                        f.key("change"); f.raw(feed.body)
                        f.key("seq"); f.int(feed.seq)
                    }
                }
            }
            j.key("more"); j.bool(slice.more)
            j.key("next"); j.int(slice.covered)
        }
    }
}

/// The body of every error answer: `{ "error": { "code", "message" } }`.
/// How much of an attachment's file the central holds: the answer to every request that sends one.
public struct FileUploadStatus: Codable, Sendable, Equatable {
    /// The file's SHA-256, in hex.
    public let hash: String
    public let size: Int64
    /// Bytes of this device's copy received so far.
    public let received: Int64
    /// Whether the central holds the file whole and verified from this device's unit: nothing more to send.
    public let complete: Bool

    public init(hash: String, size: Int64, received: Int64, complete: Bool) {
        self.hash = hash
        self.size = size
        self.received = received
        self.complete = complete
    }
}

public struct ErrorBody: Codable, Sendable {
    /// The error's stable code and its message.
    public struct Detail: Codable, Sendable {
        public let code: String
        public let message: String
    }

    public let error: Detail

    public init(code: String, message: String) { error = Detail(code: code, message: message) }
}
