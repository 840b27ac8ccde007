import SyncCore
import Testing

/// A PIN, desk password or scrape token read from a file is its first line, whatever the line ends are.
@Suite("Secret files")
struct SecretFileTests {
    @Test("the first line, without \\n or a Windows \\r\\n, and an empty file gives nothing")
    func firstLine() {
        #expect(SecretFile.firstLine(of: "demo passphrase 2468\n") == "demo passphrase 2468")
        #expect(SecretFile.firstLine(of: "demo passphrase 2468\r\nsecond") == "demo passphrase 2468")
        #expect(SecretFile.firstLine(of: "no line end") == "no line end")
        #expect(SecretFile.firstLine(of: "") == "")
    }
}
