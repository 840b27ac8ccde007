import Foundation
import SyncCore

/// How the central office's result for a report reads to its unit (000:155, 002:193): when it was
/// received, each adoption's level, outlet and day, each instruction's level and leader, a false-report
/// rejection.
enum ResultText {
    /// A step's detail in one phrase: `city level, 政务信息快报, on 2026-10-06`.
    static func describe(_ detail: StepDetail, in timeZone: TimeZone) -> String {
        var parts: [String] = []
        if let level = detail.level { parts.append("\(level.rawValue) level") }
        if let outlet = detail.outlet { parts.append(outlet) }
        if let leader = detail.leader { parts.append("by \(leader)") }
        if let date = detail.date { parts.append("on \(BureauTime.day(date, in: timeZone))") }
        if detail.falseReport == true { parts.append("a false report (虚假信息)") }
        if let number = detail.registration { parts.append("registered as \(number)") }
        let edited = [detail.revisedTitle.map { _ in "title" }, detail.revisedBody.map { _ in "body" }].compactMap { $0 }
        if !edited.isEmpty { parts.append("edited \(edited.joined(separator: " and "))") }
        return parts.joined(separator: ", ")
    }

    /// The lines `show` prints under "result", one per fact, in the order they happened.
    static func lines(of facts: ReportFacts, in timeZone: TimeZone) -> [(String, String)] {
        var lines: [(String, String)] = []
        if let received = facts.receivedAt {
            lines.append(("received", BureauTime.text(received, in: timeZone) + (facts.registration.map { ", registered as \($0) (登记号)" } ?? "")))
        }
        func recognition(_ r: ReportFacts.Recognition) -> String {
            "\(r.level.rawValue) level\(r.by.map { ", \($0)" } ?? ""), on \(BureauTime.day(r.at, in: timeZone))"
        }
        lines += facts.adoptions.map { ("adopted", recognition($0)) }
        lines += facts.instructions.map { ("instruction", recognition($0)) }
        if let at = facts.falseReportAt { lines.append(("false report", "rejected as false (虚假信息) on \(BureauTime.day(at, in: timeZone))")) }
        if let version = facts.editorVersion {
            lines.append(("edited by", "\(version.editor) (责任编辑), \(BureauTime.text(version.at, in: timeZone)); the unit's text above is unchanged"))
            if let title = version.title { lines.append(("edited title", title)) }
            if let body = version.body { lines.append(("edited body", body)) }
        }
        return lines
    }
}

/// What `show --json` says of the central office's result for a report (`ReportFacts`).
struct ReportResults: Encodable {
    let receivedAt: Date?
    /// The central's registration number (登记号, 001:112).
    let registration: String?
    let adoptions: [ReportFacts.Recognition]
    let instructions: [ReportFacts.Recognition]
    let falseReportAt: Date?
    /// The central office's edited version (编辑加工), beside the unit's text.
    let editorVersion: ReportFacts.EditorVersion?

    init(_ facts: ReportFacts) {
        receivedAt = facts.receivedAt
        registration = facts.registration
        adoptions = facts.adoptions
        instructions = facts.instructions
        falseReportAt = facts.falseReportAt
        editorVersion = facts.editorVersion
    }
}
