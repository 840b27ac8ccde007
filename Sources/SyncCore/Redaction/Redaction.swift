/// The payload of a change that withdraws a report's text from the network after the report was raised
/// to a classification kept off it: every replica replaces the values of the content writes (and the
/// kept values of the decisions) its writer had seen — the change's context — with `Withheld` markers.
/// It holds no text, so it travels by network at once; the raise itself follows by bundle
/// (docs/bundles.md, "Raising a classification").
public struct Redaction: Codable, Sendable, Equatable {
    /// The classification the report was raised to.
    public var raisedTo: Classification

    public init(raisedTo: Classification) {
        self.raisedTo = raisedTo
    }
}

/// A redaction as a record holds it: who withdrew the report's text, when, and which writes it covers.
public struct RedactionEvent: Codable, Sendable, Equatable {
    public let dot: Dot
    public let hlc: HybridTimestamp
    public let actor: String
    /// The writes whose text it withholds: what its writer had seen of the report.
    public let covers: VersionVector
    public let raisedTo: Classification

    /// The event a redaction change carries.
    public init(_ change: Change, _ redaction: Redaction) {
        dot = change.dot
        hlc = change.hlc
        actor = change.actor
        covers = change.context
        raisedTo = redaction.raisedTo
    }

    /// The change that carried this event (to rebuild a record).
    func change(report: String, unit: String) -> Change {
        Change(
            dot: dot, hlc: hlc, record: report, unit: unit, actor: actor, context: covers,
            payload: .redaction(Redaction(raisedTo: raisedTo)))
    }
}

extension Change {
    /// Whether this change withdraws its report's text (`Redaction`).
    public var isRedaction: Bool {
        if case .redaction = payload { true } else { false }
    }
}
