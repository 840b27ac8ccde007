import Foundation
import TestSupport
import Testing

/// The conventions of the real binaries that a person meets first: exit codes, a taken port, pointers
/// to commands that exist, read-only files, completion scripts and quiet output when piped.
///
/// Nested in `EndToEndTests`, whose serialisation it shares (it waits on real processes).
extension EndToEndTests {
    @Suite("Command-line conventions of the real binaries")
    struct CommandLineConventions {
        let directory: URL

        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("reportsync-conventions-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        }

        func run(_ tool: String, _ arguments: String...) throws -> (status: Int32, out: String, err: String) {
            try Binaries.run(tool, arguments, in: directory)
        }

        @Test("exit codes: 0 done, 1 refused with one error: line, 64 for a usage error")
        func exitCodes() throws {
            #expect(try run("report-cli", "init", "--db", "f.sqlite", "--unit", "squad-3", "--unit-name", "第三中队").status == 0)
            let refused = try run("report-cli", "show", "nosuchid", "--db", "f.sqlite")
            #expect(refused.status == 1)
            #expect(refused.err.hasPrefix("error: ") && refused.err.split(separator: "\n").count == 1, "\(refused.err)")
            let usage = try run("report-cli", "show", "--db", "f.sqlite")
            #expect(usage.status == 64, "a missing argument is a usage error: \(usage.err)")
            #expect(try run("report-cli", "list", "--no-such-option").status == 64)
            #expect(try run("syncd", "enroll", "--db", "c.sqlite").status == 64)
        }

        @Test("a PostgreSQL address for --db is refused in one line where PostgreSQL is not built yet, and nothing is written")
        func postgresAddressRefused() throws {
            for (tool, arguments, expected) in [
                ("syncd", ["backup", "--db", "postgres://admin@127.0.0.1:5432/bureau", "--out", "b.sqlite"], "pg_dump"),
                ("report-cli", ["status", "--db", "postgres://chen@db.example/bureau"], "is a PostgreSQL address"),
            ] {
                let result = try Binaries.run(tool, arguments, in: directory)
                #expect(result.status == 1, "\(tool) \(arguments): \(result.err)")
                #expect(result.err.contains(expected) && result.err.split(separator: "\n").count == 1, "\(result.err)")
            }
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty, "no file or folder was made")
        }

        @Test("syncd serve, or report-cli list, on a PostgreSQL address where no server answers says so in one line, and nothing is written")
        func postgresServerDown() throws {
            // Port 1 (tcpmux): nothing listens there.
            let result = try Binaries.run("syncd", ["serve", "--db", "postgresql://admin:secret@127.0.0.1:1/bureau"], in: directory)
            #expect(result.status == 1)
            #expect(result.err == "error: no PostgreSQL server answers at 127.0.0.1:1: start it, or check the host and port in the URL\n", "\(result.err)")
            let office = try Binaries.run("report-cli", ["list", "--db", "postgresql://admin:secret@127.0.0.1:1/bureau"], in: directory)
            #expect(office.status == 1 && office.err == result.err, "\(office.err)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty, "no file or folder was made")
        }

        @Test("syncd serve on a port in use says which address is taken and what to do, and exits 1")
        func portInUse() throws {
            #expect(try run("syncd", "init", "--db", "c.sqlite", "--bureau", "局").status == 0)
            let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(socket) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = 0
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            try withUnsafeMutablePointer(to: &address) { pointer in
                try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                    guard bind(socket, raw, length) == 0, listen(socket, 1) == 0, getsockname(socket, raw, &length) == 0 else {
                        throw POSIXError(.EADDRNOTAVAIL)
                    }
                }
            }
            let port = Int(UInt16(bigEndian: address.sin_port))
            let served = try run("syncd", "serve", "--db", "c.sqlite", "--listen", "127.0.0.1:\(port)")
            #expect(served.status == 1)
            #expect(served.err.contains("error: 127.0.0.1:\(port) is already in use"), "\(served.err)")
            #expect(served.err.contains("--listen"))
            #expect(!served.err.contains("errno"), "no raw system error")
        }

