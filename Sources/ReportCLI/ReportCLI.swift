import ArgumentParser

/// The root of `report-cli`: everything a person does with a local replica.
public struct ReportCLI: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "report-cli",
        abstract: "Draft, review, sign and follow information reports (信息报送) on a local replica.",
        discussion: "Every command takes --db PATH (default $REPORT_DB, else ./report.sqlite), --as MEMBER and --json.",
        subcommands: [
            InitCommand.self, MemberCommand.self, DraftCommand.self, EditCommand.self, ListCommand.self,
            ShowCommand.self, SubmitCommand.self, ReviewCommand.self, SignCommand.self, WithdrawCommand.self,
            ReturnCommand.self, HistoryCommand.self, PolicyCommand.self, DigestCommand.self,
        ])

    public init() {}
}
