import Foundation

/// One line on a terminal that a long run rewrites in place — counts and rate — and clears when done.
/// It writes nothing when standard error is not a terminal (a script, a pipe, a log).
final class ProgressLine {
    private let start = Date()
    private let enabled: Bool
    private var lastDrawn = Date.distantPast
    private var drawn = false

    init(enabled: Bool = isatty(STDERR_FILENO) != 0) {
        self.enabled = enabled
    }

    /// Shows `counts` (name, number), each with its rate since the start, at most ten times a second.
    func show(_ counts: [(String, Int)]) {
        guard enabled, Date().timeIntervalSince(lastDrawn) >= 0.1 else { return }
        lastDrawn = Date()
        let seconds = max(Date().timeIntervalSince(start), 0.001)
        let text = counts.map { name, n in "\(name) \(n) (\(Int(Double(n) / seconds))/s)" }.joined(separator: " · ")
        FileHandle.standardError.write(Data("\r\u{1B}[K\(text)".utf8))
        drawn = true
    }

    /// Clears the line, so that what is printed next starts at the left margin.
    func finish() {
        guard drawn else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        drawn = false
    }
}
