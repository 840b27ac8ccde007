/// The sizes a bureau allows for attachments' files: defaults that fit phone photos and a few minutes
/// of video, and keep a report's files within what a poor link carries in an evening.
public struct AttachmentLimits: Codable, Sendable, Equatable {
    /// Largest file, in bytes (default 200 MiB).
    public var maxFileBytes: Int64 = 200 << 20
    /// Largest total of one report's files, in bytes (default 500 MiB).
    public var maxReportBytes: Int64 = 500 << 20

    enum CodingKeys: String, CodingKey {
        case maxFileBytes, maxReportBytes
    }

    public init() {}

    /// Read key by key, like the rest of the policy: a key left out keeps its default.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        maxFileBytes = try c.decodeIfPresent(Int64.self, forKey: .maxFileBytes) ?? maxFileBytes
        maxReportBytes = try c.decodeIfPresent(Int64.self, forKey: .maxReportBytes) ?? maxReportBytes
    }
}
