/// The canonical JSON of every replicated type: keys in sorted order, nil optionals left out, exactly
/// the keys `Decodable` reads back.

extension Dot: CanonicalEncodable {
    public func write(to json: inout CanonicalJSON) {
        json.object { j in
            j.key("counter"); j.int(counter)
            j.key("replica"); j.string(replica)
        }
    }
}

extension HybridTimestamp: CanonicalEncodable {
    public func write(to json: inout CanonicalJSON) { json.int(rawValue) }
}

extension VersionVector: CanonicalEncodable {
    public func write(to json: inout CanonicalJSON) {
        json.object { j in
            for (replica, counter) in counters.sorted(by: { $0.key < $1.key }) {
                j.key(dynamic: replica); j.int(counter)
            }
        }
    }
}

extension RecordDot: CanonicalEncodable {
    public func write(to json: inout CanonicalJSON) {
        json.object { j in
            j.key("dot"); j.value(dot)
            j.key("record"); j.string(record)
        }
    }
}

extension FieldValue: CanonicalEncodable {
    public func write(to json: inout CanonicalJSON) {
        json.object { j in
            j.key("actor"); j.string(actor)
            j.key("dot"); j.value(dot)
            j.key("hlc"); j.value(hlc)
            j.key("value"); j.string(value)
        }
    }
}

/// A map of field name → JSON text, written with the texts as JSON strings.
private func writeFields(_ fields: [String: String], to json: inout CanonicalJSON) {
    json.object { j in
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
            j.key(dynamic: name); j.string(value)
        }
    }
}

extension ReportVersion: CanonicalEncodable {
    public func write(to json: inout CanonicalJSON) {
        json.object { j in
            j.key("actor"); j.string(actor)
            j.key("context"); j.value(context)
            j.key("creates"); j.bool(creates)
            j.key("dot"); j.value(dot)
            j.key("fields"); writeFields(fields, to: &j)
            j.key("hlc"); j.value(hlc)
            j.key("report"); j.string(report)
            j.key("unit"); j.string(unit)
        }
    }
}

extension TransitionEvent: CanonicalEncodable {
    public func write(to json: inout CanonicalJSON) {
        json.object { j in
            j.key("action"); j.string(action.rawValue)
            j.key("actor"); j.string(actor)
            if let comment { j.key("comment"); j.string(comment) }
            j.key("context"); j.value(context)
            if let detail { j.key("detail"); j.raw((try? JSONCoding.string(detail)) ?? "null") }
            j.key("dot"); j.value(dot)
            j.key("from"); j.string(from.rawValue)
            j.key("hlc"); j.value(hlc)
            j.key("report"); j.string(report)
            j.key("role"); j.string(role.rawValue)
            j.key("sawContent"); j.value(sawContent)
            if let signature { j.key("signature"); j.value(signature) }
            j.key("to"); j.string(to.rawValue)
        }
    }
}

extension StepSignature: CanonicalEncodable {
    public func write(to json: inout CanonicalJSON) {
        json.object { j in
            j.key("key"); j.string(key)
            j.key("value"); j.string(value)
        }
    }
}

extension Conflict.Side: CanonicalEncodable {
    public func write(to json: inout CanonicalJSON) {
        json.object { j in
            if let action { j.key("action"); j.string(action.rawValue) }
            j.key("actor"); j.string(actor)
            j.key("dot"); j.value(dot)
            j.key("hlc"); j.value(hlc)
            if let role { j.key("role"); j.string(role.rawValue) }
            if let value { j.key("value"); j.string(value) }
        }
    }
}

extension Conflict.Resolution: CanonicalEncodable {
    public func write(to json: inout CanonicalJSON) {
        json.object { j in
            j.key("by"); j.value(by)
            j.key("how"); j.string(how.rawValue)
        }
    }
}

extension ResolutionEvent: CanonicalEncodable {
    public func write(to json: inout CanonicalJSON) {
        json.object { j in
            j.key("actor"); j.string(actor)
            j.key("conflict"); j.string(conflict)
            j.key("context"); j.value(context)
            j.key("dot"); j.value(dot)
            j.key("hlc"); j.value(hlc)
            j.key("keep"); j.string(keep.rawValue)
            j.key("report"); j.string(report)
            j.key("role"); j.string(role.rawValue)
            if let signature { j.key("signature"); j.value(signature) }
            if let value { j.key("value"); j.string(value) }
        }
    }
}

extension Redaction: CanonicalEncodable {
    public func write(to json: inout CanonicalJSON) {
        json.object { j in
            j.key("raisedTo"); j.string(raisedTo.rawValue)
            if let seals { j.key("seals"); j.values(seals) }
        }
    }
}

extension RedactionEvent: CanonicalEncodable {
    public func write(to json: inout CanonicalJSON) {
        json.object { j in
            j.key("actor"); j.string(actor)
            j.key("covers"); j.value(covers)
            j.key("dot"); j.value(dot)
            j.key("hlc"); j.value(hlc)
            j.key("raisedTo"); j.string(raisedTo.rawValue)
            if let seals { j.key("seals"); j.values(seals) }
        }
    }
}

extension VoidMarker: CanonicalEncodable {
    public func write(to json: inout CanonicalJSON) {
        json.object { j in
            j.key("dot"); j.value(dot)
            j.key("reason"); j.string(reason)
            if let signature { j.key("signature"); j.value(signature) }
        }
    }
}

extension ResolutionStep: CanonicalEncodable {
    public func write(to json: inout CanonicalJSON) {
        json.object { j in
            j.key("conflict"); j.string(conflict)
            j.key("keep"); j.string(keep.rawValue)
            j.key("role"); j.string(role.rawValue)
            if let signature { j.key("signature"); j.value(signature) }
            if let value { j.key("value"); j.string(value) }
        }
    }
}

