/// Decoding failures as one line a person can act on.
extension DecodingError {
    /// One line naming the key path and what was wrong with it.
    public var readableDescription: String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch self {
        case .typeMismatch(let type, let context):
            return "key '\(path(context.codingPath))': expected \(Self.describe(type))"
        case .valueNotFound(let type, let context):
            return "key '\(path(context.codingPath))': expected \(Self.describe(type)), found null"
        case .keyNotFound(let key, let context):
            return "key '\(path(context.codingPath + [key]))' is required"
        case .dataCorrupted(let context):
            let at = context.codingPath.isEmpty ? "" : "key '\(path(context.codingPath))': "
            return at + context.debugDescription
        @unknown default:
            return "\(self)"
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type: "a whole number"
        case is String.Type: "text"
        case is Bool.Type: "true or false"
        case is Double.Type: "a number"
        default: "\(type)"
        }
    }
}
