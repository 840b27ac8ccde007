/// The secret a file holds for a script (a PIN, a desk password, a scrape token): its first line, without
/// the line's end — `\n`, or the `\r\n` of a file saved on Windows.
public enum SecretFile {
    public static func firstLine(of text: String) -> String {
        String(text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).first ?? "")
    }
}
