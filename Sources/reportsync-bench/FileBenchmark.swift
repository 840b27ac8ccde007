import Crypto
import Foundation
import Store
import SyncCore
import SyncService

/// An attachment's file up to the central and down to another device of the unit over loopback HTTP
/// (`FileTransfer` in a real sync round), beside `curl` copying the same file to and from nginx on the
/// same box in the same run (docs/attachments.md).
enum FileBenchmark {
    struct Result: Codable {
        let bytes: Int
        let uploadMebibytesPerSecond: Double
        let downloadMebibytesPerSecond: Double
        /// curl PUT to and GET from nginx (WebDAV PUT, 1 worker); nil when nginx or curl is not installed.
        let nginxUploadMebibytesPerSecond: Double?
        let nginxDownloadMebibytesPerSecond: Double?
    }

    static func run(bytes count: Int, in directory: URL) async throws -> Result {
        let folder = directory.appendingPathComponent("files")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let source = folder.appendingPathComponent("video.mp4")
        try randomBytes(count).write(to: source)

        let center = try CentralReplica.create(
            at: folder.appendingPathComponent("central.sqlite").path, bureau: OrgUnit(id: "bureau", name: "bureau", kind: .centralOffice))
        try center.replica.addUnit(OrgUnit(id: "squad", name: "squad", kind: .squad, parent: "bureau"))
        try center.replica.addMember(Member(id: "wang", name: "wang", unit: "squad", role: .drafter))
        let laptopToken = try center.enroll(unit: "squad", device: "laptop")
        let tabletToken = try center.enroll(unit: "squad", device: "tablet")
        let (up, down) = try await withLoopbackServer(center, token: laptopToken) { laptopClient, port in
            let tabletClient = SyncClient(baseURL: laptopClient.baseURL, token: tabletToken)
            let laptop = try FieldReplica.create(
                at: folder.appendingPathComponent("laptop.sqlite").path, unit: "squad", centralURL: laptopClient.baseURL, token: laptopToken)
            let tablet = try FieldReplica.create(
                at: folder.appendingPathComponent("tablet.sqlite").path, unit: "squad", centralURL: laptopClient.baseURL, token: tabletToken)
            _ = try await SyncRound.run(laptop, client: laptopClient)
            var ups: [Double] = []
            var downs: [Double] = []
            for run in 0..<Self.runs {
                // Another file each run (its first bytes differ): nothing is already there.
                var bytes = try Data(contentsOf: source)
                bytes[0] = UInt8(run)
                let file = folder.appendingPathComponent("video-\(run).mp4")
                try bytes.write(to: file)
                let attachment = try laptop.replica.storeFile(at: file.path, name: "video.mp4", caption: "bench", mediaType: "video/mp4")
                var content = ReportContent(category: .dynamic, title: "bench \(run)", body: "bench")
                content.attachments = [attachment]
                _ = try laptop.replica.draft(content, by: "wang")
                var started = ContinuousClock.now
                let sent = try await SyncRound.run(laptop, client: laptopClient)
                ups.append((ContinuousClock.now - started).seconds)
                precondition(sent.files.sent == 1, "the file must reach the central: \(sent.files)")
                started = ContinuousClock.now
                let fetched = try await SyncRound.run(tablet, client: tabletClient)
                downs.append((ContinuousClock.now - started).seconds)
                precondition(fetched.files.fetched == 1, "the file must reach the tablet: \(fetched.files)")
            }
            return (median(ups), median(downs))
        }
        var puts: [Double] = []
        var gets: [Double] = []
        for _ in 0..<Self.runs {
            guard let copy = try NginxCopy.measure(file: source, in: folder) else { break }
            puts.append(copy.put)
            gets.append(copy.get)
        }
        let nginx = puts.isEmpty ? nil : (put: median(puts), get: median(gets))
        let mebibytes = Double(count) / 1_048_576
        return Result(
            bytes: count, uploadMebibytesPerSecond: mebibytes / up, downloadMebibytesPerSecond: mebibytes / down,
            nginxUploadMebibytesPerSecond: nginx.map { mebibytes / $0.put }, nginxDownloadMebibytesPerSecond: nginx.map { mebibytes / $0.get })
    }

    /// Runs of each transfer; the medians are reported (this machine's disk and cores are noisy).
    static let runs = 3

    static func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

    /// `count` bytes no compression shrinks.
    static func randomBytes(_ count: Int) -> Data {
        var data = Data(capacity: count + 32)
        var block = SHA256.hash(data: Data("bench".utf8))
        while data.count < count {
            data.append(contentsOf: block)
            block = SHA256.hash(data: Data(block))
        }
        return data.prefix(count)
    }
}

/// The anchor: curl copying a file to nginx (WebDAV PUT) and back, on a free loopback port.
enum NginxCopy {
    /// Seconds for one PUT and one GET of `file`, or nil when nginx or curl is missing.
    static func measure(file: URL, in directory: URL) throws -> (put: Double, get: Double)? {
        guard let nginx = executable("nginx", also: "/usr/sbin/nginx"), let curl = executable("curl", also: "/usr/bin/curl") else { return nil }
        let root = directory.appendingPathComponent("nginx")
        for sub in ["www", "body"] {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        let port = 20_000 + Int.random(in: 0..<30_000)
        let conf = """
            \(geteuid() == 0 ? "user root;" : "")
            worker_processes 1; daemon off; pid \(root.path)/nginx.pid; error_log \(root.path)/error.log;
            events { worker_connections 64; }
            http {
              access_log off; client_body_temp_path \(root.path)/body; proxy_temp_path \(root.path)/body;
              fastcgi_temp_path \(root.path)/body; uwsgi_temp_path \(root.path)/body; scgi_temp_path \(root.path)/body;
              server { listen 127.0.0.1:\(port); root \(root.path)/www; client_max_body_size 0;
                location / { dav_methods PUT; create_full_put_path on; } }
            }
            """
        let confPath = root.appendingPathComponent("nginx.conf")
        try conf.write(to: confPath, atomically: true, encoding: .utf8)
        let server = Process()
        server.executableURL = URL(fileURLWithPath: nginx)
        server.arguments = ["-c", confPath.path, "-p", root.path]
        try server.run()
        defer { server.terminate(); server.waitUntilExit() }
        let url = "http://127.0.0.1:\(port)/copy.bin"
        // Until it answers (no timing depends on this wait).
        for _ in 0..<100 where curlRun(curl, ["-s", "-o", "/dev/null", "http://127.0.0.1:\(port)/"]) != 0 { usleep(50_000) }
        var started = ContinuousClock.now
        guard curlRun(curl, ["-s", "-f", "-T", file.path, url]) == 0 else { return nil }
        let put = (ContinuousClock.now - started).seconds
        started = ContinuousClock.now
        guard curlRun(curl, ["-s", "-f", "-o", root.appendingPathComponent("got.bin").path, url]) == 0 else { return nil }
        return (put, (ContinuousClock.now - started).seconds)
    }

    private static func executable(_ name: String, also path: String) -> String? {
        if FileManager.default.isExecutableFile(atPath: path) { return path }
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = "\(folder)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    private static func curlRun(_ curl: String, _ arguments: [String]) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: curl)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }
}
