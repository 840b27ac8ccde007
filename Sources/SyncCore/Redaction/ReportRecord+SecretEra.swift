extension ReportRecord {
    /// The classification the report travelled by for a writer who had seen `seen` of it: the strictest
    /// classification standing among the writes `seen` covers, or what a raise's redaction it covers
    /// raised the report to where none of those writes of the classification saw that redaction
    /// (`networkClassification`, as that writer saw it; the same on every replica that holds `seen`).
    public func networkClassification(seenBy seen: VersionVector) -> Classification {
        let classified = versions.filter { seen.covers($0.dot) && $0.fields["classification"] != nil }
        let standing = classified.filter { version in !classified.contains { $0.dot != version.dot && $0.context.covers(version.dot) } }
        var strictest = standing.map { Self.classification($0.fields["classification"]!) }.max { Self.strictness($0) < Self.strictness($1) } ?? .public
        for redaction in redactions
        where raises(redaction) && seen.covers(redaction.dot) && !classified.contains(where: { $0.context.covers(redaction.dot) }) {
            if Self.strictness(redaction.raisedTo) > Self.strictness(strictest) { strictest = redaction.raisedTo }
        }
        return strictest
    }

    /// Whether `version` was made while the report stood at one of `offNetwork` for its writer (the
    /// write itself counted: a raise's own text is secret).
    public func wasWrittenWhileOff(_ offNetwork: Set<Classification>, _ version: ReportVersion) -> Bool {
        var seen = version.context
        seen.add(version.dot)
        return offNetwork.contains(networkClassification(seenBy: seen))
    }

    /// The content writes made while the report stood at one of `offNetwork` for their writer that hold
    /// text not sealed yet: what a lowering seals (`Redaction.seals`), since none of it ever crossed
    /// the network.
    public func writesWhileOffNetwork(_ offNetwork: Set<Classification>) -> [Dot] {
        versions.filter { version in
            version.fields.contains { Withheld.seals($0.key, $0.value) && !Withheld.isMarker($0.value) } && wasWrittenWhileOff(offNetwork, version)
        }.map(\.dot)
    }

    /// Throws unless `redaction`, a sealing of this report, names only content writes it covers and
    /// this record holds, each made while the report was internal or secret for its writer (under any
    /// policy: its device may have sealed under a stricter one): what the central checks of a pushed one,
    /// so that a sealing blanks no public text and seals the same writes on every replica.
    public func checkSealing(_ redaction: RedactionEvent) throws {
        guard let seals = redaction.seals else { return }
        for dot in seals {
            guard redaction.covers.covers(dot), let version = versions.first(where: { $0.dot == dot }),
                wasWrittenWhileOff([.internal, .secret], version)
            else {
                throw ReportSyncError(
                    .forbidden,
                    "change \(redaction.dot) seals write \(dot), which is not a write of report \(id) it had seen made while the report was kept off the network; a sealing names only those")
            }
        }
    }
}
