import CGumbo

/// An HTML page parsed by gumbo (the HTML5 parsing algorithm, so broken markup is repaired as a browser repairs it),
/// turned into Swift values at once. The only file that talks to gumbo; gumbo's output is freed before `parse`
/// returns.
public enum HTMLDocument {
    /// Elements nested deeper than this are read as their text: the tree is walked recursively, and a crafted page
    /// must not exhaust the stack.
    public static let depthLimit = 300

    /// The `<html>` element of a page given as UTF-8 text.
    public static func parse(_ text: String) -> HTMLElement {
        var bytes = Array(text.utf8)
        bytes.append(0)
        return bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { pointer in
                var settings = kGumboDefaultOptions
                // The parse errors are not used: none are kept, so a badly broken page costs no memory for them.
                settings.max_errors = 0
                return withUnsafePointer(to: settings) { options in
                    guard let output = gumbo_parse_with_options(options, pointer, buffer.count - 1) else {
                        return HTMLElement(name: "html", attributes: [:], children: [])
                    }
                    defer { gumbo_destroy_output(options, output) }
                    guard case .element(let root) = node(output.pointee.root, depth: 0) else {
                        return HTMLElement(name: "html", attributes: [:], children: [])
                    }
                    return root
                }
            }
        }
    }

    private static func string(_ pointer: UnsafePointer<CChar>?) -> String {
        pointer.map { String(cString: $0) } ?? ""
    }

    private static func node(_ pointer: UnsafeMutablePointer<GumboNode>, depth: Int) -> HTMLNode? {
        let node = pointer.pointee
        switch node.type {
        case GUMBO_NODE_TEXT, GUMBO_NODE_WHITESPACE, GUMBO_NODE_CDATA:
            return .text(string(node.v.text.text))
        case GUMBO_NODE_ELEMENT, GUMBO_NODE_TEMPLATE:
            let element = node.v.element
            var name: String
            if element.tag == GUMBO_TAG_UNKNOWN {
                // `<o:p>` and other names gumbo does not know: read from the source, `<` and attributes cut off.
                var piece = element.original_tag
                gumbo_tag_from_original_text(&piece)
                name =
                    piece.data.map {
                        String(
                            decoding: UnsafeRawBufferPointer(start: $0, count: piece.length), as: UTF8.self)
                    }?.lowercased() ?? ""
            } else {
                name = string(gumbo_normalized_tagname(element.tag))
            }
            if name.isEmpty { name = "span" }
            var attributes: [String: String] = [:]
            for index in 0..<Int(element.attributes.length) {
                guard let raw = element.attributes.data[index] else { continue }
                let attribute = raw.assumingMemoryBound(to: GumboAttribute.self).pointee
                attributes[string(attribute.name).lowercased()] = string(attribute.value)
            }
            var children: [HTMLNode] = []
            for index in 0..<Int(element.children.length) {
                guard let raw = element.children.data[index] else { continue }
                let child = raw.assumingMemoryBound(to: GumboNode.self)
                if depth >= depthLimit {
                    children.append(.text(text(of: child)))
                } else if let converted = Self.node(child, depth: depth + 1) {
                    children.append(converted)
                }
            }
            return .element(HTMLElement(name: name, attributes: attributes, children: children))
        default:
            return nil
        }
    }

    /// The text below a node, gathered without recursion (past the depth limit).
    private static func text(of root: UnsafeMutablePointer<GumboNode>) -> String {
        var text = ""
        var stack = [root]
        while let pointer = stack.popLast() {
            let node = pointer.pointee
            switch node.type {
            case GUMBO_NODE_TEXT, GUMBO_NODE_WHITESPACE, GUMBO_NODE_CDATA: text += string(node.v.text.text)
            case GUMBO_NODE_ELEMENT, GUMBO_NODE_TEMPLATE:
                let children = node.v.element.children
                for index in (0..<Int(children.length)).reversed() {
                    if let raw = children.data[index] { stack.append(raw.assumingMemoryBound(to: GumboNode.self)) }
                }
            default: break
            }
        }
        return text
    }
}
