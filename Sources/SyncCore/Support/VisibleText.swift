/// What counts as text a person can see: a title or caption made only of spaces, zero-width or control
/// characters looks empty on every screen, so it counts as missing.
extension String {
    /// True when some character of the string is visible: not white space, a control or format
    /// character (zero-width space, joiners, direction marks), a separator, a combining mark with
    /// nothing to combine with, the blank Braille pattern or an unassigned code point.
    public var hasVisibleText: Bool {
        unicodeScalars.contains { scalar in
            if scalar == "\u{2800}" { return false }
            switch scalar.properties.generalCategory {
            case .control, .format, .spaceSeparator, .lineSeparator, .paragraphSeparator, .unassigned, .surrogate, .privateUse,
                .nonspacingMark, .enclosingMark, .spacingMark:
                return false
            default:
                return !scalar.properties.isWhitespace && !scalar.properties.isDefaultIgnorableCodePoint
            }
        }
    }

    /// True when the string holds a control character (C0, DEL or C1), which has no place in one line of text.
    public var hasControlCharacters: Bool {
        unicodeScalars.contains { $0.properties.generalCategory == .control }
    }
}
