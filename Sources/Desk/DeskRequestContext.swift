import Hummingbird
import HummingbirdAuth

/// The request context of the desk's routes: the server's context, and the session the cookie names.
public struct DeskRequestContext: ChildRequestContext, SessionRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let sessions: SessionContext<DeskSession>

    public init(context: BasicRequestContext) {
        coreContext = context.coreContext
        sessions = SessionContext()
    }
}
