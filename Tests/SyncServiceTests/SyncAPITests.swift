import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import Store
import SyncCore
@testable import SyncService
import Testing

/// The sync API at the router, with a real central replica behind it (no socket).
@Suite("Sync API")
struct SyncAPITests {
    func decode<T: Decodable>(_ type: T.Type, _ buffer: ByteBuffer) throws -> T {
        try JSONCoding.decoder().decode(type, from: Data(buffer: buffer))
    }

    @Test("healthz answers without a token")
    func health() async throws {
        let fixture = try CentralFixture()
        try await fixture.application.test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test(
        "a missing, unknown or revoked token gets 401 with an error code and message",
        arguments: ["", "Bearer rs_unknown", "Basic abc", "revoked"])
    func unauthorized(header: String) async throws {
        let fixture = try CentralFixture()
        var headers: HTTPFields = [:]
        if header == "revoked" {
            try fixture.store.revoke(device: "laptop")
            headers = .bearer(fixture.squad3Token)
        } else if !header.isEmpty {
            headers[.authorization] = header
        }
        let sent = headers
        try await fixture.application.test(.router) { client in
            try await client.execute(uri: "/v1/whoami", method: .get, headers: sent) { response in
                #expect(response.status == .unauthorized)
                let body = try decode(ErrorBody.self, response.body)
                #expect(body.error.code == "unauthorized" && !body.error.message.isEmpty)
                if header == "revoked" { #expect(body.error.message.contains("revoked")) }
            }
        }
    }

    @Test("push merges the field's changes, a signed report is received at once, and a replay is all duplicates")
    func pushAndReplay() async throws {
        let fixture = try CentralFixture()
        let id = try fixture.signedReport()
        let body = try fixture.pushBody()
        try await fixture.application.test(.router) { client in
            for expected in [PushResult.Status.accepted, .duplicate] {
                try await client.execute(uri: "/v1/push", method: .post, headers: .bearer(fixture.squad3Token), body: body) { response in
                    #expect(response.status == .ok)
                    let answer = try decode(PushResponse.self, response.body)
                    #expect(answer.results.count == 4 && answer.results.allSatisfy { $0.status == expected })
                }
            }
        }
        #expect(try fixture.central.report(id).state == .received)
    }

    @Test("pull returns the unit's reports and reference data, never another unit's reports")
    func scopedPull() async throws {
        let fixture = try CentralFixture()
        let other = try fixture.central.draft(ReportContent(category: .dynamic, title: "四中队", body: "b"), by: "sun").id
        let id = try fixture.signedReport()
        try await fixture.application.test(.router) { client in
            try await client.execute(uri: "/v1/push", method: .post, headers: .bearer(fixture.squad3Token), body: try fixture.pushBody()) { _ in }
            try await client.execute(uri: "/v1/changes?after=0", method: .get, headers: .bearer(fixture.squad3Token)) { response in
                let page = try decode(PullResponse.self, response.body)
                let records = Set(page.changes.map(\.change.record))
                #expect(records.contains(id) && !records.contains(other))
                #expect(records.contains("member/sun"), "reference data goes to every unit")
                #expect(page.changes.contains { if case .transition(let step) = $0.change.payload { step.action == .receive } else { false } })
                #expect(!page.more)
            }
        }
    }

    @Test("refused changes are answered one by one with a reason; the rest of the batch is accepted")
    func refusals() async throws {
        let fixture = try CentralFixture()
        _ = try fixture.signedReport()
        var changes = try fixture.field.changes().map(\.change).filter { !$0.payload.isReference }
        var secret = changes[0]
        secret.dot = Dot(replica: "forged", counter: 2)
        secret.record = UUIDv7.make()
        secret.payload = .content(ContentWrite(creates: true, fields: ["category": "\"dynamic\"", "title": "\"t\"", "classification": "\"secret\""]))
        var editorStep = changes[1]
        editorStep.dot = Dot(replica: "forged", counter: 3)
        editorStep.actor = "chen"
        if case .transition(var step) = editorStep.payload {
            step.role = .centralEditor
            editorStep.payload = .transition(step)
        }
        changes = [secret, editorStep] + changes
        let body = try fixture.pushBody(changes)
        try await fixture.application.test(.router) { client in
            try await client.execute(uri: "/v1/push", method: .post, headers: .bearer(fixture.squad3Token), body: body) { response in
                let results = try decode(PushResponse.self, response.body).results
                #expect(results.prefix(2).map(\.status) == [.held, .rejected])
                #expect(results[0].reason?.contains("secret") == true, "a secret report is not taken, and the device keeps it")
                #expect(results[1].reason?.contains("cannot receive") == true)
                #expect(results.dropFirst(2).allSatisfy { $0.status == .accepted })
            }
        }
        #expect(try fixture.central.rejectedChanges().count == 1, "nothing of the secret report is stored at the central")
    }

    @Test("a push with reference data or a void is refused whole with 403; a change for another unit is refused alone, with nothing written")
    func refusedWhole() async throws {
        let fixture = try CentralFixture()
        _ = try fixture.signedReport()
        let changes = try fixture.field.changes().map(\.change).filter { !$0.payload.isReference }
        let reference = try fixture.field.changes().map(\.change).first { $0.payload.isReference }!
        var foreign = changes[0]
        foreign.record = UUIDv7.make()
        foreign.unit = "squad-4"
        let before = try fixture.central.changes(limit: 10_000).count
        let foreignBody = try fixture.pushBody([foreign])
        try await fixture.application.test(.router) { client in
            try await client.execute(uri: "/v1/push", method: .post, headers: .bearer(fixture.squad3Token), body: foreignBody) {
                response in
                let results = try decode(PushResponse.self, response.body).results
                #expect(results.map(\.status) == [.rejected] && results[0].reason?.contains("does not sync for") == true)
            }
        }
        #expect(try fixture.central.changes(limit: 10_000).count == before && fixture.central.rejectedChanges().isEmpty)
        try await fixture.application.test(.router) { client in
            try await client.execute(uri: "/v1/push", method: .post, headers: .bearer(fixture.squad3Token), body: try fixture.pushBody(changes + [reference])) {
                response in
                #expect(response.status == .forbidden)
                let message = try decode(ErrorBody.self, response.body).error.message
                #expect(message.contains("only at the central office"))
            }
        }
        // A key registration is the central's to write: a device that pushes one for li is refused whole.
        let own = try fixture.field.identity().replicaID
        let mine = StepSigner(member: "li", privateKey: Curve25519.Signing.PrivateKey()).publicKey
        let registration = Change(
            dot: Dot(replica: own, counter: 500), hlc: HybridTimestamp(wallMilliseconds: Date().millisecondsSince1970, logical: 0),
            record: mine.recordID, unit: "squad-3", actor: "li", context: VersionVector(), payload: .signingKey(mine))
        try await fixture.application.test(.router) { client in
            try await client.execute(uri: "/v1/push", method: .post, headers: .bearer(fixture.squad3Token), body: try fixture.pushBody([registration])) {
                response in
                #expect(response.status == .forbidden)
            }
        }
        #expect(try fixture.central.changes(limit: 10_000).count == before)
        #expect(try fixture.central.keys(of: "li").count == 1)
    }

    @Test(
        "malformed requests get a 4xx JSON error and write nothing",
        arguments: [
            ("/v1/push", "{not json", HTTPResponse.Status.badRequest, "malformed-request"),
            ("/v1/push", #"{"changes": [{"v": 1}]}"#, .badRequest, "malformed-request"),
            ("/v1/changes?after=abc", "", .badRequest, "invalid-input"),
            ("/v1/changes?limit=0", "", .badRequest, "invalid-input"),
            ("/v2/changes", "", .notFound, "not-found"),
        ])
    func malformed(uri: String, body: String, status: HTTPResponse.Status, code: String) async throws {
        let fixture = try CentralFixture()
        let before = try fixture.central.changes().count
        try await fixture.application.test(.router) { client in
            try await client.execute(
                uri: uri, method: uri.hasPrefix("/v1/push") ? .post : .get, headers: .bearer(fixture.squad3Token),
                body: ByteBuffer(string: body)
            ) { response in
                #expect(response.status == status)
                let error = try decode(ErrorBody.self, response.body).error
                #expect(error.code == code)
            }
        }
        #expect(try fixture.central.changes().count == before)
    }

    @Test("a batch over the limit is refused with 413 and how to fix it")
    func oversizedBatch() async throws {
        let fixture = try CentralFixture()
        _ = try fixture.signedReport()
        let one = try fixture.field.changes().map(\.change).last!
        let body = try fixture.pushBody(Array(repeating: one, count: SyncProtocol.maxBatch + 1))
        try await fixture.application.test(.router) { client in
            try await client.execute(uri: "/v1/push", method: .post, headers: .bearer(fixture.squad3Token), body: body) { response in
                #expect(response.status == .contentTooLarge)
                let error = try decode(ErrorBody.self, response.body).error
                #expect(error.message.contains("smaller batches"))
            }
        }
    }

    @Test("metrics need the scrape token, count changes by outcome and show each device's lag; the OpenAPI document is served")
    func metricsAndDocument() async throws {
        let fixture = try CentralFixture()
        _ = try fixture.signedReport()
        let body = try fixture.pushBody()
        try await fixture.application.test(.router) { client in
            try await client.execute(uri: "/v1/push", method: .post, headers: .bearer(fixture.squad3Token), body: body) { _ in }
            for header in ["", "Bearer \(fixture.squad3Token)", "Bearer wrong-scrape-token-000"] {
                let headers: HTTPFields = header.isEmpty ? [:] : [.authorization: header]
                try await client.execute(uri: "/metrics", method: .get, headers: headers) { response in
                    #expect(response.status == .unauthorized, "no token, a device's token or a wrong one: no metrics")
                    #expect(!String(buffer: response.body).contains("laptop"))
                }
            }
            try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer \(CentralFixture.scrapeToken)"]) { response in
                let text = String(buffer: response.body)
                #expect(text.contains(#"reportsync_changes_total{status="accepted"} 4"#))
                #expect(text.contains(#"reportsync_replica_lag_seconds{device="laptop",unit="squad-3"}"#))
                #expect(text.contains(#"reportsync_replica_lag_seconds{device="tablet",unit="squad-4"} -1"#))
                #expect(text.contains("reportsync_push_duration_seconds_count 1"))
                #expect(text.contains(#"reportsync_requests_total{path="/v1/push",status="200"} 1"#))
            }
            try await client.execute(uri: "/v1/openapi.yaml", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("openapi: 3.0.3"))
            }
        }
    }

    @Test("a server started without a scrape token does not serve /metrics, and says how to turn it on")
    func metricsOff() async throws {
        let fixture = try CentralFixture()
        let app = Application(router: CentralServer.buildRouter(store: fixture.store))
        try await app.test(.router) { client in
            try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer \(fixture.squad3Token)"]) { response in
                #expect(response.status == .notFound)
                let message = try decode(ErrorBody.self, response.body).error.message
                #expect(message.contains("--metrics-token-file"))
            }
        }
    }

