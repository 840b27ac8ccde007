import ReportCLI

await ReportCLI.runFromCommandLine()
