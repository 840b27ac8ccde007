/// The hand-written reader of changes (`TreeReadable`): the envelope and content writes, the commonest
/// payload, are read from the tree; any other payload is decoded alone with `JSONDecoder`.
extension Change: TreeReadable {
    public init?(reading node: JSONNode, in source: [UInt8]) {
        guard let version = node["v"]?.integer, let dot = Dot(reading: node["dot"]), let hlc = node["hlc"]?.integer,
            let record = node["record"]?.string, let unit = node["unit"]?.string, let actor = node["actor"]?.string,
            let context = VersionVector(reading: node["context"]), let requiresNodes = node["requires"]?.array,
            let payloadNode = node["payload"]
        else { return nil }
        guard
            let requires = requiresNodes.readEach({ element -> RecordDot? in
                guard let required = element["record"]?.string, let dot = Dot(reading: element["dot"]) else { return nil }
                return RecordDot(record: required, dot: dot)
            })
        else { return nil }
        let payload: ChangePayload
        if payloadNode["type"]?.string == "content", let write = ContentWrite(reading: payloadNode["content"]) {
            payload = .content(write)
        } else {
            guard let decoded = JSONCoding.decodedPart(ChangePayload.self, payloadNode, in: source) else { return nil }
            payload = decoded
        }
        self.init(dot: dot, hlc: HybridTimestamp(rawValue: hlc), record: record, unit: unit, actor: actor, context: context, requires: requires, payload: payload)
        v = Int(version)
    }
}

extension Dot {
    /// The dot an object `{"counter": N, "replica": "…"}` holds, or `nil`.
    public init?(reading node: JSONNode?) {
        guard let counter = node?["counter"]?.integer, let replica = node?["replica"]?.string else { return nil }
        self.init(replica: replica, counter: counter)
    }
}

extension VersionVector {
    init?(reading node: JSONNode?) {
        guard let members = node?.object else { return nil }
        var counters: [String: Int64] = [:]
        counters.reserveCapacity(members.count)
        for (replica, counter) in members {
            guard let counter = counter.integer else { return nil }
            counters[replica] = counter
        }
        self.init(counters)
    }
}

extension ContentWrite {
    init?(reading node: JSONNode?) {
        guard let creates = node?["creates"]?.bool, let members = node?["fields"]?.object else { return nil }
        var fields: [String: String] = [:]
        fields.reserveCapacity(members.count)
        for (name, value) in members {
            guard let text = value.string else { return nil }
            fields[name] = text
        }
        self.init(creates: creates, fields: fields)
    }
}
