/// A plain-text table for terminals that lines up Chinese text: wide (CJK) characters take two columns.
///
/// Written here rather than taken from ordo-one/TextTable, which pads by character count and so
/// misaligns every row that holds Chinese.
public struct TextTable: Sendable {
    public let headers: [String]
    public private(set) var rows: [[String]] = []
    /// Cells longer than this many columns are cut with an ellipsis (the last column is never cut).
    public var maxCellWidth = 40

    public init(_ headers: [String]) { self.headers = headers }

    public mutating func add(_ row: [String]) { rows.append(row) }

    /// The table as lines of text, header first.
    public func render() -> String {
        let cells = ([headers] + rows).map { row in
            row.enumerated().map { i, cell in i == row.count - 1 ? cell : Self.truncate(cell, to: maxCellWidth) }
        }
        var widths = [Int](repeating: 0, count: headers.count)
        for row in cells {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], Self.width(of: cell)) }
        }
        func line(_ row: [String]) -> String {
            row.enumerated().map { i, cell in
                i == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - Self.width(of: cell))
            }.joined(separator: "  ")
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        return ([line(cells[0]), rule] + cells.dropFirst().map(line)).joined(separator: "\n")
    }

    /// Terminal columns the text takes.
    static func width(of text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + (isWide($1) ? 2 : 1) }
    }

    static func isWide(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
            0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F,
            0x20000...0x3FFFD:
            return true
        default:
            return false
        }
    }

    static func truncate(_ text: String, to limit: Int) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ")
        guard width(of: flat) > limit else { return flat }
        var result = ""
        var used = 0
        for character in flat {
            let w = width(of: String(character))
            if used + w > limit - 1 { break }
            result.append(character)
            used += w
        }
        return result + "…"
    }
}
