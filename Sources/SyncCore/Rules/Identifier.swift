import Foundation

/// The rules for ids: what a member, unit or solicitation id may be, and the stricter form of a
/// replica's id, which names whose writes a dot counts.
public enum Identifier {
    /// The most characters an id may have.
    public static let maxLength = 64

    /// Whether `id` may name a member, unit or solicitation in a change received from elsewhere: 1 to 64
    /// characters, none of them `/`, a control or invisible formatting character or a line separator,
    /// in Unicode's composed form (NFC), so that two ids that compare the same are the same bytes
    /// wherever they are stored. (Ids made before the stricter rule for new ids still pass.)
    public static func isWellFormed(_ id: String) -> Bool {
        // Printable ASCII (the common case: ids made by this program) has no control or formatting
        // character and is its own composed form: only its length and `/` need looking at.
        if id.utf8.allSatisfy({ (0x20...0x7E).contains($0) }) {
            return (1...maxLength).contains(id.utf8.count) && !id.utf8.contains(UInt8(ascii: "/"))
        }
        guard !id.isEmpty, id.utf8.count <= maxLength * 4, id.count <= maxLength else { return false }
        guard !id.unicodeScalars.contains(where: { forbidden.contains($0.properties.generalCategory) || $0 == "/" }) else { return false }
        return id.utf8.elementsEqual(id.precomposedStringWithCanonicalMapping.utf8)
    }

    private static let forbidden: Set<Unicode.GeneralCategory> = [.control, .format, .lineSeparator, .paragraphSeparator]

    private static let punctuation: Set<Character> = ["-", "_", ".", ":", "@"]

    /// Whether `id` may name a new member or unit: well formed, and only letters and digits (of any
    /// script) and `- _ . : @` — nothing that reads as two ids or needs quoting on a command line.
    public static func isValidNew(_ id: String) -> Bool {
        isWellFormed(id) && id.allSatisfy { $0.isLetter || $0.isNumber || punctuation.contains($0) }
    }

    private static let replicaCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:@".utf8)

    /// Whether `id` may name a replica: 1 to 64 ASCII letters, digits and `- _ . :  @` (a replica makes
    /// its own id as a UUID; ASCII leaves no second spelling of the same id).
    public static func isWellFormedReplica(_ id: String) -> Bool {
        (1...maxLength).contains(id.utf8.count) && id.utf8.allSatisfy(replicaCharacters.contains)
    }

    /// Throws unless `id` may name a new member or unit; `what` names it ("member id", "unit id").
    public static func check(_ id: String, _ what: String) throws {
        guard !isValidNew(id) else { return }
        throw ReportSyncError(
            .invalidInput, "\(what) '\(shown(id))' is not a valid id: use 1 to \(maxLength) letters, digits and - _ . : @ (no spaces)")
    }

    /// At most the first 40 characters of a text from outside, for an error message.
    public static func shown(_ text: String) -> String {
        text.count > 40 ? String(text.prefix(40)) + "…" : text
    }
}
