import Foundation

/// The bulletin as one self-contained HTML page (no external files), fit to print, with an SVG bar
/// chart of points per unit.
extension BulletinDocument {
    public var html: String {
        let head = wording.headers.map { "<th>\(escape($0))</th>" }.joined()
        let body = rows.map { row in
            "<tr>" + Self.cells(row).enumerated().map { i, cell in "<td class=\"\(i == 1 || i == 2 ? "t" : "n")\">\(escape(cell))</td>" }
                .joined() + "</tr>"
        }.joined(separator: "\n")
        let namedItems = named.flatMap { unit in
            unit.items.map { "<li>\(escape(wording.namedLine($0, unit: unit.unit, name: unit.name)))</li>" }
        }
        let namedSection = namedItems.isEmpty ? "" : "<h2>\(escape(wording.namedHeading))</h2>\n<ul>\n" + namedItems.joined(separator: "\n") + "\n</ul>"
        return """
            <!DOCTYPE html>
            <html lang="\(wording.language == .zh ? "zh-CN" : "en")">
            <head>
            <meta charset="utf-8">
            <title>\(escape(wording.title(bureau: bureau, period: period)))</title>
            <style>
            body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif; margin: 2em; color: #111; }
            h1 { font-size: 1.4em; }
            table { border-collapse: collapse; width: 100%; font-size: 0.85em; margin-top: 1em; }
            th, td { border: 1px solid #999; padding: 0.3em 0.5em; }
            th { background: #eee; }
            td.n { text-align: right; font-variant-numeric: tabular-nums; }
            td.t { white-space: nowrap; }
            svg text { font-size: 12px; }
            @media print { body { margin: 1cm; } @page { size: A4 landscape; } }
            </style>
            </head>
            <body>
            <h1>\(escape(wording.title(bureau: bureau, period: period)))</h1>
            <p>\(escape(wording.orderNote))</p>
            \(chart)
            <table>
            <thead><tr>\(head)</tr></thead>
            <tbody>
            \(body)
            </tbody>
            </table>
            \(namedSection)
            </body>
            </html>

            """
    }

    /// Horizontal bars from a zero line; negative points go left of it.
    var chart: String {
        let rowHeight = 24
        let labelWidth = 160
        let barSpace = 480
        let values = rows.map(\.points)
        let low = min(0, values.min() ?? 0)
        let high = max(1, values.max() ?? 1)
        let scale = Double(barSpace) / Double(high - low)
        let zero = labelWidth + Int(Double(-low) * scale)
        let height = rowHeight * max(rows.count, 1) + 10
        var parts = [
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(labelWidth + barSpace + 60)\" height=\"\(height)\" role=\"img\" aria-label=\"\(wording.language == .zh ? "各单位积分" : "points per unit")\">"
        ]
        for (i, row) in rows.enumerated() {
            let y = i * rowHeight + 5
            let width = Int((Double(abs(row.points)) * scale).rounded())
            let x = row.points < 0 ? zero - width : zero
            let fill = row.points < 0 ? "#c0392b" : "#2e86c1"
            parts.append("<text x=\"\(labelWidth - 6)\" y=\"\(y + 16)\" text-anchor=\"end\">\(escape(row.name))</text>")
            parts.append("<rect x=\"\(x)\" y=\"\(y + 3)\" width=\"\(max(width, 1))\" height=\"\(rowHeight - 8)\" fill=\"\(fill)\"/>")
            parts.append("<text x=\"\(max(x + width, zero) + 4)\" y=\"\(y + 16)\">\(row.points)</text>")
        }
        parts.append("<line x1=\"\(zero)\" y1=\"0\" x2=\"\(zero)\" y2=\"\(height)\" stroke=\"#333\"/>")
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }

    private func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
