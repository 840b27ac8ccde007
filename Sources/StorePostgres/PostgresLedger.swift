import Foundation
import PostgresNIO
import Store
import SyncCore

/// The central's ledger (`CentralLedger`) on PostgreSQL: answered from facts loaded before the push
/// (`load`); a question about a fact not loaded is answered as if the central held nothing and noted
/// (`missed`), so that the push is loaded again and run again (as the merge engine's
/// `PreloadedMergeSource`); what a run writes is kept aside and written after it (`writeBack`). A run
/// reads its own writes.
final class PostgresLedger: CentralLedger {
    /// A fact the ledger had not loaded.
    enum Fact: Hashable {
        case member(String)
        case solicitation(id: String, unit: String)
        case refusal(Dot)
        case binding(String)
        case writtenUnits(String)
        case boundCount(String)
        case invites(String)
        case registration(Int)
        case scope(String)
    }

    private let bureauID: String
    private let currentID: String
    private let previous: [String]
    private let serverKey: String?
    private var members: [String: Member] = [:]
    private var solicitations: [String: Solicitation] = [:]
    private var refusals: [Dot: String] = [:]
    private var bindings: [String: String] = [:]
    private var writtenUnits: [String: Set<String>] = [:]
    private var boundCounts: [String: Int] = [:]
    private var invites: [String: [KeyInvite]] = [:]
    private var registrations: [Int: Int] = [:]
    private var scopes: [String: Set<String>] = [:]
    private var loaded: Set<Fact> = []
    /// The facts this run asked that were not loaded.
    private(set) var missed: Set<Fact> = []
    /// This run's writes.
    private var newBindings: [(replica: String, device: String, at: Date)] = []
    private var marks: [Data: String?] = [:]
    private var kept: [Int: Int] = [:]

    private init(bureau: String, replicaID: String, previous: [String], serverKey: String?) {
        bureauID = bureau
        currentID = replicaID
        self.previous = previous
        self.serverKey = serverKey
    }

    /// A ledger of the central in `db` (whose lock's `state` the caller holds), with what a push of
    /// `changes` by a device of `unit` is sure to ask.
    static func loading(for changes: [Change], unit: String, now: Date, _ state: CentralState, _ db: PostgresDatabase) async throws -> PostgresLedger {
        try await loading(for: [(changes, unit)], now: now, state, db)
    }

    /// A ledger with what each of `pushes` (its changes, and the unit of the device that sent them) is sure to ask.
    static func loading(
        for pushes: [(changes: [Change], unit: String)], now: Date, _ state: CentralState, _ db: PostgresDatabase
    ) async throws -> PostgresLedger {
        let ledger = PostgresLedger(
            bureau: try state.require(.unitID), replicaID: try state.require(.replicaID),
            previous: state.value(.previousReplicaIDs)?.split(separator: ",").map(String.init) ?? [],
            serverKey: state.value(.serverSigningKey))
        var facts: Set<Fact> = Set(pushes.map { .scope($0.unit) })
        facts.insert(.registration(Calendar(identifier: .gregorian).component(.year, from: now)))
        for change in pushes.flatMap(\.changes) {
            facts.insert(.member(change.actor))
            facts.insert(.refusal(change.dot))
            // Whether a replica wrote for other units is asked only of one not bound yet: loaded when asked.
            facts.insert(.binding(change.dot.replica))
            if case .keyRequest(let request) = change.payload {
                facts.insert(.invites(request.member))
                facts.insert(.member(request.member))
            }
            if case .solicitation(let s) = change.payload { facts.insert(.solicitation(id: s.id, unit: s.unit)) }
        }
        try await ledger.load(facts, db)
        return ledger
    }

    /// Starts a run: forgets what the last one wrote.
    func beginRun() {
        missed = []
        newBindings = []
        marks = [:]
        kept = [:]
    }

    func bureau() throws -> String { bureauID }
    func previousReplicaIDs() throws -> [String] { previous }
    func replicaID() throws -> String { currentID }
    func serverSigningKey() throws -> String? { serverKey }

    func unitScope(of unit: String) throws -> Set<String> {
        known(.scope(unit)) ? scopes[unit] ?? [] : []
    }

    func member(_ id: String) throws -> Member? {
        known(.member(id)) ? members[id] : nil
    }

    func solicitation(_ id: String, unit: String) throws -> Solicitation? {
        known(.solicitation(id: id, unit: unit)) ? solicitations["\(id)\u{0}\(unit)"] : nil
    }

    func refusalReason(of dot: Dot) throws -> String? {
        known(.refusal(dot)) ? refusals[dot] : nil
    }

    func boundDevice(of replica: String) throws -> String? {
        if let new = newBindings.last(where: { $0.replica == replica }) { return new.device }
        return known(.binding(replica)) ? bindings[replica] : nil
    }

    func hasWritten(_ replica: String, outside scope: Set<String>) throws -> Bool {
        known(.writtenUnits(replica)) ? !(writtenUnits[replica] ?? []).isSubset(of: scope) : false
    }

    func boundReplicaCount(of device: String) throws -> Int {
        (known(.boundCount(device)) ? boundCounts[device] ?? 0 : 0) + newBindings.filter { $0.device == device }.count
    }

    func bind(_ replica: String, to device: String, at: Date) throws {
        newBindings.append((replica, device, at))
    }

    func openInvites(of member: String) throws -> [KeyInvite] {
        guard known(.invites(member)) else { return [] }
        return (invites[member] ?? []).compactMap { invite in
            let redeemed = marks[invite.secret] ?? invite.redeemedKey
            return redeemed == nil ? KeyInvite(secret: invite.secret, member: invite.member, expiresAt: invite.expiresAt, redeemedKey: nil) : nil
        }
    }

