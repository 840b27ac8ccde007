/// Text from a replica made safe for a terminal: a title or body holding escape sequences, carriage
/// returns or direction overrides must not be able to repaint the screen or hide what it says.
enum TerminalEscaping {
    /// `text` with every control character but line feed, tab and the carriage return of a CRLF line end (CSV),
    /// and every bidirectional override,
    /// shown as a visible `\u001b` escape: the form JSON uses, so JSON output stays valid and means the same.
    static func escaped(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        func escapes(_ i: Int) -> Bool {
            needsEscape(scalars[i]) && !(scalars[i] == "\r" && i + 1 < scalars.count && scalars[i + 1] == "\n")
        }
        guard scalars.indices.contains(where: escapes) else { return text }
        var result = ""
        for (i, scalar) in scalars.enumerated() {
            if escapes(i) {
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "\n" || scalar == "\t" { return false }
        if scalar.properties.generalCategory == .control { return true }
        return (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
    }
}
