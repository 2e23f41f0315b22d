import Foundation
import LanmuCore

/// The lines of the files an editor writes for the importer (column map, rules) and of Markdown files already in
/// `content/`, as they may come from any editor: a byte order mark dropped, LF, CRLF and CR line ends alike.
enum SettingLines {
    /// The text's lines (`"\r\n"` is one `Character`, so splitting at `"\n"` left CRLF files one long line).
    static func lines(of text: String) -> [Substring] {
        let text = text.hasPrefix("\u{FEFF}") ? text.dropFirst() : Substring(text)
        return text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
    }

    /// The lines that say something, with their line numbers from 1: blank lines and comments (a whole line starting
    /// with `#`; `#zoom` after a key is a selector, and a URL may hold a `#`) left out.
    static func settings(in text: String) -> [(number: Int, line: String)] {
        lines(of: text).enumerated().compactMap { index, line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            return trimmed.isEmpty || trimmed.hasPrefix("#") ? nil : (index + 1, String(line))
        }
    }
}
