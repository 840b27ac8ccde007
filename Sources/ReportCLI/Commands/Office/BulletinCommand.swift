import ArgumentParser
import Bulletin
import Foundation
import Store
import SyncCore

/// `report-cli bulletin`: the month's or quarter's bulletin (通报) as Markdown, CSV or an HTML page.
struct BulletinCommand: ReplicaCommand {
    static let configuration = CommandConfiguration(
        commandName: "bulletin",
        abstract: "Per unit: submitted, adopted by level, adoption rate, points, late, missing, solicitations answered.")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case markdown, csv, html
    }

    @OptionGroup var global: GlobalOptions
    @OptionGroup var period: PeriodOptions
    @Option(help: "markdown, csv or html.") var format: Format = .markdown
    @Option(help: "Write to this file instead of printing.") var out: String?
    @Option(help: "zh (the headings the office publishes) or en.") var language: BulletinWording.Language = .zh

    func execute(in context: CommandContext) throws {
        let replica = try OfficeScope.openReplica(global, in: context)
        let now = Date()
        let policy = try replica.policy()
        let p = try period.period(policy: policy, now: now)
        let bureau = try replica.units().first { $0.kind == .centralOffice }?.name ?? (try replica.identity().unit.name)
        let document = BulletinDocument(
            bureau: bureau, period: p, cards: try replica.scorecards(period: p, now: now),
            wording: BulletinWording(language: language, timeZone: Rendering.timeZone(of: policy)))
        if global.json { return context.print(try Rendering.json(document)) }
        let text =
            switch format {
            case .markdown: document.markdown
            case .csv: document.csv
            case .html: document.html
            }
        guard let out else { return context.print(text) }
        let path = context.absolute(out)
        do { try Data(text.utf8).write(to: URL(fileURLWithPath: path)) } catch {
            throw ReportSyncError(.storage, "cannot write \(path): \(error.localizedDescription)")
        }
        context.print("wrote the \(p) bulletin for \(document.rows.count) units to \(path)")
    }
}
