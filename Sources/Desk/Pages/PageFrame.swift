import Foundation

/// What every page's frame shows: the title, who is signed in, and their anti-forgery token for the
/// sign-out form.
struct PageFrame {
    let title: String
    let memberName: String?
    let csrf: String?
    /// Whether the member is an admin (the units and people page is theirs).
    let isAdmin: Bool
    let timeZone: String
    /// A one-line message above the page (an error or what was done).
    let notice: String?
    let noticeIsError: Bool
}
