import Foundation
import TestSupport
import Testing

/// The README's tour, run as written: every `bash` block of its tour sections, in order, in one shell,
/// in an empty folder, with the built `report-cli` and `syncd` first on the PATH — so the README cannot
/// drift from the product. Two things differ from a person at a terminal, and only these: the central
/// listens on a free port instead of 8080, and the `syncd serve … &` line sends its log to a pipe that the
/// script reads until the server says it started (a person waits by eye).
///
/// Nested in `EndToEndTests`, whose serialisation it shares (it waits on real processes).
extension EndToEndTests {
    @Suite("The README's tour runs as written")
    struct ReadmeTour {
        /// The sections whose `bash` blocks are the tour; the first block of the README (the demo and test
        /// commands) is not among them.
        static let sections = [
            "## A short tour", "## With the bureau's central replica", "## When two copies disagree",
            "## Secret reports and sites without a network", "## The central office's web desk",
            "## The central office's numbers",
        ]
        static let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../README.md")

        /// The `bash` blocks under `sections`, in the order they appear.
        static func tourBlocks(of text: String) -> [String] {
            var blocks: [String] = []
            var section = ""
            var block: [String]?
            for line in text.components(separatedBy: "\n") {
                if block == nil, line.hasPrefix("## ") { section = line }
                if line == "```bash", block == nil {
                    block = []
                } else if line == "```", let lines = block {
                    if sections.contains(section) { blocks.append(lines.joined(separator: "\n")) }
                    block = nil
                } else {
                    block?.append(line)
                }
            }
            return blocks
        }

        /// The tour as one script: the blocks with the port swapped and the server's start awaited.
        static func script(_ blocks: [String], port: Int) -> String {
            var lines = [
                "set -euo pipefail",
                "trap 'kill $(jobs -p) 2>/dev/null || true' EXIT",
            ]
            for line in blocks.joined(separator: "\n").components(separatedBy: "\n") {
                let line = line.replacingOccurrences(of: "127.0.0.1:8080", with: "127.0.0.1:\(port)")
                let code = line.components(separatedBy: "  #").first!.trimmingCharacters(in: .whitespaces)
                if code.hasPrefix("syncd serve"), code.hasSuffix("&") {
                    lines += [
                        "mkfifo serve.log",
                        String(code.dropLast()) + " > serve.log 2>&1 &",
                        "exec 9< serve.log",
                        #"while read -r line <&9; do [[ $line == *"Server started"* ]] && break; done"#,
                        "cat <&9 > serve-rest.log &",
                    ]
                } else {
                    lines.append(line)
                }
            }
            return lines.joined(separator: "\n") + "\n"
        }

        @Test("the tour blocks run top to bottom without an error, and the report ends adopted on the unit's replica")
        func tour() async throws {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reportsync-readme-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let blocks = Self.tourBlocks(of: try String(contentsOf: Self.readme, encoding: .utf8))
            #expect(blocks.count == 8, "one block per tour section, three for secret reports (by bundle; raised after they left; lowered)")
            let port = Int.random(in: 20_000...60_000)
            try Self.script(blocks, port: port).write(to: directory.appendingPathComponent("tour.sh"), atomically: true, encoding: .utf8)
            try "\(TestSigners.pin)\n".write(to: directory.appendingPathComponent("pin"), atomically: true, encoding: .utf8)

            let output = directory.appendingPathComponent("tour.out")
            FileManager.default.createFile(atPath: output.path, contents: nil)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = ["-x", "tour.sh"]
            process.currentDirectoryURL = directory
            var environment = ProcessInfo.processInfo.environment
            for name in ["REPORT_DB", "REPORT_AS", "REPORTSYNC_CONFIG"] { environment[name] = nil }
            environment["PATH"] = Binaries.directory.path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
            environment["HOME"] = directory.path
            environment["XDG_CONFIG_HOME"] = directory.appendingPathComponent("config").path
            environment["REPORTSYNC_STATE_DIR"] = directory.appendingPathComponent("state").path
            environment["REPORT_PIN_FILE"] = directory.appendingPathComponent("pin").path
            process.environment = environment
            let handle = try FileHandle(forWritingTo: output)
            process.standardOutput = handle
            process.standardError = handle
            // Waits without holding a thread: the in-process servers of other suites need the pool.
            let status: Int32 = try await withCheckedThrowingContinuation { continuation in
                process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
                do { try process.run() } catch { continuation.resume(throwing: error) }
            }
            try handle.close()
            let log = try String(contentsOf: output, encoding: .utf8)
            #expect(status == 0, "the README tour failed:\n\(log)")
            #expect(log.contains("adopted"), "show on the field says the report was adopted:\n\(log)")
            #expect(log.contains("image/jpeg  yes"), "the photo reached the central whole:\n\(log)")
            #expect(!log.contains("\u{1B}[K") && !log.contains("\r"), "no progress line when the output is not a terminal")
        }
    }
}
