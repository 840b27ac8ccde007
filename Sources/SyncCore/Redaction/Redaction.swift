/// The payload of a change that withdraws a report's text from the network after the report was raised
/// to a classification kept off it: every replica replaces the values of the content writes (and the
/// kept values of the decisions) its writer had seen — the change's context — with `Withheld` markers.
/// It holds no text, so it travels by network at once; the raise itself follows by bundle
/// (docs/bundles.md, "Raising a classification").
///
/// Written just before a lowering, it `seals` instead the writes made while the report was secret,
/// named one by one: their values become `Withheld.sealed` everywhere, so the lowering sends only
/// sealed copies of them over the network (docs/bundles.md, "Lowering a classification").
public struct Redaction: Codable, Sendable, Equatable {
    /// The classification the report was raised to (for a sealing: the one it stood at).
    public var raisedTo: Classification
    /// The content writes it seals, when it is a lowering's; `nil` for a raise's, which withholds
    /// what its context covers.
    public var seals: [Dot]?

    public init(raisedTo: Classification, seals: [Dot]? = nil) {
        self.raisedTo = raisedTo
        self.seals = seals.map { $0.sorted() }
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
    /// The writes it seals (`Redaction.seals`), when it is a lowering's.
    public let seals: [Dot]?

    /// The event a redaction change carries.
    public init(_ change: Change, _ redaction: Redaction) {
        dot = change.dot
        hlc = change.hlc
        actor = change.actor
        covers = change.context
        raisedTo = redaction.raisedTo
        seals = redaction.seals
    }

    /// Whether it withholds the write `dot`: one it seals, or for a raise's, one its context covers.
    public func withholds(_ dot: Dot) -> Bool {
        seals.map { $0.contains(dot) } ?? covers.covers(dot)
    }

    /// `change` as a replica that took this redaction holds it (`Withheld.change`).
    public func copy(of change: Change) -> Change {
        Withheld.change(change, sealed: seals != nil)
    }

    /// The change that carried this event (to rebuild a record).
    func change(report: String, unit: String) -> Change {
        Change(
            dot: dot, hlc: hlc, record: report, unit: unit, actor: actor, context: covers,
            payload: .redaction(Redaction(raisedTo: raisedTo, seals: seals)))
    }
}

extension Change {
    /// Whether this change withdraws its report's text (`Redaction`).
    public var isRedaction: Bool {
        if case .redaction = payload { true } else { false }
    }
}