    func markInvite(_ secret: Data, redeemedBy keyID: String?) throws {
        marks[secret] = .some(keyID)
    }

    func lastRegistration(in year: Int) throws -> Int {
        let stored = known(.registration(year)) ? registrations[year] ?? 0 : 0
        return max(stored, kept[year] ?? 0)
    }

    func keepRegistration(_ serial: Int, in year: Int) throws {
        kept[year] = max(kept[year] ?? 0, serial)
    }

    /// Whether `fact` is loaded; notes it missed when it is not.
    private func known(_ fact: Fact) -> Bool {
        if loaded.contains(fact) { return true }
        missed.insert(fact)
        return false
    }

    /// Loads `facts` from `db`, one round trip for each kind of fact.
    func load(_ facts: Set<Fact>, _ db: PostgresDatabase) async throws {
        var members: [String] = [], refusals: [Dot] = [], bindings: [String] = [], written: [String] = []
        for fact in facts.subtracting(loaded) {
            switch fact {
            case .member(let id): members.append(id)
            case .refusal(let dot): refusals.append(dot)
            case .binding(let replica): bindings.append(replica)
            case .writtenUnits(let replica): written.append(replica)
            case .solicitation(let id, let unit):
                if let body = try await db.rows("SELECT body FROM solicitations WHERE id = $1 AND unit = $2", [id, unit], as: String.self).first {
                    solicitations["\(id)\u{0}\(unit)"] = try JSONCoding.value(Solicitation.self, from: body)
                }
            case .boundCount(let device):
                boundCounts[device] = try await db.rows("SELECT COUNT(*)::bigint FROM device_replicas WHERE device = $1", [device], as: Int.self).first
            case .invites(let member):
                invites[member] = try await db.randomAccessRows(
                    "SELECT secret, member, expires_at, redeemed_key FROM key_invites WHERE member = $1 AND redeemed_key IS NULL", [member]
                ).map { row in
                    KeyInvite(
                        secret: Data(try row["secret"].decode(ByteBuffer.self).readableBytesView), member: try row["member"].decode(String.self),
                        expiresAt: try row["expires_at"].decode(Int64.self), redeemedKey: try row["redeemed_key"].decode(String?.self))
                }
            case .registration(let year):
                registrations[year] = try await db.rows("SELECT last FROM registrations WHERE year = $1", [Int64(year)], as: Int.self).first
            case .scope(let unit):
                scopes[unit] = try await db.unitScope(of: unit)
            }
        }
        if !members.isEmpty {
            for member in try await db.members(members) { self.members[member.id] = member }
        }
        if !refusals.isEmpty {
            let rows = try await db.randomAccessRows(
                """
                SELECT r.replica, r.counter, r.reason FROM rejected_changes r
                JOIN unnest($1::text[], $2::bigint[]) AS asked(replica, counter) ON r.replica = asked.replica AND r.counter = asked.counter
                """, [refusals.map(\.replica), refusals.map(\.counter)])
            for row in rows {
                self.refusals[Dot(replica: try row["replica"].decode(String.self), counter: try row["counter"].decode(Int64.self))] =
                    try row["reason"].decode(String.self)
            }
        }
        if !bindings.isEmpty {
            for row in try await db.randomAccessRows("SELECT replica, device FROM device_replicas WHERE replica = ANY($1)", [bindings]) {
                self.bindings[try row["replica"].decode(String.self)] = try row["device"].decode(String.self)
            }
        }
        if !written.isEmpty {
            for row in try await db.randomAccessRows("SELECT DISTINCT replica, unit FROM changes WHERE replica = ANY($1)", [written]) {
                writtenUnits[try row["replica"].decode(String.self), default: []].insert(try row["unit"].decode(String.self))
            }
        }
        loaded.formUnion(facts)
    }

    /// Writes what the last run wrote.
    func writeBack(_ db: PostgresDatabase) async throws {
        for binding in newBindings {
            try await db.run(
                "INSERT INTO device_replicas (replica, device, bound_at) VALUES ($1, $2, $3)",
                [binding.replica, binding.device, binding.at.millisecondsSince1970])
        }
        for (secret, key) in marks {
            try await db.run("UPDATE key_invites SET redeemed_key = $1 WHERE secret = $2", [key, ByteBuffer(bytes: secret)])
        }
        for (year, serial) in kept {
            try await db.run(
                "INSERT INTO registrations (year, last) VALUES ($1, $2) ON CONFLICT (year) DO UPDATE SET last = GREATEST(registrations.last, excluded.last)",
                [Int64(year), Int64(serial)])
        }
    }
}

extension PostgresDatabase {
    /// The units a device of `unit` syncs for: itself and every unit below it (`UnitScope`).
    func unitScope(of unit: String) async throws -> Set<String> {
        Set(try await rows(UnitScope.query(placeholder: "$1"), [unit], as: String.self))
    }
}

extension PostgresDatabase {
    /// The members with these ids the central holds (a row whose role this program does not know is left out).
    func members(_ ids: [String]) async throws -> [Member] {
        try await randomAccessRows("SELECT id, name, unit, role, phone FROM members WHERE id = ANY($1)", [ids]).compactMap { row in
            guard let role = Role(rawValue: try row["role"].decode(String.self)) else { return nil }
            return Member(
                id: try row["id"].decode(String.self), name: try row["name"].decode(String.self), unit: try row["unit"].decode(String.self),
                role: role, phone: try row["phone"].decode(String?.self))
        }
    }
}
