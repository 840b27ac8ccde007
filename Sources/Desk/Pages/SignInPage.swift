import Foundation

/// The sign-in page.
struct SignInPage {
    let frame: PageFrame
    let member: String
}
