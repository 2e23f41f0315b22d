/// GitHub's pipe tables (GFM spec, “Tables (extension)”), found in the lines of a paragraph cmark has parsed: a header
/// row, a delimiter row of as many cells (`| :-- | :-: | --: |`), then body rows to the paragraph's end. Pure Swift:
/// the cmark wrapper hands in the paragraph's lines and builds the table from the plan that comes back, parsing each
/// cell's text as inline Markdown.
///
/// Known differences from `cmark-gfm`, both because the rows are the lines of cmark's paragraph: a row that cmark
/// takes as a lazy continuation line (`| 1 |` without the `>` of the quote the table is in) or that is indented by
/// four spaces stays a row, where `cmark-gfm` ends the table (and starts a paragraph after the quote, or a code block).
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
    }

    /// The first table in a paragraph's lines, as `cmark-gfm` finds it: the first delimiter row whose line before has
    /// as many cells.
    static func find(in lines: [String]) -> Table? {
        guard lines.count >= 2 else { return nil }
        for index in 1..<lines.count {
            guard let alignments = alignments(ofDelimiterRow: lines[index]) else { continue }
            let header = cells(of: lines[index - 1])
            guard header.count == alignments.count else { continue }
            let rows = lines[(index + 1)...].map { line in
                var row = Array(cells(of: line).prefix(alignments.count))
                while row.count < alignments.count { row.append(Cell(text: "", offset: line.utf8.count)) }
                return row
            }
            return Table(headerLine: index - 1, alignments: alignments, header: header, rows: rows)
        }
        return nil
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
