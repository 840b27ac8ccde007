import Foundation
import Store
import SyncCore
import TestSupport
import Testing

/// Signing keys from the command line, against a real central over loopback HTTP: set up with a code
/// from the central, registered by a sync, and needed (with its PIN) for every step in its owner's name.
@Suite("Signing keys from the command line")
struct KeyCommandTests {
    let cli: CLIHarness
    let central: LoopbackCentral

    init() async throws {
        cli = try CLIHarness()
        central = try await LoopbackCentral(in: cli.directory)
        try await ok("init", "--db", "laptop.sqlite", "--central", central.url, "--token", central.tokens[0])
        try await ok("init", "--db", "tablet.sqlite", "--central", central.url, "--token", central.tokens[1])
    }

    @discardableResult
    func ok(_ arguments: String...) async throws -> String {
        await cli.ok(arguments)
    }

    func refused(_ words: String, _ arguments: String...) async {
        let outcome = await cli.run(arguments)
        #expect(outcome.exitCode == 1, "report-cli \(arguments.joined(separator: " ")) must be refused")
        #expect(outcome.err.contains(words), "'\(outcome.err)' lacks '\(words)'")
    }

    func state(_ id: String, on db: String) async throws -> String? {
        let object = try JSONSerialization.jsonObject(with: Data(try await ok("show", id, "--db", db, "--json").utf8)) as? [String: Any]
        return object?["state"] as? String
    }

    @Test("a drafter on the unit laptop cannot review or sign as the unit head or a leader: no key of theirs here, or not their PIN")
    func drafterCannotSignAsAnother() async throws {
        defer { central.stop() }
        try central.setUpKeys(["wang"], on: "laptop.sqlite", in: cli.directory)
        try await ok("sync", "--db", "laptop.sqlite")
        let id = try await ok("draft", "--db", "laptop.sqlite", "--as", "wang", "--category", "dynamic", "--title", "夜查", "--body", "正文")
        try await ok("submit", id, "--db", "laptop.sqlite", "--as", "wang")
        await refused("li has no signing key on this device", "review", id, "--db", "laptop.sqlite", "--as", "li")
        // li sets a key up on the laptop with a PIN only li knows; the drafter guesses.
        try central.setUpKeys(["li"], on: "laptop.sqlite", in: cli.directory)
        try await ok("sync", "--db", "laptop.sqlite")
        try "not li's passphrase\n".write(to: cli.directory.appendingPathComponent("guess"), atomically: true, encoding: .utf8)
        await refused("wrong PIN for li's key", "review", id, "--db", "laptop.sqlite", "--as", "li", "--pin-file", "guess")
        #expect(try await state(id, on: "laptop.sqlite") == "awaiting-review")
        let reviewed = try await ok("review", id, "--db", "laptop.sqlite", "--as", "li")
        #expect(reviewed.contains("signed with key"))
        try await ok("sync", "--db", "laptop.sqlite")
        let shown = try await ok("show", id, "--db", "central.sqlite")
        #expect(shown.contains("review by li: signature verified"), "\(shown)")
        #expect(try await ok("verify", "--db", "central.sqlite").contains("all verify"))
    }

    @Test("a wrong or used code: the central refuses the key, which cannot sign; a fresh code registers it after one sync")
    func codes() async throws {
        defer { central.stop() }
        let setUp = try await ok("key", "setup", "--db", "laptop.sqlite", "--as", "li", "--code", "AAAA-BBBB-CCCC-DDDD")
        #expect(setUp.contains("run report-cli sync"))
        try await ok("sync", "--db", "laptop.sqlite")
        let keys = try JSONSerialization.jsonObject(with: Data(try await ok("key", "list", "--db", "laptop.sqlite", "--as", "li", "--json").utf8)) as? [[String: Any]]
        #expect(keys?.map { $0["status"] as? String } == ["refused"])
        let id = try await ok("draft", "--db", "laptop.sqlite", "--as", "li", "--category", "dynamic", "--title", "t", "--body", "b")
        await refused("the central refused to register li's key", "submit", id, "--db", "laptop.sqlite", "--as", "li")
        await refused("not a code from syncd member invite", "key", "setup", "--db", "laptop.sqlite", "--as", "li", "--code", "1234")

        let code = try central.center.invite(member: "li").code
        try await ok("key", "setup", "--db", "laptop.sqlite", "--as", "li", "--code", code)
        try await ok("sync", "--db", "laptop.sqlite")
        try await ok("submit", id, "--db", "laptop.sqlite", "--as", "li")
        // The same code a second time, from the tablet: used.
        try await ok("key", "setup", "--db", "tablet.sqlite", "--as", "li", "--code", code)
        try await ok("sync", "--db", "tablet.sqlite")
        let onTablet = try JSONSerialization.jsonObject(with: Data(try await ok("key", "list", "--db", "tablet.sqlite", "--as", "li", "--json").utf8)) as? [[String: Any]]
        #expect(onTablet?.filter { $0["onThisDevice"] as? Bool == true }.map { $0["status"] as? String } == ["refused"])
        let atCentral = try central.center.replica.keys(of: "li")
        #expect(atCentral.map(\.status) == [.active], "only the key of the valid code is registered")

        // li leaves: the key is revoked, and a code made before the revocation registers nothing.
        let spare = try central.center.invite(member: "li").code
        try central.center.revokeKeys(of: "li")
        try await ok("sync", "--db", "laptop.sqlite")
        await refused("revoked", "withdraw", id, "--db", "laptop.sqlite", "--as", "li")
        try await ok("key", "setup", "--db", "laptop.sqlite", "--as", "li", "--code", spare)
        try await ok("sync", "--db", "laptop.sqlite")
        #expect(try central.center.replica.keys(of: "li").map(\.status) == [.revoked])
    }
}