    @Test("a gzip push is read, a large pull is answered in gzip when accepted, and a damaged gzip body is a 400")
    func gzip() async throws {
        let fixture = try CentralFixture()
        for i in 0..<20 { _ = try fixture.field.draft(ReportContent(category: .dynamic, title: "t\(i)", body: String(repeating: "字", count: 300)), by: "wang") }
        let compressed = try Gzip.compress(try fixture.pushBody())
        var headers = HTTPFields.bearer(fixture.squad3Token)
        headers[.contentEncoding] = "gzip"
        headers[.acceptEncoding] = "gzip"
        let sent = headers
        try await fixture.application.test(.router) { client in
            try await client.execute(uri: "/v1/push", method: .post, headers: sent, body: compressed) { response in
                let results = try decode(PushResponse.self, response.body).results
                #expect(results.count == 20 && results.allSatisfy { $0.status == .accepted })
            }
            try await client.execute(uri: "/v1/changes?after=0", method: .get, headers: sent) { response in
                #expect(response.headers[.contentEncoding] == "gzip")
                let page = try decode(PullResponse.self, try Gzip.decompress(response.body, limit: 1 << 24))
                #expect(page.changes.count >= 20)
            }
            try await client.execute(uri: "/v1/push", method: .post, headers: sent, body: ByteBuffer(string: "not gzip")) { response in
                #expect(response.status == .badRequest)
            }
        }
    }
}

