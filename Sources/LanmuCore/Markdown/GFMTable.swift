/// GitHub's pipe tables (GFM spec, “Tables (extension)”), found in the lines of a paragraph cmark has parsed: a header
/// row, a delimiter row of as many cells (`| :-- | :-: | --: |`), then body rows to the paragraph's end. Pure Swift:
/// the cmark wrapper hands in the paragraph's lines and builds the table from the plan that comes back, parsing each
/// cell's text as inline Markdown.
///
/// cmark's paragraph may hold lines `cmark-gfm` does not give a table: a lazy continuation line (`| 1 |` without the
/// `>` of the quote the table is in) or a line indented by four columns. Such a line is no delimiter row, and the
/// table's rows end before it (`Table.end`); the wrapper then has cmark read the lines from there on anew, as
/// `cmark-gfm` does (a paragraph after the quote, an indented code block). `ContainerPrefix` tells those lines.
enum GFMTable {
    enum Alignment: Equatable {
        case none, left, center, right

        /// The attribute `cmark-gfm` writes on the cells of an aligned column.
        var attribute: String {
            switch self {
            case .none: ""
            case .left: " align=\"left\""
            case .center: " align=\"center\""
            case .right: " align=\"right\""
            }
        }
    }

    /// A cell's Markdown (`\|` already made `|`) and the byte offset in its line at which it starts.
    struct Cell: Equatable {
        var text: String
        var offset: Int
    }

    /// A table found in a paragraph's lines.
    struct Table: Equatable {
        /// The index of the header row: lines before it stay a paragraph.
        var headerLine: Int
        var alignments: [Alignment]
        var header: [Cell]
        /// Each body row has exactly as many cells as the header: missing ones are empty, extra ones dropped.
        var rows: [[Cell]]
        /// The line before which the rows end, when that is before the paragraph's end: the lines from there on are
        /// not the table's.
        var end: Int? = nil
    }

    /// The first table in a paragraph's lines, as `cmark-gfm` finds it: the first delimiter row whose line before has
    /// as many cells.
    /// - Parameter continues: whether a line after the first can belong to a table (`cmark-gfm` would read it in the
    ///   paragraph's containers, indented less than four columns); the rows end before the first that cannot.
    static func find(in lines: [String], continues: (Int) -> Bool = { _ in true }) -> Table? {
        guard lines.count >= 2 else { return nil }
        for index in 1..<lines.count {
            guard let alignments = alignments(ofDelimiterRow: lines[index]) else { continue }
            let header = cells(of: lines[index - 1])
            guard header.count == alignments.count, continues(index) else { continue }
            let end = ((index + 1)..<lines.count).first { !continues($0) }
            let rows = lines[(index + 1)..<(end ?? lines.count)].map { row(of: $0, columns: alignments.count) }
            return Table(headerLine: index - 1, alignments: alignments, header: header, rows: rows, end: end)
        }
        return nil
    }

    /// A body row: exactly `columns` cells, missing ones empty, extra ones dropped.
    static func row(of line: String, columns: Int) -> [Cell] {
        var row = Array(cells(of: line).prefix(columns))
        while row.count < columns { row.append(Cell(text: "", offset: line.utf8.count)) }
        return row
    }

    /// The alignments of a delimiter row, or nil when the line is not one (each cell `:?-+:?`, nothing else).
    static func alignments(ofDelimiterRow line: String) -> [Alignment]? {
        guard line.utf8.contains(UInt8(ascii: "-")),
            line.utf8.allSatisfy({ " \t|:-\r".utf8.contains($0) })
        else { return nil }
        var result: [Alignment] = []
        for cell in cells(of: line) {
            let text = cell.text
            let left = text.hasPrefix(":")
            let right = text.hasSuffix(":") && text.count > 1
            let dashes = text.dropFirst(left ? 1 : 0).dropLast(right ? 1 : 0)
            guard !dashes.isEmpty, dashes.allSatisfy({ $0 == "-" }) else { return nil }
            result.append(left && right ? .center : left ? .left : right ? .right : .none)
        }
        return result.isEmpty ? nil : result
    }

    /// The cells of a row: split on pipes not right after a backslash, an outer pipe at either end optional, each cell
    /// trimmed of spaces and tabs, `\|` made `|`.
    static func cells(of line: String) -> [Cell] {
        let bytes = Array(line.utf8)
        var cells: [Cell] = []
        var position = 0
        func skipSpace() { while position < bytes.count, isSpace(bytes[position]) { position += 1 } }
        skipSpace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "|") { position += 1 }
        while true {
            skipSpace()
            let start = position
            var end = position
            while position < bytes.count, bytes[position] != UInt8(ascii: "|") {
                // `\|` escapes the pipe even after another backslash (`\\|` is `\|`), as in `cmark-gfm`.
                if bytes[position] == UInt8(ascii: "\\"), position + 1 < bytes.count,
                    bytes[position + 1] == UInt8(ascii: "|")
                {
                    position += 1
                }
                position += 1
                if !isSpace(bytes[position - 1]) { end = position }
            }
            let atEnd = position >= bytes.count
            // After the last pipe, only spaces: no further cell.
            if atEnd, start == bytes.count, !cells.isEmpty || position == 0 { break }
            cells.append(Cell(text: unescapingPipes(bytes[start..<end]), offset: start))
            if atEnd { break }
            position += 1
        }
        return cells
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 32 || byte == 9 || byte == 13
    }

    private static func unescapingPipes(_ bytes: ArraySlice<UInt8>) -> String {
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            if bytes[index] == UInt8(ascii: "\\"), index + 1 < bytes.endIndex, bytes[index + 1] == UInt8(ascii: "|") {
                index += 1
            }
            result.append(bytes[index])
            index += 1
        }
        return String(decoding: result, as: UTF8.self)
    }
}

