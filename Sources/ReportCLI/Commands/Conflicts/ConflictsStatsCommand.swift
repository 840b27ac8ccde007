import ArgumentParser
import Foundation
import Store
import SyncCore

/// `report-cli conflicts stats`: how many conflicts, of which kind, in which unit, in which week.
struct ConflictsStatsCommand: AsyncReplicaCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "Count conflicts by kind, unit and week (ISO weeks, bureau time).")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var filter: ConflictFilterOptions

    /// One line of counts.
    struct Count: Encodable, Equatable {
        let key: String
        var total = 0
        var open = 0
        var resolved = 0

        mutating func add(_ entry: ConflictEntry) {
            total += 1
            if entry.status == .open { open += 1 } else { resolved += 1 }
        }
    }

    /// `stats --json`.
    struct Stats: Encodable {
        let all: Count
        let byKind: [Count]
        let byUnit: [Count]
        let byWeek: [Count]
    }

    func execute(in context: CommandContext) async throws {
        let (entries, timeZone) = try await filter.entries(global, in: context)
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = timeZone
        let week = { (date: Date) in
            let c = calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: date)
            return String(format: "%04d-W%02d", c.yearForWeekOfYear ?? 0, c.weekOfYear ?? 0)
        }
        var all = Count(key: "all")
        entries.forEach { all.add($0) }
        let stats = Stats(
            all: all, byKind: Self.count(entries, by: { $0.kind.rawValue }), byUnit: Self.count(entries, by: \.unit),
            byWeek: Self.count(entries, by: { week($0.at) }))
        if global.json { return context.print(try Rendering.json(stats)) }
        context.print("\(all.total) conflicts: \(all.open) open, \(all.resolved) resolved")
        for (title, counts) in [("KIND", stats.byKind), ("UNIT", stats.byUnit), ("WEEK", stats.byWeek)] where !counts.isEmpty {
            var table = TextTable([title, "TOTAL", "OPEN", "RESOLVED"])
            for c in counts { table.add([c.key, String(c.total), String(c.open), String(c.resolved)]) }
            context.print("")
            context.print(table.render())
        }
    }

    static func count(_ entries: [ConflictEntry], by key: (ConflictEntry) -> String) -> [Count] {
        var counts: [String: Count] = [:]
        for entry in entries { counts[key(entry), default: Count(key: key(entry))].add(entry) }
        return counts.values.sorted { $0.key < $1.key }
    }
}
