import Foundation
import Testing

/// The built report-cli binary, run as a separate process in a temporary folder, as a person would.
@Suite("report-cli binary")
struct CLIBinaryTests {
    /// The report-cli built beside this test bundle.
    static var binary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("report-cli")
    }

    struct Result {
        let status: Int32
        let out: String
        let err: String
    }

    static func run(_ arguments: [String], in directory: URL) throws -> Result {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["REPORT_DB"] = nil
        environment["REPORT_AS"] = nil
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, out: String(decoding: outData, as: UTF8.self),
            err: String(decoding: errData, as: UTF8.self))
    }

    @Test("draft → submit → review → sign → history through the real binary and a real file")
    func workflow() throws {
        #expect(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build report-cli first: swift build")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("report-cli-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        func ok(_ arguments: String...) throws -> String {
            let result = try Self.run(arguments, in: dir)
            #expect(result.status == 0, "\(arguments): \(result.err)")
            return result.out
        }
        _ = try ok("init", "--unit", "squad-3", "--unit-name", "第三中队")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("report.sqlite").path))
        _ = try ok("member", "add", "--id", "wang", "--name", "王小明", "--role", "drafter")
        _ = try ok("member", "add", "--id", "li", "--name", "李队长", "--role", "unit-head")
        _ = try ok("member", "add", "--id", "zhao", "--name", "赵局长", "--role", "leader")
        let id = try ok("draft", "--as", "wang", "--category", "dynamic", "--title", "夜查", "--body", "中队开展夜查。")
            .trimmingCharacters(in: .newlines)
        _ = try ok("submit", id, "--as", "wang")
        let refused = try Self.run(["sign", id, "--as", "zhao"], in: dir)
        #expect(refused.status == 1)
        #expect(refused.err.hasPrefix("error: cannot sign a report that is awaiting-review"))
        _ = try ok("review", id, "--as", "li")
        _ = try ok("sign", id, "--as", "zhao")
        let history = try JSONSerialization.jsonObject(with: Data(try ok("history", id, "--json").utf8)) as? [[String: Any]]
        #expect(history?.compactMap { $0["to"] as? String } == ["awaiting-review", "reviewed", "signed"])
        #expect(history?.first?["kind"] as? String == "version")
        #expect(try ok("history", id).contains("sign: reviewed → signed"))
    }
}
