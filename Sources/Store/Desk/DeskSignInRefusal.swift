/// Why a desk sign-in was refused, in words the sign-in page can show.
public struct DeskSignInRefusal: Error, Sendable {
    /// What the sign-in page says.
    public enum Reason: Sendable, Equatable {
        /// No member of that name with a desk password (said like a wrong password: names are not confirmed).
        case unknown
        /// Too many wrong passwords in a row: the next try must wait this many seconds.
        case wait(seconds: Int)
    }

    public let reason: Reason
}
