/// The level of the outlet that adopted a report, or of the leader who wrote an instruction on it.
public enum AdoptionLevel: String, CaseIterable, Codable, Sendable, CodingKeyRepresentable {
    case county
    case city
    case province
    case national
}
