import ArgumentParser
import Foundation
import Store
import StorePostgres
import SyncCore

/// `report-cli show`: one report in full, with what it still lacks before it can be submitted.
struct ShowCommand: AsyncReplicaCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one report.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Report id (or a unique prefix).") var id: String

    func execute(in context: CommandContext) async throws {
        let detail =
            if let central = try global.postgres(in: context) {
                try await PostgresCentral.detail(of: id, at: central)
            } else {
                try global.openReplica(in: context).detail(of: id)
            }
        let (report, conflicts, signatures) = (detail.report, detail.conflicts, detail.checks)
        let facts = try ReportFacts(record: detail.record, policy: detail.policy)
        if global.json {
            return context.print(
                try Rendering.json(ReportView(report: report, conflicts: conflicts, signatures: signatures, results: ReportResults(facts))))
        }
        let timeZone = Rendering.timeZone(of: detail.policy)
        let c = report.content
        var lines: [(String, String?)] = [
            ("id", report.id), ("unit", report.unit), ("state", report.state.rawValue),
            ("category", c.category.rawValue), ("title", c.title),
            ("event time", c.eventTime.map { Rendering.local($0, in: timeZone) }), ("place", c.place),
            ("drafter", report.drafter), ("contact", c.contact), ("classification", c.classification.rawValue),
            ("disclosure", c.disclosure?.rawValue), ("disclosure reason", c.disclosureReason),
            ("follow-up of", c.followUpOf.map { "\($0) (follow-up #\(c.followUpSequence ?? 0))" }),
            ("solicitation", c.solicitation), ("version", String(report.version)),
            ("updated", Rendering.local(report.updatedAt, in: timeZone)), ("comment", report.lastComment),
        ]
        if let e = c.emergency {
            lines += [
                ("severity", e.severity?.rawValue), ("source", e.source), ("cause", e.cause),
                ("deaths", e.deaths.map(String.init)), ("injuries", e.injuries.map(String.init)),
                ("property loss", e.propertyLoss), ("course", e.course), ("consequences", e.consequences),
                ("impact", e.impact), ("trend", e.trend), ("leader on site", e.leaderOnSite.map { $0 ? "yes" : "no" }),
                ("initial measures", e.initialMeasures), ("next measures", e.nextMeasures),
                ("reporter", e.reporterName), ("reporter contact", e.reporterContact),
            ]
        }
        if let m = c.newMedia {
            lines += [("platform", m.platform), ("publisher", m.publisher.map { name in name + (m.publisherPost.map { ", \($0)" } ?? "") })]
        }
        for a in c.attachments {
            let size = a.size.map { ", \($0.bytesText)" } ?? ""
            lines.append(("attachment", "\(a.name) [\(a.kind.rawValue)\(size)]\(a.caption.map { " — \($0)" } ?? "")"))
        }
        for (label, value) in lines { if let value { context.print(label.padding(toLength: 18, withPad: " ", startingAt: 0) + value) } }
        if let redaction = detail.record.redactions.last, !detail.record.withheldFields.isEmpty {
            let what = redaction.seals == nil ? "raised the report to \(redaction.raisedTo.rawValue)" : "sealed what was written while it was \(redaction.raisedTo.rawValue)"
            let when = "when \(redaction.actor) \(what) on \(Rendering.local(redaction.hlc.date, in: timeZone))"
            context.print("")
            if let withheld = report.withheldFields {
                context.print("withheld: " + withheld.joined(separator: ", ") + " (withdrawn \(when); the text stays on the device that wrote it)")
            } else {
                context.print(
                    "withdrawn: " + detail.record.withheldFields.joined(separator: ", ")
                        + " from the network and the unit's other devices \(when); this replica keeps the text")
            }
        }
        if let unreadable = report.unreadableFields {
            context.print("")
            context.print(
                "unreadable: " + unreadable.joined(separator: ", ")
                    + " (written before the central checked types); write them again with report-cli edit \(report.id.prefix(8)) "
                    + unreadable.map(Self.option(writing:)).joined(separator: " "))
        }
        let results = ResultText.lines(of: facts, in: timeZone)
        if !results.isEmpty {
            context.print("")
            context.print("result:")
            for (label, value) in results { context.print("  " + label.padding(toLength: 16, withPad: " ", startingAt: 0) + value) }
        }
        context.print("")
        context.print(c.body)
        let shown = signatures.filter { $0.isSignedStep || !$0.verified }
        if !shown.isEmpty {
            context.print("")
            context.print("signed steps:")
            for step in shown { context.print("  \(step.step) by \(step.actor): \(step.summary)") }
        }
        if !conflicts.isEmpty {
            context.print("")
            context.print("conflicts (\(conflicts.filter { $0.status == .open }.count) open):")
            for conflict in conflicts {
                context.print("  [\(conflict.status.rawValue)] \(conflict.kind.rawValue)\(conflict.field.map { " " + $0 } ?? ""): \(conflict.reason)")
            }
        }
        if c.category == .emergency, c.followUpOf == nil, report.state == .draft || report.state == .returned {
            let missing = ReportRules.missingEmergencyFacts(c)
            if !missing.isEmpty {
                context.print("")
                context.print("still missing before submit: " + missing.joined(separator: ", "))
            }
        }
    }

    /// The `edit` option that writes a content field again.
    static func option(writing field: String) -> String {
        switch field {
        case "attachments": "--attach FILE=CAPTION"
        case "emergency": "--source … --cause … (the emergency facts)"
        case "newMedia": "--platform … --publisher …"
        case "followUpSequence": "(its place in the follow-up chain: draft the follow-up again)"
        default: "--" + field.reduce(into: "") { $0 += $1.isUppercase ? "-" + $1.lowercased() : String($1) } + " …"
        }
    }
}
