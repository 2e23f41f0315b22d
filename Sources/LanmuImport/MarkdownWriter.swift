/// Writes an old page's body as clean Markdown: paragraphs, headings, bold and italics, lists, tables, links and
/// images, with what old editors and Word left behind dropped — inline styles, `<font>`, empty paragraphs, `&nbsp;`
/// and full-width-space indentation, Word's `<o:p>` and `MsoNormal` markup. Every character of text is kept: what
/// Markdown would read as markup is escaped.
struct MarkdownWriter {
    /// What a link or image points at.
    enum Reference {
        case image
        case link
    }

    /// Gives the destination to write for an image's `src` or a link's `href` (a copied file's new name, or the URL
    /// as it was); nil leaves an image out and keeps a link's text alone.
    var destination: (String, Reference) -> String?

    init(destination: @escaping (String, Reference) -> String? = { url, _ in url }) {
        self.destination = destination
    }

    /// The body's Markdown, paragraphs separated by blank lines, ending with a newline (empty for an empty body).
    func markdown(of body: HTMLElement) -> String {
        var writer = Blocks()
        block(body, into: &writer)
        writer.flush()
        return writer.blocks.isEmpty ? "" : writer.blocks.joined(separator: "\n\n") + "\n"
    }

    /// Blocks written so far and the paragraph being gathered.
    private struct Blocks {
        var blocks: [String] = []
        var line = ""

        mutating func flush() {
            let paragraph = MarkdownWriter.trimmedParagraph(line)
            line = ""
            if !paragraph.isEmpty { blocks.append(MarkdownWriter.escapeLineStart(paragraph)) }
        }

        mutating func emit(_ block: String) {
            flush()
            if !block.isEmpty { blocks.append(block) }
        }
    }

    private static let paragraphs: Set<String> = [
        "p", "div", "section", "article", "center", "blockquote", "main", "header", "footer", "figure", "figcaption",
        "dd", "dt", "dl", "form", "body", "html", "tbody", "thead", "tfoot", "tr", "td", "th", "caption", "address",
    ]

    private func block(_ element: HTMLElement, into writer: inout Blocks) {
        let name = element.name
        if HTMLElement.invisible.contains(name) || name == "xml" { return }
        switch name {
        case "h1", "h2", "h3", "h4", "h5", "h6":
            let level = Int(String(name.dropFirst()))!
            let text = Self.trimmedParagraph(inline(element.children, inCell: true))
            writer.emit(text.isEmpty ? "" : String(repeating: "#", count: level) + " " + text)
        case "ul", "ol":
            writer.flush()
            var items: [String] = []
            for child in element.children {
                guard case .element(let item) = child else { continue }
                let text = Self.trimmedParagraph(inline(item.children, inCell: true))
                guard !text.isEmpty else { continue }
                items.append((name == "ol" ? "\(items.count + 1). " : "- ") + text)
            }
            writer.emit(items.joined(separator: "\n"))
        case "table":
            if let table = pipeTable(element) {
                writer.emit(table)
            } else {
                writer.flush()
                for child in element.children { node(child, into: &writer) }
                writer.flush()
            }
        case "pre":
            let text = element.text
            let fence = text.contains("```") ? "~~~~" : "```"
            writer.emit(text.isEmpty ? "" : fence + "\n" + text + (text.hasSuffix("\n") ? "" : "\n") + fence)
        case "hr":
            writer.emit("***")
        case "br":
            writer.flush()
        default:
            if Self.paragraphs.contains(name) {
                writer.flush()
                for child in element.children { node(child, into: &writer) }
                writer.flush()
            } else {
                writer.line += inline([.element(element)], inCell: false)
            }
        }
    }

    private func node(_ node: HTMLNode, into writer: inout Blocks) {
        switch node {
        case .text(let text): writer.line += Self.escape(Self.collapse(text))
        case .element(let element):
            if Self.paragraphs.contains(element.name) || Self.blockOnly.contains(element.name)
                || (element.name == "span" && containsBlocks(element))
            {
                block(element, into: &writer)
            } else {
                writer.line += inline([.element(element)], inCell: false)
            }
        }
    }

    private static let blockOnly: Set<String> = [
        "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "pre", "hr", "br",
    ]

    /// Whether an inline element holds blocks (a `<span>` or `<font>` around paragraphs, as Word writes).
    private func containsBlocks(_ element: HTMLElement) -> Bool {
        element.children.contains {
            if case .element(let inner) = $0 { Self.paragraphs.contains(inner.name) || Self.blockOnly.contains(inner.name) } else { false }
        }
    }

    /// The Markdown of inline content; a line break inside a table cell or heading becomes a space.
    private func inline(_ nodes: [HTMLNode], inCell: Bool) -> String {
        var text = ""
        for node in nodes {
            switch node {
            case .text(let run): text += Self.escape(Self.collapse(run))
            case .element(let element):
                let name = element.name
                if HTMLElement.invisible.contains(name) || name == "xml" { continue }
                switch name {
                case "br": text += inCell ? " " : "\\\n"
                case "strong", "b":
                    text += Self.wrap(inline(element.children, inCell: inCell), in: "**")
                case "em", "i":
                    text += Self.wrap(inline(element.children, inCell: inCell), in: "*")
                case "img":
                    guard let source = element.attributes["src"], let target = destination(source, .image) else {
                        continue
                    }
                    let alt = Self.escape(Self.collapse(element.attributes["alt"] ?? element.attributes["title"] ?? ""))
                    text += "![\(alt.trimmingSpaces)](\(Self.linkDestination(target)))"
                case "a":
                    let inner = inline(element.children, inCell: inCell)
                    guard let href = element.attributes["href"], !href.hasPrefix("javascript:"), !href.hasPrefix("#"),
                        !inner.trimmingSpaces.isEmpty, let target = destination(href, .link)
                    else {
                        text += inner
                        continue
                    }
                    text += "[\(inner)](\(Self.linkDestination(target)))"
                default:
                    let inner = inline(element.children, inCell: inCell)
                    // A block inside inline content still ends a line of text.
                    text += (HTMLElement.blocks.contains(name) && !inCell) ? " " + inner + " " : inner
                }
            }
        }
        return text
    }

