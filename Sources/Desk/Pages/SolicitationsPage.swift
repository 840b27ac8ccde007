import Foundation

/// The solicitations: a form to issue one, and each one's answers by unit.
struct SolicitationsPage {
    struct Unit {
        let id: String
        let name: String
    }

    struct Answer {
        let unit: String
        let status: String
        let late: Bool
        let link: String?
        /// The office's reminders so far, in words (empty: none).
        let chased: String
        /// Whether the page offers to chase the unit: nothing was sent, or what was sent came back.
        let chase: Bool
        let solicitation: String
    }

    struct Item {
        let topic: String
        let deadline: String
        let contact: String
        let issuedBy: String
        let answers: [Answer]
        let summary: String
    }

    let frame: PageFrame
    let units: [Unit]
    let items: [Item]
    let empty: Bool
}
