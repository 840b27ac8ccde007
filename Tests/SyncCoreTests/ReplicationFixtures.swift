import Foundation
import SyncCore

/// Members, times and helpers for the replication tests.
enum Cast {
    static let wang = Member(id: "wang", name: "王小明", unit: "squad-3", role: .drafter, phone: "138")
    static let li = Member(id: "li", name: "李队长", unit: "squad-3", role: .unitHead)
    static let zhao = Member(id: "zhao", name: "赵局长", unit: "squad-3", role: .leader)
    static let chen = Member(id: "chen", name: "陈编辑", unit: "bureau", role: .centralEditor)
    static let ju = Member(id: "ju", name: "鞠局长", unit: "bureau", role: .principalLeader)
    static let sun = Member(id: "sun", name: "孙信息员", unit: "squad-4", role: .drafter)

    static let t0 = Date(timeIntervalSince1970: 1_795_000_000)

    static func at(_ seconds: Double) -> Date { t0.addingTimeInterval(seconds) }

    static func news(_ title: String = "夜查") -> ReportContent {
        ReportContent(category: .dynamic, title: title, body: "中队开展夜查。")
    }

    static func patch(title: String? = nil, body: String? = nil, place: String? = nil) -> ReportPatch {
        var patch = ReportPatch()
        patch.title = title
        patch.body = body
        patch.place = place
        return patch
    }
}

extension MemoryReplica {
    /// Receives everything `other` holds, in its order.
    mutating func pull(from other: MemoryReplica, now: Date = Cast.at(100_000)) {
        receive(other.log, now: now)
    }
}
