import Hummingbird

/// A page-level failure: the status and the one line the page shows.
struct DeskFailure: Error {
    let status: HTTPResponse.Status
    let message: String

    init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status
        self.message = message
    }
}
