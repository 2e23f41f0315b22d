import Foundation

/// Finds the tags of a mustache template, so that names can be checked before anything is rendered
/// (swift-mustache renders an unknown name as empty text and an unknown partial as nothing).
enum TemplateScanner {
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

    /// The tags of a template with the default `{{ }}` delimiters; scanning stops at a delimiter change.
    static func tags(in text: String) -> [Tag] {
        var tags: [Tag] = []
        let scalars = Array(text.unicodeScalars)
        var index = 0
        var line = 1
        var lineStart = 0
        while index + 1 < scalars.count {
            if scalars[index] == "\n" {
                line += 1
                lineStart = index + 1
                index += 1
                continue
            }
            guard scalars[index] == "{", scalars[index + 1] == "{" else {
                index += 1
                continue
            }
            let start = index
            let column = start - lineStart + 1
            var cursor = index + 2
            var triple = false
            if cursor < scalars.count, scalars[cursor] == "{" {
                triple = true
                cursor += 1
            }
            var end = cursor
            while end + 1 < scalars.count, !(scalars[end] == "}" && scalars[end + 1] == "}") { end += 1 }
            guard end + 1 < scalars.count else { break }
            var inner = String(String.UnicodeScalarView(scalars[cursor..<end]))
            if inner.hasPrefix("=") { break }
            for scalar in scalars[start..<end] where scalar == "\n" { line += 1 }
            if let lastNewline = scalars[start..<end].lastIndex(of: "\n") { lineStart = lastNewline + 1 }
            index = end + 2 + (triple ? 1 : 0)
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
                Tag(kind: kind, name: inner.trimmingCharacters(in: .whitespacesAndNewlines), line: line, column: column)
            )
        }
        return tags
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
