import Foundation

/// One report: content (unless it is kept off the network), history and the central office's forms.
struct ReportPage {
    struct Entry {
        let at: String
        let actor: String
        let what: String
        let comment: String?
        let took: Bool
    }

    /// A report of the follow-up chain (续报).
    struct Link {
        let href: String?
        let title: String
        let state: String
        let created: String
        let first: Bool
    }

    /// A file attached to the report, as listed (the file itself does not travel yet).
    struct File {
        let name: String
        let kind: String
        let caption: String?
        /// The file's size, for a file (none for an attachment recorded by name alone).
        let size: String?
        /// Where to fetch it, once the central holds it.
        let href: String?
        /// Whether it is shown in the page (a raster image the central holds).
        let image: Bool
        /// Why it cannot be opened yet, when it cannot.
        let missing: String?
    }

    struct Level {
        let value: String
        let label: String
    }

    let frame: PageFrame
    let id: String
    let unit: String
    let category: String
    let state: String
    let title: String
    /// Why the text is not shown, when it is not.
    let withheld: String?
    let body: [String]
    let place: String?
    let eventTime: String?
    let lastComment: String?
    let history: [Entry]
    let canDecide: Bool
    let canInstruct: Bool
    let canArchive: Bool
    let levels: [Level]
    let chain: [Link]
    let hasChain: Bool
    let attachments: [File]
    let hasAttachments: Bool
    let conflicts: [ConflictView]
    let hasConflicts: Bool
    let openConflicts: Int
}
