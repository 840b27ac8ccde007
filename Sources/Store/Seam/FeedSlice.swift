/// One page of the central feed as a central store returns it: each change's stored canonical JSON
/// (sent as it is, never decoded and encoded again) with its central sequence.
public struct FeedSlice: Sendable, Equatable {
    /// One change of the feed.
    public struct Entry: Sendable, Equatable {
        public let seq: Int64
        public let body: String

        public init(seq: Int64, body: String) {
            self.seq = seq
            self.body = body
        }
    }

    public let changes: [Entry]
    /// The central sequence the page covered: where the reader asks from next time.
    public let covered: Int64
    /// Whether more changes follow.
    public let more: Bool

    public init(changes: [Entry], covered: Int64, more: Bool) {
        self.changes = changes
        self.covered = covered
        self.more = more
    }
}
