import Mustache

/// HTML escaping by Unicode scalar, for every value the desk's templates show (their `CONTENT_TYPE`
/// pragma names it). swift-mustache's own HTML escaping looks characters up by grapheme, so a `"` or
/// `>` followed by a combining mark is one character to it and passes unescaped — enough to leave an
/// attribute. Escaping each scalar leaves no such gap.
struct ScalarHTMLEscaping: MustacheContentType {
    static let name = "DESK_HTML"

    func escapeText(_ text: String) -> String {
        var escaped = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped.append(contentsOf: "&amp;".unicodeScalars)
            case "<": escaped.append(contentsOf: "&lt;".unicodeScalars)
            case ">": escaped.append(contentsOf: "&gt;".unicodeScalars)
            case "\"": escaped.append(contentsOf: "&quot;".unicodeScalars)
            case "'": escaped.append(contentsOf: "&#39;".unicodeScalars)
            default: escaped.append(scalar)
            }
        }
        return String(escaped)
    }
}
