import Foundation

/// A node of a parsed page: an element or a run of text (comments are left out when parsing).
enum HTMLNode: Sendable {
    case element(HTMLElement)
    case text(String)
}

/// An element of a parsed page, with its attributes and children, as Swift values.
struct HTMLElement: Sendable {
    /// The tag name in lower case (`p`, `td`, `o:p`).
    var name: String
    var attributes: [String: String]
    var children: [HTMLNode]

    /// The element's classes (`class="a b"`).
    var classes: [Substring] { (attributes["class"] ?? "").split(whereSeparator: \.isWhitespace) }

    /// Every element at or below this one, in document order (the element first); walked without recursion.
    var descendants: [HTMLElement] {
        var found: [HTMLElement] = []
        var stack = [self]
        while let element = stack.popLast() {
            found.append(element)
            for child in element.children.reversed() {
                if case .element(let inner) = child { stack.append(inner) }
            }
        }
        return found
    }

    /// All the text below the element, as a browser would show it without layout (scripts and styles left out).
    var text: String {
        var text = ""
        var stack: [HTMLNode] = [.element(self)]
        while let node = stack.popLast() {
            switch node {
            case .text(let run): text += run
            case .element(let element):
                guard !HTMLElement.invisible.contains(element.name) else { continue }
                if element.name == "br" || HTMLElement.blocks.contains(element.name) { text += "\n" }
                stack.append(contentsOf: element.children.reversed())
            }
        }
        return text
    }

    /// Elements whose text is not shown, or is not the page's own: Word's `<xml>` islands (document properties) are
    /// junk even when pasted outside a comment.
    static let invisible: Set<String> = [
        "script", "style", "noscript", "template", "head", "title", "iframe", "object", "xml",
    ]
    /// Elements that start a new block.
    static let blocks: Set<String> = [
        "p", "div", "section", "article", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "table", "tr", "td",
        "th",
        "blockquote", "pre", "center", "dd", "dt", "dl", "header", "footer", "main", "nav", "figure", "figcaption",
    ]
}

/// A simple CSS selector: a tag (`h1`), a class (`.TRS_Editor`), an id (`#zoom`), or a tag with a class or id
/// (`div.content`, `div#zoom`): what the rules file of `lanmu import` accepts.
public struct Selector: Sendable, Equatable, CustomStringConvertible {
    var tag: String?
    var className: String?
    var id: String?

    /// Reads a selector; nil when it is not one of the simple forms.
    public init?(_ text: String) {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        guard !rest.isEmpty, !rest.contains(" "), !rest.contains(">"), !rest.contains("[") else { return nil }
        let tagEnd = rest.firstIndex { $0 == "." || $0 == "#" } ?? rest.endIndex
        let tag = rest[..<tagEnd]
        if !tag.isEmpty {
            guard tag.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == ":" }) else { return nil }
            self.tag = tag.lowercased()
        }
        rest = rest[tagEnd...]
        if let marker = rest.first {
            let name = rest.dropFirst()
            guard !name.isEmpty, !name.contains("."), !name.contains("#") else { return nil }
            if marker == "." { className = String(name) } else { id = String(name) }
        }
    }

    func matches(_ element: HTMLElement) -> Bool {
        if let tag, element.name != tag { return false }
        if let id, element.attributes["id"] != id { return false }
        if let className, !element.classes.contains(where: { $0 == className }) { return false }
        return true
    }

    public var description: String { (tag ?? "") + (className.map { "." + $0 } ?? "") + (id.map { "#" + $0 } ?? "") }
}
