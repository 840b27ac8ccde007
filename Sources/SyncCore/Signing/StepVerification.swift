import Foundation

/// Whether a step was signed by the person it names: the one rule every replica applies to every
/// workflow step and conflict resolution it takes in, made here or received (DESIGN.md "Signed steps").
public enum StepVerification {
    /// What checking a change's signature found.
    public enum Verdict: Sendable, Equatable {
        /// Signed by the actor's registered key, in force at the step's stamp.
        case verified(key: String)
        /// Not a change that is signed (content, reference data, a revise after an edit).
        case notSigned
        /// A step with no signature.
        case missing
        /// Signed by a key this replica does not hold.
        case unknownKey(String)
        /// Signed by a key registered for someone else.
        case wrongMember(key: String, member: String)
        /// The signature does not match the change (it was altered, or made by another key).
        case invalid(key: String)
        /// Signed by a key revoked at or before the step's stamp.
        case revoked(key: String, at: HybridTimestamp)

        /// Whether the change may stand.
        public var isAcceptable: Bool {
            switch self {
            case .verified, .notSigned: true
            default: false
            }
        }

        /// The verdict in a few words, for `history`, `show` and `verify`.
        public var summary: String {
            switch self {
            case .verified(let key): "signature verified (key \(key.prefix(8)))"
            case .notSigned: "no signature needed"
            case .missing: "NOT SIGNED"
            case .unknownKey(let key): "signed by unknown key \(key.prefix(8))"
            case .wrongMember(let key, let member): "signed by key \(key.prefix(8)) of \(member), not of the actor"
            case .invalid(let key): "SIGNATURE DOES NOT MATCH (key \(key.prefix(8))): the step was altered or forged"
            case .revoked(let key, let at): "signed by key \(key.prefix(8)), revoked at \(at.date.formatted(.iso8601))"
            }
        }
    }

    /// Whether `change` must carry its actor's signature: every workflow step and every conflict
    /// resolution, except the revise a content edit records (an edit is attributed, not signed).
    public static func needsSignature(_ change: Change) -> Bool {
        switch change.payload {
        case .transition(let step): step.action != .revise
        case .resolution: true
        default: false
        }
    }

    /// Whether `change` is signed when made: what needs a signature, and the central's refusals.
    public static func isSignable(_ change: Change) -> Bool {
        if case .void = change.payload { return true }
        return needsSignature(change)
    }

    /// The verdict on `change`, with `key` the registered key its signature names (if held).
    public static func verdict(on change: Change, key: SigningKey?) -> Verdict {
        guard needsSignature(change) else { return .notSigned }
        return signatureVerdict(on: change, key: key)
    }

    /// The verdict on the signature `change` carries, whether or not its kind needs one.
    public static func signatureVerdict(on change: Change, key: SigningKey?) -> Verdict {
        guard let signature = change.signature else { return .missing }
        guard let key, key.id == signature.key, let verifying = key.verifyingKey() else { return .unknownKey(signature.key) }
        guard key.member == change.actor else { return .wrongMember(key: key.id, member: key.member) }
        guard let bytes = Data(base64Encoded: signature.value),
            verifying.isValidSignature(bytes, for: StepSignature.message(for: change))
        else { return .invalid(key: key.id) }
        if let revokedAt = key.revokedAt, key.isRevoked(at: change.hlc) { return .revoked(key: key.id, at: revokedAt) }
        return .verified(key: key.id)
    }

    /// Whether an unsigned `revise` is what an edit of a reviewed report records: made right after its
    /// actor's own content write (the previous dot of the same replica), which `record` holds and which
    /// is the content it names as seen. A revise that accompanies no such edit is a step nobody signed.
    public static func accompaniesItsEdit(_ change: Change, in record: ReportRecord) -> Bool {
        guard case .transition(let step) = change.payload, step.action == .revise else { return false }
        let edit = step.sawContent
        return edit.replica == change.dot.replica && edit.counter == change.dot.counter - 1 && change.context.covers(edit)
            && record.versions.contains { $0.dot == edit && $0.actor == change.actor && !$0.creates }
    }

    /// Throws why `change` may not be taken in, when its signature does not verify.
    public static func check(_ change: Change, key: SigningKey?) throws {
        let verdict = verdict(on: change, key: key)
        guard !verdict.isAcceptable else { return }
        let what = "\(change.kindName) by \(change.actor) (\(change.dot))"
        let message: String =
            switch verdict {
            case .missing:
                "\(what) is not signed by a key registered for \(change.actor); set one up (report-cli key setup) and take the step again"
            case .unknownKey(let key):
                "\(what) is signed by key \(key.prefix(8)), which is not registered here: not a key registered for \(change.actor) (a key set up on a device signs once a sync has registered it)"
            case .revoked:
                "\(what) is signed by a key of \(change.actor) that was revoked before it; set up a new key and take the step again"
            default:
                "\(what): \(verdict.summary); it was not applied"
            }
        throw ReportSyncError(.forbidden, message)
    }
}

extension Change {
    /// What a step or resolution is called in messages.
    var kindName: String {
        switch payload {
        case .transition(let step): step.action.rawValue
        case .resolution: "resolution"
        default: "change"
        }
    }
}
