import Foundation

/// The rules for ids: what a member, unit or solicitation id may be, and the stricter form of a
/// replica's id, which names whose writes a dot counts.
public enum Identifier {
    /// The most characters an id may have.
    public static let maxLength = 64

    /// Whether `id` may name a member, unit or solicitation: 1 to 64 characters, none of them a control
    /// character or `/`, no space at either end, and in Unicode's composed form (NFC), so that two ids
    /// that look and compare the same are the same bytes wherever they are stored.
    public static func isWellFormed(_ id: String) -> Bool {
        guard !id.isEmpty, id.utf8.count <= maxLength * 4, id.count <= maxLength else { return false }
        guard id.first?.isWhitespace == false, id.last?.isWhitespace == false else { return false }
        guard !id.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0 == "/" }) else { return false }
        return id.utf8.elementsEqual(id.precomposedStringWithCanonicalMapping.utf8)
    }

    private static let replicaCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:@".utf8)

    /// Whether `id` may name a replica: 1 to 64 ASCII letters, digits and `- _ . :  @` (a replica makes
    /// its own id as a UUID; ASCII leaves no second spelling of the same id).
    public static func isWellFormedReplica(_ id: String) -> Bool {
        (1...maxLength).contains(id.utf8.count) && id.utf8.allSatisfy(replicaCharacters.contains)
    }

    /// Throws unless `id` is well formed; `what` names it ("member id", "unit id").
    public static func check(_ id: String, _ what: String) throws {
        guard !isWellFormed(id) else { return }
        throw ReportSyncError(
            .invalidInput,
            "\(what) '\(shown(id))' is not a valid id: use 1 to \(maxLength) characters, without / or control characters or spaces at either end")
    }

    /// At most the first 40 characters of a text from outside, for an error message.
    public static func shown(_ text: String) -> String {
        text.count > 40 ? String(text.prefix(40)) + "…" : text
    }
}
