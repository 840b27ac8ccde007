/// One report as a replicated record: every content write and transition it has received, the merged
/// field values, and the state and conflicts that follow from them.
///
/// Two replicas holding the same set of changes hold equal records, whatever order the changes came in:
/// every collection is kept in a canonical order and everything else is derived.
public struct ReportRecord: Decodable, Sendable, Equatable {
    public let id: String
    public let unit: String
    /// Every write this record has received, per replica.
    public private(set) var vv: VersionVector
    /// Per field, the values no write has yet superseded: one normally, several after concurrent writes; the winner first.
    public private(set) var fields: [String: [FieldValue]]
    /// Every content write, by dot.
    public private(set) var versions: [ReportVersion]
    /// Every transition event, by dot.
    public private(set) var transitions: [TransitionEvent]
    /// Concurrent field writes that disagreed, by id.
    public private(set) var fieldConflicts: [Conflict]
    public private(set) var state: ApprovalState
    public private(set) var approvalConflicts: [Conflict]
    public private(set) var lastComment: String?
    /// Every decision on a conflict, by dot.
    public private(set) var resolutions: [ResolutionEvent]
    /// Changes the central refused, by dot: seen, without effect.
    public private(set) var voided: [VoidMarker]
    /// Withdrawals of the report's text after a raise of its classification, by dot (`Withheld`).
    public private(set) var redactions: [RedactionEvent]

    enum CodingKeys: String, CodingKey {
        case id, unit, vv, fields, versions, transitions, fieldConflicts, state, approvalConflicts, lastComment, resolutions, voided, redactions
    }

