import Foundation
import SyncCore
import Testing

/// The hand-written reader of changes (`JSONTree`, `TreeReadable`) reads what `JSONDecoder` reads, and
/// leaves to `JSONDecoder` whatever it is not sure of.
@Suite("Reading changes by hand")
struct ChangeReadingTests {
    /// A report's whole life on one device: content writes (one with line breaks and quotes), steps, a
    /// follow-up that requires its first report, a redaction, and reference data.
    func changes() throws -> [Change] {
        var a = MemoryReplica(replicaID: "a")
        try a.draft(id: "r1", Cast.news(), by: Cast.wang, now: Cast.at(0))
        try a.edit("r1", Cast.patch(body: "第一行\n第二行 \"引号\" \\ 反斜杠 \u{1F4F7} \t tab"), by: Cast.wang, now: Cast.at(1))
        try a.perform(.submit, on: "r1", by: Cast.wang, now: Cast.at(2))
        try a.perform(.review, on: "r1", by: Cast.li, comment: "同意", now: Cast.at(3))
        try a.draft(id: "e1", ReportContent(category: .emergency, title: "滑坡", body: "初报"), by: Cast.wang, now: Cast.at(4))
        var followUp = ReportContent(category: .emergency, title: "续报", body: "进展")
        followUp.followUpOf = "e1"
        try a.draft(id: "e2", followUp, by: Cast.wang, now: Cast.at(5))
        try a.redact("e1", by: Cast.wang, now: Cast.at(6))
        return a.log
    }

    func decoded<T: Decodable>(_ type: T.Type, _ bytes: [UInt8]) throws -> T {
        try JSONCoding.decoder().decode(T.self, from: Data(bytes))
    }

    @Test("every change a replica writes reads back by hand as JSONDecoder reads it, alone and in a list")
    func sameAsDecoder() throws {
        let changes = try changes()
        #expect(changes.contains { if case .transition = $0.payload { true } else { false } })
        #expect(changes.contains { !$0.requires.isEmpty })
        #expect(changes.contains { $0.isRedaction })
        for change in changes {
            let bytes = Array(change.canonicalJSON.utf8)
            let node = try #require(JSONTree.parse(bytes))
            let byHand = try #require(Change(reading: node, in: bytes))
            #expect(byHand == change)
            #expect(byHand == (try decoded(Change.self, bytes)))
        }
        // Spaces, another member order and an unknown member, as a hand-made request may have them.
        let list = "[ " + changes.map { $0.canonicalJSON.replacingOccurrences(of: "{\"actor\"", with: "{ \"extra\" : [1.5, null] ,\n \"actor\"") }.joined(separator: " ,\r\n\t") + " ]"
        let bytes = Array(list.utf8)
        let elements = try #require(JSONTree.parse(bytes)?.array)
        #expect(try elements.map { try #require(Change(reading: $0, in: bytes)) } == (try decoded([Change].self, bytes)))
    }

    @Test("escapes decode to the text JSONDecoder gives, surrogate pairs included")
    func escapes() throws {
        let json = #""a\"b\\c\/d\b\f\n\r\t\u0041\u4e2d\ud83d\udcf7\u0000""#
        let text = try #require(JSONTree.parse(Array(json.utf8))?.string)
        #expect(text == (try decoded(String.self, Array(json.utf8))))
        #expect(text == "a\"b\\c/d\u{8}\u{c}\n\r\tA中📷\u{0}")
    }

    @Test("what the reader is not sure of is left to JSONDecoder: it parses none of these")
    func notSure() {
        let unsure = [
            #""\ud83d""#,  // a lone surrogate
            #""\udcf7x""#,
            #""\x""#,  // an escape JSON does not have
            "\"a\u{1}b\"",  // a raw control character
            #"{"a":1,"a":2}"#,  // a member named twice
            "[1,]", "{\"a\":1,}", "01", "-", "1.", "1e", "tru", "nul", "\"open", "[1] 2", "",
            String(repeating: "[", count: JSONTree.maxDepth + 2) + String(repeating: "]", count: JSONTree.maxDepth + 2),
        ]
        for json in unsure { #expect(JSONTree.parse(Array(json.utf8)) == nil, "\(json)") }
        // A document of more values than a push or a page holds is not made into a tree.
        let many = "[" + Array(repeating: "0", count: JSONTree.maxNodes).joined(separator: ",") + "]"
        #expect(JSONTree.parse(Array(many.utf8)) == nil)
        #expect(JSONTree.parse(Array(("[" + Array(repeating: "0", count: JSONTree.maxNodes - 1).joined(separator: ",") + "]").utf8)) != nil)
        #expect(JSONTree.parse([0xFF, 0xFE]) == nil)
        #expect(JSONTree.parse(Array("\"".utf8) + [0xC3, 0x28] + Array("\"".utf8)) == nil)
    }

    @Test("numbers: whole 64-bit numbers are read, any other number is left to JSONDecoder")
    func numbers() throws {
        #expect(JSONTree.parse(Array("-9223372036854775808".utf8))?.integer == Int64.min)
        #expect(JSONTree.parse(Array("0".utf8))?.integer == 0)
        for other in ["1.5", "1e3", "9223372036854775808", "-0.0"] {
            let node = try #require(JSONTree.parse(Array(other.utf8)))
            #expect(node.integer == nil, "\(other)")
        }
    }

    @Test("a change with a wrong type anywhere is not read by hand, and JSONDecoder's error names the place")
    func wrongTypes() throws {
        let change = try changes()[0]
        let broken = change.canonicalJSON.replacingOccurrences(of: "\"counter\":", with: "\"counter\":\"x\",\"c\":")
        let bytes = Array("{\"changes\":[\(broken)]}".utf8)
        let node = try #require(JSONTree.parse(bytes))
        #expect(Change(reading: try #require(node["changes"]?.array?.first), in: bytes) == nil)
        let error = #expect(throws: DecodingError.self) { try JSONCoding.read(Wrapper.self, from: bytes) }
        #expect(error?.readableDescription.contains("changes") == true)
    }

    @Test("a payload the reader does not know by hand is decoded alone, and the change still reads")
    func otherPayloads() throws {
        let step = try #require(try changes().first { if case .transition = $0.payload { true } else { false } })
        let bytes = Array(step.canonicalJSON.utf8)
        #expect(Change(reading: try #require(JSONTree.parse(bytes)), in: bytes) == step)
        #expect(try JSONCoding.read(Change.self, from: bytes) == step)
    }

    struct Wrapper: Decodable, TreeReadable {
        let changes: [Change]

        init?(reading node: JSONNode, in source: [UInt8]) {
            guard let changes = node["changes"]?.array?.readEach({ Change(reading: $0, in: source) }) else { return nil }
            self.changes = changes
        }
    }
}
