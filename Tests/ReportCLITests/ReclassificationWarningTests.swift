import Foundation
import Testing

/// What `report-cli edit --classification` says on a field device about what it does not do yet
/// (docs/bundles.md, "Raising and lowering a classification"), against a real central over loopback.
@Suite("Changing a classification from the command line")
struct ReclassificationWarningTests {
    let cli: CLIHarness
    let central: LoopbackCentral

    init() async throws {
        cli = try CLIHarness()
        central = try await LoopbackCentral(in: cli.directory)
        await cli.ok(["init", "--db", "laptop.sqlite", "--central", central.url, "--token", central.tokens[0]])
        await cli.ok(["sync", "--db", "laptop.sqlite"])
    }

    func draft(_ classification: String) async -> String {
        await cli.ok([
            "draft", "--db", "laptop.sqlite", "--as", "wang", "--category", "dynamic", "--title", "夜查", "--body", "正文", "--classification",
            classification,
        ])
    }

    func edit(_ id: String, _ arguments: String...) async -> CLIHarness.Outcome {
        let outcome = await cli.run(["edit", id, "--db", "laptop.sqlite", "--as", "wang"] + arguments)
        #expect(outcome.succeeded, "\(outcome.err)")
        return outcome
    }

    @Test("raising a report whose text reached the central says the next sync withdraws it; raising one never sent says nothing")
    func raisingAfterSync() async throws {
        defer { central.stop() }
        let sent = await draft("public")
        await cli.ok(["sync", "--db", "laptop.sqlite"])
        let raised = await edit(sent, "--classification", "secret")
        #expect(raised.err.contains("note: 1 earlier change(s) of report \(sent) already left this device"), "\(raised.err)")
        #expect(raised.err.contains("the next sync withdraws their text"))

        let unsent = await draft("public")
        #expect(await edit(unsent, "--classification", "secret").err.isEmpty)
    }

    @Test("lowering a report with secret-era writes says they are sealed and how to carry their text; lowering one whose writes went by bundle says nothing")
    func loweringWithHeldChanges() async throws {
        defer { central.stop() }
        let id = await draft("secret")
        _ = await edit(id, "--body", "定密期间的修改")
        let lowered = await edit(id, "--classification", "public")
        #expect(lowered.err.contains("note: 2 write(s) of report \(id) made while it was secret are sealed"), "\(lowered.err)")
        #expect(lowered.err.contains("bundle export --report \(id)"))

        // Carried by bundle and confirmed first, nothing of the secret era is left to go.
        let other = await draft("secret")
        await cli.ok(["bundle", "export", "--db", "laptop.sqlite", "--out", "up.bundle"])
        await cli.ok(["bundle", "import", "up.bundle", "--db", "central.sqlite"])
        await cli.ok(["bundle", "export", "--db", "central.sqlite", "--unit", "squad-3", "--out", "down.bundle"])
        await cli.ok(["bundle", "import", "down.bundle", "--db", "laptop.sqlite"])
        #expect(await edit(other, "--classification", "public").err.isEmpty)
    }
}
