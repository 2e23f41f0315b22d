import Foundation

/// Finds the tags of a mustache template, so that names can be checked before anything is rendered
/// (swift-mustache renders an unknown name as empty text and an unknown partial as nothing).
enum TemplateScanner {
    /// How deep sections, parents and blocks may nest in one template: swift-mustache parses and renders them by
    /// recursion, and tens of thousands of levels overflow the stack.
    static let nestingLimit = 100

    /// One tag and where it starts.
    struct Tag: Equatable {
        enum Kind: Equatable {
            case variable, section, invertedSection, partial, parent, block, closing, comment
        }

        var kind: Kind
        var name: String
        var line: Int
        var column: Int
    }

    /// The tags of a template, following delimiter changes (`{{=<% %>=}}`) as swift-mustache does; scanning stops
    /// at a malformed delimiter change or an unclosed tag (the parser reports those). One pass over the text.
    static func tags(in text: String) -> [Tag] {
        var tags: [Tag] = []
        let scalars = Array(text.unicodeScalars)
        var open: [Unicode.Scalar] = ["{", "{"]
        var close: [Unicode.Scalar] = ["}", "}"]
        func matches(_ pattern: [Unicode.Scalar], at position: Int) -> Bool {
            position + pattern.count <= scalars.count
                && scalars[position..<position + pattern.count].elementsEqual(pattern)
        }
        var index = 0
        var line = 1
        var lineStart = 0
        while index < scalars.count {
            if scalars[index] == "\n" {
                line += 1
                lineStart = index + 1
                index += 1
                continue
            }
            guard scalars[index] == open[0], matches(open, at: index) else {
                index += 1
                continue
            }
            let tagLine = line
            let column = index - lineStart + 1
            var cursor = index + open.count
            var triple = false
            if cursor < scalars.count, scalars[cursor] == "{" {
                triple = true
                cursor += 1
            }
            var end = cursor
            while end < scalars.count, !(scalars[end] == close[0] && matches(close, at: end)) { end += 1 }
            guard end < scalars.count else { break }
            var inner = String(String.UnicodeScalarView(scalars[cursor..<end]))
            for position in index..<end where scalars[position] == "\n" {
                line += 1
                lineStart = position + 1
            }
            index = end + close.count
            if triple, index < scalars.count, scalars[index] == "}" { index += 1 }
            if !triple, inner.hasPrefix("=") {
                guard inner.count > 1, inner.hasSuffix("=") else { break }
                let delimiters = inner.dropFirst().dropLast().split(whereSeparator: \.isWhitespace)
                guard delimiters.count == 2 else { break }
                open = Array(delimiters[0].unicodeScalars)
                close = Array(delimiters[1].unicodeScalars)
                continue
            }
            var kind = Tag.Kind.variable
            if !triple, let sigil = inner.first {
                switch sigil {
                case "#": kind = .section
                case "^": kind = .invertedSection
                case ">": kind = .partial
                case "<": kind = .parent
                case "$": kind = .block
                case "/": kind = .closing
                case "!": kind = .comment
                default: break
                }
                if kind != .variable || sigil == "&" { inner.removeFirst() }
            }
            tags.append(
                Tag(
                    kind: kind, name: inner.trimmingCharacters(in: .whitespacesAndNewlines), line: tagLine,
                    column: column))
        }
        return tags
    }

    /// The first tag that opens a section, parent or block nested deeper than `limit`, if any.
    static func tooDeep(_ tags: [Tag], limit: Int = nestingLimit) -> Tag? {
        var depth = 0
        for tag in tags {
            switch tag.kind {
            case .section, .invertedSection, .parent, .block:
                depth += 1
                if depth > limit { return tag }
            case .closing:
                depth = max(0, depth - 1)
            case .variable, .partial, .comment:
                break
            }
        }
        return nil
    }

    /// The data names a variable or section tag looks up: `article.title` gives `article` and `title`;
    /// a transform such as `uppercased(title)` gives `title`; `.` gives none.
    static func dataNames(of tag: Tag) -> [String] {
        var name = Substring(tag.name)
        while let open = name.firstIndex(of: "("), name.hasSuffix(")") {
            name = name[name.index(after: open)..<name.index(before: name.endIndex)]
        }
        if name == "." { return [] }
        return name.split(separator: ".").map(String.init)
    }
}