/// The containers a paragraph lies in (block quotes and list items, outermost first), and whether a line of it would
/// stay in them for `cmark-gfm`'s table: the column walk of cmark's block parser (`blocks.c`: tabs to multiples of 4,
/// `>` and one space for a quote, the item's marker offset and padding for a list item).
struct ContainerPrefix {
    enum Container: Equatable {
        case quote
        /// A list item: its first line (0-based) and its content's indent (marker offset and padding, in columns).
        case item(line: Int, width: Int)
    }

    var containers: [Container] = []

    /// A line as cmark's parser walks it: a byte offset and the column it stands for.
    private struct Walk {
        let bytes: [UInt8]
        var offset = 0
        var column = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        /// The offset and column of the first byte that is not a space or tab.
        var firstNonspace: (offset: Int, column: Int) {
            var (offset, column) = (self.offset, self.column)
            while offset < bytes.count, bytes[offset] == 32 || bytes[offset] == 9 {
                column += bytes[offset] == 9 ? 4 - column % 4 : 1
                offset += 1
            }
            return (offset, column)
        }

        var indent: Int { firstNonspace.column - column }

        /// `S_advance_offset` by columns: a tab may be passed in part.
        mutating func advance(columns: Int) {
            var count = columns
            while count > 0, offset < bytes.count {
                if bytes[offset] == 9 {
                    let toTab = 4 - column % 4
                    let step = min(count, toTab)
                    column += step
                    if step == toTab { offset += 1 }
                    count -= step
                } else {
                    offset += 1
                    column += 1
                    count -= 1
                }
            }
        }

        /// Passes the containers; false when the line leaves one of them (a lazy continuation line).
        mutating func pass(_ containers: ArraySlice<Container>, line: Int) -> Bool {
            for container in containers {
                switch container {
                case .quote:
                    let first = firstNonspace
                    guard first.column - column <= 3, first.offset < bytes.count, bytes[first.offset] == 62 else {
                        return false
                    }
                    advance(columns: first.column - column + 1)
                    if offset < bytes.count, bytes[offset] == 32 || bytes[offset] == 9 { advance(columns: 1) }
                case .item(let start, let width):
                    guard start == line || indent >= width else { return false }
                    advance(columns: width)
                }
            }
            return true
        }
    }

    /// The containers of a paragraph from cmark's tree: `ancestors` from the outermost, each a quote or a list item
    /// with its first line (0-based), read from `lines` (nil past the text). Nil for a list item whose marker cannot
    /// be read there.
    init?(ancestors: [(isQuote: Bool, line: Int)], lines: (Int) -> [UInt8]?) {
        for ancestor in ancestors {
            if ancestor.isQuote {
                containers.append(.quote)
                continue
            }
            guard let line = lines(ancestor.line) else { return nil }
            var walk = Walk(line)
            guard walk.pass(containers[...], line: ancestor.line) else { return nil }
            // `parse_list_marker` and the padding after it.
            let (start, _) = walk.firstNonspace
            let markerOffset = walk.indent
            var end = start
            while end < walk.bytes.count, end - start < 9, (48...57).contains(walk.bytes[end]) { end += 1 }
            if end > start {
                guard end < walk.bytes.count, walk.bytes[end] == 46 || walk.bytes[end] == 41 else { return nil }
                end += 1
            } else {
                guard end < walk.bytes.count, [45, 43, 42].contains(walk.bytes[end]) else { return nil }
                end += 1
            }
            let matched = end - start
            while walk.offset < end {
                walk.column += walk.bytes[walk.offset] == 9 ? 4 - walk.column % 4 : 1
                walk.offset += 1
            }
            let column = walk.column
            while walk.column - column <= 5, walk.offset < walk.bytes.count,
                walk.bytes[walk.offset] == 32 || walk.bytes[walk.offset] == 9
            {
                walk.advance(columns: 1)
            }
            let spaces = walk.column - column
            let blank =
                walk.offset >= walk.bytes.count || walk.bytes[walk.offset] == 10 || walk.bytes[walk.offset] == 13
            let padding = spaces >= 5 || spaces < 1 || blank ? matched + 1 : matched + spaces
            containers.append(.item(line: ancestor.line, width: markerOffset + padding))
        }
    }

    /// Whether a line (0-based) stays in the containers and is indented less than four columns there: a line that can
    /// be a table's delimiter row or body row.
    func continuesTable(_ line: [UInt8], number: Int) -> Bool {
        var walk = Walk(line)
        return walk.pass(containers[...], line: number) && walk.indent < 4
    }

    /// A line that holds the paragraph's containers and nothing else, for a block to start in them: `> ` for a quote,
    /// spaces for a list item.
    var text: String {
        containers.map {
            switch $0 {
            case .quote: "> "
            case .item(_, let width): String(repeating: " ", count: width)
            }
        }.joined()
    }
}
