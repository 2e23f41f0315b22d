/// What a link or image destination in an article points at, worked out from the article's folder.
enum LinkTarget: Equatable {
    /// Another site, a mail address, or anything with a scheme: left alone.
    case external
    /// `#锚点` on the same page.
    case anchor(String)
    /// Another article's Markdown file: the candidates are tried in order (relative to the article's folder,
    /// then to `content/`); the URL comes from the model once every article is known.
    case article(candidates: [String], anchor: String?)
    /// Any other file written relative to the article (image, PDF…): its content path and what followed it
    /// (`?…`, `#…`). A site-absolute path such as `/uploads/a.jpg` is `external`: the host may serve it from
    /// outside `content/`.
    case file(path: String, suffix: String)

    /// Classifies a destination written in the article at `directory` (folder names below `content/`).
    static func classify(_ url: String, directory: [String]) -> LinkTarget {
        if url.isEmpty || url.hasPrefix("//") { return .external }
        if url.hasPrefix("#") { return .anchor(RequestDecoding.percentDecoded(String(url.dropFirst()))) }
        // ASCII without a carriage return (the usual destination) is one character a byte: searched by byte.
        let bytewise = url.utf8.allSatisfy { $0 < 0x80 && $0 != 0x0D }
        if let colon = bytewise ? url.utf8.firstIndex(of: UInt8(ascii: ":")) : url.firstIndex(of: ":"),
            url[..<colon].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+.-".contains($0)) }),
            url.first?.isLetter == true
        {
            return .external
        }
        if url.hasPrefix("?") { return .external }
        let suffixStart =
            (bytewise
                ? url.utf8.firstIndex { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }
                : url.firstIndex { $0 == "?" || $0 == "#" }) ?? url.endIndex
        let rawPath = RequestDecoding.percentDecoded(String(url[..<suffixStart]))
        let suffix = String(url[suffixStart...])
        let rooted = rawPath.hasPrefix("/")
        if rawPath.hasSuffix(".md") {
            let anchor = suffix.hasPrefix("#") ? RequestDecoding.percentDecoded(String(suffix.dropFirst())) : nil
            var candidates = [normalise(rawPath, from: rooted ? [] : directory)]
            if !rooted { candidates.append(normalise(rawPath, from: [])) }
            return .article(
                candidates: candidates.reduce(into: []) { if !$0.contains($1) { $0.append($1) } }, anchor: anchor)
        }
        if rooted { return .external }
        return .file(path: normalise(rawPath, from: directory), suffix: suffix)
    }

    /// A path joined to a folder, `.` and `..` resolved (never above `content/`).
    static func normalise(_ path: String, from directory: [String]) -> String {
        var segments = directory
        for segment in TextScan.pathSegments(path) {
            switch segment {
            case ".": continue
            case "..": if !segments.isEmpty { segments.removeLast() }
            default: segments.append(String(segment))
            }
        }
        let joined = segments.joined(separator: "/")
        return path.hasSuffix("/") && !joined.isEmpty ? joined + "/" : joined
    }
}

/// Percent-decoding of UTF-8, shared by link destinations and the preview server's request paths.
public enum RequestDecoding {
    /// Strict decoding: nil for a malformed escape or bytes that are not UTF-8.
    public static func strictlyDecoded<S: StringProtocol>(_ text: S) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == 37 else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                return nil
            }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    /// Lenient decoding for what editors write: the text as written when it is not valid escapes.
    static func percentDecoded(_ text: String) -> String {
        guard TextScan.contains(37, in: text) else { return text }
        return strictlyDecoded(text) ?? text
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 48...57: byte - 48
        case 65...70: byte - 55
        case 97...102: byte - 87
        default: nil
        }
    }
}
