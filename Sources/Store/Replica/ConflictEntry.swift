import Foundation
import SyncCore

/// One thing a person may have to look at because two copies disagreed: a merge conflict of a report,
/// a change refused on receipt, or a change still waiting for its causes. `report-cli conflicts` lists these.
public struct ConflictEntry: Encodable, Sendable, Equatable {
    /// What kind of disagreement.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case fieldValue = "field-value"
        case approvalTransition = "approval-transition"
        case staleApproval = "stale-approval"
        /// A change of this unit the central replica refused (on the central: any change it refused).
        case rejectedByCentral = "rejected-by-central"
        /// A change from the central this field replica refused on receipt.
        case rejectedOnReceipt = "rejected-on-receipt"
        /// A change held back until the writes it depends on arrive.
        case pendingDependency = "pending-dependency"

        /// Whether deciding it makes changes, signed by the person deciding (a merge conflict); a refusal is
        /// dismissed on this replica only, and a wait settles itself.
        public var isSignedDecision: Bool { self == .fieldValue || self == .approvalTransition || self == .staleApproval }

        init(_ kind: Conflict.Kind) {
            switch kind {
            case .fieldValue: self = .fieldValue
            case .approvalTransition: self = .approvalTransition
            case .staleApproval: self = .staleApproval
            }
        }
    }

    /// One side: a write or a step, who made it, where and when.
    public struct Side: Codable, Sendable, Equatable {
        public let actor: String
        public let replica: String
        public let dot: String
        public let at: Date
        /// For a field: the value as text (JSON strings unquoted); for an edit that beat an approval: the fields it changed.
        public let value: String?
        public let action: WorkflowAction?
        public let role: Role?
    }

    /// How it was settled: by whom, when, and how.
    public struct Settlement: Codable, Sendable, Equatable {
        /// `kept-winner`, `kept-loser`, `new-value`, `superseded` or `dismissed`.
        public let how: String
        public let actor: String
        public let at: Date
        /// The settling change, when it was a synced change (a dismissal is local).
        public let dot: String?
    }

    /// The short handle the command line takes (a prefix is enough).
    public let id: String
    /// The full deterministic id: the same on every replica.
    public let key: String
    public let kind: Kind
    public let status: Conflict.Status
    public let report: String
    public let title: String?
    public let unit: String
    public let field: String?
    /// The side that stands; none for refusals and waits.
    public let winner: Side?
    /// The side that does not stand: the losing write or step, the refused or the waiting change.
    public let loser: Side
    /// The rule that decided, as a stable slug (docs/conflict-policy.md).
    public let rule: String
    public let reason: String
    /// When the disagreement arose: the later side's clock, or when the refusal or wait began.
    public let at: Date
    public let replicas: [String]
    public let resolution: Settlement?
    /// For refused and waiting changes: the change's dot.
    let change: Dot?

    enum CodingKeys: String, CodingKey {
        case id, key, kind, status, report, title, unit, field, winner, loser, rule, reason, at, replicas, resolution
    }

    /// Every key is written, `null` when absent, so scripts can rely on the shape.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(key, forKey: .key)
        try c.encode(kind, forKey: .kind)
        try c.encode(status, forKey: .status)
        try c.encode(report, forKey: .report)
        try c.encode(title, forKey: .title)
        try c.encode(unit, forKey: .unit)
        try c.encode(field, forKey: .field)
        try c.encode(winner, forKey: .winner)
        try c.encode(loser, forKey: .loser)
        try c.encode(rule, forKey: .rule)
        try c.encode(reason, forKey: .reason)
        try c.encode(at, forKey: .at)
        try c.encode(replicas, forKey: .replicas)
        try c.encode(resolution, forKey: .resolution)
    }
}

extension ConflictEntry {
    /// The entry for a merge conflict of report `title` in `unit`.
    init(_ conflict: Conflict, title: String?, unit: String) {
        id = conflict.shortID
        key = conflict.id
        kind = Kind(conflict.kind)
        status = conflict.status
        report = conflict.report
        self.title = title
        self.unit = unit
        field = conflict.field
        winner = Side(conflict.winner, isField: conflict.kind == .fieldValue)
        loser = Side(conflict.loser, isField: conflict.kind == .fieldValue)
        rule = conflict.rule
        reason = conflict.reason
        at = max(conflict.winner.hlc, conflict.loser.hlc).date
        replicas = Array(Set([conflict.winner.dot.replica, conflict.loser.dot.replica])).sorted()
        resolution = conflict.resolution.map {
            Settlement(how: $0.how.rawValue, actor: $0.by.actor, at: $0.by.hlc.date, dot: $0.by.dot.description)
        }
        change = nil
    }

    /// The entry for a change that was refused or is waiting, with why.
    init(
        change: Change, kind: Kind, rule: String, reason: String, at: Date, title: String?, counterpart: String?,
        dismissed: (actor: String, at: Date)? = nil
    ) {
        key = "\(kind.rawValue)/\(change.dot)"
        id = Conflict.shortID(of: key)
        self.kind = kind
        status = dismissed == nil ? .open : .resolved
        report = change.record
        self.title = title
        unit = change.unit
        field = nil
        winner = nil
        loser = Side(change)
        self.rule = rule
        self.reason = reason
        self.at = at
        replicas = [change.dot.replica] + (counterpart.map { [$0] } ?? [])
        resolution = dismissed.map { Settlement(how: "dismissed", actor: $0.actor, at: $0.at, dot: nil) }
        self.change = change.dot
    }
}

extension ConflictEntry.Side {
    init(_ side: Conflict.Side, isField: Bool) {
        actor = side.actor
        replica = side.dot.replica
        dot = side.dot.description
        at = side.hlc.date
        value = isField ? side.value.map(Self.text(ofJSON:)) : side.value.map { "edit of \($0.replacingOccurrences(of: ",", with: ", "))" }
        action = side.action
        role = side.role
    }

    init(_ change: Change) {
        actor = change.actor
        replica = change.dot.replica
        dot = change.dot.description
        at = change.hlc.date
        switch change.payload {
        case .content(let write): value = (write.creates ? "new report: " : "edit of ") + write.fields.keys.sorted().joined(separator: ", ")
        case .transition(let step): value = step.comment
        case .resolution(let step): value = "resolution of \(Conflict.shortID(of: step.conflict)) (keep \(step.keep.rawValue))"
        case .void(let marker): value = "void of \(marker.dot)"
        case .redaction(let redaction): value = "text withdrawn (raised to \(redaction.raisedTo.rawValue))"
        case .unit, .member, .policy, .solicitation, .signingKey, .keyRequest, .reminder: value = "reference data"
        }
        if case .transition(let step) = change.payload {
            action = step.action
            role = step.role
        } else {
            action = nil
            role = nil
        }
    }

    /// A JSON value as a person reads it: strings without quotes, `null` as empty, anything else as JSON.
    static func text(ofJSON json: String) -> String {
        if json == "null" { return "" }
        return (json.hasPrefix("\"") ? try? JSONCoding.stringValue(json) : nil) ?? json
    }
}
