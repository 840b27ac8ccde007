import Crypto
import Foundation
import SyncCore

/// The files attachments name, kept by content address in a folder beside the replica file
/// (`central.sqlite.blobs/ab/abcd…`). A file enters whole or not at all: its bytes are written under
/// `partial/` (a transfer cut off resumes from what is there), hashed, flushed to the disk and only then
/// moved into place, so a file in place is always complete and verified.
public final class BlobStore: Sendable {
    /// The folder that holds the blobs.
    public let directory: String
    /// One writer at a time: two devices sending the same file must not interleave their chunks.
    private let lock = NSLock()
    /// The hash of each partial file so far, kept while its bytes arrive in this process, so that the
    /// last chunk need not read the whole file back (after a restart it is read back once).
    /// Guarded by `lock`, like every write.
    private let hashing = PartialHashes()
    /// Bytes read or written at a time when copying and hashing.
    static let chunk = 1 << 20

    /// The blob store of the replica file at `replicaPath`.
    public init(besideReplicaAt replicaPath: String) {
        directory = replicaPath + ".blobs"
    }

    /// Where the whole blob with this address is, when it is there.
    public func path(of hash: BlobHash) -> String {
        "\(directory)/\(hash.hex.prefix(2))/\(hash.hex)"
    }

    /// Whether the whole blob is here.
    public func contains(_ hash: BlobHash) -> Bool {
        FileManager.default.fileExists(atPath: path(of: hash))
    }

    /// Copies the file at `source` into the store and returns its address and size.
    public func add(fileAt source: String) throws -> (hash: BlobHash, size: Int64) {
        guard let input = FileHandle(forReadingAtPath: source) else {
            throw ReportSyncError(.notFound, "cannot read \(source): give a file that exists and that you may read")
        }
        defer { try? input.close() }
        let temporary = try folder("tmp") + "/" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        var hasher = SHA256()
        var size: Int64 = 0
        try write(to: temporary, truncating: true) { output in
            while let data = try input.read(upToCount: Self.chunk), !data.isEmpty {
                hasher.update(data: data)
                try output.write(contentsOf: data)
                size += Int64(data.count)
            }
        }
        let hash = BlobHash(digest: hasher.finalize())
        try lock.withLock { try place(temporary, as: hash) }
        return (hash, size)
    }

    /// Stores bytes that arrived whole (in a bundle) under their address, which they must hash to.
    public func put(_ bytes: Data, as hash: BlobHash) throws {
        guard BlobHash.of(bytes) == hash else {
            throw ReportSyncError(.malformed, "a file in the bundle does not hash to its address \(hash.short)")
        }
        if contains(hash) { return }
        let temporary = try folder("tmp") + "/" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        try write(to: temporary, truncating: true) { try $0.write(contentsOf: bytes) }
        try lock.withLock { try place(temporary, as: hash) }
    }

    /// How many bytes of the blob are here: its size when whole, else what a cut-off transfer left.
    public func received(_ hash: BlobHash) -> Int64 {
        if let size = fileSize(path(of: hash)) { return size }
        return fileSize(partialPath(of: hash)) ?? 0
    }

    /// Appends `bytes` at `offset` to the blob `reference` names, which must be where the bytes received
    /// so far end; when they make it whole, checks them against its hash and moves it into place.
    /// Returns the bytes received. A blob already whole takes nothing more.
    @discardableResult
    public func append(_ bytes: some DataProtocol, at offset: Int64, to reference: BlobReference) throws -> Int64 {
        try lock.withLock {
            if contains(reference.hash) { return reference.size }
            let partial = try folder("partial") + "/" + reference.hash.hex
            let held = fileSize(partial) ?? 0
            guard offset == held else {
                throw ReportSyncError(
                    .alreadyExists, "\(held) bytes of \(reference.hash.short) are here, not \(offset): send from byte \(held)")
            }
            guard held + Int64(bytes.count) <= reference.size else {
                throw ReportSyncError(
                    .invalidInput, "\(reference.hash.short) is \(reference.size) bytes; these bytes would end at \(held + Int64(bytes.count))")
            }
            // Not flushed chunk by chunk: the whole is hashed and flushed before it counts (`complete`),
            // and bytes a crash garbled fail that hash and are sent again.
            try write(to: partial, truncating: false, flush: false) { try $0.write(contentsOf: bytes) }
            let now = held + Int64(bytes.count)
            let hashedSoFar = hashing.extend(reference.hash, from: held, with: bytes, complete: now == reference.size)
            if now == reference.size { try complete(partial, as: reference.hash, hashed: hashedSoFar) }
            return now
        }
    }

