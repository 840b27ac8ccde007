import ArgumentParser
import Bulletin
import Foundation
import Store
import SyncCore

/// `report-cli bulletin`: the month's or quarter's bulletin (通报) as Markdown, CSV or an HTML page.
struct BulletinCommand: AsyncReplicaCommand {
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

    func execute(in context: CommandContext) async throws {
        let now = Date()
        let (period, language) = (period, language)
        let document = try await OfficeScope.judge(global, in: context) { office in
            let policy = try office.currentPolicy()
            let p = try period.period(policy: policy, now: now)
            return BulletinDocument(
                bureau: try office.bureauName(), period: p, cards: try office.scorecards(period: p, now: now),
                wording: BulletinWording(language: language, timeZone: Rendering.timeZone(of: policy)))
        }
        let p = document.period
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
