import SyncCore

/// The SQLite central replica behind the seam: each blocking call runs on NIO's pool of blocking
/// threads (`Replica.background`), so no event loop waits on SQLite.
extension CentralReplica: CentralStore {
    public func bureau() async throws -> String {
        try await replica.background { try replica.identity().unit.id }
    }

    public func authenticate(token: String) async throws -> Enrollment {
        try await replica.background { try checkedToken(token) }
    }

    /// The token's enrolment, or `TokenRefused` when it is unknown or revoked.
    private func checkedToken(_ token: String) throws -> Enrollment {
        do { return try authenticate(token: token) as Enrollment } catch let error as ReportSyncError where error.code == .forbidden {
            throw TokenRefused(error)
        }
    }

    /// Pushes that arrive together are applied in one transaction, each answered after its commit (`PushGroups`).
    public func receivePush(_ changes: [Change], from device: Enrollment) async throws -> [PushResult] {
        try await pushGroups.apply(changes: changes.count) {
            try checkFileInPlace()
            return try receivePush(changes, from: device)
        }
    }

    /// Network pushes applied as one group, as `PushGroups` applies the pushes that wait together: for
    /// tests that drive the group's transaction without threads.
    func receivePushes(_ pushes: [(changes: [Change], device: Enrollment)]) throws -> [Result<[PushResult], any Error>] {
        try PushGroups.commit(pushes.map { push in { try receivePush(push.changes, from: push.device) } }, on: replica)
    }

    public func feed(after: Int64, limit: Int, token: String) async throws -> FeedSlice {
        try await replica.background { try feed(after: after, limit: limit, for: try checkedToken(token)) }
    }

    /// The next page of `device`'s feed, noting how far the device has pulled.
    public func feed(after: Int64, limit: Int, for device: Enrollment) throws -> FeedSlice {
        try checkFileInPlace()
        let slice = try feed(after: after, limit: limit, unit: device.unit)
        try notePull(by: device, reaching: slice.covered)
        return slice
    }

    public func bindBundleKey(_ key: BundlePublicKey, token: String) async throws -> BundlePublicKey {
        try await replica.background {
            try checkFileInPlace()
            return try bindBundleKey(key, token: token, device: try checkedToken(token))
        }
    }

    public func standing(token: String, asking asked: [String]) async throws -> CentralStanding {
        try await replica.background { try standing(for: try checkedToken(token), asking: asked) }
    }

    /// One `stat` of the file, done here rather than on the pool of blocking threads: a health check
    /// must answer at once even while every pool thread is busy with the database.
    public func checkHealth() async throws {
        try checkFileInPlace()
    }

    public func figures() async throws -> CentralFigures {
        try await replica.background {
            let active = try enrollments().filter { $0.revokedAt == nil }
            return CentralFigures(
                openConflicts: try replica.conflicts().filter { $0.status == .open }.count, activeDevices: active,
                outgoing: try active.reduce(into: [:]) { outgoing, device in outgoing[device.device] = try pull(of: device.device, unit: device.unit)?.outgoing })
        }
    }

    public func fileGrant(_ hash: BlobHash, for device: Enrollment, sending: Bool) async throws -> FileGrant {
        try await replica.background { try fileGrant(hash, for: device, sending: sending) as FileGrant }
    }

    public func fileStore() throws -> BlobStore {
        try replica.requireBlobStore()
    }

    public func noteFileStored(_ reference: BlobReference, from device: Enrollment) async throws {
        try await replica.background { try noteFileSupplied(reference, by: device.unit, channel: .network) }
    }
}
