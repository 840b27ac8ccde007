import Foundation
import SyncCore

/// A clock a test moves by hand.
public final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date
    public init(_ start: Date) { current = start }
    /// A clock set to `text` in the bureau's time zone (`2026-10-10T09:00`).
    public convenience init(_ text: String) { self.init(Self.local(text)) }
    public var now: Date { lock.withLock { current } }
    public func advance(_ seconds: TimeInterval) { lock.withLock { current += seconds } }
    /// Sets the clock to `text` in the bureau's time zone.
    public func set(_ text: String) { lock.withLock { current = Self.local(text) } }
    /// A moment written in the bureau's time zone.
    public static func local(_ text: String) -> Date { TimestampParser.parse(text, timeZone: TimeZone(identifier: "Asia/Shanghai")!)! }
}
