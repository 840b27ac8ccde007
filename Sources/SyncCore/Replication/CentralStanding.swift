
/// What the central holds, as a field device asks at the start of every sync round
/// (`GET /v1/standing`) or finds in a bundle to its unit (`UnitBundle.standings`): enough for the device to find out, by knowledge rather than by file identity,
/// whether its own file or the central's was put back from an older copy (`FieldReplica.reconcile`).
public struct CentralStanding: Codable, Sendable, Equatable {
    /// One replica id and a dot counter of it.
    public struct Held: Codable, Sendable, Equatable {
        public let replica: String
        public let counter: Int64

        public init(replica: String, counter: Int64) {
            self.replica = replica
            self.counter = counter
        }
    }

    /// One incarnation of the central and the central sequence it began at: every later feed is the
    /// same as the earlier ones up to it.
    public struct Incarnation: Codable, Sendable, Equatable {
        public let id: String
        public let base: Int64

        public init(id: String, base: Int64) {
            self.id = id
            self.base = base
        }
    }

    /// A day the bureau's policy let a classification back on the network (`Policy.internalOverNetwork`):
    /// the feed had left its reports' changes out, so a reader past `from` pulls again from there.
    public struct PolicyRelease: Codable, Sendable, Equatable {
        /// The central sequence at which the release happened; a device remembers the highest it handled.
        public let at: Int64
        /// The lowest central sequence of a change the release let on the network, of the asking device's units.
        public let from: Int64

        public init(at: Int64, from: Int64) {
            self.at = at
            self.from = from
        }
    }

    /// The central's incarnations, oldest first; the last is the current one. A new one begins whenever
    /// its store is restored, replaced or re-created.
    public let incarnations: [Incarnation]
    /// The highest central sequence now.
    public let top: Int64
    /// The device's own replica ids (every one bound to it) with the highest counter of each the
    /// central holds (applied, waiting or refused).
    public let device: [Held]
    /// The central's earlier replica ids with the highest counter of each it held when its current
    /// incarnation began: what a device holds past that, the central may have lost.
    public let central: [Held]
    /// The central's current replica id and the highest counter of it it holds: a device holding more
    /// of it knows the central was put back without starting a new epoch.
    public let centralNow: Held
    /// Of the replica ids the device asked about, those bound to another device (a copied file's old
    /// ids): not this device's to send again.
    public let elsewhere: [String]
    /// The central's public bundle keys: what a device encrypts its bundles to and checks the
    /// central's bundles with (docs/bundles.md). Absent from a central older than bundles.
    public var bundleKey: BundlePublicKey?
    /// Every policy release of this central, oldest first. Absent from a central older than releases.
    public var releases: [PolicyRelease]?

    public init(incarnations: [Incarnation], top: Int64, device: [Held], central: [Held], centralNow: Held, elsewhere: [String]) {
        self.incarnations = incarnations
        self.top = top
        self.device = device
        self.central = central
        self.centralNow = centralNow
        self.elsewhere = elsewhere
    }

    /// What `standings` (of several devices, one central, one moment) say alike, naming no device: no
    /// counters of a device's ids, and as `elsewhere` only the ids every one of them calls another's.
    public static func namingNoDevice(of standings: [CentralStanding]) -> CentralStanding? {
        guard let first = standings.first else { return nil }
        let elsewhere = standings.dropFirst().reduce(Set(first.elsewhere)) { $0.intersection($1.elsewhere) }
        var standing = CentralStanding(
            incarnations: first.incarnations, top: first.top, device: [], central: first.central, centralNow: first.centralNow,
            elsewhere: first.elsewhere.filter(elsewhere.contains))
        standing.bundleKey = first.bundleKey
        standing.releases = first.releases
        return standing
    }

    /// The most replica ids a device asks about in one standing.
    public static let maxAsked = 100

    /// The current incarnation.
    public var incarnation: String { incarnations.last?.id ?? "" }

    /// Where a reader that last knew incarnation `known` with cursor `cursor` must pull from: the
    /// lowest base of every incarnation since, or the start when `known` is not one of them.
    public func pullFrom(knownIncarnation known: String, cursor: Int64) -> Int64 {
        guard let index = incarnations.firstIndex(where: { $0.id == known }) else { return 0 }
        return incarnations[(index + 1)...].map(\.base).reduce(cursor, min)
    }

    /// Where a reader whose cursor is `cursor` and which handled the releases up to `handled` must pull
    /// from: before the lowest `from` of a release it has not handled and has pulled past (else `cursor`).
    public func pullFrom(releasesAfter handled: Int64, cursor: Int64) -> Int64 {
        possibleReleases.filter { $0.at > handled && cursor >= $0.from }.map { $0.from - 1 }.reduce(cursor, min)
    }

    /// The releases that could be: a first change from sequence 1 on, at or before the release, which
    /// is at or before the highest sequence now. Any other was not written by a central, and is ignored.
    public var possibleReleases: [PolicyRelease] {
        (releases ?? []).filter { $0.from >= 1 && $0.from <= $0.at && $0.at <= top }
    }

    /// The highest counter of the device's replica id `replica` the central holds, 0 for none.
    public func counter(of replica: String) -> Int64 {
        device.first { $0.replica == replica }?.counter ?? 0
    }
}
