import Foundation

/// A desk page's address with its query: only the parameters that are set, each percent-encoded.
enum DeskAddress {
    static func make(_ path: String, _ parameters: [(name: String, value: String?)]) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+#")
        let query = parameters.compactMap { name, value in
            value.map { "\(name)=\($0.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }
        }
        return path + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
    }
}
