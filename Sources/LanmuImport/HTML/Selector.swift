import LanmuCore

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
