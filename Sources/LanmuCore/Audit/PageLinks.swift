import CLinux
import Foundation

/// The links and images of a rendered page, and the output file each of the site's own points at.
enum PageLinks {
    /// A page read once: the values of its `href` and `src` attributes in order (double-quoted, as the templates
    /// and the Markdown renderer write them; entities decoded), and its visible text — the page without its tags, so
    /// without the values of its attributes — as UTF-8.
    struct Scan {
        var targets: [String] = []
        var text: [UInt8] = []

        /// Whether the visible text holds this text.
        func shows(_ needle: String) -> Bool {
            var needle = needle
            return needle.withUTF8 { needle in
                text.withUnsafeBytes { text in
                    memmem(text.baseAddress, text.count, needle.baseAddress, needle.count) != nil
                }
            }
        }
    }

    /// Reads a page in one pass over its bytes.
    static func scan(_ html: String) -> Scan {
        var html = html
        return html.withUTF8 { bytes in
            var scan = Scan()
            scan.text.reserveCapacity(bytes.count / 2)
            var inTag = false
            var index = 0
            let quote = UInt8(ascii: "\"")
            while index < bytes.count {
                let byte = bytes[index]
                if !inTag {
                    if byte == UInt8(ascii: "<") { inTag = true } else { scan.text.append(byte) }
                    index += 1
                    continue
                }
                if byte == UInt8(ascii: ">") {
                    inTag = false
                } else if byte == quote, index > 0, bytes[index - 1] == UInt8(ascii: "=") {
                    // An attribute's value: kept when the attribute is href or src; skipped whole either way (a
                    // value may hold ">").
                    let start = index + 1
                    var close = start
                    while close < bytes.count, bytes[close] != quote { close += 1 }
                    if isLinkAttribute(before: index - 1, in: bytes) {
                        let value = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<close]), as: UTF8.self)
                        scan.targets.append(decodeEntities(value))
                    }
                    index = close + 1
                    continue
                }
                index += 1
            }
            return scan
        }
    }

    /// Whether the attribute whose `=` is at `equals` is ` href` or ` src`.
    private static func isLinkAttribute(before equals: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        func ends(with name: [UInt8]) -> Bool {
            let count = name.count
            guard equals >= count + 1, bytes[equals - count - 1] == UInt8(ascii: " ") else { return false }
            return (0..<count).allSatisfy { bytes[equals - count + $0] == name[$0] }
        }
        return ends(with: hrefName) || ends(with: srcName)
    }

    private static let hrefName = Array("href".utf8)
    private static let srcName = Array("src".utf8)

    /// The values of every `href` and `src` attribute, in order.
    static func targets(in html: String) -> [String] { scan(html).targets }

    /// Most links are rooted, clean and unencoded (`/sanfuwu/shixian/a01/`): their path is the link less its "/",
    /// found in one pass over the bytes; nil for any other link (`outputPath` works it out).
    private static func cleanRootedPath(_ link: String) -> String? {
        var link = link
        return link.withUTF8 { bytes -> String? in
            guard bytes.count >= 1, bytes[0] == UInt8(ascii: "/") else { return nil }
            var previous: UInt8 = 0
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "%"), UInt8(ascii: "#"), UInt8(ascii: "?"), UInt8(ascii: ":"): return nil
                case UInt8(ascii: "."), UInt8(ascii: "/"): if previous == UInt8(ascii: "/") { return nil }
                default: break
                }
                previous = byte
            }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[1...]), as: UTF8.self)
        }
    }

    private static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        return text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    /// The output path a link of the site's own points at, relative to the output root and percent-decoded
    /// (`sanfuwu/shixian/`, `assets/css/lanmu.css`, "" for the home page); nil for links elsewhere (another
    /// scheme or host), anchors on the same page, and empty links.
    /// - Parameter folder: the URL folder of the page the link is on (`/sanfuwu/shixian/a01/`).
    /// - Parameter fast: whether clean rooted links take the one-pass path (tests compare it with the general one).
    static func outputPath(of link: String, onPageIn folder: String, fast: Bool = true) -> String? {
        if fast, let path = cleanRootedPath(link) { return path }
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
