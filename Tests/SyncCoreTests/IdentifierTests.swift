import SyncCore
import Testing

/// The rules for ids from elsewhere (`Identifier.isWellFormed`): the quick path for printable ASCII
/// agrees with the full rule.
@Suite("Ids from elsewhere")
struct IdentifierTests {
    @Test("well formed: ids as this program makes them, other scripts, spaces, and 64 characters", arguments: [
        "squad-3", "m-unit-001", "01a1ee56-8510-7ed6-8861-6ef29cfdb9ec", "a b", "王小明", "北区@站", String(repeating: "x", count: 64),
        String(repeating: "长", count: 64),
    ])
    func wellFormed(id: String) {
        #expect(Identifier.isWellFormed(id))
    }

    @Test("not well formed: empty, too long, a slash, control and formatting characters, a decomposed form", arguments: [
        "", String(repeating: "x", count: 65), String(repeating: "长", count: 65), "a/b", "/", "a\tb", "a\u{7F}", "a\u{0}b", "a\u{200B}b",
        "a\u{2028}b", "e\u{301}",
    ])
    func notWellFormed(id: String) {
        #expect(!Identifier.isWellFormed(id))
    }
}
