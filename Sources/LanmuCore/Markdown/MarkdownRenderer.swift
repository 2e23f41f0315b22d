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
        /// Keep the body's whole text, markup stripped, for site search (`Rendered.plainText`).
        var collectsText = false
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
        /// The body's text, markup stripped, each block on a line of its own (when `Options.collectsText`).
        var plainText: String?
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
        // Likewise `\~`, for the strikethrough pass (`\~~` is not a `~~` run).
        let strikethrough = TextScan.containsPair(126, 126, in: markdown)
        let tildesSetAside =
            strikethrough && TextScan.containsPair(92, 126, in: markdown)
            && !markdown.unicodeScalars.contains(Self.escapedTilde)
        var source = setAside ? Self.settingAside(escaped: "*", as: Self.escapedAsterisk, in: markdown) : markdown
        if tildesSetAside { source = Self.settingAside(escaped: "~", as: Self.escapedTilde, in: source) }
        // cmark works in the thread's arena: the document, its changes and the HTML go back at once at the end.
        return CmarkArena.withDocument {
            render(
                source: source, markdown: markdown, passes: (cjkPass, setAside, strikethrough, tildesSetAside),
                directory: directory)
        }
    }

    /// `render(_:directory:)` once the escaped asterisks are set aside, inside `CmarkArena.withDocument`.
    private func render(
        source: String, markdown: String,
        passes: (cjkEmphasis: Bool, asterisksSetAside: Bool, strikethrough: Bool, tildesSetAside: Bool),
        directory: [String]?
    ) -> Rendered {
        var document = Self.parse(source)
        // A table needs a pipe (a byte scan: most bodies have none).
        var breaks = TableBreaks()
        if TextScan.contains(124, in: source) { (document, breaks) = Self.applyTables(document, source: source) }
        if passes.cjkEmphasis { Self.applyCJKEmphasis(document) }
        if passes.asterisksSetAside { Self.restore(Self.escapedAsterisk, as: "*", in: document) }
        if passes.strikethrough { Self.applyStrikethrough(document) }
        if passes.tildesSetAside { Self.restore(Self.escapedTilde, as: "~", in: document) }

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
        let collectsText = options.collectsText
        var plain: [UInt8] = []

        if let iterator = cmark_iter_new(document) {
            defer { cmark_iter_free(iterator) }
            while case let event = cmark_iter_next(iterator), event != CMARK_EVENT_DONE {
                guard let node = cmark_iter_get_node(iterator) else { continue }
                let type = cmark_node_get_type(node)
                if event == CMARK_EVENT_EXIT {
                    // The summary comes from the first paragraph only.
                    if type == CMARK_NODE_PARAGRAPH, !leading.isEmpty { leadingDone = true }
                    if collectsText, Self.isBlock(type), plain.last.map({ $0 != 10 }) ?? false { plain.append(10) }
                    continue
                }
                switch type {
                case CMARK_NODE_HTML_BLOCK, CMARK_NODE_HTML_INLINE:
                    if !options.rawHTML {
                        dropped.append(Self.position(of: node))
                    } else if collectsText, type == CMARK_NODE_HTML_BLOCK, let literal = cmark_node_get_literal(node) {
                        // Raw HTML shown on the page (a pasted table) is searched for as a browser shows its text:
                        // cells and paragraphs apart. Inline HTML is tags only; the text between them is Markdown's.
                        plain.append(contentsOf: HTMLDocument.parse(String(cString: literal)).text.utf8)
                        plain.append(10)
                    }
                case CMARK_NODE_SOFTBREAK:
                    let joinsCJK =
                        Self.isCJK(Self.lastScalar(before: node)) && Self.isCJK(Self.firstScalar(after: node))
                    if joinsCJK { breaksToRemove.append(node) } else if !leadingDone { leading += " " }
                    if collectsText, !joinsCJK { plain.append(32) }
                case CMARK_NODE_LINEBREAK:
                    if collectsText { plain.append(10) }
                case CMARK_NODE_CODE_BLOCK:
                    if collectsText, let literal = cmark_node_get_literal(node) {
                        plain.append(
                            contentsOf: UnsafeBufferPointer(
                                start: UnsafeRawPointer(literal).assumingMemoryBound(to: UInt8.self),
                                count: strlen(literal)))
                        plain.append(10)
                    }
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
                    let bytes = UnsafeBufferPointer(
                        start: UnsafeRawPointer(literal).assumingMemoryBound(to: UInt8.self), count: strlen(literal))
                    statistics.add(utf8: bytes)
                    if collectsText { plain.append(contentsOf: bytes) }
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
        var places = dropped + imagesWithoutAlt + references.map(\.1)
        if !breaks.isEmpty { places = places.map { (breaks.original($0.line), $0.column) } }
        let positions = Self.characterColumns(places, in: markdown)
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
            statistics: statistics,
            plainText: collectsText ? String(decoding: plain, as: UTF8.self) : nil)
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

    // MARK: Tables

    /// Where a table cell's text starts in the body, kept in the cell node's user data (cmark only carries it): the
    /// line, and the byte column the cell's own parse counts from (cmark counts a continuation line's columns from its
    /// first character).
    private struct TableCellPlace {
        var line: Int
        var base: Int

        init(line: Int, base: Int) {
            self.line = line
            self.base = base
        }

        init?(_ userData: UnsafeMutableRawPointer?) {
            guard let userData else { return nil }
            let bits = Int(bitPattern: userData)
            line = bits >> 24
            base = (bits & 0xFF_FFFF) - 64
        }

        var userData: UnsafeMutableRawPointer? {
            UnsafeMutableRawPointer(bitPattern: line << 24 | (base + 64))
        }
    }

    /// Each cell is parsed as the continuation line of a paragraph `a`, indented so that no block can start on it: so
    /// `# 标题` or `- 项` in a cell stay text, as `cmark-gfm` parses cells (inline only).
    private static let cellIndent = 4

    /// A table found in a paragraph of cmark's: the paragraph, the table, the paragraph's lines without their
    /// containers' prefixes, its first line, and the prefix's length on each line.
    private typealias FoundTable = (
        paragraph: OpaquePointer, table: GFMTable.Table, lines: [String], line: Int, dropped: [Int]
    )

    /// Lines where `cmark-gfm` ends a table inside what cmark took for one paragraph get a line before them that
    /// starts a block in the paragraph's containers and is taken out after the parse (`<!---->`, an HTML block, which
    /// ends a paragraph and leaves no blank line behind): cmark then reads the lines from there on as `cmark-gfm`
    /// does. This maps the lines of the text cmark parsed back to the editor's.
    struct TableBreaks {
        /// The editor's lines (1-based) the marker lines go before, in order, each with its marker line.
        private(set) var entries: [(line: Int, marker: String)] = []

        var isEmpty: Bool { entries.isEmpty }

        /// The lines of the markers in the text with them.
        var markerLines: Set<Int> { Set(entries.enumerated().map { $1.line + $0 }) }

        /// The editor's line of a line of the text with the markers.
        func original(_ line: Int) -> Int {
            line - entries.enumerated().count { $1.line + $0 < line }
        }

        /// Adds a marker before an editor's line; false when one is there already.
        mutating func insert(before line: Int, marker: String) -> Bool {
            guard !entries.contains(where: { $0.line == line }) else { return false }
            entries.insert((line, marker), at: entries.firstIndex { $0.line > line } ?? entries.count)
            return true
        }

        /// The text with the marker lines.
        func apply(to source: String) -> String {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(source.utf8.count + entries.reduce(0) { $0 + $1.marker.utf8.count + 1 })
            var next = 0
            for (number, line) in source.utf8.split(separator: 10, omittingEmptySubsequences: false).enumerated() {
                if number > 0 { bytes.append(10) }
                while next < entries.count, entries[next].line == number + 1 {
                    bytes += entries[next].marker.utf8
                    bytes.append(10)
                    next += 1
                }
                bytes += line
            }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// The marker that starts a block in a paragraph's containers (`TableBreaks`).
    private static let tableBreakMarker = "<!---->"

    /// Rounds of marking where tables end before cmark's paragraph does; each round can reveal a table in the lines
    /// after such an end. Past this many (text made to have them), the remaining tables run to their paragraphs' end.
    private static let tableBreakRounds = 8

    /// GitHub's pipe tables (`GFMTable`): a paragraph whose lines hold a header row and a delimiter row becomes the
    /// paragraph of the lines before (if any) and a table, made of custom blocks that write `cmark-gfm`'s tags.
    /// - Returns: the document (parsed anew when a table ends inside cmark's paragraph) and the lines added for that.
    private static func applyTables(_ first: OpaquePointer, source: String) -> (OpaquePointer, TableBreaks) {
        var document = first
        var text = source
        var breaks = TableBreaks()
        for round in 0...tableBreakRounds {
            let (found, ends) = findTables(in: document, source: text, endingEarly: round < tableBreakRounds)
            if ends.isEmpty {
                buildTables(found, source: text)
                return (document, breaks)
            }
            var next = breaks
            var added = true
            for end in ends where !next.insert(before: breaks.original(end.line), marker: end.marker) { added = false }
            let nextText = next.apply(to: source)
            let parsed = parse(nextText)
            guard added, removeMarkers(from: parsed, at: next.markerLines) else { break }
            (document, text, breaks) = (parsed, nextText, next)
        }
        // Not expected (a marker that did not parse as one): the tables as cmark's paragraphs hold them.
        buildTables(findTables(in: first, source: source, endingEarly: false).found, source: source)
        return (first, TableBreaks())
    }

    /// Takes the marker lines' HTML blocks out; false unless each was found.
    private static func removeMarkers(from document: OpaquePointer, at lines: Set<Int>) -> Bool {
        var markers: [OpaquePointer] = []
        if let iterator = cmark_iter_new(document) {
            defer { cmark_iter_free(iterator) }
            while case let event = cmark_iter_next(iterator), event != CMARK_EVENT_DONE {
                guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator),
                    cmark_node_get_type(node) == CMARK_NODE_HTML_BLOCK,
                    lines.contains(Int(cmark_node_get_start_line(node)))
                else { continue }
                guard let literal = cmark_node_get_literal(node),
                    UTF8Text.string(cmark: literal) == tableBreakMarker + "\n"
                else { return false }
                markers.append(node)
            }
        }
        guard markers.count == lines.count else { return false }
        for marker in markers {
            cmark_node_unlink(marker)
            cmark_node_free(marker)
        }
        return true
    }

    /// The tables in a document's paragraphs, and where one ends before its paragraph does: the line (of `source`)
    /// and the marker line that makes cmark read it anew (none when not `endingEarly`: rows run to the paragraph's
    /// end).
    private static func findTables(in document: OpaquePointer, source: String, endingEarly: Bool) -> (
        found: [FoundTable], ends: [(line: Int, marker: String)]
    ) {
        let lines = source.utf8.split(separator: 10, omittingEmptySubsequences: false)
        var found: [FoundTable] = []
        var ends: [(line: Int, marker: String)] = []
        if let iterator = cmark_iter_new(document) {
            defer { cmark_iter_free(iterator) }
            while case let event = cmark_iter_next(iterator), event != CMARK_EVENT_DONE {
                guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator),
                    cmark_node_get_type(node) == CMARK_NODE_PARAGRAPH
                else { continue }
                let first = Int(cmark_node_get_start_line(node))
                let last = Int(cmark_node_get_end_line(node))
                guard first > 0, last > first, last <= lines.count else { continue }
                // The paragraph's text starts at its column on the first line; later lines lose the container's
                // prefix (spaces and `>`) up to that column.
                let indent = max(0, Int(cmark_node_get_start_column(node)) - 1)
                var texts: [String] = []
                var dropped: [Int] = []
                for number in first...last {
                    let line = lines[number - 1]
                    var cut = 0
                    if number == first {
                        cut = min(indent, line.count)
                    } else {
                        for byte in line.prefix(indent) {
                            guard byte == 32 || byte == UInt8(ascii: ">") else { break }
                            cut += 1
                        }
                    }
                    texts.append(String(decoding: line.dropFirst(cut), as: UTF8.self))
                    dropped.append(cut)
                }
                guard TextScan.contains(124, in: texts.joined()), var table = GFMTable.find(in: texts) else { continue }
                // The lines `cmark-gfm` would not give the table: outside the paragraph's containers, or indented
                // by four columns in them.
                var ancestors: [(isQuote: Bool, line: Int)] = []
                var parent = cmark_node_parent(node)
                while let container = parent, cmark_node_get_type(container) != CMARK_NODE_DOCUMENT {
                    let type = cmark_node_get_type(container)
                    if type == CMARK_NODE_BLOCK_QUOTE || type == CMARK_NODE_ITEM {
                        ancestors.insert(
                            (type == CMARK_NODE_BLOCK_QUOTE, Int(cmark_node_get_start_line(container)) - 1), at: 0)
                    }
                    parent = cmark_node_parent(container)
                }
                if let containers = ContainerPrefix(
                    ancestors: ancestors, lines: { $0 < lines.count ? Array(lines[$0]) : nil })
                {
                    guard
                        let kept = GFMTable.find(
                            in: texts,
                            continues: {
                                containers.continuesTable(Array(lines[first - 1 + $0]), number: first - 1 + $0)
                            })
                    else { continue }
                    table = kept
                    if let end = table.end {
                        if endingEarly {
                            ends.append((first + end, containers.text + tableBreakMarker))
                        } else {
                            let columns = table.alignments.count
                            table.rows += texts[end...].map { GFMTable.row(of: $0, columns: columns) }
                            table.end = nil
                        }
                    }
                }
                found.append((node, table, texts, first, dropped))
            }
        }
        return (found, ends)
    }

    /// Makes the tables found: the paragraph of the lines before (if any) and the table's custom blocks take each
    /// paragraph's place.
    private static func buildTables(_ found: [FoundTable], source: String) {
        guard !found.isEmpty else { return }

        // One parse for every cell and leading paragraph, followed by the body itself for its link definitions.
        var helper = ""
        for (_, table, texts, _, _) in found {
            if table.headerLine > 0 { helper += texts[..<table.headerLine].joined(separator: "\n") + "\n\n" }
            for cell in ([table.header] + table.rows).joined() where !cell.text.isEmpty {
                helper += "a\n" + String(repeating: " ", count: cellIndent) + cell.text + "\n\n"
            }
        }
        helper += source
        let parsed = parse(helper)
        defer { cmark_node_free(parsed) }
        // The parse must give one paragraph per piece, each cell's opening with `a` and a line break; a character
        // cmark takes for a line ending (a lone carriage return) can break a piece in two. Then no table is made,
        // rather than a wrong one.
        var expected = cmark_node_first_child(parsed)
        for (_, table, _, _, _) in found {
            let cells = ([table.header] + table.rows).joined().count { !$0.text.isEmpty }
            for index in 0..<(cells + (table.headerLine > 0 ? 1 : 0)) {
                guard let node = expected, cmark_node_get_type(node) == CMARK_NODE_PARAGRAPH else { return }
                if index > 0 || table.headerLine == 0 {
                    guard let letter = cmark_node_first_child(node), cmark_node_get_type(letter) == CMARK_NODE_TEXT,
                        let lineBreak = cmark_node_next(letter), cmark_node_get_type(lineBreak) == CMARK_NODE_SOFTBREAK
                    else { return }
                }
                expected = cmark_node_next(node)
            }
        }
        var next = cmark_node_first_child(parsed)
        func take() -> OpaquePointer? {
            guard let node = next, cmark_node_get_type(node) == CMARK_NODE_PARAGRAPH else { return nil }
            next = cmark_node_next(node)
            return node
        }

        for (paragraph, table, _, firstLine, dropped) in found {
            var made: [OpaquePointer] = []
            if table.headerLine > 0 {
                guard let leading = take() else { preconditionFailure("a table's leading lines are not a paragraph") }
                made.append(leading)
            }
            let tableBlock = customBlock("<table>", "</table>")
            made.append(tableBlock)
            func row(_ cells: [GFMTable.Cell], tag: String, line: Int) -> OpaquePointer {
                let rowBlock = customBlock("<tr>", "</tr>")
                for (cell, alignment) in zip(cells, table.alignments) {
                    let holder = customBlock("", "")
                    let inline = newNode(CMARK_NODE_CUSTOM_INLINE)
                    cmark_node_set_on_enter(inline, "<\(tag)\(alignment.attribute)>")
                    cmark_node_set_on_exit(inline, "</\(tag)>")
                    let base = dropped[line] + cell.offset
                    cmark_node_set_user_data(inline, TableCellPlace(line: firstLine + line, base: base).userData)
                    if !cell.text.isEmpty {
                        guard let cellParagraph = take(), let letter = cmark_node_first_child(cellParagraph),
                            let lineBreak = cmark_node_next(letter)
                        else { preconditionFailure("a table cell did not parse as a continuation line") }
                        var child = cmark_node_next(lineBreak)
                        while let current = child {
                            child = cmark_node_next(current)
                            cmark_node_unlink(current)
                            cmark_node_append_child(inline, current)
                        }
                    }
                    cmark_node_append_child(holder, inline)
                    cmark_node_append_child(rowBlock, holder)
                }
                return rowBlock
            }
            let head = customBlock("<thead>", "</thead>")
            cmark_node_append_child(head, row(table.header, tag: "th", line: table.headerLine))
            cmark_node_append_child(tableBlock, head)
            if !table.rows.isEmpty {
                let body = customBlock("<tbody>", "</tbody>")
                for (index, cells) in table.rows.enumerated() {
                    cmark_node_append_child(body, row(cells, tag: "td", line: table.headerLine + 2 + index))
                }
                cmark_node_append_child(tableBlock, body)
            }
            for node in made {
                cmark_node_unlink(node)
                cmark_node_insert_before(paragraph, node)
            }
            cmark_node_unlink(paragraph)
            cmark_node_free(paragraph)
        }
    }

    /// A custom block, which cmark writes as its opening text, its children and its closing text, each on lines of
    /// their own.
    private static func customBlock(_ enter: String, _ exit: String) -> OpaquePointer {
        let block = newNode(CMARK_NODE_CUSTOM_BLOCK)
        cmark_node_set_on_enter(block, enter)
        cmark_node_set_on_exit(block, exit)
        return block
    }

    // MARK: CJK-friendly emphasis

    /// HEBREW PUNCTUATION NUN HAFUKHA: punctuation to cmark, two UTF-8 bytes like `\*`, and absent from
    /// Chinese text (a document that has it gets no stand-in, only the emphasis pass without escapes told apart).
    static let escapedAsterisk: Unicode.Scalar = "\u{05C6}"

    /// Whether `\*` occurs (a byte scan: Foundation's `contains` is far slower on long text).
    static func hasEscapedAsterisk(_ markdown: String) -> Bool {
        TextScan.containsPair(92, 42, in: markdown)
    }

    /// HEBREW PUNCTUATION SOF PASUQ: the stand-in for `\~` while the strikethrough pass runs, for the same reasons.
    static let escapedTilde: Unicode.Scalar = "\u{05C3}"

    /// `\*` (or `\~`) becomes the stand-in; `\\` pairs are skipped so that `\\*` keeps its delimiter.
    static func settingAside(escaped: Unicode.Scalar, as standIn: Unicode.Scalar, in markdown: String) -> String {
        var scalars = String.UnicodeScalarView()
        var iterator = markdown.unicodeScalars.makeIterator()
        while let scalar = iterator.next() {
            guard scalar == "\\" else {
                scalars.append(scalar)
                continue
            }
            switch iterator.next() {
            case escaped?: scalars.append(standIn)
            case let next?:
                scalars.append(scalar)
                scalars.append(next)
            case nil: scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    /// Puts the escaped characters back: as `*` where escapes were processed (text, link destinations and
    /// titles, info strings), as `\*` where they are literal (code, raw HTML).
    private static func restore(_ standIn: Unicode.Scalar, as character: String, in document: OpaquePointer) {
        // By scalar, not by character: a combining mark after `\*` makes one character of the stand-in and the mark
        // (found by the Markdown fuzzer).
        func replace(
            _ get: (OpaquePointer) -> UnsafePointer<CChar>?, _ set: (OpaquePointer, UnsafePointer<CChar>) -> Int32,
            in node: OpaquePointer, with replacement: String
        ) {
            guard let current = get(node).map(UTF8Text.string(cmark:)),
                current.unicodeScalars.contains(standIn)
            else { return }
            var restored = String.UnicodeScalarView()
            for scalar in current.unicodeScalars {
                if scalar == standIn {
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
                replace(cmark_node_get_literal, cmark_node_set_literal, in: node, with: character)
            case CMARK_NODE_CODE, CMARK_NODE_HTML_INLINE, CMARK_NODE_HTML_BLOCK:
                replace(cmark_node_get_literal, cmark_node_set_literal, in: node, with: "\\" + character)
            case CMARK_NODE_CODE_BLOCK:
                replace(cmark_node_get_literal, cmark_node_set_literal, in: node, with: "\\" + character)
                replace(cmark_node_get_fence_info, cmark_node_set_fence_info, in: node, with: character)
            case CMARK_NODE_LINK where isAutolink(node):
                // No escapes in autolinks: `<http://a?b=\\*>` keeps its backslash, in the text and the destination.
                replace(cmark_node_get_url, cmark_node_set_url, in: node, with: "\\" + character)
                if let text = cmark_node_first_child(node) {
                    replace(cmark_node_get_literal, cmark_node_set_literal, in: text, with: "\\" + character)
                }
            case CMARK_NODE_LINK, CMARK_NODE_IMAGE:
                replace(cmark_node_get_url, cmark_node_set_url, in: node, with: character)
                replace(cmark_node_get_title, cmark_node_set_title, in: node, with: character)
            default:
                break
            }
        }
    }

    /// Runs `CJKEmphasis` over every inline container and rebuilds the children it changes.
    private static func applyCJKEmphasis(_ document: OpaquePointer) {
        for (container, boundary) in inlineContainers(of: document) {
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
            let items = items(of: children)
            guard let resolved = CJKEmphasis.resolve(items, boundary: boundary) else { continue }
            for node in children { cmark_node_unlink(node) }
            build(resolved, into: container, originals: children)
            for (node, item) in zip(children, items) {
                if case .text = item { cmark_node_free(node) }
            }
        }
    }

    /// The inline containers of a document (paragraphs, headings, table cells; emphasis and links), with what lies
    /// outside their edges.
    private static func inlineContainers(of document: OpaquePointer) -> [(OpaquePointer, CJKEmphasis.Boundary)] {
        var containers: [(OpaquePointer, CJKEmphasis.Boundary)] = []
        guard let iterator = cmark_iter_new(document) else { return containers }
        defer { cmark_iter_free(iterator) }
        while case let event = cmark_iter_next(iterator), event != CMARK_EVENT_DONE {
            guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) else { continue }
            switch cmark_node_get_type(node) {
            case CMARK_NODE_PARAGRAPH, CMARK_NODE_HEADING: containers.append((node, .whitespace))
            case CMARK_NODE_CUSTOM_INLINE where cmark_node_get_user_data(node) != nil:
                containers.append((node, .whitespace))
            case CMARK_NODE_EMPH, CMARK_NODE_STRONG: containers.append((node, .punctuation))
            case CMARK_NODE_LINK where !isAutolink(node): containers.append((node, .punctuation))
            default: break
            }
        }
        return containers
    }

    /// The children of a container as the inline passes see them.
    private static func items(of children: [OpaquePointer]) -> [CJKEmphasis.Item] {
        children.map { node in
            switch cmark_node_get_type(node) {
            case CMARK_NODE_TEXT: .text(cmark_node_get_literal(node).map(UTF8Text.string(cmark:)) ?? "")
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK: .lineBreak
            default: .node
            }
        }
    }

    /// Runs `Strikethrough` over every inline container whose text has `~~` and rebuilds the children it changes.
    private static func applyStrikethrough(_ document: OpaquePointer) {
        for (container, boundary) in inlineContainers(of: document) {
            var children: [OpaquePointer] = []
            var hasTildes = false
            var child = cmark_node_first_child(container)
            while let current = child {
                children.append(current)
                if cmark_node_get_type(current) == CMARK_NODE_TEXT, let literal = cmark_node_get_literal(current),
                    strstr(literal, "~~") != nil
                {
                    hasTildes = true
                }
                child = cmark_node_next(current)
            }
            guard hasTildes else { continue }
            let items = items(of: children)
            guard let resolved = Strikethrough.resolve(items, boundary: boundary) else { continue }
            for node in children { cmark_node_unlink(node) }
            build(resolved, into: container, originals: children)
            for (node, item) in zip(children, items) {
                if case .text = item { cmark_node_free(node) }
            }
        }
    }

    private static func build(
        _ resolved: [Strikethrough.Resolved], into parent: OpaquePointer, originals: [OpaquePointer]
    ) {
        for piece in resolved {
            switch piece {
            case .original(let index):
                cmark_node_append_child(parent, originals[index])
            case .text(let text):
                appendText(text, to: parent)
            case .deleted(let children):
                let node = newNode(CMARK_NODE_CUSTOM_INLINE)
                cmark_node_set_on_enter(node, "<del>")
                cmark_node_set_on_exit(node, "</del>")
                cmark_node_append_child(parent, node)
                build(children, into: node, originals: originals)
            }
        }
    }

    /// A new node in the arena.
    private static func newNode(_ type: cmark_node_type) -> OpaquePointer {
        guard let node = cmark_node_new_with_mem(type, arena) else { preconditionFailure("cmark_node_new failed") }
        return node
    }

    /// Appends a new text node.
    private static func appendText(_ text: String, to parent: OpaquePointer) {
        let node = newNode(CMARK_NODE_TEXT)
        text.withCString { _ = cmark_node_set_literal(node, $0) }
        cmark_node_append_child(parent, node)
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
                appendText(text, to: parent)
            case .emphasis(let strong, let children):
                let node = newNode(strong ? CMARK_NODE_STRONG : CMARK_NODE_EMPH)
                cmark_node_append_child(parent, node)
                build(children, into: node, originals: originals)
            }
        }
    }

    private static func position(of node: OpaquePointer) -> (line: Int, column: Int) {
        // Inside a table cell, the node's column counts from the cell's start in the cell's own parse.
        var ancestor = cmark_node_parent(node)
        while let candidate = ancestor {
            if let place = TableCellPlace(cmark_node_get_user_data(candidate)) {
                return (place.line, place.base + max(Int(cmark_node_get_start_column(node)), 1))
            }
            ancestor = cmark_node_parent(candidate)
        }
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

    /// Whether a node type is a block (its end ends a line of the plain text).
    private static func isBlock(_ type: cmark_node_type) -> Bool {
        type.rawValue >= CMARK_NODE_FIRST_BLOCK.rawValue && type.rawValue <= CMARK_NODE_LAST_BLOCK.rawValue
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
