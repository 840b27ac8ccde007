import Foundation
import GRDB
import SyncCore

/// The replica's own settings, one row per key in `replica_meta`.
public enum Meta {
    /// The settings' keys, the same in every store.
    public enum Key: String, Sendable {
        case replicaID = "replica_id"
        case unitID = "unit_id"
        case createdAt = "created_at"
        /// The last dot counter this replica issued.
        case counter
        /// The last hybrid logical clock stamp issued or seen.
        case hlc
        case defaultActor = "default_actor"
        /// Replica ids this file used before it was copied or restored (comma-separated).
        case previousReplicaIDs = "previous_replica_ids"
        /// Device and inode of the file when last opened: a copy or a restored backup has others.
        case fileIdentity = "file_identity"
        /// `ReplicaRole`: `central` or `field`; absent for a standalone replica.
        case replicaRole = "replica_role"
        /// A field replica's central server and its bearer token.
        case centralURL = "central_url"
        case centralToken = "central_token"
        /// The highest central sequence applied (what is pushed is the outbox, not a cursor).
        case pullCursor = "pull_cursor"
        /// When the last sync finished, and the last sync error.
        case lastSyncAt = "last_sync_at"
        case lastSyncError = "last_sync_error"
        /// The last time the replica took a new id, and why (`ReplicaEpoch`): "MILLIS OLD NEW reason".
        case lastEpoch = "last_epoch"
        /// Set in a file made by `backup` or put in place by `restore`: put in use, it takes a new replica id.
        case backupOf = "backup_of"
        /// A central's incarnations, oldest first, each with the sequence it began at (`CentralIncarnation`).
        case incarnations
        /// What the central held of each earlier replica id of its own when its incarnation began.
        case returnableAfter = "returnable_after"
        /// A field replica's knowledge of its central's incarnation, as the central last named it.
        case centralIncarnation = "central_incarnation"
        /// The central's own private signing key (raw, base64), for the receipts it makes unattended.
        case serverSigningKey = "server_signing_key"
        /// The replica's private bundle keys (`BundleIdentity.stored`).
        case bundleKeys = "bundle_keys"
        /// Set once the central has bound this field's bundle keys to its enrolment.
        case bundleKeyRegistered = "bundle_key_registered"
        /// A field replica's copy of its central's public bundle keys (JSON `BundlePublicKey`).
        case centralBundleKey = "central_bundle_key"
        /// The classifications a central's feed last kept off the network (comma-separated, `Secrecy`):
        /// a policy that lets one on again declassifies its reports (`Declassifications.releasedByPolicy`).
        case offNetworkServed = "off_network_served"
        /// A central's policy releases (JSON `[CentralStanding.PolicyRelease]`), for the standing.
        case policyReleases = "policy_releases"
        /// The highest policy release (`CentralStanding.PolicyRelease.at`) a field replica has pulled again for.
        case releasesHandled = "releases_handled"
    }

    static func get(_ key: Key, _ db: Database) throws -> String? {
        // A cached statement: read several times in every transaction, it is not parsed again each time.
        try String.fetchOne(db.cachedStatement(sql: "SELECT value FROM replica_meta WHERE key = ?"), arguments: [key.rawValue])
    }

    /// A sequence number the replica keeps under `key` (its pull cursor, the last policy release it
    /// pulled again for): 0 when it has none yet.
    static func sequence(_ key: Key, _ db: Database) throws -> Int64 {
        try get(key, db).flatMap(Int64.init) ?? 0
    }

    static func require(_ key: Key, _ db: Database) throws -> String {
        guard let value = try get(key, db) else {
            throw ReportSyncError(.storage, "the replica has no \(key.rawValue); it is damaged, restore it from a backup")
        }
        return value
    }

    static func set(_ key: Key, _ value: String, _ db: Database) throws {
        try db.cachedStatement(sql: "INSERT INTO replica_meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
            .execute(arguments: [key.rawValue, value])
    }

    /// What the replica is to the bureau; a file without the key is a standalone replica.
    static func role(_ db: Database) throws -> ReplicaRole {
        guard let text = try get(.replicaRole, db) else { return .standalone }
        guard let role = ReplicaRole(rawValue: text) else {
            throw ReportSyncError(.schemaTooNew, "the replica's role '\(text)' is unknown to this ReportSync; install the newer one")
        }
        return role
    }

    static func remove(_ key: Key, _ db: Database) throws {
        try db.execute(sql: "DELETE FROM replica_meta WHERE key = ?", arguments: [key.rawValue])
    }
}

extension OrgUnit: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "units"

    /// The definition's columns; `since` is this replica's own, kept by `ReferenceStore.keepSince`.
    public func encode(to container: inout PersistenceContainer) throws {
        container["id"] = id
        container["name"] = name
        container["kind"] = kind.rawValue
        container["parent"] = parent
    }
}

extension Member: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "members"
}
