import Crypto
import Foundation
import Synchronization
import SyncCore

/// The files attachments name, kept by content address in a folder beside the replica file
/// (`central.sqlite.blobs/ab/abcd…`). A file enters whole or not at all: its bytes are written under
/// `partial/`, one partial file per sender (a transfer cut off resumes from what is there, and no sender
/// can extend or wipe another's), hashed, flushed to the disk and only then moved into place, so a file
/// in place is always complete and verified. One store per folder in a process (`beside`), so that one
/// lock orders every write into it.
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

    private init(directory: String) {
        self.directory = directory
    }

    private static let stores = Mutex<[String: BlobStore]>([:])

    /// The blob store of the replica file at `replicaPath`: the same one for every caller in this process.
    public static func beside(replicaAt replicaPath: String) -> BlobStore {
        at(URL(fileURLWithPath: replicaPath).standardizedFileURL.path + ".blobs")
    }

    /// The blob store in `directory` (a central on PostgreSQL names its folder): the same one for every caller in this process.
    public static func at(_ directory: String) -> BlobStore {
        let directory = URL(fileURLWithPath: directory).standardizedFileURL.path
        return stores.withLock { stores in
            if let store = stores[directory] { return store }
            let store = BlobStore(directory: directory)
            stores[directory] = store
            return store
        }
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

    /// The size of the whole blob, when it is here.
    public func size(of hash: BlobHash) -> Int64? {
        fileSize(path(of: hash))
    }

    /// How many bytes of the blob `sender`'s transfer left in its partial file.
    public func received(_ hash: BlobHash, from sender: String) -> Int64 {
        fileSize(partialPath(of: hash, from: sender)) ?? 0
    }

    /// Appends `bytes` at `offset` to `sender`'s partial file of the blob `reference` names, which must
    /// be where its bytes so far end; when they make it whole (bytes may be empty to settle a partial file
    /// that is full already), checks them against the hash and moves the file into place (or drops it,
    /// when the blob is there already). Returns the bytes received.
    @discardableResult
    public func append(_ bytes: some DataProtocol, at offset: Int64, to reference: BlobReference, from sender: String) throws -> Int64 {
        try lock.withLock {
            let partial = try folder("partial") + "/" + Self.partialName(reference.hash, sender)
            let held = fileSize(partial) ?? 0
            guard offset == held else {
                throw ReportSyncError(
                    .alreadyExists, "\(held) bytes of \(reference.hash.short) are here, not \(offset): send from byte \(held)")
            }
            guard Int64(bytes.count) <= reference.size - held else {
                throw ReportSyncError(.invalidInput, "\(reference.hash.short) is \(reference.size) bytes; these bytes would end past it")
            }
            // Not flushed chunk by chunk: the whole is hashed and flushed before it counts (`complete`),
            // and bytes a crash garbled fail that hash and are sent again.
            if !bytes.isEmpty { try write(to: partial, truncating: false, flush: false) { try $0.write(contentsOf: bytes) } }
            let now = held + Int64(bytes.count)
            let key = Self.partialName(reference.hash, sender)
            let hashedSoFar = hashing.extend(key, from: held, with: bytes, complete: now == reference.size)
            if now == reference.size {
                if !FileManager.default.fileExists(atPath: partial) { try write(to: partial, truncating: true) { _ in } }
                try complete(partial, as: reference.hash, hashed: hashedSoFar)
            }
            return now
        }
    }

    /// Forgets what `sender`'s transfer left of a blob (bytes that did not hash to their address).
    public func discardPartial(_ hash: BlobHash, from sender: String) {
        lock.withLock {
            hashing.forget(Self.partialName(hash, sender))
            try? FileManager.default.removeItem(atPath: partialPath(of: hash, from: sender))
        }
    }

    /// Removes the partial files of blobs `keep` does not name, and temporary files an hour old: what
    /// transfers nobody will finish left behind (compaction).
    public func removeLeftovers(keeping keep: (BlobHash) -> Bool) -> Int {
        lock.withLock {
            let manager = FileManager.default
            var removed = 0
            for name in (try? manager.contentsOfDirectory(atPath: "\(directory)/partial")) ?? [] {
                guard let hash = BlobHash(hex: String(name.prefix(64))), !keep(hash) else { continue }
                if (try? manager.removeItem(atPath: "\(directory)/partial/\(name)")) != nil { removed += 1 }
                hashing.forget(name)
            }
            let hourAgo = Date().addingTimeInterval(-3600)
            for name in (try? manager.contentsOfDirectory(atPath: "\(directory)/tmp")) ?? [] {
                let path = "\(directory)/tmp/\(name)"
                guard let modified = (try? manager.attributesOfItem(atPath: path))?[.modificationDate] as? Date, modified < hourAgo else { continue }
                if (try? manager.removeItem(atPath: path)) != nil { removed += 1 }
            }
            return removed
        }
    }

    /// Removes a whole blob (compaction).
    public func remove(_ hash: BlobHash) throws {
        try lock.withLock {
            try? FileManager.default.removeItem(atPath: path(of: hash))
        }
    }

    // MARK: Files

    private func partialPath(of hash: BlobHash, from sender: String) -> String { "\(directory)/partial/\(Self.partialName(hash, sender))" }

    /// A sender's partial file of a blob: the hash, then a digest of the sender's name (any text is safe).
    static func partialName(_ hash: BlobHash, _ sender: String) -> String {
        hash.hex + "." + String(BlobHash.of(Data(sender.utf8)).hex.prefix(16))
    }

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

    /// The subfolder `name`, created when missing (and the folders that name it flushed, so that a file
    /// placed in it survives a crash).
    private func folder(_ name: String) throws -> String {
        let path = "\(directory)/\(name)"
        guard !FileManager.default.fileExists(atPath: path) else { return path }
        let parent = URL(fileURLWithPath: directory).deletingLastPathComponent().path
        let existed = FileManager.default.fileExists(atPath: directory)
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
            throw ReportSyncError(.storage, "cannot create \(path): check the folder's permissions and free space")
        }
        if !existed { try flushFolder(parent) }
        try flushFolder(directory)
        return path
    }

    private func flushFolder(_ path: String) throws {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0, fsync(descriptor) == 0 else {
            if descriptor >= 0 { close(descriptor) }
            throw ReportSyncError(.storage, "cannot flush the folder \(path) to the disk: \(String(cString: strerror(errno)))")
        }
        close(descriptor)
    }

    private func fileSize(_ path: String) -> Int64? {
        var info = stat()
        return stat(path, &info) == 0 ? Int64(info.st_size) : nil
    }
}

/// The running SHA-256 of each partial file (by its name) whose bytes this process received from its first byte.
private final class PartialHashes: @unchecked Sendable {
    private var states: [String: (through: Int64, hasher: SHA256)] = [:]

    /// Adds `bytes` (written at `offset`) to the hash of `hash`'s partial file and returns it; nil when
    /// this process did not see the bytes before `offset` (the file is then read back to be hashed).
    func extend(_ hash: String, from offset: Int64, with bytes: some DataProtocol, complete: Bool) -> SHA256? {
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

    func forget(_ hash: String) { states[hash] = nil }
}
