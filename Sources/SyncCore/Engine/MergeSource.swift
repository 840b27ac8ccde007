/// What the merge engine reads from a store: the records a batch touches, the changes already held or
/// waiting, and the reference values in force. A store answers from its own tables (SQLite inside the
/// transaction) or from what it loaded before the batch; it never decides anything.
public protocol MergeSource {
    /// The merged record of report `id`, if the store holds it.
    func storedRecord(_ id: String) throws -> ReportRecord?
    /// The canonical JSON of the applied change with this dot, if the store holds one.
    func heldBody(of dot: Dot) throws -> String?
    /// Whether any received change is waiting for its causes (most batches then skip every waiting lookup).
    func hasWaiting() throws -> Bool
    /// The canonical JSON of the waiting change with this dot, if one waits.
    func waitingBody(of dot: Dot) throws -> String?
    /// The changes that wait on one of `records` (see `WaitingChange.waitsFor`), in dot order.
    func waiting(on records: Set<String>) throws -> [WaitingChange]
    /// The clock stamp and dot of the write whose value the store holds for reference record `id`.
    func referenceVersion(_ id: String) throws -> ReferenceVersion?
    /// The registered signing key with this id, as the store holds it.
    func signingKey(_ id: String) throws -> SigningKey?
    /// The changes whose values `record` holds withheld, as the store keeps them whole (`Withheld`), by
    /// dot: none on a replica that kept no text of them.
    func originals(of record: ReportRecord) throws -> [Dot: Change]
}

/// The stamp of the write that set a reference record's current value.
public struct ReferenceVersion: Sendable, Equatable {
    public let hlc: HybridTimestamp
    public let dot: Dot

    public init(hlc: HybridTimestamp, dot: Dot) {
        self.hlc = hlc
        self.dot = dot
    }
}

/// A received change held back until what it depends on arrives.
public struct WaitingChange: Sendable, Equatable {
    public let change: Change
    /// Its canonical JSON, byte for byte as received.
    public let body: String
    /// The record whose next write may let it apply: a record it requires, else its own.
    public var waitsFor: String

    public init(change: Change, body: String, waitsFor: String) {
        self.change = change
        self.body = body
        self.waitsFor = waitsFor
    }
}

/// Where a change entered a replica.
public enum ChangeOrigin: String, Sendable, Codable {
    /// Made by a person (or the central's automatic receipt) on this replica.
    case local
    /// Received from another replica (sync or bundle).
    case remote
}
