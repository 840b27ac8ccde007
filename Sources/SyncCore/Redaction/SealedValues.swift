/// Where a value sealed at a lowering (`Withheld.sealed`) may stand: only in a report classified
/// internal or secret (kept off the network under one policy or another, so a device may have sealed it
/// under a policy the central has changed since). A public report never shows one: the lowering writes
/// every sealed field anew. The same rule judges a local edit and a pushed write.
public enum SealedValues {
    /// Throws unless a report holding `values` (each field's standing value after a write) may stand at
    /// `classification`.
    public static func check(_ values: [String: String], classification: Classification, report: String) throws {
        guard classification == .public else { return }
        let sealed = values.filter { $0.value == Withheld.sealed }.keys.sorted()
        guard !sealed.isEmpty else { return }
        throw ReportSyncError(
            .ruleViolated,
            "report \(report) would be public with \(sealed.joined(separator: ", ")) sealed: they were written while it was kept off the network, and this replica holds no text of them. Lower it on the device that wrote them (its edit writes them anew), or give them with the lowering (report-cli edit ID --\(sealed[0]) ...)")
    }
}