extension SyncAPITests {
    @Test("a unit's decline of its solicitation is accepted; one that also moves the deadline is refused")
    func solicitationDecline() async throws {
        let fixture = try CentralFixture()
        let issued = try fixture.central.solicit(
            topic: "安全生产", units: ["squad-3"], deadline: Date().addingTimeInterval(86_400), contact: "陈", by: "chen")[0]
        _ = try fixture.field.receive(try fixture.central.changes().map(\.change))
        let declined = try fixture.field.declineSolicitation(issued.id, reason: "本月无此项工作", by: "li")
        let honest = try #require(try fixture.field.changes().last?.change)
        var forged = honest
        var moved = declined
        moved.deadline = declined.deadline.addingTimeInterval(30 * 86_400)
        forged.dot = Dot(replica: honest.dot.replica, counter: honest.dot.counter + 1)
        forged.payload = .solicitation(moved)
        let body = try fixture.pushBody([forged, honest])
        try await fixture.application.test(.router) { client in
            try await client.execute(uri: "/v1/push", method: .post, headers: .bearer(fixture.squad3Token), body: body) {
                response in
                let results = try decode(PushResponse.self, response.body).results
                #expect(results.map(\.status) == [.rejected, .accepted], "\(results.map { $0.reason ?? "" })")
                #expect(results[0].reason?.contains("may not change the solicitation") == true)
            }
        }
        #expect(try fixture.central.solicitations().first?.declined?.reason == "本月无此项工作")
        #expect(try fixture.central.solicitations().first?.deadline == issued.deadline.roundedToMilliseconds)
    }
}

