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
        if let colon = url.firstIndex(of: ":"),
            url[..<colon].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+.-".contains($0)) }),
            url.first?.isLetter == true
        {
            return .external
        }
        if url.hasPrefix("?") { return .external }
        let suffixStart = url.firstIndex { $0 == "?" || $0 == "#" } ?? url.endIndex
        let rawPath = RequestDecoding.percentDecoded(String(url[..<suffixStart]))
        let suffix = String(url[suffixStart...])
        let rooted = rawPath.hasPrefix("/")
        let relative = normalise(rawPath, from: rooted ? [] : directory)
        if rawPath.hasSuffix(".md") {
            let anchor = suffix.hasPrefix("#") ? RequestDecoding.percentDecoded(String(suffix.dropFirst())) : nil
            var candidates = [relative]
            if !rooted { candidates.append(normalise(rawPath, from: [])) }
            return .article(
                candidates: candidates.reduce(into: []) { if !$0.contains($1) { $0.append($1) } }, anchor: anchor)
        }
        if rooted { return .external }
        return .file(path: relative, suffix: suffix)
    }

    /// A path joined to a folder, `.` and `..` resolved (never above `content/`).
    static func normalise(_ path: String, from directory: [String]) -> String {
        var segments = directory
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
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

/// Percent-decoding that keeps the text as written when it is not valid UTF-8 escapes.
enum RequestDecoding {
    static func percentDecoded(_ text: String) -> String {
        guard text.utf8.contains(37) else { return text }
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == 37 else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next(), let low = iterator.next(),
                let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
            else { return text }
            bytes.append(value)
        }
        return String(validating: bytes, as: UTF8.self) ?? text
    }
}
