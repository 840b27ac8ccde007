import Foundation

/// Where a command writes and what it reads from its environment; tests swap in a buffer.
public final class CommandContext: @unchecked Sendable {
    private let lock = NSLock()
    private let writeOut: @Sendable (String) -> Void
    private let writeErr: @Sendable (String) -> Void
    /// The environment variables the command sees (`REPORT_DB`, `REPORT_AS`).
    public let environment: [String: String]
    /// The working directory relative paths are read against.
    public let workingDirectory: String
    /// Asks the person at the terminal for a secret (a PIN) without echoing it; `nil` when there is no
    /// terminal to ask at (a script, a test).
    public let askSecret: @Sendable (String) -> String?

    public init(
        environment: [String: String], workingDirectory: String,
        out: @escaping @Sendable (String) -> Void, err: @escaping @Sendable (String) -> Void,
        askSecret: @escaping @Sendable (String) -> String? = { _ in nil }
    ) {
        self.environment = environment
        self.workingDirectory = workingDirectory
        writeOut = out
        writeErr = err
        self.askSecret = askSecret
    }

    /// The real terminal: stdout, stderr and the process environment.
    public static var standard: CommandContext {
        CommandContext(
            environment: ProcessInfo.processInfo.environment,
            workingDirectory: FileManager.default.currentDirectoryPath,
            out: { FileHandle.standardOutput.write(Data($0.utf8)) },
            err: { FileHandle.standardError.write(Data($0.utf8)) },
            askSecret: TerminalSecret.ask)
    }

    /// Writes a line to standard output, its control characters escaped (`TerminalEscaping`).
    public func print(_ line: String) {
        let line = TerminalEscaping.escaped(line)
        lock.withLock { writeOut(line + "\n") }
    }

    /// Writes a line to standard error, its control characters escaped.
    public func printError(_ line: String) {
        let line = TerminalEscaping.escaped(line)
        lock.withLock { writeErr(line + "\n") }
    }

    /// The person's settings file (`PersonalSettings`), read each time it is asked for.
    func settings() throws -> PersonalSettings {
        try PersonalSettings.load(from: PersonalSettings.path(environment: environment))
    }

    /// `path` made absolute against the working directory.
    public func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : URL(fileURLWithPath: workingDirectory).appendingPathComponent(path).path
    }
}
