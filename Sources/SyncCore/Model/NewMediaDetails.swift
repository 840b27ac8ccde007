import Foundation

/// What a new-media item (新媒体信息) reports besides its title, text and time of publication (000:513):
/// the platform it was published on and who published it, by name and post. Optional so a draft can be
/// saved before all is known; a submission needs the platform and the publisher.
public struct NewMediaDetails: Codable, Sendable, Equatable {
    /// 发布平台: e.g. 微信公众号「法润永宁」, 今日头条.
    public var platform: String?
    /// 发布人员: the publisher's name.
    public var publisher: String?
    /// The publisher's post (职务).
    public var publisherPost: String?

    public init(platform: String? = nil, publisher: String? = nil, publisherPost: String? = nil) {
        self.platform = platform
        self.publisher = publisher
        self.publisherPost = publisherPost
    }

    /// These details with every one `update` gives laid over them, as given (an empty text stays, to clear).
    public func overlaid(by update: NewMediaDetails) -> NewMediaDetails {
        NewMediaDetails(
            platform: update.platform ?? platform, publisher: update.publisher ?? publisher, publisherPost: update.publisherPost ?? publisherPost)
    }

    /// A report's details after `update`: laid over `base`, an empty text clearing its detail.
    public static func merging(_ base: NewMediaDetails?, _ update: NewMediaDetails?) -> NewMediaDetails? {
        guard let update else { return base }
        let laid = (base ?? NewMediaDetails()).overlaid(by: update)
        let merged = NewMediaDetails(platform: laid.platform?.nilIfEmpty, publisher: laid.publisher?.nilIfEmpty, publisherPost: laid.publisherPost?.nilIfEmpty)
        return merged == NewMediaDetails() ? nil : merged
    }
}