extension Date {
    /// The date as JSON keeps it (milliseconds).
    var roundedToMilliseconds: Date { Date(millisecondsSince1970: millisecondsSince1970) }
}

extension SyncAPITests {
    @Test("a step or a decision that claims a role its actor does not hold is refused, and so is a void from the field")
    func claimedRole() async throws {
        let fixture = try CentralFixture()
        _ = try fixture.signedReport()
        let changes = try fixture.field.changes().map(\.change).filter { !$0.payload.isReference }
        // wang, a drafter, claims to review as unit head; and to decide a conflict as unit head.
        var review = changes[2]
        guard case .transition(var step) = review.payload else { Issue.record("expected the review step"); return }
        #expect(step.action == .review)
        step.role = .unitHead
        review.actor = "wang"
        review.payload = .transition(step)
        var decision = changes[2]
        decision.dot = Dot(replica: review.dot.replica, counter: 100)
        decision.actor = "wang"
        decision.payload = .resolution(ResolutionStep(conflict: "field-value/x/title/a:1/b:1", keep: .winner, role: .unitHead, value: nil))
        var void = changes[2]
        void.dot = Dot(replica: review.dot.replica, counter: 101)
        void.payload = .void(VoidMarker(dot: changes[1].dot, reason: "forged"))
        let body = try fixture.pushBody(Array(changes.prefix(2)) + [review, decision])
        let voidBody = try fixture.pushBody([void])
        try await fixture.application.test(.router) { client in
            try await client.execute(uri: "/v1/push", method: .post, headers: .bearer(fixture.squad3Token), body: body) { response in
                let results = try decode(PushResponse.self, response.body).results
                #expect(results.suffix(2).map(\.status) == [.rejected, .rejected])
                #expect(results.suffix(2).allSatisfy { $0.reason?.contains("claims the role unit-head, but wang is a drafter") == true })
            }
            try await client.execute(uri: "/v1/push", method: .post, headers: .bearer(fixture.squad3Token), body: voidBody) { response in
                #expect(response.status == .forbidden, "a field device may not void")
                let message = try decode(ErrorBody.self, response.body).error.message
                #expect(message.contains("only the central voids"))
            }
        }
    }
}
