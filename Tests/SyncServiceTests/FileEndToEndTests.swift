import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import TestSupport
import SyncCore
import Testing

/// Attachments' files across real processes (docs/attachments.md): sent in chunks after the changes,
/// resumed after a cut, verified by hash, fetched by the unit's other device and by nobody else.
extension EndToEndTests {
    /// `count` bytes that no compression or pattern makes special.
    static func videoBytes(_ count: Int) -> Data {
        // 64 KiB of hash output, then each further 64 KiB that block with its number in front: fast to
        // make in a debug build, and no two chunks of the file alike.
        var block = [UInt8]()
        var digest = SHA256.hash(data: Data("seed".utf8))
        while block.count < 1 << 16 {
            block += digest
            digest = SHA256.hash(data: Data(digest))
        }
        var data = Data(capacity: count + block.count)
        var number: UInt64 = 0
        while data.count < count {
            withUnsafeBytes(of: number) { data.append(contentsOf: $0) }
            data.append(contentsOf: block.dropFirst(8))
            number += 1
        }
        return data.prefix(count)
    }

    /// Where the central keeps file `hash` once it holds it whole.
    func atCentral(_ hash: String) -> URL {
        directory.appendingPathComponent("central.sqlite.blobs/\(hash.prefix(2))/\(hash)")
    }

    /// The bytes of the partial copy of file `hash` in the blob store `folder` (one sender's; it names the file first).
    func partialBytes(of hash: String, in folder: String) throws -> Int? {
        let partials = directory.appendingPathComponent("\(folder)/partial")
        let names = try FileManager.default.contentsOfDirectory(atPath: partials.path).filter { $0.hasPrefix(hash) }
        guard names.count == 1 else { return nil }
        return try FileManager.default.attributesOfItem(atPath: partials.appendingPathComponent(names[0]).path)[.size] as? Int
    }

    /// A raw request to the central with `token`: its status and body.
    func request(_ method: HTTPMethod, _ url: String, token: String, body: Data? = nil) async throws -> (status: UInt, body: String) {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let answer = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        return (answer.status.code, String(buffer: try await answer.body.collect(upTo: 64 << 20)))
    }

    @Test(
        "a 20 MB video attached offline reaches the central after a cut without starting over, verified; the unit's other device gets it after a cut too, another unit's cannot"
    )
    func videoTravelsResumably() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let tokens = try bureau()
        let station = try syncd("enroll", "--db", "central.sqlite", "--unit", "squad-4", "--device", "station")
        let (server, proxy) = try await centralBehindProxy(tokens)
        defer {
            proxy.stop()
            server.stop()
        }
        _ = try ok("sync", "--db", "laptop.sqlite")

        try refused("no file at", "draft", "--db", "laptop.sqlite", "--as", "wang", "--title", "t", "--attach", "/no/such/file.mp4")
        let video = Self.videoBytes(20 << 20)
        try video.write(to: directory.appendingPathComponent("enforcement.mp4"))
        let hash = BlobHash.of(video).hex
        let id = try ok(
            "draft", "--db", "laptop.sqlite", "--as", "wang", "--category", "dynamic", "--title", "中队开展执法", "--body", "执法过程录像。",
            "--attach", "enforcement.mp4=执法过程")
        let listed = try ok("attachments", id, "--db", "laptop.sqlite")
        #expect(listed.contains("enforcement.mp4") && listed.contains("20 MB") && listed.contains("video/mp4") && listed.contains("yes"), "\(listed)")
        #expect(try ok("status", "--db", "laptop.sqlite").contains("files to send:        1 (20 MB)"))

        // The connection breaks after 8 MiB of the file: the report is at the central, 8 MiB of its file too.
        proxy.cutFiles(afterBytes: 8 << 20)
        let cut = try ok("sync", "--db", "laptop.sqlite")
        #expect(cut.contains("goes on from the byte"), "\(cut)")
        #expect(try json("show", id, "--db", "central.sqlite")["title"] as? String == "中队开展执法", "the report did not wait for its file")
        #expect(try partialBytes(of: hash, in: "central.sqlite.blobs") == 8 << 20)
        #expect(proxy.takeFileBytesSent() == 8 << 20)

        proxy.cutFiles(afterBytes: nil)
        #expect(try ok("sync", "--db", "laptop.sqlite").contains("files: sent 1 (12 MB)"))
        #expect(proxy.takeFileBytesSent() == 12 << 20, "the second round sent the other 12 MiB alone")
        let stored = try Data(contentsOf: atCentral(hash))
        #expect(stored == video, "the central holds the file whole")
        #expect(try ok("status", "--db", "laptop.sqlite").contains("files to send:        0"))

