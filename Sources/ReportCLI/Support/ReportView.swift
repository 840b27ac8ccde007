import Foundation
import Store
import SyncCore

/// A report as `show --json` and `list --json` print it: one flat object, content fields beside id, unit and state.
struct ReportView: Encodable {
    let report: Report
    /// The report's conflicts, when the command shows them.
    var conflicts: [Conflict]? = nil
    /// Who signed each step and whether it verifies, when the command shows them.
    var signatures: [StepCheck]? = nil
    /// The central office's result (receipt, adoptions, instructions), when the command shows it.
    var results: ReportResults? = nil

    /// The keys `show --json` adds to the content's: what the replica says of the report, which
    /// `--from-file` takes back without reading (they are not the writer's to set).
    enum Keys: String, CodingKey, CaseIterable {
        case id, unit, state, drafter, version, createdAt, updatedAt, lastComment, withheld, conflicts, signatures, results
    }

    func encode(to encoder: any Encoder) throws {
        try report.content.encode(to: encoder)
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(report.id, forKey: .id)
        try container.encode(report.unit, forKey: .unit)
        try container.encode(report.state, forKey: .state)
        try container.encode(report.drafter, forKey: .drafter)
        try container.encode(report.version, forKey: .version)
        try container.encode(report.createdAt, forKey: .createdAt)
        try container.encode(report.updatedAt, forKey: .updatedAt)
        try container.encodeIfPresent(report.lastComment, forKey: .lastComment)
        try container.encodeIfPresent(report.withheldFields, forKey: .withheld)
        try container.encodeIfPresent(conflicts, forKey: .conflicts)
        try container.encodeIfPresent(signatures, forKey: .signatures)
        try container.encodeIfPresent(results, forKey: .results)
    }
}
