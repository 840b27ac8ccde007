/// How the desk's lists are cut into pages: the inbox's and the deadlines'.
enum DeskPaging {
    /// How many pages of `size` list `total` items (one, empty, when there are none).
    static func pages(of total: Int, size: Int) -> Int { max(1, (total + size - 1) / size) }

    /// The page shown when page `asked` (from 0) of `total` items is asked for: the last one past the end.
    static func shown(_ asked: Int, of total: Int, size: Int) -> Int { min(max(0, asked), pages(of: total, size: size) - 1) }
}
