/// Where a value sealed at a lowering (`Withheld.sealed`) may stand: only in a report kept off the
/// network. A lowering writes every sealed field anew, so a report that travels by network never shows
/// a sealed value; the same rule judges a local edit and a pushed write.
public enum SealedValues {
    /// Throws unless a report holding `values` (each field's standing value after a write) may stand at
    /// `classification` under `policy`.
    public static func check(_ values: [String: String], classification: Classification, policy: Policy, report: String) throws {
        guard !Secrecy.offNetwork(under: policy).contains(classification) else { return }
        let sealed = values.filter { $0.value == Withheld.sealed }.keys.sorted()
        guard !sealed.isEmpty else { return }
        throw ReportSyncError(
            .ruleViolated,
            "report \(report) would travel by network (\(classification.rawValue)) with \(sealed.joined(separator: ", ")) sealed: they were written while it was secret, and this replica holds no text of them. Lower it on the device that wrote them (its edit writes them anew), or give them with the lowering (report-cli edit ID --\(sealed[0]) ...)")
    }
}
