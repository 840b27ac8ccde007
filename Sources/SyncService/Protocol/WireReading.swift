import Store
import SyncCore

/// The push and pull bodies read by hand (`TreeReadable`), change by change, on both ends of a sync.
extension PushRequest: TreeReadable {
    public init?(reading node: JSONNode, in source: [UInt8]) {
        guard let changes = node["changes"]?.array?.readEach({ Change(reading: $0, in: source) }) else { return nil }
        self.init(changes: changes)
    }
}

extension PullResponse: TreeReadable {
    public init?(reading node: JSONNode, in source: [UInt8]) {
        guard let next = node["next"]?.integer, let more = node["more"]?.bool,
            let changes = node["changes"]?.array?.readEach({ element -> FeedChange? in
                guard let seq = element["seq"]?.integer, let change = element["change"].flatMap({ Change(reading: $0, in: source) }) else { return nil }
                return FeedChange(seq: seq, change: change)
            })
        else { return nil }
        self.init(changes: changes, next: next, more: more)
    }
}

extension PushResponse: TreeReadable {
    public init?(reading node: JSONNode, in source: [UInt8]) {
        let results = node["results"]?.array?.readEach { element -> PushResult? in
            guard let dot = Dot(reading: element["dot"]), let status = element["status"]?.string.flatMap(PushResult.Status.init(rawValue:)) else {
                return nil
            }
            switch element["reason"]?.value {
            case nil, .null?: return PushResult(dot: dot, status: status)
            case .string(let reason)?: return PushResult(dot: dot, status: status, reason: reason)
            default: return nil
            }
        }
        guard let results else { return nil }
        self.init(results: results)
    }
}