        // The tablet's download breaks off after 8 MiB; the next round fetches the other 12 MiB alone.
        proxy.cutDownloads(afterBytes: 8 << 20)
        #expect(try ok("sync", "--db", "tablet.sqlite").contains("goes on from the byte"))
        #expect(try partialBytes(of: hash, in: "tablet.sqlite.blobs") == 8 << 20)
        #expect(proxy.takeFileBytesFetched() == 8 << 20)
        proxy.cutDownloads(afterBytes: nil)
        #expect(try ok("sync", "--db", "tablet.sqlite").contains("fetched 1"))
        #expect(proxy.takeFileBytesFetched() == 12 << 20, "the second round fetched the other 12 MiB alone")
        let got = try ok("attachment", "get", id, "enforcement.mp4", "--db", "tablet.sqlite", "--out", "got.mp4")
        #expect(got.contains("wrote got.mp4"))
        #expect(try Data(contentsOf: directory.appendingPathComponent("got.mp4")) == video, "the unit's other device has it")
        try refused("already exists", "attachment", "get", id, "enforcement.mp4", "--db", "tablet.sqlite", "--out", "got.mp4")

        // Another unit's device learns nothing: the same answer as for a file that does not exist.
        let theirs = try await request(.GET, "\(server.url)/v1/blobs/\(hash)", token: station)
        let none = try await request(.GET, "\(server.url)/v1/blobs/\(String(repeating: "ab", count: 32))", token: tokens.laptop)
        #expect(theirs.status == 404 && none.status == 404, "\(theirs) \(none)")
        let put = try await request(.PUT, "\(server.url)/v1/blobs/\(hash)?offset=0", token: station, body: Data("x".utf8))
        #expect(put.status == 404, "\(put)")
        let ranged = try await request(.GET, "\(server.url)/v1/blobs/\(hash)", token: tokens.tablet)
        #expect(ranged.status == 200)
        // An offset past the file (here the largest there is) is refused, and the central stays up.
        let huge = try await request(.PUT, "\(server.url)/v1/blobs/\(hash)?offset=\(Int64.max)", token: tokens.laptop, body: Data("xy".utf8))
        #expect(huge.status == 400, "\(huge)")
        #expect(try await request(.GET, "\(server.url)/healthz", token: tokens.laptop).status == 200)
    }

    @Test("bytes that do not hash to their file are refused and dropped, and the device sends the file again")
    func damagedFileIsSentAgain() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let tokens = try bureau()
        let server = try await ServerProcess.start(db: "central.sqlite", in: directory)
        defer { server.stop() }
        let proxy = try await LoggingProxy.start(upstream: server.url)
        defer { proxy.stop() }
        _ = try ok("init", "--db", "laptop.sqlite", "--central", proxy.url, "--token", tokens.laptop)
        _ = try ok("sync", "--db", "laptop.sqlite")
        let photo = Self.videoBytes(300_000)
        try photo.write(to: directory.appendingPathComponent("scene.jpg"))
        let hash = BlobHash.of(photo).hex
        _ = try ok("draft", "--db", "laptop.sqlite", "--as", "wang", "--category", "dynamic", "--title", "现场", "--body", "b", "--attach", "scene.jpg=现场照片")
        proxy.cutFiles(afterBytes: 0)
        _ = try ok("sync", "--db", "laptop.sqlite")

        var damaged = photo
        damaged[1000] ^= 0xff
        let answer = try await request(.PUT, "\(server.url)/v1/blobs/\(hash)?offset=0", token: tokens.laptop, body: damaged)
        #expect(answer.status == 422 && answer.body.contains("do not hash to it"), "\(answer)")
        let status = try await request(.GET, "\(server.url)/v1/blobs/\(hash)/upload", token: tokens.laptop)
        #expect(status.body.contains("\"received\":0"), "the damaged bytes were dropped: \(status)")

        proxy.cutFiles(afterBytes: nil)
        #expect(try ok("sync", "--db", "laptop.sqlite").contains("files: sent 1"))
        let stored = try Data(contentsOf: atCentral(hash))
        #expect(stored == photo)
    }

    @Test("a secret report's photo never crosses HTTP: a bundle carries it to the central and the central's bundle to the unit's other device")
    func secretPhotoTravelsByBundle() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let tokens = try bureau()
        let (server, proxy) = try await centralBehindProxy(tokens)
        defer {
            proxy.stop()
            server.stop()
        }
        _ = try ok("sync", "--db", "laptop.sqlite")
        _ = try ok("sync", "--db", "tablet.sqlite")
        let photo = Self.videoBytes(50_000)
        try photo.write(to: directory.appendingPathComponent("secret.jpg"))
        let hash = BlobHash.of(photo).hex
        let id = try ok(
            "draft", "--db", "laptop.sqlite", "--as", "wang", "--category", "dynamic", "--title", "涉密", "--body", "b", "--classification",
            "secret", "--attach", "secret.jpg=涉密现场")
        #expect(try ok("status", "--db", "laptop.sqlite").contains("files to send:        0"), "a secret report's file waits for a bundle")
        _ = try ok("sync", "--db", "laptop.sqlite")
        #expect(proxy.takeFileBytesSent() == 0)

        _ = try ok("bundle", "export", "--db", "laptop.sqlite", "--out", "up.bundle")
        #expect(try ok("bundle", "import", "up.bundle", "--db", "central.sqlite").contains("1 attached file(s)"))
        let stored = try Data(contentsOf: atCentral(hash))
        #expect(stored == photo)
        _ = try ok("bundle", "export", "--db", "central.sqlite", "--unit", "squad-3", "--out", "back.bundle")
        #expect(try ok("bundle", "import", "back.bundle", "--db", "tablet.sqlite").contains("1 attached file(s)"))
        _ = try ok("attachment", "get", id, "secret.jpg", "--db", "tablet.sqlite", "--out", "tablet-copy.jpg")
        #expect(try Data(contentsOf: directory.appendingPathComponent("tablet-copy.jpg")) == photo)
        _ = try ok("sync", "--db", "tablet.sqlite")
        _ = try ok("sync", "--db", "laptop.sqlite")
        #expect(proxy.takeFileBytesSent() == 0, "not over HTTP afterwards either")
    }

    @Test("the field daemon moves a photo by itself, in a loop of its own beside its rounds")
    func daemonSendsFiles() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let tokens = try bureau()
        let server = try await ServerProcess.start(db: "central.sqlite", in: directory)
        defer { server.stop() }
        _ = try ok("init", "--db", "laptop.sqlite", "--central", server.url, "--token", tokens.laptop)
        let photo = Self.videoBytes(200_000)
        try photo.write(to: directory.appendingPathComponent("scene.jpg"))
        let hash = BlobHash.of(photo).hex
        _ = try ok("draft", "--db", "laptop.sqlite", "--as", "wang", "--category", "dynamic", "--title", "现场", "--body", "b", "--attach", "scene.jpg=现场")
        let daemon = try startDaemon(db: "laptop.sqlite")
        defer {
            daemon.terminate()
            daemon.waitUntilExit()
        }
        // Watch for the file at the central (a condition, not a fixed wait), for at most a minute.
        let stored = atCentral(hash)
        let deadline = ContinuousClock.now + .seconds(60)
        while !FileManager.default.fileExists(atPath: stored.path), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(try Data(contentsOf: stored) == photo)
    }

    @Test("a file of no bytes goes up and down like any other, and does not hold up the files behind it")
    func emptyFileTravels() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let tokens = try bureau()
        let server = try await ServerProcess.start(db: "central.sqlite", in: directory)
        defer { server.stop() }
        _ = try ok("init", "--db", "laptop.sqlite", "--central", server.url, "--token", tokens.laptop)
        _ = try ok("init", "--db", "tablet.sqlite", "--central", server.url, "--token", tokens.tablet)
        try Data().write(to: directory.appendingPathComponent("empty.txt"))
        try Data("a photo".utf8).write(to: directory.appendingPathComponent("scene.jpg"))
        let id = try ok(
            "draft", "--db", "laptop.sqlite", "--as", "wang", "--category", "dynamic", "--title", "空文件", "--body", "b", "--attach", "empty.txt",
            "--attach", "scene.jpg=现场")
        #expect(try ok("sync", "--db", "laptop.sqlite").contains("files: sent 2"))
        #expect(try ok("sync", "--db", "tablet.sqlite").contains("fetched 2"))
        #expect(try ok("status", "--db", "tablet.sqlite").contains("files to fetch:       0"))
        _ = try ok("attachment", "get", id, "empty.txt", "--db", "tablet.sqlite", "--out", "copy.txt")
        #expect(try Data(contentsOf: directory.appendingPathComponent("copy.txt")).isEmpty)
    }

    @Test("a central put back from a backup taken before a photo came gets the photo again from the device, and the unit's other device fetches it")
    func photoAfterCentralRestore() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let tokens = try bureau()
        var server = try await ServerProcess.start(db: "central.sqlite", in: directory)
        defer { server.stop() }
        _ = try ok("init", "--db", "laptop.sqlite", "--central", server.url, "--token", tokens.laptop)
        _ = try ok("init", "--db", "tablet.sqlite", "--central", server.url, "--token", tokens.tablet)
        _ = try ok("sync", "--db", "laptop.sqlite")
        _ = try syncd("backup", "--db", "central.sqlite", "--out", "central.bak")
        let photo = Self.videoBytes(100_000)
        try photo.write(to: directory.appendingPathComponent("scene.jpg"))
        let id = try ok("draft", "--db", "laptop.sqlite", "--as", "wang", "--category", "dynamic", "--title", "现场", "--body", "b", "--attach", "scene.jpg=现场")
        #expect(try ok("sync", "--db", "laptop.sqlite").contains("files: sent 1"))

        server.stop()
        _ = try syncd("restore", "--from", "central.bak", "--db", "central.sqlite")
        server = try await ServerProcess.start(db: "central.sqlite", in: directory)
        // The restored central has neither the report nor its record of the photo: the device sends both again.
        #expect(try ok("sync", "--db", "laptop.sqlite", "--central", server.url).contains("files: sent 1"))
        _ = try ok("sync", "--db", "tablet.sqlite", "--central", server.url)
        _ = try ok("attachment", "get", id, "scene.jpg", "--db", "tablet.sqlite", "--out", "copy.jpg")
        #expect(try Data(contentsOf: directory.appendingPathComponent("copy.jpg")) == photo)
    }
}
