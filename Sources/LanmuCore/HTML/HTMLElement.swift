import Foundation

/// A node of a parsed page: an element or a run of text (comments are left out when parsing).
public enum HTMLNode: Sendable {
    case element(HTMLElement)
    case text(String)
}

/// An element of a parsed page, with its attributes and children, as Swift values.
public struct HTMLElement: Sendable {
    /// The tag name in lower case (`p`, `td`, `o:p`).
    public var name: String
    public var attributes: [String: String]
    public var children: [HTMLNode]

    public init(name: String, attributes: [String: String], children: [HTMLNode]) {
        self.name = name
        self.attributes = attributes
        self.children = children
    }

    /// The element's classes (`class="a b"`).
    public var classes: [Substring] { (attributes["class"] ?? "").split(whereSeparator: \.isWhitespace) }

    /// Every element at or below this one, in document order (the element first); walked without recursion.
    public var descendants: [HTMLElement] {
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
    public var text: String {
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
    public static let invisible: Set<String> = [
        "script", "style", "noscript", "template", "head", "title", "iframe", "object", "xml",
    ]
    /// Elements that start a new block.
    public static let blocks: Set<String> = [
        "p", "div", "section", "article", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "table", "tr", "td",
        "th",
        "blockquote", "pre", "center", "dd", "dt", "dl", "header", "footer", "main", "nav", "figure", "figcaption",
    ]
}
