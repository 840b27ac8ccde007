import Testing

@testable import SyncCore

/// The canonical writer's numbers: the digits `String(value)` writes, which digests hash.
struct CanonicalJSONTests {
    @Test("integers are written as their decimal digits, at both ends of the range and beyond Int64")
    func integers() {
        let values: [Int64] = [0, 7, -7, 10, 1_764_000_000_123, .max, .min]
        var json = CanonicalJSON()
        json.array { json in
            for value in values { json.int(value) }
            json.int(UInt64.max)
            json.int(Int32(-42))
        }
        #expect(json.text == "[" + (values.map(String.init) + [String(UInt64.max), "-42"]).joined(separator: ",") + "]")
    }
}
