import SyncCore

/// A report id, or the start of one, as a person types it: every store finds the one report it names
/// the same way (the ids from `text` up to `upperBound`, at most two of them, in order).
public struct ReportIDPrefix: Sendable {
    /// What was typed, trimmed and in lower case.
    public let text: String
    /// The first string after every id that starts with `text`.
    public var upperBound: String { text + "\u{10FFFF}" }

    public init(_ typed: String) throws {
        text = typed.trimmingCharacters(in: .whitespaces).lowercased()
        guard !text.isEmpty else { throw ReportSyncError(.invalidInput, "give a report id") }
    }

    /// The one id among `matches` (the first two ids that start with `text`, in order) that `text` names.
    public func resolve(_ matches: [String]) throws -> String {
        if matches.count == 1 || matches.first == text { return matches[0] }
        if matches.isEmpty { throw ReportSyncError(.notFound, "no report \(text) in this replica; see report-cli list") }
        throw ReportSyncError(.invalidInput, "more than one report starts with \(text); give more of the id")
    }
}
