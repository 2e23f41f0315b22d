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
        /// Give headings ids (`<h2 id="第一站横村镇">`); off, headings render exactly as cmark renders them.
        var headingIDs = true
    }

    /// A rendered body.
    struct Rendered: Sendable, Equatable {
        /// The HTML of the body; links to other articles carry `Reference.placeholder` until the model is built.
        var html: String
        /// The text of the body's first paragraph, markup stripped, at most `plainTextLimit` characters.
        var leadingText: String
        /// Lines (and columns) of the body at which raw HTML was dropped.
        var droppedHTML: [Position] = []
        /// The ids given to the headings, in order.
        var headingIDs: [String] = []
        /// Links and images that point inside the site, to be checked against the model.
        var references: [Reference] = []
        /// Images written without alt text.
        var imagesWithoutAlt: [Position] = []
        /// Characters and words of the whole body.
        var statistics = TextStatistics()
    }

    /// A place in the Markdown body (line from the body's first line, column in characters).
    struct Position: Sendable, Equatable {
        var line: Int
        var column: Int
    }

    /// A link or image pointing inside the site.
    struct Reference: Sendable, Equatable {
        var target: LinkTarget
        var position: Position
        /// For article links: the text standing in the HTML for the target's URL.
        var placeholder: String?
        var isImage: Bool
    }

    static let plainTextLimit = 400

    var options = Options()

    /// Renders Markdown written in the folder `directory` (names below `content/`): relative links and images are
    /// resolved against it and recorded for checking; with nil, destinations are left as written.
    func render(_ markdown: String, directory: [String]? = []) -> Rendered {
        // Escaped asterisks are set aside as a stand-in before parsing, so that the emphasis pass can tell
        // them from the runs cmark left as text; the stand-in is also punctuation, so cmark's own flanking of
        // its neighbours is unchanged, and has the same UTF-8 length, so byte columns are unchanged.
        let cjkPass = options.cjkEmphasis && TextScan.contains(42, in: markdown)
        let setAside =
            cjkPass && Self.hasEscapedAsterisk(markdown) && !markdown.unicodeScalars.contains(Self.escapedAsterisk)
        let source = setAside ? Self.settingAsideEscapedAsterisks(markdown) : markdown
        // cmark works in the thread's arena: the document, its changes and the HTML go back at once at the end.
        return CmarkArena.withDocument {
            render(source: source, markdown: markdown, cjkPass: cjkPass, setAside: setAside, directory: directory)
        }
    }

    /// `render(_:directory:)` once the escaped asterisks are set aside, inside `CmarkArena.withDocument`.
    private func render(source: String, markdown: String, cjkPass: Bool, setAside: Bool, directory: [String]?)
        -> Rendered
    {
        let document = Self.parse(source)
        if cjkPass { Self.applyCJKEmphasis(document) }
        if setAside { Self.restoreEscapedAsterisks(document) }

        var dropped: [(line: Int, column: Int)] = []
        var breaksToRemove: [OpaquePointer] = []
        var urlChanges: [(OpaquePointer, String)] = []
        var references: [(Reference, (line: Int, column: Int))] = []
        var imagesWithoutAlt: [(line: Int, column: Int)] = []
        var headings: [OpaquePointer] = []
        var statistics = TextStatistics()
        var leading = ""
        var leadingCount = 0
        var leadingDone = false

        if let iterator = cmark_iter_new(document) {
            defer { cmark_iter_free(iterator) }
            while case let event = cmark_iter_next(iterator), event != CMARK_EVENT_DONE {
                guard let node = cmark_iter_get_node(iterator) else { continue }
                let type = cmark_node_get_type(node)
                if event == CMARK_EVENT_EXIT {
                    // The summary comes from the first paragraph only.
                    if type == CMARK_NODE_PARAGRAPH, !leading.isEmpty { leadingDone = true }
                    continue
                }
                switch type {
                case CMARK_NODE_HTML_BLOCK, CMARK_NODE_HTML_INLINE:
                    if !options.rawHTML { dropped.append(Self.position(of: node)) }
                case CMARK_NODE_SOFTBREAK:
                    let joinsCJK =
                        Self.isCJK(Self.lastScalar(before: node)) && Self.isCJK(Self.firstScalar(after: node))
                    if joinsCJK { breaksToRemove.append(node) } else if !leadingDone { leading += " " }
                case CMARK_NODE_HEADING:
                    headings.append(node)
                case CMARK_NODE_LINK, CMARK_NODE_IMAGE:
                    let isImage = type == CMARK_NODE_IMAGE
                    if isImage, cmark_node_first_child(node) == nil { imagesWithoutAlt.append(Self.position(of: node)) }
                    guard let directory, let url = cmark_node_get_url(node).map(UTF8Text.string(cmark:)) else { break }
                    let target = LinkTarget.classify(url, directory: directory)
                    var reference = Reference(target: target, position: .init(line: 0, column: 0), isImage: isImage)
                    switch target {
                    case .external: continue
                    case .anchor: break
                    case .article:
                        reference.placeholder = "/__lanmu_link_\(references.count)__/"
                        urlChanges.append((node, reference.placeholder!))
                    case .file(let path, let suffix):
                        urlChanges.append((node, "/" + path + suffix))
                    }
                    references.append((reference, Self.position(of: node)))
                case CMARK_NODE_TEXT, CMARK_NODE_CODE:
                    guard let literal = cmark_node_get_literal(node) else { break }
                    statistics.add(
                        utf8: UnsafeBufferPointer(
                            start: UnsafeRawPointer(literal).assumingMemoryBound(to: UInt8.self), count: strlen(literal)
                        ))
                    if !leadingDone, leadingCount < Self.plainTextLimit, Self.isInParagraph(node) {
                        let text = UTF8Text.string(cmark: literal)
                        leading += text
                        leadingCount += TextScan.simpleCharacterCount(text) ?? text.count
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
        let headingIDs = options.headingIDs ? Self.giveIDs(to: headings) : []

        // Raw HTML is dropped by cmark's safe mode; the headings' ids come through custom blocks either way.
        let renderOptions = options.rawHTML ? CMARK_OPT_UNSAFE : CMARK_OPT_DEFAULT
        // In the arena (cmark allocates the HTML with the document's allocator), copied into a string below.
        guard let html = cmark_render_html(document, renderOptions) else {
            preconditionFailure("cmark_render_html returned nil (out of memory)")
        }
        let positions = Self.characterColumns(dropped + imagesWithoutAlt + references.map(\.1), in: markdown)
        var resolved = references.map(\.0)
        for index in resolved.indices {
            resolved[index].position = positions[dropped.count + imagesWithoutAlt.count + index]
        }
        return Rendered(
            // cmark's HTML of well-formed text is well-formed: it copies the text's bytes, adds ASCII, and writes
            // U+FFFD for a character reference to no character.
            html: UTF8Text.string(cmark: html),
            leadingText: TextScan.prefix(TextScan.trimmingHorizontalSpace(leading), characters: Self.plainTextLimit),
            droppedHTML: Array(positions.prefix(dropped.count)),
            headingIDs: headingIDs, references: resolved,
            imagesWithoutAlt: Array(positions.dropFirst(dropped.count).prefix(imagesWithoutAlt.count)),
            statistics: statistics)
    }

    /// Markdown made plain text (for a `summary` written with markup): the text of its inline content; HTML tags
    /// are markup too and go, their text stays.
    static func plainText(_ markdown: String) -> String {
        // Bytes first: without them no character can be markup.
        guard TextScan.containsAny(of: Array("*_`[<&\\!".utf8), in: markdown),
            markdown.contains(where: { "*_`[<&\\!".contains($0) })
        else { return markdown }
        return CmarkArena.withDocument {
            let document = parse(markdown)
            applyCJKEmphasis(document)
            return String(text(of: document).trimmingSpaces)
        }
    }

    /// cmark's allocator drawing on the calling thread's arena (`CmarkArena`), for documents worked on inside
    /// `CmarkArena.withDocument`: every document and every node Lanmu adds to one (made once, never changed: cmark
    /// only reads it).
    nonisolated(unsafe) static let arena: UnsafeMutablePointer<cmark_mem> = {
        let allocator = UnsafeMutablePointer<cmark_mem>.allocate(capacity: 1)
        allocator.initialize(
            to: cmark_mem(
                calloc: { count, size in
                    let (bytes, overflow) = count.multipliedReportingOverflow(by: size)
                    guard !overflow, let pointer = CmarkArena.allocate(bytes) else { return nil }
                    memset(pointer, 0, bytes)
                    return pointer
                },
                realloc: { pointer, size in CmarkArena.reallocate(pointer, to: size) },
                free: { _ in }))
        return allocator
    }()

    /// The document tree of Markdown text, in the arena (as `cmark_parse_document` makes it with `malloc`).
    private static func parse(_ markdown: String) -> OpaquePointer {
        guard let parser = cmark_parser_new_with_mem(CMARK_OPT_DEFAULT, arena) else {
            preconditionFailure("cmark_parser_new_with_mem returned nil (out of memory)")
        }
        defer { cmark_parser_free(parser) }
        var markdown = markdown
        markdown.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { cmark_parser_feed(parser, $0.baseAddress, $0.count) }
        }
        guard let document = cmark_parser_finish(parser) else {
            preconditionFailure("cmark_parser_finish returned nil (out of memory)")
        }
        return document
    }

    /// Wraps each heading in a custom block that opens it with its id: `<h2 id="第一站横村镇退役军人服务站">`.
    private static func giveIDs(to headings: [OpaquePointer]) -> [String] {
        var ids = HeadingIDs()
        var given: [String] = []
        for heading in headings {
            let id = ids.make(for: text(of: heading))
            given.append(id)
            let level = cmark_node_get_heading_level(heading)
            // An empty custom block holding a custom inline that carries the tags: cmark puts line breaks around
            // a custom block's own text, but not around an inline's.
            guard let block = cmark_node_new_with_mem(CMARK_NODE_CUSTOM_BLOCK, arena),
                let inline = cmark_node_new_with_mem(CMARK_NODE_CUSTOM_INLINE, arena)
            else { preconditionFailure("cmark_node_new failed") }
            cmark_node_set_on_enter(inline, "<h\(level) id=\"\(id)\">")
            cmark_node_set_on_exit(inline, "</h\(level)>")
            cmark_node_append_child(block, inline)
            while let child = cmark_node_first_child(heading) {
                cmark_node_unlink(child)
                cmark_node_append_child(inline, child)
            }
            cmark_node_replace(heading, block)
            cmark_node_free(heading)
        }
        return given
    }

    /// The text inside a node, markup stripped; line breaks and blocks become spaces.
    private static func text(of node: OpaquePointer) -> String {
        var text = ""
        guard let iterator = cmark_iter_new(node) else { return text }
        defer { cmark_iter_free(iterator) }
        while case let event = cmark_iter_next(iterator), event != CMARK_EVENT_DONE {
            guard event == CMARK_EVENT_ENTER, let child = cmark_iter_get_node(iterator) else { continue }
            switch cmark_node_get_type(child) {
            case CMARK_NODE_TEXT, CMARK_NODE_CODE:
                if let literal = cmark_node_get_literal(child) { text += UTF8Text.string(cmark: literal) }
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK:
                text += " "
            case CMARK_NODE_PARAGRAPH, CMARK_NODE_HEADING:
                if !text.isEmpty { text += " " }
            default:
                break
            }
        }
        return text
    }

    // MARK: CJK-friendly emphasis

    /// HEBREW PUNCTUATION NUN HAFUKHA: punctuation to cmark, two UTF-8 bytes like `\*`, and absent from
    /// Chinese text (a document that has it gets no stand-in, only the emphasis pass without escapes told apart).
    static let escapedAsterisk: Unicode.Scalar = "\u{05C6}"

    /// Whether `\*` occurs (a byte scan: Foundation's `contains` is far slower on long text).
    static func hasEscapedAsterisk(_ markdown: String) -> Bool {
        TextScan.containsPair(92, 42, in: markdown)
    }

    /// `\*` becomes the stand-in; `\\` pairs are skipped so that `\\*` keeps its delimiter.
    static func settingAsideEscapedAsterisks(_ markdown: String) -> String {
        guard hasEscapedAsterisk(markdown) else { return markdown }
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
        // By scalar, not by character: a combining mark after `\*` makes one character of the stand-in and the mark
        // (found by the Markdown fuzzer).
        func replace(
            _ get: (OpaquePointer) -> UnsafePointer<CChar>?, _ set: (OpaquePointer, UnsafePointer<CChar>) -> Int32,
            in node: OpaquePointer, with replacement: String
        ) {
            guard let current = get(node).map(UTF8Text.string(cmark:)),
                current.unicodeScalars.contains(escapedAsterisk)
            else { return }
            var restored = String.UnicodeScalarView()
            for scalar in current.unicodeScalars {
                if scalar == escapedAsterisk {
                    restored.append(contentsOf: replacement.unicodeScalars)
                } else {
                    restored.append(scalar)
                }
            }
            _ = String(restored).withCString { set(node, $0) }
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
                case CMARK_NODE_TEXT: .text(cmark_node_get_literal(node).map(UTF8Text.string(cmark:)) ?? "")
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
        let text = UTF8Text.string(cmark: literal)
        let destination = UTF8Text.string(cmark: url)
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
                guard let node = cmark_node_new_with_mem(CMARK_NODE_TEXT, arena) else {
                    preconditionFailure("cmark_node_new failed")
                }
                text.withCString { _ = cmark_node_set_literal(node, $0) }
                cmark_node_append_child(parent, node)
            case .emphasis(let strong, let children):
                guard let node = cmark_node_new_with_mem(strong ? CMARK_NODE_STRONG : CMARK_NODE_EMPH, arena) else {
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
    /// cmark's byte columns as character columns: each line with positions is walked once, up to its last
    /// position, so thousands of links on one line cost one walk (counting each link's line prefix anew cost the
    /// number of links times the line's length). `plainCharacterColumns` is the twin it is tested against.
    static func characterColumns(_ positions: [(line: Int, column: Int)], in markdown: String) -> [Position] {
        guard !positions.isEmpty else { return [] }
        let lines = markdown.utf8.split(separator: 10, omittingEmptySubsequences: false)
        var result = positions.map { Position(line: $0.line, column: $0.column) }
        let order = positions.indices.sorted {
            (positions[$0].line, positions[$0].column) < (positions[$1].line, positions[$1].column)
        }
        var start = 0
        while start < order.count {
            let line = positions[order[start]].line
            var end = start + 1
            while end < order.count, positions[order[end]].line == line { end += 1 }
            defer { start = end }
            guard line >= 1, line - 1 < lines.count else { continue }
            let text = String(decoding: lines[line - 1], as: UTF8.self)
            var index = text.startIndex
            var characters = 0
            for position in order[start..<end] {
                // The characters that start before the column's byte, as the prefix up to it counts them.
                let byte = positions[position].column - 1
                while index < text.endIndex, text.utf8.distance(from: text.startIndex, to: index) < byte {
                    text.formIndex(after: &index)
                    characters += 1
                }
                result[position].column = characters + 1
            }
        }
        return result
    }

    /// The plain twin of `characterColumns`: each position's line prefix decoded and counted.
    static func plainCharacterColumns(_ positions: [(line: Int, column: Int)], in markdown: String) -> [Position] {
        guard !positions.isEmpty else { return [] }
        let lines = markdown.utf8.split(separator: 10, omittingEmptySubsequences: false)
        return positions.map { line, column in
            guard line - 1 < lines.count else { return Position(line: line, column: column) }
            let prefix = lines[line - 1].prefix(column - 1)
            return Position(line: line, column: String(decoding: prefix, as: UTF8.self).count + 1)
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
                return edgeScalar(of: literal, last: true)
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
                return edgeScalar(of: literal, last: false)
            }
            current = cmark_node_first_child(candidate)
        }
        return nil
    }

    /// The first or last character (scalar) of a cmark literal, decoded from the bytes at that end: the same as
    /// `String(cString:).unicodeScalars.first` or `.last` without making a string of the whole paragraph's text at
    /// every line break.
    static func edgeScalar(of literal: UnsafePointer<CChar>, last: Bool) -> Unicode.Scalar? {
        let bytes = UnsafeBufferPointer(
            start: UnsafeRawPointer(literal).assumingMemoryBound(to: UInt8.self),
            count: last ? strlen(literal) : strnlen(literal, 4))
        guard !bytes.isEmpty else { return nil }
        var start = last ? bytes.count - 1 : 0
        while last, start > 0, bytes[start] & 0xC0 == 0x80, bytes.count - start < 4 { start -= 1 }
        var iterator = bytes[start...].makeIterator()
        var decoder = UTF8()
        if case .scalarValue(let scalar) = decoder.decode(&iterator) { return scalar }
        return "\u{FFFD}"
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
}
