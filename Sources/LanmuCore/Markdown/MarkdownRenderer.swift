import CCmark
import Foundation

/// Renders an article body with libcmark. This is the only file that talks to cmark: every cmark allocation
/// is freed right where it is made, and only Swift values leave it.
struct MarkdownRenderer: Sendable {
    /// What the site allows in Markdown.
    struct Options: Sendable, Equatable {
        /// Pass raw HTML through instead of dropping it.
        var rawHTML = false
        /// Apply the CJK-friendly emphasis amendments (`**注重。**周` is bold).
        var cjkEmphasis = true
    }

    /// A rendered body.
    struct Rendered: Sendable, Equatable {
        /// The HTML of the body.
        var html: String
        /// The text of the body's opening paragraphs, markup stripped, at most `plainTextLimit` characters.
        var leadingText: String
        /// Lines (and columns) of the body at which raw HTML was dropped.
        var droppedHTML: [(line: Int, column: Int)]

        static func == (lhs: Rendered, rhs: Rendered) -> Bool {
            lhs.html == rhs.html && lhs.leadingText == rhs.leadingText
                && lhs.droppedHTML.elementsEqual(rhs.droppedHTML) { $0 == $1 }
        }
    }

    static let plainTextLimit = 400

    var options = Options()

    /// Renders Markdown; relative link and image URLs are resolved against `directoryURL` (e.g. `/sanfuwu/shixian/`),
    /// or left as written when it is nil.
    func render(_ markdown: String, directoryURL: String? = "/") -> Rendered {
        // Escaped asterisks are set aside as a stand-in before parsing, so that the emphasis pass can tell
        // them from the runs cmark left as text; the stand-in is also punctuation, so cmark's own flanking of
        // its neighbours is unchanged, and has the same UTF-8 length, so byte columns are unchanged.
        let cjkPass = options.cjkEmphasis && markdown.utf8.contains(42)
        let setAside = cjkPass && markdown.contains("\\*") && !markdown.unicodeScalars.contains(Self.escapedAsterisk)
        let source = setAside ? Self.settingAsideEscapedAsterisks(markdown) : markdown
        let document = source.withCString { pointer in
            cmark_parse_document(pointer, strlen(pointer), CMARK_OPT_DEFAULT)
        }
        guard let document else { preconditionFailure("cmark_parse_document returned nil (out of memory)") }
        defer { cmark_node_free(document) }
        if cjkPass { Self.applyCJKEmphasis(document) }
        if setAside { Self.restoreEscapedAsterisks(document) }

        var dropped: [(line: Int, column: Int)] = []
        var breaksToRemove: [OpaquePointer] = []
        var urlChanges: [(OpaquePointer, String)] = []
        var leading = ""
        var leadingCount = 0
        var leadingDone = false

        if let iterator = cmark_iter_new(document) {
            defer { cmark_iter_free(iterator) }
            while case let event = cmark_iter_next(iterator), event != CMARK_EVENT_DONE {
                guard let node = cmark_iter_get_node(iterator) else { continue }
                let type = cmark_node_get_type(node)
                if event == CMARK_EVENT_EXIT {
                    if type == CMARK_NODE_PARAGRAPH, leadingCount >= 120 { leadingDone = true }
                    if type == CMARK_NODE_PARAGRAPH, !leading.isEmpty, !leadingDone { leading += " " }
                    continue
                }
                switch type {
                case CMARK_NODE_HTML_BLOCK, CMARK_NODE_HTML_INLINE:
                    if !options.rawHTML { dropped.append(Self.position(of: node)) }
                case CMARK_NODE_SOFTBREAK:
                    let joinsCJK =
                        Self.isCJK(Self.lastScalar(before: node)) && Self.isCJK(Self.firstScalar(after: node))
                    if joinsCJK { breaksToRemove.append(node) } else if !leadingDone { leading += " " }
                case CMARK_NODE_LINK, CMARK_NODE_IMAGE:
                    if let directoryURL, let url = cmark_node_get_url(node).map({ String(cString: $0) }),
                        let resolved = Self.resolve(url, against: directoryURL)
                    {
                        urlChanges.append((node, resolved))
                    }
                case CMARK_NODE_TEXT, CMARK_NODE_CODE:
                    if !leadingDone, Self.isInParagraph(node), let literal = cmark_node_get_literal(node) {
                        let text = String(cString: literal)
                        leading += text
                        leadingCount += text.count
                        if leadingCount >= Self.plainTextLimit { leadingDone = true }
                    }
                default:
                    break
                }
            }
        }
        for node in breaksToRemove {
            cmark_node_unlink(node)
            cmark_node_free(node)
        }
        for (node, url) in urlChanges { cmark_node_set_url(node, url) }

        let renderOptions = options.rawHTML ? CMARK_OPT_UNSAFE : CMARK_OPT_DEFAULT
        guard let html = cmark_render_html(document, renderOptions) else {
            preconditionFailure("cmark_render_html returned nil (out of memory)")
        }
        defer { free(html) }
        return Rendered(
            html: String(cString: html),
            leadingText: String(leading.trimmingCharacters(in: .whitespaces).prefix(Self.plainTextLimit)),
            droppedHTML: dropped.isEmpty ? [] : Self.characterColumns(dropped, in: markdown))
    }

