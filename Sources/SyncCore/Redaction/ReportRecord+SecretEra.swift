extension ReportRecord {
    /// The classification the report travelled by for a writer who had seen `seen` of it: the strictest
    /// classification standing among the writes `seen` covers, or what a redaction it covers raised the
    /// report to where none of those writes of the classification saw that redaction
    /// (`networkClassification`, as that writer saw it).
    public func networkClassification(seenBy seen: VersionVector) -> Classification {
        let classified = versions.filter { seen.covers($0.dot) && $0.fields["classification"] != nil }
        let standing = classified.filter { version in !classified.contains { $0.dot != version.dot && $0.context.covers(version.dot) } }
        var strictest = standing.map { Self.classification($0.fields["classification"]!) }.max { Self.strictness($0) < Self.strictness($1) } ?? .public
        for redaction in redactions
        where seen.covers(redaction.dot) && raises(redaction) && !classified.contains(where: { $0.context.covers(redaction.dot) }) {
            if Self.strictness(redaction.raisedTo) > Self.strictness(strictest) { strictest = redaction.raisedTo }
        }
        return strictest
    }

    /// The content writes made while the report stood at one of `offNetwork` for their writer (the write
    /// itself counted: a raise's own text is secret), that hold text not sealed yet: what a lowering seals
    /// (`Redaction.seals`), since none of it ever crossed the network.
    public func writesWhileOffNetwork(_ offNetwork: Set<Classification>) -> [Dot] {
        versions.filter { version in
            var seen = version.context
            seen.add(version.dot)
            return version.fields.contains { Withheld.seals($0.key, $0.value) && !Withheld.isMarker($0.value) }
                && offNetwork.contains(networkClassification(seenBy: seen))
        }.map(\.dot)
    }
}
