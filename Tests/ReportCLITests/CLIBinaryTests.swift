import Foundation
import TestSupport
import Testing

/// The built report-cli binary, run as a separate process in a temporary folder, as a person would.
@Suite("report-cli binary")
struct CLIBinaryTests {
    static var binary: URL { Binaries.directory.appendingPathComponent("report-cli") }

    static func run(_ arguments: [String], in directory: URL) throws -> (status: Int32, out: String, err: String) {
        try Binaries.run("report-cli", arguments, in: directory)
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
        try "\(TestSigners.pin)\n".write(to: dir.appendingPathComponent("pin"), atomically: true, encoding: .utf8)
        for member in ["wang", "li", "zhao"] { _ = try ok("key", "setup", "--as", member, "--pin-file", "pin") }
        let id = try ok("draft", "--as", "wang", "--category", "dynamic", "--title", "夜查", "--body", "中队开展夜查。")
            .trimmingCharacters(in: .newlines)
        _ = try ok("submit", id, "--as", "wang", "--pin-file", "pin")
        let refused = try Self.run(["sign", id, "--as", "zhao", "--pin-file", "pin"], in: dir)
        #expect(refused.status == 1)
        #expect(refused.err.hasPrefix("error: cannot sign a report that is awaiting-review"))
        let noPIN = try Self.run(["review", id, "--as", "li"], in: dir)
        #expect(noPIN.status == 1 && noPIN.err.contains("--pin-file"), "a step without a PIN is refused: \(noPIN.err)")
        _ = try ok("review", id, "--as", "li", "--pin-file", "pin")
        _ = try ok("sign", id, "--as", "zhao", "--pin-file", "pin")
        let object = try JSONSerialization.jsonObject(with: Data(try ok("history", id, "--json").utf8)) as? [String: Any]
        #expect(object?["state"] as? String == "signed")
        let history = object?["entries"] as? [[String: Any]]
        #expect(history?.compactMap { $0["to"] as? String } == ["awaiting-review", "reviewed", "signed"])
        #expect(history?.first?["kind"] as? String == "version")
        #expect(try ok("history", id).contains("sign: reviewed → signed"))
        #expect(history?.compactMap { $0["signatureVerified"] as? Bool } == [true, true, true])
        #expect(try ok("verify").contains("3 signed steps and 1 other writes checked; all verify"))
    }
}
