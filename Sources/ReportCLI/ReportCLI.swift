import ArgumentParser

/// The root of `report-cli`: everything a person does with a local replica.
public struct ReportCLI: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "report-cli",
        abstract: "Draft, review, sign and follow information reports (信息报送) on a local replica.",
        discussion: "Every command takes --db PATH (default $REPORT_DB, else ./report.sqlite), --as MEMBER, --pin-file FILE and --json.",
        subcommands: [
            InitCommand.self, MemberCommand.self, DraftCommand.self, EditCommand.self, ListCommand.self,
            ShowCommand.self, SubmitCommand.self, ReviewCommand.self, SignCommand.self, WithdrawCommand.self,
            ReturnCommand.self, HistoryCommand.self, PolicyCommand.self, DigestCommand.self, SyncCommand.self,
            StatusCommand.self, ReceiveCommand.self, AdoptCommand.self, RejectCommand.self, ArchiveCommand.self,
            ConflictsCommand.self, InstructCommand.self, ScoreCommand.self, QuotaCommand.self, DeadlinesCommand.self,
            SolicitCommand.self, BulletinCommand.self, KeyCommand.self, VerifyCommand.self, BackupCommand.self,
        ])

    public init() {}
}

extension ReportCLI {
    /// Parses the process's arguments and runs the command, async or not; the executable calls only this.
    public static func runFromCommandLine() async {
        do {
            var command = try await asyncParseAsRoot(nil)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
