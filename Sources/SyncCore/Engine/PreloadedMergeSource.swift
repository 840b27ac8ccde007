/// A `MergeSource` that answers from what a store loaded before the batch: for a store that cannot
/// answer inside the engine's synchronous calls (PostgreSQL, over postgres-nio). A question about
/// something not loaded is answered as if the store held nothing and noted (`missing`): the store then
/// loads everything a run missed at once and runs the batch again from the start, on a new engine (an
/// engine has no effects until `finish`), and keeps only a run that missed nothing. Each run loads
/// strictly more, so the runs end; a batch costs as many runs as its longest chain of questions, not
/// one per question.
public final class PreloadedMergeSource: MergeSource {
    public private(set) var preload: MergePreload
    /// What this run asked that was not loaded.
    public private(set) var missing = NotPreloaded()

    public init(_ preload: MergePreload) { self.preload = preload }

    public func storedRecord(_ id: String) throws -> ReportRecord? {
        guard preload.loadedRecords.contains(id) else {
            missing.records.insert(id)
            return nil
        }
        return preload.records[id]
    }

    public func heldBody(of dot: Dot) throws -> String? {
        guard preload.loadedDots.contains(dot) else {
            missing.dots.insert(dot)
            return nil
        }
        return preload.held[dot]
    }

    public func hasWaiting() throws -> Bool { preload.hasWaiting }

    public func waitingBody(of dot: Dot) throws -> String? {
        guard preload.loadedDots.contains(dot) else {
            missing.dots.insert(dot)
            return nil
        }
        return preload.waitingBodies[dot]
    }

    public func waiting(on records: Set<String>) throws -> [WaitingChange] {
        missing.waitingOn.formUnion(records.subtracting(preload.loadedWaitingOn))
        return records.flatMap { preload.waitingOn[$0] ?? [] }.sorted { $0.change.dot < $1.change.dot }
    }

    public func referenceVersion(_ id: String) throws -> ReferenceVersion? {
        guard preload.loadedReferences.contains(id) else {
            missing.references.insert(id)
            return nil
        }
        return preload.references[id]
    }

    public func signingKey(_ id: String) throws -> SigningKey? {
        guard preload.loadedKeys.contains(id) else {
            missing.keys.insert(id)
            return nil
        }
        return preload.keys[id]
    }

    public func originals(of record: ReportRecord) throws -> [Dot: Change] {
        guard preload.loadedOriginals.contains(record.id) else {
            missing.originals.insert(record.id)
            return [:]
        }
        return preload.originals[record.id] ?? [:]
    }
}

/// What a store loaded for one batch of the merge engine: each kind of answer, and which questions it
/// covers (a question covered with no answer means the store holds nothing for it).
public struct MergePreload: Sendable {
    public var records: [String: ReportRecord] = [:]
    public var loadedRecords: Set<String> = []
    /// Applied changes' and waiting changes' canonical JSON, by dot; `loadedDots` covers both.
    public var held: [Dot: String] = [:]
    public var waitingBodies: [Dot: String] = [:]
    public var loadedDots: Set<Dot> = []
    public var hasWaiting = false
    /// The waiting changes by the record they wait on.
    public var waitingOn: [String: [WaitingChange]] = [:]
    public var loadedWaitingOn: Set<String> = []
    public var references: [String: ReferenceVersion] = [:]
    public var loadedReferences: Set<String> = []
    public var keys: [String: SigningKey] = [:]
    public var loadedKeys: Set<String> = []
    /// The text kept of withheld values, by report and dot (`MergeSource.originals`).
    public var originals: [String: [Dot: Change]] = [:]
    public var loadedOriginals: Set<String> = []

    public init() {}

    /// What a batch of `changes` is sure to ask: its records and the ones they require,
    /// its dots, the waiting changes on its records, its reference records and the keys its steps name.
    public static func questions(for changes: [Change]) -> NotPreloaded {
        var questions = NotPreloaded()
        for change in changes {
            questions.dots.insert(change.dot)
            if let reference = ReferenceRecord.id(of: change.payload) {
                questions.references.insert(reference)
                continue
            }
            questions.records.insert(change.record)
            questions.waitingOn.insert(change.record)
            for required in change.requires { questions.records.insert(required.record) }
            if let key = change.signature?.key {
                questions.keys.insert(key)
                questions.waitingOn.insert(SigningKey.recordID(of: key))
            }
        }
        return questions
    }
}

/// Questions of the merge engine: what a batch is sure to ask, or what a run asked that its store had
/// not loaded (`PreloadedMergeSource`).
public struct NotPreloaded: Sendable {
    public var records: Set<String> = []
    public var dots: Set<Dot> = []
    public var waitingOn: Set<String> = []
    public var references: Set<String> = []
    public var keys: Set<String> = []
    /// Reports whose withheld values' text a run asked for.
    public var originals: Set<String> = []

    public init(
        records: Set<String> = [], dots: Set<Dot> = [], waitingOn: Set<String> = [], references: Set<String> = [], keys: Set<String> = [],
        originals: Set<String> = []
    ) {
        self.records = records
        self.dots = dots
        self.waitingOn = waitingOn
        self.references = references
        self.keys = keys
        self.originals = originals
    }

    /// These questions less those `preload` already covers.
    public func subtracting(_ preload: MergePreload) -> NotPreloaded {
        NotPreloaded(
            records: records.subtracting(preload.loadedRecords), dots: dots.subtracting(preload.loadedDots),
            waitingOn: waitingOn.subtracting(preload.loadedWaitingOn), references: references.subtracting(preload.loadedReferences),
            keys: keys.subtracting(preload.loadedKeys), originals: originals.subtracting(preload.loadedOriginals))
    }

    public var isEmpty: Bool {
        records.isEmpty && dots.isEmpty && waitingOn.isEmpty && references.isEmpty && keys.isEmpty && originals.isEmpty
    }
}
