import Foundation

/// A page that only says what went wrong.
struct ErrorPage {
    let frame: PageFrame
}