    /// Reads a record written in canonical form, where each field's values are given by the dots of their versions.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        unit = try c.decode(String.self, forKey: .unit)
        vv = try c.decode(VersionVector.self, forKey: .vv)
        versions = try c.decode([ReportVersion].self, forKey: .versions)
        transitions = try c.decode([TransitionEvent].self, forKey: .transitions)
        fieldConflicts = try c.decode([Conflict].self, forKey: .fieldConflicts)
        state = try c.decode(ApprovalState.self, forKey: .state)
        approvalConflicts = try c.decode([Conflict].self, forKey: .approvalConflicts)
        lastComment = try c.decodeIfPresent(String.self, forKey: .lastComment)
        resolutions = try c.decodeIfPresent([ResolutionEvent].self, forKey: .resolutions) ?? []
        voided = try c.decodeIfPresent([VoidMarker].self, forKey: .voided) ?? []
        redactions = try c.decodeIfPresent([RedactionEvent].self, forKey: .redactions) ?? []
        let byDot = Dictionary(versions.map { ($0.dot, $0) }, uniquingKeysWith: { first, _ in first })
        var fields: [String: [FieldValue]] = [:]
        for (name, dots) in try c.decode([String: [Dot]].self, forKey: .fields) {
            fields[name] = try dots.map { dot in
                guard let version = byDot[dot], let value = version.fields[name] else {
                    throw DecodingError.dataCorruptedError(
                        forKey: .fields, in: c, debugDescription: "field \(name) names write \(dot), which does not write it")
                }
                return FieldValue(value: value, dot: dot, hlc: version.hlc, actor: version.actor)
            }
        }
        self.fields = fields
    }

    /// A record made by its creating change.
    public init(creating change: Change) throws {
        guard case .content(let write) = change.payload, write.creates else {
            throw ReportSyncError(.invalidInput, "report \(change.record) does not exist yet and change \(change.dot) does not create it")
        }
        guard change.context.isEmpty else {
            throw ReportSyncError(.invalidInput, "change \(change.dot) creates report \(change.record) but claims to have seen earlier writes")
        }
        id = change.record
        unit = change.unit
        vv = VersionVector()
        fields = [:]
        versions = []
        transitions = []
        fieldConflicts = []
        state = .draft
        approvalConflicts = []
        lastComment = nil
        resolutions = []
        voided = []
        redactions = []
        applyContent(change, write)
        vv.add(change.dot)
    }

    /// Merges one change; returns whether it was applied, already held, waiting for causes, or refused.
    public mutating func apply(_ change: Change) -> ApplyOutcome {
        if let marker = voided.first(where: { $0.dot == change.dot }) {
            return .rejected(
                ReportSyncError(.forbidden, "change \(change.dot) was refused by the central (\(marker.reason)); it has no effect"))
        }
        if vv.covers(change.dot) { return .duplicate }
        guard change.record == id else {
            return .rejected(ReportSyncError(.invalidInput, "change \(change.dot) is for report \(change.record), not \(id)"))
        }
        guard change.unit == unit else {
            return .rejected(
                ReportSyncError(
                    .forbidden, "change \(change.dot) claims unit \(change.unit), but report \(id) belongs to \(unit); it was not applied"))
        }
        let missing = vv.missing(from: change.context)
        if !missing.isEmpty { return .waiting(missing: missing) }
        switch change.payload {
        case .content(let write) where write.creates:
            return .rejected(ReportSyncError(.invalidInput, "change \(change.dot) creates report \(id) a second time"))
        case .void(let marker):
            vv.add(change.dot)
            applyVoid(marker)
            return .applied
        case .unit, .member, .policy, .solicitation, .signingKey, .keyRequest, .reminder:
            return .rejected(ReportSyncError(.invalidInput, "change \(change.dot) writes reference data into report \(id)"))
        case .content, .transition, .resolution, .redaction:
            take(change)
        }
        vv.add(change.dot)
        refold()
        return .applied
    }

    /// Whether `change` would apply now, if its writer may make it: new here, not voided, its causes held.
    public func isReadyToApply(_ change: Change) -> Bool {
        !vv.covers(change.dot) && vv.missing(from: change.context).isEmpty && !voided.contains { $0.dot == change.dot }
    }

    /// Takes the effect of a content write, workflow step or decision into the record; its checks are made.
    private mutating func take(_ change: Change) {
        switch change.payload {
        case .content(let write): applyContent(change, write)
        case .transition(let step): transitions.insert(sorted: TransitionEvent(change, step), by: \.dot)
        case .resolution(let step): resolutions.insert(sorted: ResolutionEvent(change, step), by: \.dot)
        case .redaction(let redaction): withhold(RedactionEvent(change, redaction))
        case .void, .unit, .member, .policy, .solicitation, .signingKey, .keyRequest, .reminder: break
        }
    }

    /// The merged content: each field's winning value; throws naming a field that holds no value of its type.
    public func content() throws -> ReportContent {
        try ReportContent.decode(fields: currentValues)
    }

    /// The merged content as far as it can be read, and the fields that cannot (`ReportContent.readable`).
    public func readableContent() -> (content: ReportContent, unreadable: [String]) {
        ReportContent.readable(fields: currentValues)
    }

    /// The first report of the follow-up chain this report continues, read from that one field.
    public var followUpOf: String? { (try? JSONCoding.stringValue(fields["followUpOf"]?.first?.value)) ?? nil }

    /// Each field's winning value as JSON text.
    public var currentValues: [String: String] { fields.compactMapValues { $0.first?.value } }

    /// The merged classification (a value that is none of the known ones counts as secret: safest).
    public var classification: Classification {
        guard let json = fields["classification"]?.first?.value else { return .public }
        return Self.classification(json)
    }

    /// The strictest classification among the values that stand (concurrent writes may leave several):
    /// what secrecy is judged by, so that a later-stamped `public` beside a concurrent `secret` does not
    /// let the report onto the network (`Secrecy`). A value none of the known ones counts as secret.
    public var guardedClassification: Classification {
        let values = (fields["classification"] ?? []).map { Self.classification($0.value) }
        return values.max { Self.strictness($0) < Self.strictness($1) } ?? .public
    }

    /// The classification the report travels by: `guardedClassification`, or what a redaction raised it
    /// to where no write of the classification has seen that redaction since (the raise itself goes by
    /// bundle, and may not have come yet). So a report whose text was withdrawn is kept off the network
    /// and named 涉密信息 at once on every replica; a lowering that saw the redaction ends it. A sealing
    /// raises nothing (`raises`).
    public var networkClassification: Classification {
        var strictest = guardedClassification
        for redaction in redactions
        where raises(redaction) && !versions.contains(where: { $0.fields["classification"] != nil && $0.context.covers(redaction.dot) }) {
            if Self.strictness(redaction.raisedTo) > Self.strictness(strictest) { strictest = redaction.raisedTo }
        }
        return strictest
    }

    /// Whether `redaction` raises the report off the network: a raise's does, until a write of the
    /// classification has seen it (even when the central refused the raise itself: what its device
    /// wrote after it was written as secret); a sealing does not, the classification writes say where
    /// the report stands.
    func raises(_ redaction: RedactionEvent) -> Bool {
        redaction.seals == nil
    }

    /// A classification value's JSON read (a plain literal by its raw value, without a decoder), or
    /// `secret` when it is none of the known ones.
    static func classification(_ json: String) -> Classification {
        if let raw = JSONCoding.plainString(json), let known = Classification(rawValue: raw) { return known }
        return (try? JSONCoding.value(Classification.self, from: json)) ?? .secret
    }

    static func strictness(_ classification: Classification) -> Int {
        switch classification {
        case .public: 0
        case .internal: 1
        case .secret: 2
        }
    }

    /// Every conflict of this record, field conflicts first.
    public var conflicts: [Conflict] { fieldConflicts + approvalConflicts }

    /// The conflict with this id, if the record holds it.
    public func conflict(_ id: String) -> Conflict? { conflicts.first { $0.id == id } }

    /// The member who created the report.
    public var drafter: String { versions.first(where: \.creates)?.actor ?? "" }

    /// The most recent content write by clock: what an approval now would have seen.
    public var latestContent: ReportVersion {
        versions.max { ($0.hlc, $0.dot) < ($1.hlc, $1.dot) }!
    }

    private mutating func applyContent(_ change: Change, _ write: ContentWrite) {
        let version = ReportVersion(change, write)
        for (name, value) in write.fields {
            let incoming = FieldValue(value: value, dot: change.dot, hlc: change.hlc, actor: change.actor)
            for prior in versions where !change.context.covers(prior.dot) {
                // A withheld value is the same as the value it stands for: the record merges alike either way.
                guard let priorValue = prior.fields[name], !Withheld.same(priorValue, value) else { continue }
                recordConflict(name, incoming, FieldValue(value: priorValue, dot: prior.dot, hlc: prior.hlc, actor: prior.actor))
            }
            var siblings = (fields[name] ?? []).filter { !change.context.covers($0.dot) }
            siblings.append(incoming)
            siblings.sort { $0.beats($1) }
            fields[name] = siblings
        }
        versions.insert(sorted: version, by: \.dot)
    }

    /// Counts the refused change as seen; if this record holds its effect, rebuilds the record without it.
    private mutating func applyVoid(_ marker: VoidMarker) {
        voided.insert(sorted: marker, by: \.dot)
        let held = versions.contains { $0.dot == marker.dot } || transitions.contains { $0.dot == marker.dot }
            || resolutions.contains { $0.dot == marker.dot } || redactions.contains { $0.dot == marker.dot }
        vv.add(marker.dot)
        guard held else { return }
        let void = Set(voided.map(\.dot))
        let kept = (versions.map(\.change) + transitions.map { $0.change(unit: unit) } + resolutions.map { $0.change(unit: unit) }
            + redactions.map { $0.change(report: id, unit: unit) })
            .filter { !void.contains($0.dot) }
            .sorted { ($0.hlc, $0.dot) < ($1.hlc, $1.dot) }
        // A refused creation leaves nothing to rebuild from: the record stays as its writer made it.
        guard let creation = kept.first, var rebuilt = try? ReportRecord(creating: creation) else { return }
        // Every kept change applied before, causes first; only its effect is taken again. Everything seen
        // (the void changes themselves included) stays seen.
        rebuilt.voided = voided
        rebuilt.vv = vv
        for change in kept.dropFirst() { rebuilt.take(change) }
        rebuilt.refold()
        self = rebuilt
    }

    /// Takes a redaction in: every value of the content writes it covers becomes its marker, wherever
    /// the record holds it (the writes, the standing values, the conflicts' sides). The classification
    /// and follow-up link stay (`Withheld.keptFields`), and so do decisions and steps (signed).
    private mutating func withhold(_ redaction: RedactionEvent) {
        redactions.insert(sorted: redaction, by: \.dot)
        withholdValues(by: redaction)
    }

    /// What one redaction does to the values: a raise's withholds what it covers, a lowering's seals.
    private mutating func withholdValues(by redaction: RedactionEvent) {
        if let seals = redaction.seals { sealValues(Set(seals)) } else { withholdValues(covered: redaction.covers) }
    }

    /// Every value of the writes `dots` (but the kept and empty ones) as `Withheld.sealed`, wherever the
    /// record holds it. A sealed value is the same as no other (`Withheld.same`), so two concurrent
    /// writes of one field that held the same value now conflict: recorded here as on a replica that
    /// took the sealed copy before the other write.
    private mutating func sealValues(_ dots: Set<Dot>) {
        for i in versions.indices where dots.contains(versions[i].dot) { versions[i].fields = Withheld.fields(versions[i].fields, sealed: true) }
        for (name, values) in fields {
            fields[name] = values.map {
                dots.contains($0.dot) && Withheld.seals(name, $0.value)
                    ? FieldValue(value: Withheld.sealed, dot: $0.dot, hlc: $0.hlc, actor: $0.actor) : $0
            }
        }
        for i in fieldConflicts.indices {
            guard let field = fieldConflicts[i].field else { continue }
            for side in [\Conflict.winner, \Conflict.loser] where dots.contains(fieldConflicts[i][keyPath: side].dot) {
                guard let value = fieldConflicts[i][keyPath: side].value, Withheld.seals(field, value) else { continue }
                fieldConflicts[i][keyPath: side].value = Withheld.sealed
            }
        }
        for sealed in versions where dots.contains(sealed.dot) {
            for other in versions where other.dot != sealed.dot && !sealed.context.covers(other.dot) && !other.context.covers(sealed.dot) {
                for (name, value) in sealed.fields where value == Withheld.sealed {
                    guard let otherValue = other.fields[name] else { continue }
                    let a = FieldValue(value: value, dot: sealed.dot, hlc: sealed.hlc, actor: sealed.actor)
                    let b = FieldValue(value: otherValue, dot: other.dot, hlc: other.hlc, actor: other.actor)
                    recordConflict(name, a, b)
                }
            }
        }
    }

    /// Records that `a` and `b`, concurrent values of field `name`, conflict (once: by the conflict's id).
    private mutating func recordConflict(_ name: String, _ a: FieldValue, _ b: FieldValue) {
        let (winner, loser) = a.beats(b) ? (a, b) : (b, a)
        let conflict = Conflict(
            kind: .fieldValue, report: id, field: name, winner: Self.side(winner), loser: Self.side(loser),
            rule: FieldValue.rule(winner: winner, loser: loser),
            reason: "\(winner.actor) and \(loser.actor) wrote \(name) without seeing each other's write; \(winner.actor)'s is later by the clock rule and is shown, \(loser.actor)'s is kept here")
        if !fieldConflicts.contains(where: { $0.id == conflict.id }) { fieldConflicts.insert(sorted: conflict, by: \.id) }
    }

    /// Every value of the content writes `covers` covers as its marker, wherever the record holds it.
    private mutating func withholdValues(covered covers: VersionVector) {
        for i in versions.indices where covers.covers(versions[i].dot) { versions[i].fields = Withheld.fields(versions[i].fields) }
        for (name, values) in fields where !Withheld.keptFields.contains(name) {
            fields[name] = values.map {
                covers.covers($0.dot) && Withheld.withholds(name, $0.value)
                    ? FieldValue(value: Withheld.form($0.value), dot: $0.dot, hlc: $0.hlc, actor: $0.actor) : $0
            }
        }
        for i in fieldConflicts.indices {
            guard let field = fieldConflicts[i].field else { continue }
            for side in [\Conflict.winner, \Conflict.loser] where covers.covers(fieldConflicts[i][keyPath: side].dot) {
                guard let value = fieldConflicts[i][keyPath: side].value, Withheld.withholds(field, value) else { continue }
                fieldConflicts[i][keyPath: side].value = Withheld.form(value)
            }
        }
    }

    /// The fields whose standing value is withheld here (a redaction covered the write that holds it).
    public var withheldFields: [String] {
        fields.filter { $0.value.first.map { Withheld.isMarker($0.value) } ?? false }.keys.sorted()
    }

    /// This record after one of its redactions was voided, on the replica that wrote it (the only one
    /// that took it): every value put back from `originals`, then withheld again as the redactions that
    /// stand say, so that it equals the record of every replica that never took the voided one.
    func restoring(_ originals: [Dot: Change]) -> ReportRecord {
        var restored = revealed(originals)
        for redaction in redactions { restored.withholdValues(by: redaction) }
        restored.refold()
        return restored
    }

    /// This record with the withheld values `originals` holds put back (by dot: the changes as their
    /// writers made them), each only where it is the value its marker stands for. What a replica that
    /// kept the text shows and judges by; never stored or digested.
    public func revealing(_ originals: [Dot: Change]) -> ReportRecord {
        guard !redactions.isEmpty else { return self }
        return revealed(originals)
    }

    private func revealed(_ originals: [Dot: Change]) -> ReportRecord {
        guard !originals.isEmpty else { return self }
        func original(_ dot: Dot, _ field: String?) -> String? {
            guard case .content(let write)? = originals[dot]?.payload else { return nil }
            return field.flatMap { write.fields[$0] }
        }
        func reveal(_ held: String, _ dot: Dot, _ field: String?) -> String {
            guard Withheld.isMarker(held), let value = original(dot, field), Withheld.reveals(value, held) else { return held }
            return value
        }
        var shown = self
        for i in shown.versions.indices where originals[shown.versions[i].dot] != nil {
            let dot = shown.versions[i].dot
            shown.versions[i].fields = shown.versions[i].fields.reduce(into: [:]) { $0[$1.key] = reveal($1.value, dot, $1.key) }
        }
        for (name, values) in shown.fields {
            shown.fields[name] = values.map { FieldValue(value: reveal($0.value, $0.dot, name), dot: $0.dot, hlc: $0.hlc, actor: $0.actor) }
        }
        for i in shown.fieldConflicts.indices {
            let field = shown.fieldConflicts[i].field
            for side in [\Conflict.winner, \Conflict.loser] {
                let held = shown.fieldConflicts[i][keyPath: side]
                shown.fieldConflicts[i][keyPath: side].value = held.value.map { reveal($0, held.dot, field) }
            }
        }
        shown.refold()
        return shown
    }

    /// Recomputes state and approval conflicts, and which conflicts are settled.
    private mutating func refold() {
        let folded = ApprovalFold.fold(report: id, transitions: transitions, versions: versions)
        state = folded.state
        approvalConflicts = folded.conflicts
        lastComment = folded.lastComment
        ConflictSettlement.settle(&fieldConflicts, resolutions: resolutions, versions: versions, transitions: transitions)
        ConflictSettlement.settle(&approvalConflicts, resolutions: resolutions, versions: versions, transitions: transitions)
    }

    static func side(_ value: FieldValue) -> Conflict.Side {
        Conflict.Side(dot: value.dot, hlc: value.hlc, actor: value.actor, value: value.value)
    }
}

extension Array {
    /// Inserts `element` keeping the array sorted by `key`.
    mutating func insert<Key: Comparable>(sorted element: Element, by key: (Element) -> Key) {
        let k = key(element)
        insert(element, at: firstIndex { k < key($0) } ?? endIndex)
    }
}
