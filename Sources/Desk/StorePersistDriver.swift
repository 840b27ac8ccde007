import Crypto
import Foundation
import Hummingbird
import Store
import SyncCore

/// Hummingbird's key-value storage for the desk's sessions, kept in the central store (`DeskStore`):
/// sessions survive a restart and are shared by every `syncd serve` on the same store. Keys are stored
/// as their SHA-256, so the store never holds a usable session id.
struct StorePersistDriver: PersistDriver {
    let store: any DeskStore
    let now: @Sendable () -> Date

    func create<Object: Codable & Sendable>(key: String, value: Object, expires: Duration?) async throws {
        if try await store.deskSession(keyHash: Self.hash(key)) != nil { throw PersistError.duplicate }
        try await set(key: key, value: value, expires: expires)
    }

    func set<Object: Codable & Sendable>(key: String, value: Object, expires: Duration?) async throws {
        let json = String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
        let end = expires.map { now().addingTimeInterval(TimeInterval($0.components.seconds)) }
        try await store.saveDeskSession(keyHash: Self.hash(key), value: json, expiresAt: end)
    }

    func get<Object: Codable & Sendable>(key: String, as: Object.Type) async throws -> Object? {
        try await getWithTTL(key: key, as: Object.self)?.object
    }

    func getWithTTL<Object: Codable & Sendable>(key: String, as: Object.Type) async throws -> (object: Object, ttl: Duration?)? {
        guard let stored = try await store.deskSession(keyHash: Self.hash(key)) else { return nil }
        let object = try JSONDecoder().decode(Object.self, from: Data(stored.value.utf8))
        return (object, stored.expiresAt.map { .seconds(max(0, $0.timeIntervalSince(now()))) })
    }

    func remove(key: String) async throws {
        try await store.removeDeskSession(keyHash: Self.hash(key))
    }

    func shutdown() async throws {}

    func run() async throws {}

    static func hash(_ key: String) -> String {
        Hex.encode(SHA256.hash(data: Data(key.utf8)))
    }
}
