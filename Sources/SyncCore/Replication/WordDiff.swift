/// A word-level diff of two texts. Chinese has no spaces between words, so each Han character counts
/// as a word; runs of letters or digits are words; spaces and punctuation stand alone.
public struct WordDiff: Encodable, Sendable, Equatable {
    /// A run of words that both texts share, or only the old, or only the new one has.
    public struct Segment: Encodable, Sendable, Equatable {
        /// Whether both texts have the run, or only the old, or only the new one.
        public enum Operation: String, Encodable, Sendable {
            case same
            case removed
            case added
        }

        public let op: Operation
        public let text: String
    }

    public let segments: [Segment]

    /// The steps from `old` to `new`, computed by the standard library's `difference(from:)`.
    public init(from old: String, to new: String) {
        let before = Self.words(old)
        let after = Self.words(new)
        var removed = Set<Int>()
        var added = Set<Int>()
        for change in after.difference(from: before) {
            switch change {
            case .remove(let offset, _, _): removed.insert(offset)
            case .insert(let offset, _, _): added.insert(offset)
            }
        }
        var segments: [Segment] = []
        func append(_ op: Segment.Operation, _ word: String) {
            if let last = segments.last, last.op == op {
                segments[segments.count - 1] = Segment(op: op, text: last.text + word)
            } else {
                segments.append(Segment(op: op, text: word))
            }
        }
        var (i, j) = (0, 0)
        while i < before.count || j < after.count {
            if i < before.count, removed.contains(i) {
                append(.removed, before[i])
                i += 1
            } else if j < after.count, added.contains(j) {
                append(.added, after[j])
                j += 1
            } else {
                append(.same, before[i])
                i += 1
                j += 1
            }
        }
        self.segments = segments
    }

    /// The diff in the form of `git diff --word-diff`: `[-removed-]{+added+}`.
    public var marked: String {
        segments.map { segment in
            switch segment.op {
            case .same: segment.text
            case .removed: "[-\(segment.text)-]"
            case .added: "{+\(segment.text)+}"
            }
        }.joined()
    }

    /// The words of `text`, in order.
    public static func words(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        for character in text {
            let isHan = character.unicodeScalars.contains { (0x3400...0x9FFF).contains($0.value) || (0x20000...0x3FFFD).contains($0.value) }
            if character.isLetter || character.isNumber, !isHan {
                current.append(character)
                continue
            }
            if !current.isEmpty { words.append(current) }
            current = ""
            words.append(String(character))
        }
        if !current.isEmpty { words.append(current) }
        return words
    }
}
