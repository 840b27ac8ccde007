import TestSupport
import Foundation
import Store
import SyncCore
import Testing

/// 001:112 登记、编号: the central registers each report it receives under a serial number of the bureau
/// year, recorded in the receipt so that every replica shows the same one.
@Suite("Registration numbers")
struct RegistrationNumberTests {
    let clock = TestClock("2026-12-30T08:00")
    let central: Replica

    init() throws {
        central = try StoreFixtures.clockedCentral(clock)
    }

    /// A report signed off and received at `time`; its id.
    func received(_ title: String, at time: String) throws -> String {
        clock.set(time)
        let id = try central.draft(ReportContent(category: .experience, title: title, body: "\(title)。"), by: "wang").id
        for (action, actor) in [(WorkflowAction.submit, "wang"), (.review, "li"), (.sign, "zhao"), (.receive, "chen")] {
            _ = try central.perform(action, on: id, by: actor)
        }
        return id
    }

    func number(_ id: String) throws -> String? { try central.reportFacts().first { $0.id == id }?.registration }

    @Test("numbers count up within a bureau year and start again at 0001 in the next; a report received again keeps its number")
    func serialPerYear() throws {
        let a = try received("一", at: "2026-12-30T09:00")
        let b = try received("二", at: "2026-12-31T23:30")
        let c = try received("三", at: "2027-01-01T00:30")
        #expect(try [number(a), number(b), number(c)] == ["2026-0001", "2026-0002", "2027-0001"], "00:30 on 1 January is the new year in Beijing")
        clock.set("2027-01-02T09:00")
        _ = try central.perform(.return, on: a, by: "chen", comment: "请补充数据")
        for (action, actor) in [(WorkflowAction.submit, "wang"), (.review, "li"), (.sign, "zhao"), (.receive, "chen")] {
            _ = try central.perform(action, on: a, by: actor)
        }
        #expect(try number(a) == "2026-0001", "received again after a return, it keeps its number")
        #expect(try number(try received("四", at: "2027-01-02T10:00")) == "2027-0002", "no number is handed out twice")
        let history = try central.history(of: a).entries.compactMap(\.detail).compactMap(\.registration)
        #expect(history == ["2026-0001", "2026-0001"])
    }
}