    /// Forgets what a transfer left of a blob (bytes that did not hash to their address).
    public func discardPartial(_ hash: BlobHash) {
        lock.withLock {
            hashing.forget(hash)
            try? FileManager.default.removeItem(atPath: partialPath(of: hash))
        }
    }

    /// Removes a whole blob (compaction).
    public func remove(_ hash: BlobHash) throws {
        try lock.withLock {
            try? FileManager.default.removeItem(atPath: path(of: hash))
        }
    }

    // MARK: Files

    private func partialPath(of hash: BlobHash) -> String { "\(directory)/partial/\(hash.hex)" }

    /// Hashes a partial file that has all its bytes, flushes it and moves it into place, or removes it
    /// when its bytes are not the blob's.
    private func complete(_ partial: String, as hash: BlobHash, hashed: SHA256?) throws {
        guard let input = FileHandle(forUpdatingAtPath: partial) else {
            throw ReportSyncError(.storage, "cannot read back \(partial)")
        }
        defer { try? input.close() }
        var hasher = hashed ?? SHA256()
        if hashed == nil {
            do {
                while let data = try input.read(upToCount: Self.chunk), !data.isEmpty { hasher.update(data: data) }
            } catch {
                throw ReportSyncError(.storage, "cannot read back \(partial) (\(error.localizedDescription))")
            }
        }
        guard BlobHash(digest: hasher.finalize()) == hash else {
            try? FileManager.default.removeItem(atPath: partial)
            throw ReportSyncError(
                .invalidInput, "the bytes received for \(hash.short) do not hash to it (damaged on the way?); they were dropped: send the file again")
        }
        do { try input.synchronize() } catch {
            throw ReportSyncError(.storage, "cannot flush \(partial) to the disk (\(error.localizedDescription)): is the disk full?")
        }
        try place(partial, as: hash)
    }

    /// Moves a flushed file into place under its address and flushes the folder that now names it.
    private func place(_ file: String, as hash: BlobHash) throws {
        let target = path(of: hash)
        let manager = FileManager.default
        if manager.fileExists(atPath: target) {
            try? manager.removeItem(atPath: file)
            return
        }
        let folder = try self.folder(String(hash.hex.prefix(2)))
        guard rename(file, target) == 0 else {
            throw ReportSyncError(.storage, "cannot move a file into \(folder): \(String(cString: strerror(errno)))")
        }
        try flushFolder(folder)
    }

    /// Writes through `body` into `path` (created when missing) and, with `flush`, flushes it to the disk before returning.
    private func write(to path: String, truncating: Bool, flush: Bool = true, _ body: (FileHandle) throws -> Void) throws {
        let manager = FileManager.default
        if truncating || !manager.fileExists(atPath: path) {
            guard manager.createFile(atPath: path, contents: nil) else {
                throw ReportSyncError(.storage, "cannot create \(path): check the folder's permissions and free space")
            }
        }
        guard let output = FileHandle(forWritingAtPath: path) else {
            throw ReportSyncError(.storage, "cannot write \(path): check the folder's permissions")
        }
        defer { try? output.close() }
        do {
            try output.seekToEnd()
            try body(output)
            if flush { try output.synchronize() }
        } catch let error as ReportSyncError {
            throw error
        } catch {
            throw ReportSyncError(
                .storage, "cannot write \(path) (\(error.localizedDescription)): is the disk full? What was already stored is kept")
        }
    }

    /// The subfolder `name`, created when missing.
    private func folder(_ name: String) throws -> String {
        let path = "\(directory)/\(name)"
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
            throw ReportSyncError(.storage, "cannot create \(path): check the folder's permissions and free space")
        }
        return path
    }

    private func flushFolder(_ path: String) throws {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        _ = fsync(descriptor)
    }

    private func fileSize(_ path: String) -> Int64? {
        var info = stat()
        return stat(path, &info) == 0 ? Int64(info.st_size) : nil
    }
}

/// The running SHA-256 of each partial file whose bytes this process received from its first byte.
private final class PartialHashes: @unchecked Sendable {
    private var states: [BlobHash: (through: Int64, hasher: SHA256)] = [:]

    /// Adds `bytes` (written at `offset`) to the hash of `hash`'s partial file and returns it; nil when
    /// this process did not see the bytes before `offset` (the file is then read back to be hashed).
    func extend(_ hash: BlobHash, from offset: Int64, with bytes: some DataProtocol, complete: Bool) -> SHA256? {
        var state = states[hash] ?? (0, SHA256())
        guard state.through == offset else {
            states[hash] = nil
            return nil
        }
        for region in bytes.regions { state.hasher.update(data: region) }
        state.through += Int64(bytes.count)
        states[hash] = complete ? nil : state
        return state.hasher
    }

    func forget(_ hash: BlobHash) { states[hash] = nil }
}
