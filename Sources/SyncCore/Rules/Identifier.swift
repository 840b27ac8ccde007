/// The one rule for ids of records, units, members and replicas: 1 to 64 characters, each a letter or
/// digit (of any script) or one of `- _ . : @`. No id holds a `/`, so a report's id can never look like
/// reference data (`unit/…`, `member/…`), nor a space, control character or quote.
public enum Identifier {
    /// The most characters an id may have.
    public static let maxLength = 64

    private static let punctuation: Set<Character> = ["-", "_", ".", ":", "@"]

    /// Whether `id` is a well-formed id.
    public static func isWellFormed(_ id: String) -> Bool {
        guard !id.isEmpty, id.utf8.count <= maxLength * 4, id.count <= maxLength else { return false }
        return id.allSatisfy { $0.isLetter || $0.isNumber || punctuation.contains($0) }
    }

    /// Throws unless `id` is well formed; `what` names it ("member id", "unit id").
    public static func check(_ id: String, _ what: String) throws {
        guard !isWellFormed(id) else { return }
        throw ReportSyncError(
            .invalidInput,
            "\(what) '\(shown(id))' is not a valid id: use 1 to \(maxLength) letters, digits and - _ . : @ (no spaces or /)")
    }

    /// At most the first 40 characters of a text from outside, for an error message.
    public static func shown(_ text: String) -> String {
        text.count > 40 ? String(text.prefix(40)) + "…" : text
    }
}
