import SyncCore

/// What the central's HTTP server needs from the central store: authenticate a device, authorise and
/// merge its push, serve its unit's feed, and the figures for `/metrics`. `SyncService` depends on this
/// protocol, never on a concrete store. Every method is asynchronous, so a store on a database server
/// (PostgreSQL through postgres-nio) can stand behind it without blocking a thread; every store runs
/// the same `MergeEngine` and the same `PushAuthorization` rules.
public protocol CentralStore: Sendable {
    /// The id of the bureau (its central office's unit).
    func bureau() async throws -> String
    /// The enrolment a bearer token belongs to; `TokenRefused` says whether it is unknown or revoked.
    func authenticate(token: String) async throws -> Enrollment
    /// Authorises and merges changes pushed by `device`'s replica: one result per change, in the order sent.
    func receivePush(_ changes: [Change], from device: Enrollment) async throws -> [PushResult]
    /// The next page of the feed in the scope (its unit and the units below it, and reference data) of
    /// the device whose token is `token`, checked in the same call (`TokenRefused`): a pull is one trip
    /// to the store.
    func feed(after: Int64, limit: Int, token: String) async throws -> FeedSlice
    /// Binds the bundle keys of the device whose token is `token` (its first registration wins; another
    /// key for the same enrolment is a `forbidden` error), and returns the key bound.
    func bindBundleKey(_ key: BundlePublicKey, token: String) async throws -> BundlePublicKey
    /// What the central holds for the sync round of the device whose token is `token`, checked in the
    /// same call (`TokenRefused`): its incarnations and its counters per replica id; `asked` are the
    /// replica ids the device wrote under.
    func standing(token: String, asking asked: [String]) async throws -> CentralStanding
    /// Throws (`unavailable`) when the store cannot take writes: for `/healthz`.
    func checkHealth() async throws
    /// What `/metrics` reports at scrape time.
    func figures() async throws -> CentralFigures

    /// The file `hash` as `device` may send it (`sending`: one of its unit's reports names it) or fetch
    /// it (a report in its feed names it and a unit in that scope sent its bytes); a `notFound` error
    /// otherwise, whether the file exists or not.
    func fileGrant(_ hash: BlobHash, for device: Enrollment, sending: Bool) async throws -> FileGrant
    /// Where the central keeps attachments' files.
    func fileStore() throws -> BlobStore
    /// Notes that `device` sent a file whole, and its bytes verified, over the network.
    func noteFileStored(_ reference: BlobReference, from device: Enrollment) async throws
}

/// The central's gauges at one moment.
public struct CentralFigures: Sendable, Equatable {
    /// Conflicts nobody has resolved yet.
    public let openConflicts: Int
    /// Devices whose token is still valid.
    public let activeDevices: [Enrollment]
    /// By device: the changes its feed carries that it has not pulled (`DevicePull`); none for a device never pulled.
    public let outgoing: [String: Int]

    public init(openConflicts: Int, activeDevices: [Enrollment], outgoing: [String: Int] = [:]) {
        self.openConflicts = openConflicts
        self.activeDevices = activeDevices
        self.outgoing = outgoing
    }
}
