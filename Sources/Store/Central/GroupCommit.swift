/// What the two centrals' group commit share (`PushGroups` on a file, `PostgresPushGroups` on PostgreSQL).
public enum GroupCommit {
    /// A group stops taking pushes once it holds this many changes (it takes at least one push), so
    /// that the first push of a group is not kept waiting behind a long transaction.
    public static let changesPerGroup = 2_000

    /// How many of `waiting` (each with its count of changes, oldest first) the next group takes.
    public static func taken(of waiting: [Int]) -> Int {
        var taken = 0
        var changes = 0
        while taken < waiting.count, taken == 0 || changes + waiting[taken] <= changesPerGroup {
            changes += waiting[taken]
            taken += 1
        }
        return taken
    }
}
