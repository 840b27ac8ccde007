import Foundation

/// A signed-in desk session as the server keeps it: who, and the token every form of theirs must carry.
public struct DeskSession: Codable, Sendable, Equatable {
    /// The member id.
    public let member: String
    /// The anti-forgery token of this session (`DeskCSRF`), sent back by every form.
    public let csrf: String
}
