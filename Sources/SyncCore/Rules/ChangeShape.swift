/// The shape every change from outside must have before anything else looks at it (a push, later a
/// bundle): well-formed ids, a record id that matches what the change writes, sizes within bounds, and
/// every content field decoded into its type and written in its one canonical form. A change that
/// fails is not a change this program makes: the whole request is refused and nothing is written.
///
/// Permissions and the content rules of a local write come after, per change (`PushAuthorization`,
/// `PushedContentRules`).
public enum ChangeShape {
    /// The most changes one record write may require first.
    public static let maxRequires = 16
    /// The most replicas a change may say its writer had seen of a record.
    public static let maxContext = 1_000
    /// The most characters of a comment, a reason or another free text beside the content.
    public static let maxText = 4_000
    /// The most characters of a conflict id (it names a report, a field and two dots).
    public static let maxConflictID = 512
    /// The most writes one redaction may seal (`Redaction.seals`): as many as one report's history holds.
    public static let maxSeals = 10_000

    /// Throws why a batch of changes is not what this program sends: the first change at fault.
    public static func check(_ changes: [Change]) throws {
        for (index, change) in changes.enumerated() { try check(change, at: index) }
    }

    /// Throws why `change` (at `index` of its batch) is not well formed: `malformed` or `tooLarge`.
    public static func check(_ change: Change, at index: Int = 0) throws {
        guard Identifier.isWellFormedReplica(change.dot.replica), change.dot.counter > 0 else {
            throw ReportSyncError(
                .malformed,
                "change #\(index + 1): its dot names replica '\(Identifier.shown(change.dot.replica))' with counter \(change.dot.counter); a dot needs a well-formed replica id and a positive counter")
        }
        var name: String { "change \(change.dot) (#\(index + 1))" }
        func malformed(_ what: String) -> ReportSyncError { ReportSyncError(.malformed, "\(name): \(what)") }
        func id(_ value: String, _ what: String) throws {
            guard Identifier.isWellFormed(value) else {
                throw malformed("\(what) '\(Identifier.shown(value))' is not a valid id (1 to \(Identifier.maxLength) characters, no / or control characters)")
            }
        }
        func replica(_ value: String, _ what: String) throws {
            guard Identifier.isWellFormedReplica(value) else {
                throw malformed("\(what) '\(Identifier.shown(value))' is not a replica id (1 to \(Identifier.maxLength) ASCII letters, digits and - _ . : @)")
            }
        }
        func text(_ value: String?, _ what: String, max: Int = maxText) throws {
            guard let value, value.count > max else { return }
            throw ReportSyncError(.tooLarge, "\(name): \(what) has \(value.count) characters; at most \(max) are taken")
        }
        try id(change.unit, "unit")
        try id(change.actor, "actor")
        guard change.requires.count <= maxRequires else {
            throw ReportSyncError(.tooLarge, "\(name): requires lists \(change.requires.count) writes; at most \(maxRequires) are taken")
        }
        for required in change.requires {
            guard UUIDv7.isWellFormed(required.record) else { throw malformed("it requires record '\(Identifier.shown(required.record))', which is not a report id") }
            try replica(required.dot.replica, "a required dot's replica")
        }
        guard change.context.counters.count <= maxContext else {
            throw ReportSyncError(.tooLarge, "\(name): its context names \(change.context.counters.count) replicas; at most \(maxContext) are taken")
        }
        for (seen, counter) in change.context.counters where !Identifier.isWellFormedReplica(seen) || counter <= 0 {
            throw malformed("its context names replica '\(Identifier.shown(seen))' with counter \(counter)")
        }
        let kind = change.payload.kind
        if kind == .report {
            guard UUIDv7.isWellFormed(change.record) else {
                throw malformed("report id '\(Identifier.shown(change.record))' is not a report id (a lowercase UUID, as report-cli makes them)")
            }
        } else if change.record != ReferenceRecord.id(of: change.payload) {
            throw malformed("a \(kind.rawValue) change must write record '\(ReferenceRecord.id(of: change.payload) ?? "")', not '\(Identifier.shown(change.record))'")
        }
        switch change.payload {
        case .content(let write):
            for (field, json) in write.fields.sorted(by: { $0.key < $1.key }) {
                guard let known = ReportField.named(field) else { throw malformed("it writes unknown field '\(Identifier.shown(field))'") }
                // A value sealed at a lowering (`Withheld.sealed`) stands in any field but the kept ones;
                // the content rules take it only into a report kept off the network (`PushedContentRules`).
                if json == Withheld.sealed, !Withheld.keptFields.contains(field) { continue }
                do { try known.checkCanonical(json) } catch let problem as ReportField.FieldProblem {
                    switch problem {
                    case .tooLong(let max):
                        throw ReportSyncError(.tooLarge, "\(name): field \(field) takes \(json.count) characters of JSON; at most \(max) are taken")
                    case .wrongType(let expected):
                        throw malformed("field \(field) is \(Identifier.shown(json)), which is not \(expected)")
                    case .notCanonical(let canonical):
                        throw malformed(
                            "field \(field) is written \(Identifier.shown(json)); write it exactly as \(Identifier.shown(canonical)) (no escapes, spaces or other spellings)")
                    }
                }
            }
        case .transition(let step):
            try text(step.comment, "the comment")
            try text(step.detail?.outlet, "the outlet", max: 500)
            try text(step.detail?.leader, "the leader", max: 500)
            try text(step.detail?.registration, "the registration number", max: 40)
            try text(step.detail?.revisedTitle, "the edited title", max: 2_000)
            try text(step.detail?.revisedBody, "the edited body", max: 200_000)
            try replica(step.sawContent.replica, "the content seen")
        case .resolution(let step):
            try text(step.conflict, "the conflict id", max: maxConflictID)
            if let value = step.value {
                // A kept value belongs to a field conflict, whose id names the field: `field-value/REPORT/FIELD/…`.
                let parts = step.conflict.split(separator: "/", omittingEmptySubsequences: false)
                guard parts.count >= 3, parts[0] == Conflict.Kind.fieldValue.rawValue, let field = ReportField.named(String(parts[2])) else {
                    throw malformed("it keeps a value, which only a decision on a field conflict may")
                }
                do { try field.checkCanonical(value) } catch {
                    throw malformed("the value it keeps is not a \(field.name) written as ReportSync writes one")
                }
            }
        case .solicitation(let asked):
            try id(asked.id, "solicitation id")
            try id(asked.issuedBy, "issuer")
            // One call each: the same checks as a loop over (String?, String) pairs, which the 6.3.1
            // optimiser miscompiles (an ownership verifier crash in release builds).
            try text(asked.topic, "the topic")
            try text(asked.contact, "the contact")
            try text(asked.format, "the format")
            try text(asked.purpose, "the purpose")
            try text(asked.declined?.reason, "the reason")
            if let decline = asked.declined { try id(decline.by, "the member declining") }
        case .reminder(let reminder):
            try id(reminder.id, "reminder id")
            try id(reminder.solicitation, "solicitation id")
            try id(reminder.unit, "the unit chased")
            try id(reminder.by, "the member chasing")
            try text(reminder.note, "the note")
        case .void(let marker):
            try text(marker.reason, "the reason")
            try replica(marker.dot.replica, "the voided dot's replica")
        case .unit(let unit):
            try id(unit.id, "unit id")
            if let parent = unit.parent { try id(parent, "parent unit") }
            try text(unit.name, "the unit's name", max: 500)
        case .member(let member):
            try id(member.id, "member id")
            try id(member.unit, "the member's unit")
            try text(member.name, "the member's name", max: 500)
            try text(member.phone, "the member's phone", max: 500)
        case .policy:
            break
        case .redaction(let redaction):
            guard let seals = redaction.seals else { break }
            guard seals.count <= maxSeals else {
                throw ReportSyncError(.tooLarge, "\(name): it seals \(seals.count) writes; at most \(maxSeals) are taken")
            }
            for dot in seals where !Identifier.isWellFormedReplica(dot.replica) || dot.counter <= 0 {
                throw malformed("it seals write \(dot), which is not a dot of a well-formed replica id and a positive counter")
            }
            guard zip(seals, seals.dropFirst()).allSatisfy({ $0 < $1 }) else { throw malformed("the writes it seals are not listed once each, in order") }
        case .signingKey(let key):
            try id(key.member, "the key's member")
            guard key.verifyingKey() != nil else { throw malformed("it registers a key that is not an Ed25519 public key with that id") }
        case .keyRequest(let request):
            try id(request.member, "the key's member")
            guard request.signingKey != nil else { throw malformed("it asks for a key that is not an Ed25519 public key with that id") }
            guard request.proof.count == 64, request.proof.allSatisfy(\.isHexDigit) else { throw malformed("its proof is not an HMAC-SHA256 in hex") }
        }
        if let signature = change.signature {
            try text(signature.key, "the signing key id", max: 64)
            try text(signature.value, "the signature", max: 128)
        }
    }

