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