    // MARK: CJK-friendly emphasis

    /// HEBREW PUNCTUATION NUN HAFUKHA: punctuation to cmark, two UTF-8 bytes like `\*`, and absent from
    /// Chinese text (a document that has it gets no stand-in, only the emphasis pass without escapes told apart).
    static let escapedAsterisk: Unicode.Scalar = "\u{05C6}"

    /// `\*` becomes the stand-in; `\\` pairs are skipped so that `\\*` keeps its delimiter.
    static func settingAsideEscapedAsterisks(_ markdown: String) -> String {
        guard markdown.contains("\\*") else { return markdown }
        var scalars = String.UnicodeScalarView()
        var iterator = markdown.unicodeScalars.makeIterator()
        while let scalar = iterator.next() {
            guard scalar == "\\" else {
                scalars.append(scalar)
                continue
            }
            switch iterator.next() {
            case "*"?: scalars.append(escapedAsterisk)
            case let next?:
                scalars.append(scalar)
                scalars.append(next)
            case nil: scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    /// Puts the escaped asterisks back: as `*` where escapes were processed (text, link destinations and
    /// titles, info strings), as `\*` where they are literal (code, raw HTML).
    private static func restoreEscapedAsterisks(_ document: OpaquePointer) {
        let stand = String(escapedAsterisk)
        func replace(
            _ get: (OpaquePointer) -> UnsafePointer<CChar>?, _ set: (OpaquePointer, UnsafePointer<CChar>) -> Int32,
            in node: OpaquePointer, with replacement: String
        ) {
            guard let current = get(node).map({ String(cString: $0) }), current.contains(stand) else { return }
            _ = current.replacingOccurrences(of: stand, with: replacement).withCString { set(node, $0) }
        }
        guard let iterator = cmark_iter_new(document) else { return }
        defer { cmark_iter_free(iterator) }
        while case let event = cmark_iter_next(iterator), event != CMARK_EVENT_DONE {
            guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) else { continue }
            switch cmark_node_get_type(node) {
            case CMARK_NODE_TEXT:
                replace(cmark_node_get_literal, cmark_node_set_literal, in: node, with: "*")
            case CMARK_NODE_CODE, CMARK_NODE_HTML_INLINE, CMARK_NODE_HTML_BLOCK:
                replace(cmark_node_get_literal, cmark_node_set_literal, in: node, with: "\\*")
            case CMARK_NODE_CODE_BLOCK:
                replace(cmark_node_get_literal, cmark_node_set_literal, in: node, with: "\\*")
                replace(cmark_node_get_fence_info, cmark_node_set_fence_info, in: node, with: "*")
            case CMARK_NODE_LINK where isAutolink(node):
                // No escapes in autolinks: `<http://a?b=\\*>` keeps its backslash, in the text and the destination.
                replace(cmark_node_get_url, cmark_node_set_url, in: node, with: "\\*")
                if let text = cmark_node_first_child(node) {
                    replace(cmark_node_get_literal, cmark_node_set_literal, in: text, with: "\\*")
                }
            case CMARK_NODE_LINK, CMARK_NODE_IMAGE:
                replace(cmark_node_get_url, cmark_node_set_url, in: node, with: "*")
                replace(cmark_node_get_title, cmark_node_set_title, in: node, with: "*")
            default:
                break
            }
        }
    }

    /// Runs `CJKEmphasis` over every inline container and rebuilds the children it changes.
    private static func applyCJKEmphasis(_ document: OpaquePointer) {
        var containers: [(OpaquePointer, CJKEmphasis.Boundary)] = []
        if let iterator = cmark_iter_new(document) {
            defer { cmark_iter_free(iterator) }
            while case let event = cmark_iter_next(iterator), event != CMARK_EVENT_DONE {
                guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) else { continue }
                switch cmark_node_get_type(node) {
                case CMARK_NODE_PARAGRAPH, CMARK_NODE_HEADING: containers.append((node, .whitespace))
                case CMARK_NODE_EMPH, CMARK_NODE_STRONG: containers.append((node, .punctuation))
                case CMARK_NODE_LINK where !isAutolink(node): containers.append((node, .punctuation))
                default: break
                }
            }
        }
        for (container, boundary) in containers {
            var children: [OpaquePointer] = []
            var child = cmark_node_first_child(container)
            var hasAsterisk = false
            while let current = child {
                children.append(current)
                if cmark_node_get_type(current) == CMARK_NODE_TEXT, let literal = cmark_node_get_literal(current),
                    strchr(literal, 42) != nil
                {
                    hasAsterisk = true
                }
                child = cmark_node_next(current)
            }
            guard hasAsterisk else { continue }
            let items: [CJKEmphasis.Item] = children.map { node in
                switch cmark_node_get_type(node) {
                case CMARK_NODE_TEXT: .text(cmark_node_get_literal(node).map { String(cString: $0) } ?? "")
                case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK: .lineBreak
                default: .node
                }
            }
            guard let resolved = CJKEmphasis.resolve(items, boundary: boundary) else { continue }
            for node in children { cmark_node_unlink(node) }
            build(resolved, into: container, originals: children)
            for (node, item) in zip(children, items) {
                if case .text = item { cmark_node_free(node) }
            }
        }
    }

    /// `<https://…>` and `<a@b.cn>`: one text child that spells the destination. Their text is never emphasis.
    private static func isAutolink(_ link: OpaquePointer) -> Bool {
        guard let child = cmark_node_first_child(link), cmark_node_next(child) == nil,
            cmark_node_get_type(child) == CMARK_NODE_TEXT, let literal = cmark_node_get_literal(child),
            let url = cmark_node_get_url(link)
        else { return false }
        let text = String(cString: literal)
        let destination = String(cString: url)
        return destination == text || destination == "mailto:" + text
    }

    private static func build(
        _ resolved: [CJKEmphasis.Resolved], into parent: OpaquePointer, originals: [OpaquePointer]
    ) {
        for piece in resolved {
            switch piece {
            case .original(let index):
                cmark_node_append_child(parent, originals[index])
            case .text(let text):
                guard let node = cmark_node_new(CMARK_NODE_TEXT) else { preconditionFailure("cmark_node_new failed") }
                text.withCString { _ = cmark_node_set_literal(node, $0) }
                cmark_node_append_child(parent, node)
            case .emphasis(let strong, let children):
                guard let node = cmark_node_new(strong ? CMARK_NODE_STRONG : CMARK_NODE_EMPH) else {
                    preconditionFailure("cmark_node_new failed")
                }
                cmark_node_append_child(parent, node)
                build(children, into: node, originals: originals)
            }
        }
    }

    private static func position(of node: OpaquePointer) -> (line: Int, column: Int) {
        var current: OpaquePointer? = node
        while let candidate = current {
            let line = Int(cmark_node_get_start_line(candidate))
            if line > 0 { return (line, max(1, Int(cmark_node_get_start_column(candidate)))) }
            current = cmark_node_parent(candidate)
        }
        return (1, 1)
    }

    /// cmark counts columns in bytes; editors count characters.
    private static func characterColumns(_ positions: [(line: Int, column: Int)], in markdown: String) -> [(
        line: Int, column: Int
    )] {
        let lines = markdown.utf8.split(separator: 10, omittingEmptySubsequences: false)
        return positions.map { line, column in
            guard line - 1 < lines.count else { return (line, column) }
            let prefix = lines[line - 1].prefix(column - 1)
            return (line, String(decoding: prefix, as: UTF8.self).count + 1)
        }
    }

    private static func isInParagraph(_ node: OpaquePointer) -> Bool {
        var current = cmark_node_parent(node)
        while let parent = current {
            let type = cmark_node_get_type(parent)
            if type == CMARK_NODE_PARAGRAPH { return true }
            if type == CMARK_NODE_DOCUMENT || type == CMARK_NODE_HEADING { return false }
            current = cmark_node_parent(parent)
        }
        return false
    }

    /// The last character of the inline content before a node (descending into emphasis and links).
    private static func lastScalar(before node: OpaquePointer) -> Unicode.Scalar? {
        var current = cmark_node_previous(node)
        while let candidate = current {
            if let literal = cmark_node_get_literal(candidate), cmark_node_first_child(candidate) == nil {
                return String(cString: literal).unicodeScalars.last
            }
            current = cmark_node_last_child(candidate)
        }
        return nil
    }

    /// The first character of the inline content after a node.
    private static func firstScalar(after node: OpaquePointer) -> Unicode.Scalar? {
        var current = cmark_node_next(node)
        while let candidate = current {
            if let literal = cmark_node_get_literal(candidate), cmark_node_first_child(candidate) == nil {
                return String(cString: literal).unicodeScalars.first
            }
            current = cmark_node_first_child(candidate)
        }
        return nil
    }

    /// Chinese and Japanese characters and their punctuation, between which a line break means nothing.
    static func isCJK(_ scalar: Unicode.Scalar?) -> Bool {
        guard let value = scalar?.value else { return false }
        switch value {
        case 0x2E80...0x2FDF, 0x3000...0x303F, 0x3040...0x30FF, 0x3100...0x312F, 0x31A0...0x31FF, 0x3400...0x4DBF,
            0x4E00...0x9FFF, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFFEF, 0x20000...0x2FA1F:
            return true
        default:
            return false
        }
    }

    /// A URL relative to the Markdown file made absolute from the site root; nil when it needs no change.
    static func resolve(_ url: String, against directoryURL: String) -> String? {
        if url.isEmpty || url.hasPrefix("/") || url.hasPrefix("#") || url.hasPrefix("?") { return nil }
        if let colon = url.firstIndex(of: ":"),
            url[..<colon].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+.-".contains($0)) }),
            url.first?.isLetter == true
        {
            return nil
        }
        let suffixStart = url.firstIndex { $0 == "?" || $0 == "#" } ?? url.endIndex
        var segments = directoryURL.split(separator: "/").map(String.init)
        for segment in url[..<suffixStart].split(separator: "/", omittingEmptySubsequences: false) {
            switch segment {
            case ".", "": continue
            case "..": if !segments.isEmpty { segments.removeLast() }
            default: segments.append(String(segment))
            }
        }
        let trailingSlash = url[..<suffixStart].hasSuffix("/") ? "/" : ""
        let path = "/" + segments.joined(separator: "/") + (segments.isEmpty ? "" : trailingSlash)
        return path + url[suffixStart...]
    }
}
