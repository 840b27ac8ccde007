import Foundation
import Store
import SyncCore
import TestSupport

/// A replica of squad-3 with a drafter, a unit head and a leader (each with a registered test key), in
/// memory or in a temporary file.
enum StoreFixtures {
    static let unit = OrgUnit(id: "squad-3", name: "第三中队", kind: .squad)

    static func staffed(_ replica: Replica) throws -> Replica {
        try replica.addMember(Member(id: "wang", name: "王小明", unit: unit.id, role: .drafter, phone: "13800000000"))
        try replica.addMember(Member(id: "li", name: "李队长", unit: unit.id, role: .unitHead))
        try replica.addMember(Member(id: "zhao", name: "赵局长", unit: unit.id, role: .leader))
        try TestSigners.register(["wang", "li", "zhao"], on: replica)
        return replica
    }

    static func inMemory() throws -> Replica { try staffed(Replica.inMemory(unit: unit)) }

    /// A fresh temporary folder, removed by the caller.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("reportsync-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func news(_ title: String = "中队开展夜间巡查") -> ReportContent {
        ReportContent(category: .dynamic, title: title, body: "11月21日夜，中队开展专项巡查。")
    }
}

extension StoreFixtures {
    /// A central replica on `clock` with squad-3 and its drafter, unit head, leader, a central editor and `more` members.
    static func clockedCentral(_ clock: TestClock, more: [(String, String, Role)] = []) throws -> Replica {
        let central = try CentralReplica.inMemory(bureau: OrgUnit(id: "bureau", name: "某某局", kind: .centralOffice), now: { clock.now }).replica
        try central.addUnit(OrgUnit(id: "squad-3", name: "第三中队", kind: .squad, parent: "bureau"))
        for (id, unit, role) in [("wang", "squad-3", Role.drafter), ("li", "squad-3", .unitHead), ("zhao", "bureau", .leader), ("chen", "bureau", .centralEditor)] + more {
            try central.addMember(Member(id: id, name: id, unit: unit, role: role))
        }
        return central
    }
}

extension StoreFixtures {
    /// A central replica in the file at `path` with squad-3 and the simulated bureau's people.
    static func fileCentral(at path: String) throws -> CentralReplica {
        let central = try CentralReplica.create(at: path, bureau: OrgUnit(id: "bureau", name: "某某局", kind: .centralOffice))
        try central.replica.addUnit(OrgUnit(id: "squad-3", name: "第三中队", kind: .squad, parent: "bureau"))
        for person in BureauSimulation.people { try central.replica.addMember(person) }
        return central
    }
}

extension FieldReplica {
    /// A sync round of this device (enrolled with `token`) over the network as `SyncRound` runs one,
    /// against `central` in process: the standing first, then its unit's feed in pages of `limit`, each
    /// page from the cursor it was asked at; returns the standing's repairs and the size of each page.
    @discardableResult
    func syncRound(with central: CentralReplica, token: String, limit: Int = 1000) throws -> (recovery: FieldRecovery, pages: [Int]) {
        let device = try central.authenticate(token: token)
        let known = try knowledge()
        let recovery = try reconcile(with: try central.standing(for: device, asking: known.replicas), known: known)
        let scope = try central.unitScope(of: device.unit)
        var pages: [Int] = []
        var more = true
        while more {
            let cursor = try pullCursor()
            let feed = try central.feed(after: cursor, limit: limit, units: scope)
            _ = try applyPulled(try feed.changes.map { try JSONCoding.value(Change.self, from: $0.body) }, after: cursor, next: feed.covered)
            pages.append(feed.changes.count)
            more = feed.more
        }
        return (recovery, pages)
    }
}
