import ArgumentParser

/// `syncd`: the sync daemon. `serve` (central) and `run` (field) arrive with the sync issue; until
/// then every replica works offline through report-cli.
struct Syncd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "syncd",
        abstract: "The ReportSync sync daemon (central server and field sync loop).",
        discussion: "Not yet able to sync: replicas work offline through report-cli for now.")
}

Syncd.main()