        @Test("syncd revoke of an unknown device points to syncd devices, which exists and lists the enrolled ones")
        func revokePointsToDevices() throws {
            #expect(try run("syncd", "init", "--db", "c.sqlite", "--bureau", "局").status == 0)
            #expect(try run("syncd", "unit", "add", "--db", "c.sqlite", "--id", "squad-3", "--name", "第三中队").status == 0)
            #expect(try run("syncd", "enroll", "--db", "c.sqlite", "--unit", "squad-3", "--device", "laptop").status == 0)
            let revoked = try run("syncd", "revoke", "--db", "c.sqlite", "--device", "lapt0p")
            #expect(revoked.status == 1 && revoked.err.contains("syncd devices"), "\(revoked.err)")
            let devices = try run("syncd", "devices", "--db", "c.sqlite")
            #expect(devices.status == 0 && devices.out.contains("laptop  squad-3"), "\(devices.out)")
        }

        @Test("a replica file this user may not write is listed and shown; a write is refused and changes nothing")
        func readOnlyFile() throws {
            #expect(try run("report-cli", "init", "--db", "f.sqlite", "--unit", "squad-3", "--unit-name", "第三中队").status == 0)
            #expect(try run("report-cli", "member", "add", "--db", "f.sqlite", "--id", "wang", "--name", "王", "--role", "drafter").status == 0)
            #expect(try run("report-cli", "draft", "--db", "f.sqlite", "--as", "wang", "--category", "dynamic", "--title", "夜查").status == 0)
            let folder = directory.appendingPathComponent("readonly")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: directory.appendingPathComponent("f.sqlite"), to: folder.appendingPathComponent("f.sqlite"))
            try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: folder.appendingPathComponent("f.sqlite").path)
            try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: folder.path)
            defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path) }
            let before = try Data(contentsOf: folder.appendingPathComponent("f.sqlite"))
            let listed = try asAnotherUser("report-cli", "list", "--db", folder.appendingPathComponent("f.sqlite").path)
            #expect(listed.status == 0 && listed.out.contains("夜查"), "\(listed.err)")
            let written = try asAnotherUser(
                "report-cli", "draft", "--db", folder.appendingPathComponent("f.sqlite").path, "--as", "wang", "--category", "dynamic", "--title", "t")
            #expect(written.status == 1 && written.err.contains("cannot write"), "\(written.err)")
            #expect(try Data(contentsOf: folder.appendingPathComponent("f.sqlite")) == before)
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["f.sqlite"], "no journal left beside it")
            // Writes still in a journal beside it cannot be read without writing: said, not ignored.
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path)
            try Data(repeating: 7, count: 4096).write(to: folder.appendingPathComponent("f.sqlite-wal"))
            try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: folder.path)
            let pending = try asAnotherUser("report-cli", "list", "--db", folder.appendingPathComponent("f.sqlite").path)
            #expect(pending.status == 1 && pending.err.contains("still in its journal"), "\(pending.err)")
        }

        /// Runs a binary as a user that may not write the test's files: `nobody` when the tests run as root
        /// (root may write any file), else the current user, for whom the permissions already say no.
        func asAnotherUser(_ tool: String, _ arguments: String...) throws -> (status: Int32, out: String, err: String) {
            guard getuid() == 0 else { return try Binaries.run(tool, arguments, in: directory) }
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path)
            let binary = Binaries.directory.appendingPathComponent(tool).path
            return try Binaries.run(
                "/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "env", "HOME=/nonexistent", binary] + arguments,
                in: directory)
        }

        @Test("completion scripts come from the binaries for bash, zsh and fish")
        func completions() throws {
            for shell in ["bash", "zsh", "fish"] {
                let script = try run("report-cli", "--generate-completion-script", shell)
                #expect(script.status == 0 && script.out.contains("report-cli"))
                #expect(try run("syncd", "--generate-completion-script", shell).status == 0)
            }
        }
    }
}