    /// Throws when `change` holds U+0000 in any text (a field, a comment, a reason): a store may not keep
    /// it (PostgreSQL's text cannot) and no person types it. Checked per change, so that such a change is
    /// refused alone (and voided) and never blocks the rest of its writer's outbox.
    /// `body` is the change's canonical JSON when the caller wrote it already.
    public static func checkNoNUL(_ change: Change, body: String? = nil) throws {
        var nul = holdsNUL(body ?? change.canonicalJSON)
        if case .content(let write) = change.payload { nul = nul || write.fields.values.contains(where: holdsNUL) }
        if nul {
            throw ReportSyncError(.ruleViolated, "change \(change.dot) holds the character U+0000 (NUL), which no text of a report may hold; remove it and write again")
        }
    }

    /// Whether the JSON text `json` holds the escape of U+0000 (`\u0000`) at its own level (not inside a
    /// string that holds JSON in turn: that string's backslash is escaped).
    public static func holdsNUL(_ json: String) -> Bool {
        let bytes = Array(json.utf8)
        var index = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "\\") else {
                index += 1
                continue
            }
            if index + 5 < bytes.count, bytes[index + 1] == UInt8(ascii: "u"), bytes[(index + 2)...(index + 5)].allSatisfy({ $0 == UInt8(ascii: "0") }) {
                return true
            }
            index += 2
        }
        return false
    }
}
