import Foundation

extension Int64 {
    /// A count of bytes as a person reads it (`20 MB`, `1.5 GB`; binary multiples).
    public var bytesText: String { formatted(.byteCount(style: .binary, spellsOutZero: false)) }
}