extension Conflict: CanonicalEncodable {
    public func write(to json: inout CanonicalJSON) {
        json.object { j in
            if let field { j.key("field"); j.string(field) }
            j.key("id"); j.string(id)
            j.key("kind"); j.string(kind.rawValue)
            j.key("loser"); j.value(loser)
            j.key("reason"); j.string(reason)
            j.key("report"); j.string(report)
            if let resolution { j.key("resolution"); j.value(resolution) }
            j.key("rule"); j.string(rule)
            j.key("status"); j.string(status.rawValue)
            j.key("winner"); j.value(winner)
        }
    }
}

extension ReportRecord: CanonicalEncodable {
    public func write(to json: inout CanonicalJSON) {
        json.object { j in
            j.key("approvalConflicts"); j.values(approvalConflicts)
            j.key("fieldConflicts"); j.values(fieldConflicts)
            // Each field's current values by dot only: the values themselves are in `versions`.
            j.key("fields")
            j.object { f in
                for (name, values) in fields.sorted(by: { $0.key < $1.key }) {
                    f.key(dynamic: name); f.values(values.map(\.dot))
                }
            }
            j.key("id"); j.string(id)
            if let lastComment { j.key("lastComment"); j.string(lastComment) }
            // Written only once there is one: the digests of records without any stay as they were.
            if !redactions.isEmpty { j.key("redactions"); j.values(redactions) }
            j.key("resolutions"); j.values(resolutions)
            j.key("state"); j.string(state.rawValue)
            j.key("transitions"); j.values(transitions)
            j.key("unit"); j.string(unit)
            j.key("versions"); j.values(versions)
            j.key("voided"); j.values(voided)
            j.key("vv"); j.value(vv)
        }
    }
}

extension ContentWrite: CanonicalEncodable {
    public func write(to json: inout CanonicalJSON) {
        json.object { j in
            j.key("creates"); j.bool(creates)
            j.key("fields"); writeFields(fields, to: &j)
        }
    }
}

extension TransitionStep: CanonicalEncodable {
    public func write(to json: inout CanonicalJSON) {
        json.object { j in
            j.key("action"); j.string(action.rawValue)
            if let comment { j.key("comment"); j.string(comment) }
            if let detail { j.key("detail"); j.raw((try? JSONCoding.string(detail)) ?? "null") }
            j.key("from"); j.string(from.rawValue)
            j.key("role"); j.string(role.rawValue)
            j.key("sawContent"); j.value(sawContent)
            if let signature { j.key("signature"); j.value(signature) }
            j.key("to"); j.string(to.rawValue)
        }
    }
}

extension SigningKey: CanonicalEncodable {
    public func write(to json: inout CanonicalJSON) {
        json.object { j in
            j.key("id"); j.string(id)
            j.key("member"); j.string(member)
            j.key("publicKey"); j.string(publicKey)
            if let revokedAt { j.key("revokedAt"); j.value(revokedAt) }
        }
    }
}

extension KeyRequest: CanonicalEncodable {
    public func write(to json: inout CanonicalJSON) {
        json.object { j in
            j.key("key"); j.string(key)
            j.key("member"); j.string(member)
            j.key("proof"); j.string(proof)
            j.key("publicKey"); j.string(publicKey)
        }
    }
}

extension ChangePayload: CanonicalEncodable {
    public func write(to json: inout CanonicalJSON) {
        json.object { j in
            switch self {
            case .content(let write):
                j.key("content"); j.value(write)
                j.key("type"); j.string("content")
            case .keyRequest(let request):
                j.key("keyRequest"); j.value(request)
                j.key("type"); j.string("keyRequest")
            case .member(let member):
                j.key("member"); j.raw((try? JSONCoding.string(member)) ?? "null")
                j.key("type"); j.string("member")
            case .policy(let policy):
                j.key("policy"); j.raw((try? JSONCoding.string(policy)) ?? "null")
                j.key("type"); j.string("policy")
            case .redaction(let redaction):
                j.key("redaction"); j.value(redaction)
                j.key("type"); j.string("redaction")
            case .reminder(let reminder):
                j.key("reminder"); j.raw((try? JSONCoding.string(reminder)) ?? "null")
                j.key("type"); j.string("reminder")
            case .resolution(let step):
                j.key("resolution"); j.value(step)
                j.key("type"); j.string("resolution")
            case .signingKey(let key):
                j.key("signingKey"); j.value(key)
                j.key("type"); j.string("signingKey")
            case .solicitation(let solicitation):
                j.key("solicitation"); j.raw((try? JSONCoding.string(solicitation)) ?? "null")
                j.key("type"); j.string("solicitation")
            case .void(let marker):
                j.key("type"); j.string("void")
                j.key("void"); j.value(marker)
            case .transition(let step):
                j.key("transition"); j.value(step)
                j.key("type"); j.string("transition")
            case .unit(let unit):
                j.key("type"); j.string("unit")
                j.key("unit"); j.raw((try? JSONCoding.string(unit)) ?? "null")
            }
        }
    }
}

extension Change: CanonicalEncodable {
    public func write(to json: inout CanonicalJSON) {
        json.object { j in
            j.key("actor"); j.string(actor)
            j.key("context"); j.value(context)
            j.key("dot"); j.value(dot)
            j.key("hlc"); j.value(hlc)
            j.key("payload"); j.value(payload)
            j.key("record"); j.string(record)
            j.key("requires"); j.values(requires)
            j.key("unit"); j.string(unit)
            j.key("v"); j.int(v)
        }
    }
}
