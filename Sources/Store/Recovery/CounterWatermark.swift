import Foundation

/// The highest dot counter each replica id has issued, kept outside the replica file (one small file
/// per replica id under the user's state directory): a file put back from a backup has a lower counter
/// than its watermark, and takes a new replica id before it issues a single dot (`ReplicaEpoch`); a
/// central on PostgreSQL put back from a dump refuses every write until it is taken as a new
/// incarnation (StorePostgres `CentralState`).
///
/// A first line of defence only, beside the file identity: a whole machine restored from an image
/// restores the watermark too, and the central's knowledge catches that (`FieldRecovery`). The mark is
/// written after the transaction that issued the counter commits, so it is never ahead of a file that
/// was not restored; a mark lost in a crash is only lower, which misses nothing it could have caught.
public enum CounterWatermark {
    /// `$REPORTSYNC_STATE_DIR`, else `$XDG_STATE_HOME/reportsync`, else `~/.local/state/reportsync`.
    static var directory: URL? {
        let environment = ProcessInfo.processInfo.environment
        if let dir = environment["REPORTSYNC_STATE_DIR"], !dir.isEmpty { return URL(fileURLWithPath: dir).appendingPathComponent("watermarks") }
        if let dir = environment["XDG_STATE_HOME"], !dir.isEmpty {
            return URL(fileURLWithPath: dir).appendingPathComponent("reportsync/watermarks")
        }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return URL(fileURLWithPath: home).appendingPathComponent(".local/state/reportsync/watermarks")
    }

    /// The watermark of `replica`, if one was left on this machine.
    public static func read(replica: String) -> Int64? {
        guard let url = directory?.appendingPathComponent(replica),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { return nil }
        return Int64(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Raises the watermark of `replica` to `counter`, written whole (a unique temporary file renamed
    /// over it). Two writers racing may leave the lower of their two values, and failing to write (a
    /// read-only home, a full disk) loses the mark: either only weakens this first line of defence,
    /// never makes a file look older than it is, so neither is an error.
    public static func raise(replica: String, to counter: Int64) {
        guard let dir = directory, counter > (read(replica: replica) ?? 0) else { return }
        let target = dir.appendingPathComponent(replica)
        let temporary = dir.appendingPathComponent(".\(replica).\(UUID().uuidString).tmp")
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try Data(String(counter).utf8).write(to: temporary)
            if rename(temporary.path, target.path) != 0 { try? FileManager.default.removeItem(at: temporary) }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
        }
    }
}
