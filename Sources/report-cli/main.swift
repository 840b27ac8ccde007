import ReportCLI

ReportCLI.main()
