import ArgumentParser

/// The root of `report-cli`: everything a person does with a local replica.
public struct ReportCLI: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "report-cli",
        abstract: "Draft, review, sign and follow information reports (信息报送) on a local replica.",
        discussion: """
            Every command takes --db PATH (default $REPORT_DB, else the config file's db, else ./report.sqlite), \
            --as MEMBER, --pin-file FILE and --json, before or after the subcommand.
            Exit codes: 0 done, 1 refused (one error: line says why; a write refused leaves the replica as it was), 64 usage \
            (an unknown or missing option or argument).
            """,
        subcommands: [
            InitCommand.self, MemberCommand.self, DraftCommand.self, EditCommand.self, ListCommand.self,
            ShowCommand.self, SubmitCommand.self, ReviewCommand.self, SignCommand.self, ApproveCommand.self, WithdrawCommand.self,
            ReturnCommand.self, HistoryCommand.self, PolicyCommand.self, DigestCommand.self, SyncCommand.self,
            StatusCommand.self, ReceiveCommand.self, CopyeditCommand.self, AdoptCommand.self, RejectCommand.self, ArchiveCommand.self,
            ConflictsCommand.self, InstructCommand.self, ScoreCommand.self, QuotaCommand.self, DeadlinesCommand.self,
            SolicitCommand.self, BulletinCommand.self, KeyCommand.self, VerifyCommand.self, BackupCommand.self, BundleCommand.self,
            ConfigCommand.self, AttachmentsCommand.self, AttachmentCommand.self,
        ])

    public init() {}
}

extension ReportCLI {
    /// The command `arguments` (without the program name) name, with global options allowed before the subcommand.
    public static func parse(_ arguments: [String]) throws -> ParsableCommand {
        try parseAsRoot(GlobalArgumentOrder.reordered(arguments, root: Self.self))
    }

    /// Parses the process's arguments and runs the command, async or not; the executable calls only this.
    public static func runFromCommandLine() async {
        do {
            var command = try parse(Array(CommandLine.arguments.dropFirst()))
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