    /// A GFM pipe table for a table of data: at least two columns, no table inside it. Nil for layout tables.
    private func pipeTable(_ table: HTMLElement) -> String? {
        let inner = table.descendants.dropFirst()
        if inner.contains(where: { $0.name == "table" }) { return nil }
        let rows = inner.filter { $0.name == "tr" }
        var cells: [[String]] = rows.map { row in
            row.children.flatMap { child -> [String] in
                guard case .element(let cell) = child, cell.name == "td" || cell.name == "th" else { return [] }
                let text = Self.trimmedParagraph(inline(cell.children, inCell: true))
                let span = max(1, min(Int(cell.attributes["colspan"] ?? "") ?? 1, 50))
                return [text] + Array(repeating: "", count: span - 1)
            }
        }
        cells.removeAll { $0.allSatisfy(\.isEmpty) }
        let columns = cells.map(\.count).max() ?? 0
        guard columns >= 2, cells.count >= 1 else { return nil }
        let padded = cells.map { $0 + Array(repeating: "", count: columns - $0.count) }
        var lines = ["| " + padded[0].joined(separator: " | ") + " |"]
        lines.append("|" + Array(repeating: " --- |", count: columns).joined())
        for row in padded.dropFirst() { lines.append("| " + row.joined(separator: " | ") + " |") }
        return lines.joined(separator: "\n")
    }

    // MARK: Text

    /// Runs of white space as one space (`&nbsp;` included), as a browser shows them; the ideographic space stays.
    static func collapse(_ text: String) -> String {
        var result = ""
        var space = false
        for scalar in text.unicodeScalars {
            if scalar == " " || scalar == "\n" || scalar == "\t" || scalar == "\r" || scalar == "\u{A0}"
                || scalar == "\u{0C}"
            {
                space = true
            } else {
                if space { result.unicodeScalars.append(" ") }
                space = false
                result.unicodeScalars.append(scalar)
            }
        }
        if space { result += " " }
        return result
    }

    /// A paragraph without the spaces, ideographic spaces and line breaks that indented or followed it.
    static func trimmedParagraph(_ text: String) -> String {
        var scalars = Substring(text).unicodeScalars[...]
        func isPadding(_ scalar: Unicode.Scalar) -> Bool {
            scalar == " " || scalar == "\u{3000}" || scalar == "\u{A0}" || scalar == "\n" || scalar == "\t"
        }
        while let first = scalars.first, isPadding(first) { scalars = scalars.dropFirst() }
        // A hard break (`\` and a newline) left at either end is no break.
        while true {
            while let last = scalars.last, isPadding(last) { scalars = scalars.dropLast() }
            if scalars.last == "\\", scalars.count >= 1 {
                let withoutSlash = scalars.dropLast()
                // Only a trailing hard break is dropped, not an escaped backslash (`\\`).
                if withoutSlash.last != "\\" {
                    scalars = withoutSlash
                    continue
                }
            }
            break
        }
        while scalars.starts(with: "\\\n".unicodeScalars) { scalars = scalars.dropFirst(2) }
        return String(String.UnicodeScalarView(scalars))
    }

    /// ASCII punctuation that Markdown could read as markup, backslash-escaped: the text reads back unchanged.
    static func escape(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { special.contains($0) }) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            if special.contains(scalar) { result += "\\" }
            result.unicodeScalars.append(scalar)
        }
        return result
    }

    private static let special: Set<Unicode.Scalar> = ["\\", "`", "*", "_", "[", "]", "<", ">", "|", "~", "&", "#"]

    /// A paragraph that would start a list, a heading or a block quote when read back gets its first mark escaped.
    static func escapeLineStart(_ paragraph: String) -> String {
        guard let first = paragraph.first else { return paragraph }
        if first == "-" || first == "+" || first == "=" { return "\\" + paragraph }
        let digits = paragraph.prefix { $0.isASCII && $0.isNumber }
        if !digits.isEmpty, digits.count <= 9 {
            let after = paragraph.dropFirst(digits.count)
            if let mark = after.first, mark == "." || mark == ")" {
                return digits + "\\" + after
            }
        }
        return paragraph
    }

    /// Emphasis around text that is not empty, the marks outside its surrounding spaces.
    static func wrap(_ text: String, in mark: String) -> String {
        let trimmed = text.trimmingSpaces
        guard !trimmed.isEmpty else { return text }
        let leading = text.prefix { $0 == " " }
        let trailing = String(text.reversed().prefix { $0 == " " })
        return leading + mark + trimmed + mark + trailing
    }

    /// A link destination as Markdown reads it: in angle brackets when it has spaces or brackets.
    static func linkDestination(_ url: String) -> String {
        url.contains(where: { $0 == " " || $0 == "(" || $0 == ")" || $0 == "<" || $0 == ">" })
            ? "<" + url.replacingOccurrences(of: "<", with: "%3C").replacingOccurrences(of: ">", with: "%3E") + ">"
            : url
    }
}

extension String {
    /// Without ASCII spaces at either end.
    var trimmingSpaces: String {
        var text = Substring(self)
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        return String(text)
    }
}
