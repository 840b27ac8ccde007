import Crypto
import Foundation

/// A field value withheld from a replica: in its place a marker holding the SHA-256 of the value's JSON
/// text (`{"withheld":"sha256:…"}`). Two markers are equal exactly when the values were, and a marker
/// equals the value it replaces (`same`), so a record merges alike whether a value was withheld before
/// or after a concurrent write met it, and every replica's record and digest agree.
///
/// The hash names a value that had already crossed the network (a redaction covers only what left its
/// writer's device), so it reveals nothing the reader's unit was not sent before. A value written while
/// the report was secret never crossed it: at a lowering it is sealed instead (`sealed`), a marker that
/// names nothing of it (a hash of a short value would be guessed from its candidates).
public enum Withheld {
    /// Fields never withheld: the classification (`Secrecy` judges by it) and the follow-up link
    /// (a chain's order), neither of which is the report's text.
    public static let keptFields: Set<String> = ["classification", "followUpOf"]

    private static let prefix = #"{"withheld":"sha256:"#
    private static let markerLength = prefix.utf8.count + 64 + 2

    /// The marker that stands for `value`.
    public static func marker(of value: String) -> String {
        prefix + Hex.encode(SHA256.hash(data: Data(value.utf8))) + #""}"#
    }

    /// The marker of a value sealed at a lowering (`Redaction.seals`): the same for every value, so it
    /// tells nothing of the one it replaces, and it equals no value, not even another sealed one (`same`).
    public static let sealed = #"{"withheld":"sealed"}"#

    /// Whether `value` is a marker rather than a value (withheld by its hash, or sealed).
    public static func isMarker(_ value: String) -> Bool {
        value == sealed || (value.utf8.count == markerLength && value.hasPrefix(prefix) && value.hasSuffix(#""}"#))
    }

    /// Whether two values of one field are the same value, either or both withheld. A sealed value is
    /// the same as none: nobody can tell what it was, so two writes that met it conflict on every replica
    /// (`ReportRecord` records the conflicts a sealing makes where the values had been the same).
    public static func same(_ a: String, _ b: String) -> Bool {
        if a == sealed || b == sealed { return false }
        if a == b { return true }
        guard isMarker(a) || isMarker(b) else { return false }
        return form(a) == form(b)
    }

    /// Whether `original` (the value its write held, found by dot) is the value `held` stands for: the
    /// value itself, the marker of it, or its seal.
    public static func reveals(_ original: String, _ held: String) -> Bool {
        guard original != held else { return true }
        guard isMarker(held), !isMarker(original) else { return false }
        return held == sealed || marker(of: original) == held
    }

    /// The value as a replica that withholds it keeps it.
    static func form(_ value: String) -> String { isMarker(value) ? value : marker(of: value) }

    /// Content fields with every value but the kept ones and the empty ones withheld: by their markers,
    /// or `sealed` (markers too).
    public static func fields(_ fields: [String: String], sealed seal: Bool = false) -> [String: String] {
        var withheld = fields
        for (name, value) in fields where seal ? seals(name, value) : withholds(name, value) { withheld[name] = seal ? sealed : form(value) }
        return withheld
    }

    /// Whether a sealing replaces this field's value: any a redaction withholds, and a marker not sealed yet.
    static func seals(_ field: String, _ value: String) -> Bool {
        !keptFields.contains(field) && !isEmpty(value) && value != sealed
    }

    /// Whether a redaction replaces this field's value: any but a kept field's, an empty one, or a marker.
    static func withholds(_ field: String, _ value: String) -> Bool {
        !keptFields.contains(field) && !isEmpty(value) && !isMarker(value)
    }

    /// An absent or empty value (`null`, `[]`, `""`, `{}`): it says nothing, so it stays as it is.
    private static func isEmpty(_ value: String) -> Bool {
        value == "null" || value == "[]" || value == #""""# || value == "{}"
    }

    /// `change` as a replica that withholds its text keeps and serves it: a content write's values as
    /// markers, all else (dot, context, actor, field names) as it was. Other changes come back unchanged:
    /// a decision's kept value and a step's comment stay, since their people's signatures cover them
    /// (a changed byte would fail the signature wherever the copy arrives).
    public static func change(_ change: Change, sealed seal: Bool = false) -> Change {
        guard case .content(let write) = change.payload else { return change }
        var withheld = change
        withheld.payload = .content(ContentWrite(creates: write.creates, fields: fields(write.fields, sealed: seal)))
        return withheld
    }

    /// Whether `change` holds a sealed value (`sealed`): a copy of a write made while its report was secret.
    public static func holdsSealed(_ change: Change) -> Bool {
        guard case .content(let write) = change.payload else { return false }
        return write.fields.values.contains(sealed)
    }

    /// Whether `change` carries text a redaction withholds (a content write's value).
    public static func holdsText(_ change: Change) -> Bool {
        guard case .content(let write) = change.payload else { return false }
        return write.fields.contains { withholds($0.key, $0.value) }
    }

    /// Whether the stored body `held` and `change` (its canonical JSON `body`) are one change: the same
    /// bytes, or either the withheld copy of the other (one replica withheld it, the other did not).
    public static func sameChange(_ held: String, _ change: Change, body: String) -> Bool {
        if held == body || isCopy(held, of: change) { return true }
        guard body.contains(#"{\"withheld\":"#), let stored = try? JSONCoding.value(Change.self, from: held) else { return false }
        // Either sealed (or both withheld, in either form): alike once both are sealed.
        return isCopy(body, of: stored) || Self.change(stored, sealed: true) == Self.change(change, sealed: true)
    }

    /// Whether `change`, withheld, holds none of its report's content: what the feed may send of a report
    /// kept off the network (a copy, a step without edited text, a decision that kept no value of its
    /// own, a void, a redaction). A decision's kept value and a copy-edit's text stay in their signed
    /// changes, so those are not sent.
    public static func carriesNoContent(_ change: Change) -> Bool {
        switch change.payload {
        case .content: !holdsText(Self.change(change))
        case .transition(let step): step.detail?.revisedTitle == nil && step.detail?.revisedBody == nil
        case .resolution(let step): step.value == nil
        case .void, .redaction: true
        case .unit, .member, .policy, .solicitation, .signingKey, .keyRequest, .reminder: false
        }
    }

    /// Whether `held` (a stored body) is the withheld copy of `change`: a replica that withheld it holds
    /// that copy under the same dot, and the original offered again is the same change.
    public static func isCopy(_ held: String, of change: Change) -> Bool {
        if isVerifiedCopy(held, of: change) { return true }
        return held.contains(#"{\"withheld\":\"sealed\"}"#) && holdsText(change) && held == Self.change(change, sealed: true).canonicalJSON
    }

    /// Whether `held` is the copy of `change` whose markers are the hashes of its values: a copy that
    /// proves `change` is the text it withheld. A sealed copy proves nothing of the values (any text
    /// under the same dot and field names seals alike), so its text is taken only from its writer.
    public static func isVerifiedCopy(_ held: String, of change: Change) -> Bool {
        held.contains("sha256:") && holdsText(change) && held == Self.change(change).canonicalJSON
    }
}
