import SyncCore

/// The keys a `--from-file` JSON may use, read off the types it decodes into, so a misspelt key is
/// refused with the nearest known one instead of being dropped.
enum KnownKeys {
    /// Top-level keys: the fields of `ReportPatch`, and those `show --json` adds, so that its output can
    /// be edited and read back.
    static let report = keys(of: ReportPatch()) + ReportView.Keys.allCases.map(\.rawValue)
    /// Keys inside `"emergency"`.
    static let emergency = keys(of: EmergencyDetails())
    /// Keys inside `"newMedia"`.
    static let newMedia = keys(of: NewMediaDetails())
    /// Keys of each entry of `"attachments"`.
    static let attachment = keys(of: Attachment(name: "", kind: .photo))

    static func keys(of value: Any) -> [String] { Mirror(reflecting: value).children.compactMap(\.label) }

    /// Every key of `object` (a decoded JSON object) not among the known ones, each as a sentence naming
    /// where it is and the nearest known key.
    static func unknown(in object: [String: Any]) -> [String] {
        var problems = check(object, against: report, at: "")
        if let emergency = object["emergency"] as? [String: Any] {
            problems += check(emergency, against: Self.emergency, at: "emergency.")
        }
        if let newMedia = object["newMedia"] as? [String: Any] {
            problems += check(newMedia, against: Self.newMedia, at: "newMedia.")
        }
        for (i, entry) in ((object["attachments"] as? [Any]) ?? []).enumerated() {
            if let entry = entry as? [String: Any] { problems += check(entry, against: attachment, at: "attachments[\(i)].") }
        }
        return problems
    }

    private static func check(_ object: [String: Any], against known: [String], at path: String) -> [String] {
        object.keys.sorted().filter { !known.contains($0) }.map { key in
            "unknown key \"\(path)\(key)\"" + (nearest(to: key, in: known).map { ": did you mean \"\(path)\($0)\"?" } ?? "")
        }
    }

    /// The known key most like `key`: one it begins or that begins it, else the one fewest edits away
    /// (at most half its length).
    static func nearest(to key: String, in known: [String]) -> String? {
        let lower = key.lowercased()
        if let prefixed = known.filter({ $0.lowercased().hasPrefix(lower) || lower.hasPrefix($0.lowercased()) }).min(by: { $0.count < $1.count }) {
            return prefixed
        }
        let scored = known.map { ($0, editDistance(lower, $0.lowercased())) }.min { $0.1 < $1.1 }
        guard let (best, distance) = scored, distance <= max(2, key.count / 2) else { return nil }
        return best
    }

    /// The Levenshtein distance between `a` and `b`.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
