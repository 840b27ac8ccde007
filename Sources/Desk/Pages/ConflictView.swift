import Foundation

/// One conflict of a report as its page shows it: both sides side by side, the word diff of a text
/// field's two values, and, while it is open, the form that decides it.
struct ConflictView {
    /// One side: who wrote or took what, and when.
    struct Side {
        let actor: String
        let at: String
        let what: String
        /// A field's value (shown only where the desk shows the report's text).
        let value: String?
    }

    /// A run of the word diff, from the losing value to the standing one.
    struct Part {
        let text: String
        let same: Bool
        let removed: Bool
        let added: Bool
    }

    /// The full id, sent back by the form.
    let key: String
    let shortID: String
    let kind: String
    let reason: String
    let winner: Side?
    let loser: Side
    let diff: [Part]
    let hasDiff: Bool
    let open: Bool
    /// Open, and the member looking may decide it: the page shows the form.
    let decidable: Bool
    /// A field conflict may be settled with a new value typed on the form.
    let takesValue: Bool
    /// How it was settled, once it was.
    let settled: String?
}
