import Foundation

/// The links and images of a rendered page, and the output file each of the site's own points at.
enum PageLinks {
    /// The values of every `href` and `src` attribute, in the order they appear (double-quoted, as the templates and
    /// the Markdown renderer write them), entities decoded.
    static func targets(in html: String) -> [String] {
        var targets: [String] = []
        var bytes = Substring(html).utf8[...]
        while let found = nextAttribute(in: bytes) {
            targets.append(found.value)
            bytes = bytes[found.end...]
        }
        return targets
    }

    private static let names: [[UInt8]] = [Array(" href=\"".utf8), Array(" src=\"".utf8)]

    private static func nextAttribute(in bytes: Substring.UTF8View.SubSequence) -> (
        value: String, end: Substring.UTF8View.Index
    )? {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            if bytes[index] == 0x20 {
                for name in names where bytes[index...].starts(with: name) {
                    let start = bytes.index(index, offsetBy: name.count)
                    guard let close = bytes[start...].firstIndex(of: 0x22) else { return nil }
                    let raw = String(Substring(bytes[start..<close]))
                    return (decodeEntities(raw), bytes.index(after: close))
                }
            }
            index = bytes.index(after: index)
        }
        return nil
    }

    private static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        return text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    /// The text a reader sees: the page without its tags (and so without the values of its attributes).
    static func visibleText(in html: String) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(html.utf8.count / 2)
        var inTag = false
        for byte in html.utf8 {
            switch byte {
            case UInt8(ascii: "<"): inTag = true
            case UInt8(ascii: ">") where inTag: inTag = false
            default: if !inTag { text.append(byte) }
            }
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The output path a link of the site's own points at, relative to the output root and percent-decoded
    /// (`sanfuwu/shixian/`, `assets/css/lanmu.css`, "" for the home page); nil for links elsewhere (another
    /// scheme or host), anchors on the same page, and empty links.
    /// - Parameter folder: the URL folder of the page the link is on (`/sanfuwu/shixian/a01/`).
    static func outputPath(of link: String, onPageIn folder: String) -> String? {
        var target = Substring(link)
        if let cut = target.firstIndex(where: { $0 == "#" || $0 == "?" }) { target = target[..<cut] }
        guard !target.isEmpty, !target.hasPrefix("//") else { return nil }
        if let colon = target.firstIndex(of: ":"), !target[..<colon].contains("/") { return nil }  // a scheme
        let absolute = target.hasPrefix("/") ? String(target) : folder + target
        var parts: [Substring] = []
        for part in absolute.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..": _ = parts.popLast()
            default: parts.append(part)
            }
        }
        var path = parts.joined(separator: "/")
        if absolute.hasSuffix("/") || absolute.hasSuffix("/.") || absolute.hasSuffix("/..") {
            if !path.isEmpty { path += "/" }
        }
        return path.removingPercentEncoding ?? path
    }
}
