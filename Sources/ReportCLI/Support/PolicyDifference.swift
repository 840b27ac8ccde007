import Foundation
import SyncCore

/// Which settings differ between two policies, as dotted keys (`points.falseReport`, `holidays`).
enum PolicyDifference {
    static func keys(from old: Policy, to new: Policy) throws -> [String] {
        let a = try JSONSerialization.jsonObject(with: JSONEncoder().encode(old.settings))
        let b = try JSONSerialization.jsonObject(with: JSONEncoder().encode(new.settings))
        return differing(a, b, path: []).sorted()
    }

    private static func differing(_ a: Any?, _ b: Any?, path: [String]) -> [String] {
        if let x = a as? [String: Any], let y = b as? [String: Any] {
            return Set(x.keys).union(y.keys).flatMap { differing(x[$0], y[$0], path: path + [$0]) }
        }
        let same = (a as? NSObject).map { a in (b as? NSObject).map { a.isEqual($0) } ?? false } ?? (b == nil)
        return same ? [] : [path.joined(separator: ".")]
    }
}
