import LanmuCore

/// The emphasis of every visible character, in an old page and in the importer's Markdown read back by the site's
/// renderer: where the two differ, the Markdown spelled the emphasis in a way CommonMark reads otherwise.
enum EmphasisCheck {
    struct Styled: Equatable {
        var character: Character
        var bold: Bool
        var italic: Bool
    }

    /// Each character of the nodes' text but white space, with the emphasis of the elements around it.
    static func styled(_ nodes: [HTMLNode]) -> [Styled] {
        var found: [Styled] = []
        var stack: [(node: HTMLNode, bold: Bool, italic: Bool)] = nodes.reversed().map { ($0, false, false) }
        while let (node, bold, italic) = stack.popLast() {
            switch node {
            case .text(let run):
                for character in run where !character.isWhitespace {
                    found.append(Styled(character: character, bold: bold, italic: italic))
                }
            case .element(let element):
                guard !HTMLElement.invisible.contains(element.name) else { continue }
                let bold = bold || element.name == "b" || element.name == "strong"
                let italic = italic || element.name == "i" || element.name == "em"
                for child in element.children.reversed() { stack.append((child, bold, italic)) }
            }
        }
        return found
    }

    /// The characters and emphasis of Markdown as the site renders it.
    static func readBack(_ markdown: String) -> [Styled] {
        styled(HTMLDocument.parse(DefaultMarkdown.html(markdown)).children)
    }
}
