import LanmuCore

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
            guard !paragraph.isEmpty else { return }
            // Each line after a hard break could start a list or a heading as well as the first.
            blocks.append(
                paragraph.components(separatedBy: "\\\n").map(MarkdownWriter.escapeLineStart).joined(separator: "\\\n"))
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
        if HTMLElement.invisible.contains(name) { return }
        switch name {
        case "h1", "h2", "h3", "h4", "h5", "h6":
            let level = Int(String(name.dropFirst()))!
            let text = Self.trimmedParagraph(inline(element.children, inCell: true))
            writer.emit(text.isEmpty ? "" : String(repeating: "#", count: level) + " " + text)
        case "ul", "ol":
            writer.flush()
            var items: [String] = []
            for child in element.children {
                // Text or another element straight inside the list (outside any `<li>`) is an item of its own.
                let content: [HTMLNode]
                if case .element(let item) = child, item.name == "li" {
                    content = item.children
                } else {
                    content = [child]
                }
                let text = Self.trimmedParagraph(inline(content, inCell: true))
                guard !text.isEmpty else { continue }
                items.append((name == "ol" ? "\(items.count + 1). " : "- ") + Self.escapeLineStart(text))
            }
            writer.emit(items.joined(separator: "\n"))
        case "table":
            if let table = pipeTable(element) {
                // A pipe table has no caption: it goes before the table as a paragraph.
                for child in element.children {
                    if case .element(let caption) = child, caption.name == "caption" { block(caption, into: &writer) }
                }
                writer.emit(table)
            } else {
                writer.flush()
                children(element.children, into: &writer)
                writer.flush()
            }
        case "pre":
            // `text` starts a block element's text with a line break: not the code's own.
            let text = String(element.text.dropFirst())
            let fence = text.contains("```") ? "~~~~" : "```"
            writer.emit(text.isEmpty ? "" : fence + "\n" + text + (text.hasSuffix("\n") ? "" : "\n") + fence)
        case "hr":
            writer.emit("***")
        case "br":
            writer.flush()
        default:
            if Self.paragraphs.contains(name) || containsBlocks(element) {
                writer.flush()
                children(element.children, into: &writer)
                writer.flush()
            } else {
                writer.line += inline([.element(element)], inCell: false)
            }
        }
    }

    /// A block's children: blocks written as blocks, and each stretch of inline content between them as one piece,
    /// so that emphasis across sibling elements is written once.
    private func children(_ nodes: [HTMLNode], into writer: inout Blocks) {
        var start = nodes.startIndex
        for (index, child) in nodes.enumerated() {
            // A hidden element writes nothing, so it must not split the text around it either (`**a****b**`).
            guard case .element(let element) = child, element.name != "br",
                !HTMLElement.invisible.contains(element.name),
                Self.paragraphs.contains(element.name) || Self.blockOnly.contains(element.name)
                    || containsBlocks(element)
            else { continue }
            writer.line += inline(Array(nodes[start..<index]), inCell: false)
            block(element, into: &writer)
            start = index + 1
        }
        writer.line += inline(Array(nodes[start...]), inCell: false)
    }

    private static let blockOnly: Set<String> = [
        "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "pre", "hr", "br",
    ]

    /// Whether an inline element holds blocks (a `<span>` or `<font>` around paragraphs, as Word writes): its
    /// paragraphs stay paragraphs.
    private func containsBlocks(_ element: HTMLElement) -> Bool {
        guard !Self.emphasisAndLinks.contains(element.name) else { return false }
        // Blocks inside hidden elements (Word's `<xml>` island) write nothing, so they do not count.
        var stack = element.children
        while let node = stack.popLast() {
            guard case .element(let inner) = node, !HTMLElement.invisible.contains(inner.name) else { continue }
            if inner.name != "br", Self.paragraphs.contains(inner.name) || Self.blockOnly.contains(inner.name) {
                return true
            }
            stack.append(contentsOf: inner.children)
        }
        return false
    }

    /// Inline elements whose meaning would be lost if their content were read as blocks.
    private static let emphasisAndLinks: Set<String> = ["b", "strong", "i", "em", "a"]

    /// A piece of inline text, already Markdown, and the emphasis around it.
    private struct Run {
        var text: String
        var bold: Bool
        var italic: Bool
    }

    /// The Markdown of inline content; a line break inside a table cell or heading becomes a space. Emphasis is
    /// gathered as runs first, so that `<b><i>a</i></b><i>b</i>` becomes `***a**b*` and not the `***a****b*` that
    /// Markdown reads differently.
    ///
    /// CommonMark lets a run of asterisks open or close emphasis only by what is beside it, so some nestings written
    /// the plain way read back otherwise (`***12丁c d*甲*ab***`, `**甲[c d](/x.html)**ab`). When the content has
    /// emphasis, the Markdown is read back with the site's own renderer, and when the emphasis of any character
    /// differs, the other spellings are tried in turn: underscores wherever they may stand, and links written apart
    /// from the emphasis around them (`**甲**[**c d**](/x.html)ab`), and marks for each run on its own. The first
    /// that reads back right is kept — one without four asterisks in a row, which read right only by CommonMark's
    /// fine print and puzzle an editor, if there is one; if none reads back right, the plain one (its text is the
    /// same in all of them).
    private func inline(_ nodes: [HTMLNode], inCell: Bool) -> String {
        let plain = inline(nodes, inCell: inCell, spelling: Spelling())
        guard plain.contains(where: { $0 == "*" || $0 == "_" }) else { return plain }
        let expected = EmphasisCheck.styled(nodes)
        var readsRight: String?
        for spelling in [Spelling()] + Spelling.alternatives {
            let text = spelling.isPlain ? plain : inline(nodes, inCell: inCell, spelling: spelling)
            guard EmphasisCheck.readBack(text) == expected else { continue }
            if !text.contains("****") { return text }
            readsRight = readsRight ?? text
        }
        return readsRight ?? plain
    }

    /// How emphasis is spelled in Markdown; the same characters and emphasis whichever is used.
    private struct Spelling {
        /// Underscores for every stretch where Markdown lets them open and close (asterisks elsewhere).
        var underscores = false
        /// A link inside emphasis closes the emphasis before it and writes its own inside its brackets.
        var linksApart = false
        /// Each run of characters alike in emphasis gets marks of its own, none nested across runs
        /// (`***甲***_乙_***丙***` rather than `***甲**乙**丙***`).
        var flat = false

        var isPlain: Bool { !underscores && !linksApart && !flat }

        static let alternatives = [
            Spelling(underscores: true), Spelling(linksApart: true), Spelling(underscores: true, linksApart: true),
            Spelling(flat: true), Spelling(linksApart: true, flat: true),
        ]
    }

    private func inline(_ nodes: [HTMLNode], inCell: Bool, spelling: Spelling) -> String {
        var runs: [Run] = []
        collect(nodes, inCell: inCell, bold: false, italic: false, spelling: spelling, into: &runs)
        return Self.render(
            Self.joinedAcrossWhiteSpace(runs)[...], bold: false, italic: false, spelling: spelling, after: nil)
    }

    /// White space shows no emphasis: a run of only spaces and ideographic spaces takes the emphasis its two
    /// neighbours share, so that `<b>甲</b> <b>乙</b>` is one stretch (`**甲 乙**`), and runs alike are joined.
    private static func joinedAcrossWhiteSpace(_ runs: [Run]) -> [Run] {
        var runs = runs
        for index in runs.indices.dropFirst().dropLast()
        where runs[index].text.allSatisfy({ $0 == " " || $0 == "\u{3000}" }) {
            runs[index].bold = runs[index - 1].bold && runs[index + 1].bold
            runs[index].italic = runs[index - 1].italic && runs[index + 1].italic
        }
        var joined: [Run] = []
        for run in runs {
            if let last = joined.last, last.bold == run.bold, last.italic == run.italic {
                joined[joined.count - 1].text += run.text
            } else {
                joined.append(run)
            }
        }
        return joined
    }

    private func collect(
        _ nodes: [HTMLNode], inCell: Bool, bold: Bool, italic: Bool, spelling: Spelling, into runs: inout [Run]
    ) {
        func appendRun(_ run: Run) {
            guard !run.text.isEmpty else { return }
            if let last = runs.last, last.bold == run.bold, last.italic == run.italic {
                runs[runs.count - 1].text += run.text
            } else {
                runs.append(run)
            }
        }
        func append(_ text: String) { appendRun(Run(text: text, bold: bold, italic: italic)) }
        for node in nodes {
            switch node {
            case .text(let run): append(Self.escape(Self.collapse(run)))
            case .element(let element):
                let name = element.name
                if HTMLElement.invisible.contains(name) { continue }
                switch name {
                case "br": append(inCell ? " " : "\\\n")
                case "strong", "b":
                    collect(
                        element.children, inCell: inCell, bold: true, italic: italic, spelling: spelling, into: &runs)
                case "em", "i":
                    collect(element.children, inCell: inCell, bold: bold, italic: true, spelling: spelling, into: &runs)
                case "img":
                    guard let source = element.attributes["src"], let target = destination(source, .image) else {
                        continue
                    }
                    let alt = Self.escape(Self.collapse(element.attributes["alt"] ?? element.attributes["title"] ?? ""))
                    append("![\(alt.withoutOuterSpaces)](\(Self.linkDestination(target)))")
                case "a":
                    // The link's text is written inside the emphasis around the link (`**[a](u)**`), never with marks
                    // of its own for that same emphasis (`**[**a**](u)**`).
                    // Written apart, the link stands outside the emphasis and its text carries all of its own.
                    var innerRuns: [Run] = []
                    collect(
                        element.children, inCell: inCell, bold: bold, italic: italic, spelling: spelling,
                        into: &innerRuns)
                    let apart = spelling.linksApart && (bold || italic)
                    let inner = Self.render(
                        Self.joinedAcrossWhiteSpace(innerRuns)[...], bold: apart ? false : bold,
                        italic: apart ? false : italic, spelling: spelling, before: "[", after: "]")
                    guard let href = element.attributes["href"], !href.hasPrefix("javascript:"), !href.hasPrefix("#"),
                        !inner.withoutOuterSpaces.isEmpty, let target = destination(href, .link)
                    else {
                        // Not a link: its text joins the emphasis around it.
                        for run in innerRuns { appendRun(run) }
                        continue
                    }
                    let link = "[\(inner)](\(Self.linkDestination(target)))"
                    if apart { appendRun(Run(text: link, bold: false, italic: false)) } else { append(link) }
                default:
                    // A block inside inline content still ends a line of text.
                    let block = HTMLElement.blocks.contains(name) && !inCell
                    if block { append(" ") }
                    collect(
                        element.children, inCell: inCell, bold: bold, italic: italic, spelling: spelling, into: &runs)
                    if block { append(" ") }
                }
            }
        }
    }

    /// The runs as Markdown: each emphasis mark around the longest stretch of runs that has it. `before` and `after`
    /// are the characters around the runs (the marks or brackets around them; nil at the ends of the text).
    ///
    /// Where one stretch would open right where another closed (`*a**b***` then `**c**`), the two would read as one
    /// run of asterisks (`*****`) and pair up wrongly; one of them is marked with underscores instead (`_a**b**_`),
    /// which Markdown keeps apart — the first when what precedes it lets an underscore open, else the second when
    /// what follows it lets one close (white space, punctuation or the end: an underscore inside a word does not).
    private static func render(
        _ runs: ArraySlice<Run>, bold: Bool, italic: Bool, spelling: Spelling, before: Character? = nil,
        after: Character?
    ) -> String {
        struct Stretch {
            var range: Range<Int>
            var strong: Bool
            var mark: Character = "*"
        }
        enum Piece {
            case text(String)
            case stretch(Stretch)
        }
        var pieces: [Piece] = []
        var index = runs.startIndex
        while index < runs.endIndex {
            let run = runs[index]
            let opensBold = run.bold && !bold
            let opensItalic = run.italic && !italic
            guard opensBold || opensItalic else {
                pieces.append(.text(run.text))
                index += 1
                continue
            }
            var boldEnd = index
            while opensBold, boldEnd < runs.endIndex, runs[boldEnd].bold { boldEnd += 1 }
            var italicEnd = index
            while opensItalic, italicEnd < runs.endIndex, runs[italicEnd].italic { italicEnd += 1 }
            let strong = boldEnd >= italicEnd
            let end = spelling.flat ? index + 1 : strong ? boldEnd : italicEnd
            pieces.append(.stretch(Stretch(range: index..<end, strong: strong)))
            index = end
        }
        func inner(_ stretch: Stretch) -> String {
            render(
                runs[stretch.range], bold: stretch.strong || bold, italic: !stretch.strong || italic,
                spelling: spelling, before: stretch.mark, after: stretch.mark)
        }
        func neighbours(_ number: Int) -> (preceding: Character?, following: Character?) {
            let preceding: Character? =
                switch number == 0 ? nil : pieces[number - 1] {
                case nil: before
                case .text(let text): text.last
                case .stretch(let previous): previous.mark
                }
            let following: Character? =
                if number + 1 == pieces.count {
                    after
                } else if case .text(let text) = pieces[number + 1] { text.first } else { "*" }
            return (preceding, following)
        }
        if spelling.underscores {
            for number in pieces.indices {
                guard case .stretch(var stretch) = pieces[number] else { continue }
                let text = inner(stretch)
                let (preceding, following) = neighbours(number)
                // White space the marks move out to stands beside them instead.
                if Self.startsWithSpace(text) || Self.underscoreCanBeNextTo(preceding),
                    Self.endsWithSpace(text) || Self.underscoreCanBeNextTo(following)
                {
                    stretch.mark = "_"
                    pieces[number] = .stretch(stretch)
                }
            }
        }
        // Stretches side by side with no white space for their marks to move out to: their marks alternate, so that
        // no two runs of asterisks meet (`*****`). An underscore at either end of the chain needs what is beyond it to
        // let it open or close; a chain of an odd length takes them inside (`*甲*_乙_*丙*`).
        func adjacent(_ number: Int) -> Bool {
            guard case .stretch(let first) = pieces[number], case .stretch(let second) = pieces[number + 1] else {
                return false
            }
            return first.mark == "*" && second.mark == "*" && !Self.endsWithSpace(inner(first))
                && !Self.startsWithSpace(inner(second))
        }
        var start = 0
        while start < pieces.count {
            var end = start
            while end + 1 < pieces.count, adjacent(end) { end += 1 }
            defer { start = end + 1 }
            guard end > start, case .stretch(let first) = pieces[start], case .stretch(let last) = pieces[end] else {
                continue
            }
            let firstFree =
                Self.startsWithSpace(inner(first)) || Self.underscoreCanBeNextTo(neighbours(start).preceding)
            let lastFree = Self.endsWithSpace(inner(last)) || Self.underscoreCanBeNextTo(neighbours(end).following)
            let count = end - start + 1
            let fromFirst = firstFree && (count % 2 == 0 || lastFree)
            for offset in 0..<count where (offset % 2 == 0) == fromFirst {
                guard offset > 0 || firstFree, offset < count - 1 || lastFree,
                    case .stretch(var stretch) = pieces[start + offset]
                else { continue }
                stretch.mark = "_"
                pieces[start + offset] = .stretch(stretch)
            }
        }
        var text = ""
        for piece in pieces {
            switch piece {
            case .text(let run): text += run
            case .stretch(let stretch):
                text += wrap(inner(stretch), in: String(repeating: stretch.mark, count: stretch.strong ? 2 : 1))
            }
        }
        return text
    }

    private static func startsWithSpace(_ text: String) -> Bool {
        text.first == " " || text.first == "\u{3000}" || text.hasPrefix("\\\n")
    }

    private static func endsWithSpace(_ text: String) -> Bool {
        text.last == " " || text.last == "\u{3000}" || text.hasSuffix("\\\n")
    }

    /// Whether an underscore mark may open after, or close before, `next`: only next to white space, punctuation
    /// other than `_`, or the end (an underscore inside a word does neither).
    private static func underscoreCanBeNextTo(_ next: Character?) -> Bool {
        guard let next else { return true }
        if next == "_" { return false }
        return next.isWhitespace || next.isPunctuation || next.isSymbol
    }

    /// A GFM pipe table for a table of data: at least two columns, no table inside it. Nil for layout tables.
    private func pipeTable(_ table: HTMLElement) -> String? {
        // A caption is written before the table: only one, before the rows, keeps the text in its order.
        let parts = table.children.compactMap { node -> HTMLElement? in
            if case .element(let element) = node { element } else { nil }
        }
        guard parts.dropFirst().allSatisfy({ $0.name != "caption" }) else { return nil }
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

    /// A paragraph without the spaces, ideographic spaces, line breaks and hard breaks that indented or followed it.
    static func trimmedParagraph(_ text: String) -> String {
        var scalars = Substring(text).unicodeScalars[...]
        func isPadding(_ scalar: Unicode.Scalar) -> Bool {
            scalar == " " || scalar == "\u{3000}" || scalar == "\u{A0}" || scalar == "\n" || scalar == "\t"
        }
        while true {
            while let first = scalars.first, isPadding(first) { scalars = scalars.dropFirst() }
            guard scalars.starts(with: "\\\n".unicodeScalars) else { break }
            scalars = scalars.dropFirst(2)
        }
        while true {
            while let last = scalars.last, isPadding(last) { scalars = scalars.dropLast() }
            // Text's own backslashes are escaped, so come in pairs: an odd one left at the end is a hard break's.
            let backslashes = scalars.reversed().prefix { $0 == "\\" }.count
            guard backslashes % 2 == 1 else { break }
            scalars = scalars.dropLast()
        }
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

    /// Emphasis around text that is not empty, the marks outside its surrounding spaces, ideographic spaces and line
    /// breaks (a mark next to white space does not open or close: `**　　一、总体要求**` would show its asterisks).
    static func wrap(_ text: String, in mark: String) -> String {
        var inner = Substring(text)
        var leading = ""
        var trailing = ""
        while true {
            if let first = inner.first, first == " " || first == "\u{3000}" {
                leading.append(first)
                inner = inner.dropFirst()
            } else if inner.hasPrefix("\\\n") {
                leading += "\\\n"
                inner = inner.dropFirst(2)
            } else {
                break
            }
        }
        while true {
            if let last = inner.last, last == " " || last == "\u{3000}" {
                trailing = String(last) + trailing
                inner = inner.dropLast()
            } else if inner.hasSuffix("\\\n") {
                trailing = "\\\n" + trailing
                inner = inner.dropLast(2)
            } else {
                break
            }
        }
        guard !inner.isEmpty else { return text }
        return leading + mark + inner + mark + trailing
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
    var withoutOuterSpaces: String {
        var text = Substring(self)
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        return String(text)
    }
}
