@testable import SyncService
import Testing

@Suite("Field daemon backoff")
struct BackoffTests {
    @Test("waits grow exponentially with jitter and stop growing at five minutes", arguments: 1...15)
    func bounds(failures: Int) {
        let ceiling = min(300.0, Double(1 << (min(failures, 12) - 1)))
        let wait = FieldSyncService.backoff(failures: failures)
        #expect(wait >= .milliseconds(Int64(ceiling * 500)) && wait <= .milliseconds(Int64(ceiling * 1000)))
    }
}
