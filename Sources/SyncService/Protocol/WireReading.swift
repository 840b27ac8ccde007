import Store
import SyncCore

/// The push and pull bodies read by hand (`TreeReadable`), change by change, on both ends of a sync.
extension PushRequest: TreeReadable {
    public init?(reading node: JSONNode, in source: [UInt8]) {
        guard let elements = node["changes"]?.array else { return nil }
        var changes: [Change] = []
        changes.reserveCapacity(elements.count)
        for element in elements {
            guard let change = Change(reading: element, in: source) else { return nil }
            changes.append(change)
        }
        self.init(changes: changes)
    }
}

extension PullResponse: TreeReadable {
    public init?(reading node: JSONNode, in source: [UInt8]) {
        guard let elements = node["changes"]?.array, let next = node["next"]?.integer, let more = node["more"]?.bool else { return nil }
        var changes: [FeedChange] = []
        changes.reserveCapacity(elements.count)
        for element in elements {
            guard let seq = element["seq"]?.integer, let changeNode = element["change"], let change = Change(reading: changeNode, in: source) else {
                return nil
            }
            changes.append(FeedChange(seq: seq, change: change))
        }
        self.init(changes: changes, next: next, more: more)
    }
}

extension PushResponse: TreeReadable {
    public init?(reading node: JSONNode, in source: [UInt8]) {
        guard let elements = node["results"]?.array else { return nil }
        var results: [PushResult] = []
        results.reserveCapacity(elements.count)
        for element in elements {
            guard let dot = Dot(reading: element["dot"]), let status = element["status"]?.string.flatMap(PushResult.Status.init(rawValue:)) else {
                return nil
            }
            var reason: String?
            switch element["reason"]?.value {
            case nil, .null?: reason = nil
            case .string(let text)?: reason = text
            default: return nil
            }
            results.append(PushResult(dot: dot, status: status, reason: reason))
        }
        self.init(results: results)
    }
}
