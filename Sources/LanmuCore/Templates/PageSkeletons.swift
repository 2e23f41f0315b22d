import Foundation
import Mustache

/// Renders pages through swift-mustache once per *shape* of their data, then fills each page's text into the result.
///
/// A page's data is a tree of dictionaries, arrays, booleans, numbers and strings. Mustache decides what to output
/// from the dictionary keys, the booleans and the array lengths (sections), and only inserts the strings and numbers
/// (variables). Two pages whose data differ only in strings and numbers therefore produce the same output with
/// different text in the same places. The first page of each shape is rendered by swift-mustache with a unique
/// marker in place of every string (`U+E000` index `&` `U+E001`); the output is cut at the markers into a
/// *skeleton*, and the marker's `&` tells whether the place escapes (`&amp;`) or not. Every later page of that shape
/// is the skeleton with its own strings put in, escaped as the templates' content type escapes them (`MarkupEscaping`).
///
/// Keys no template names (`tags` when no template lists tags) are left out of shapes and strings: no lookup can
/// reach them, so pages that differ only there share a skeleton and their text is not gathered.
///
/// Used only when no template can see a string's content: no transforms (`uppercased(x)`), no dynamic partials,
/// no delimiter changes or pragmas, and no marker characters in the templates. Tests hold the output equal to
/// swift-mustache's own rendering, byte for byte.
final class PageSkeletons: @unchecked Sendable {
    /// Shapes kept per library; past this, pages of new shapes are rendered directly.
    static let capacity = 20_000

    private enum Piece {
        case text(String)
        case value(Int, escaped: Bool)
    }

    /// The data names the templates look up (`article.title` gives `article` and `title`); nil keeps every key
    /// (a template renders `{{.}}`, which could show a whole dictionary).
    let used: Set<String>?
    private let lock = NSLock()
    /// Skeletons by template name and shape; nil when a shape's output could not be cut (rendered directly).
    private var skeletons: [Shape: [Piece]?] = [:]

    init(used: Set<String>?) {
        self.used = used
    }

    /// How many shapes have a skeleton, not counting those rendered directly because their output could not be
    /// cut (for tests).
    var shapeCount: Int { lock.withLock { skeletons.values.count { $0 != nil } } }

    /// Whether templates with these sources can be rendered by skeleton.
    static func canRender(sources: [String: String]) -> Bool {
        for text in sources.values {
            if text.unicodeScalars.contains(where: { $0 == marker || $0 == markerEnd }) { return false }
            if text.contains("{{=") || text.contains("{{%") { return false }
            for tag in TemplateScanner.tags(in: text) {
                if tag.name.contains("(") { return false }
                if tag.kind == .partial || tag.kind == .parent, tag.name.hasPrefix("*") { return false }
            }
        }
        return true
    }

    /// The page, or nil when its data holds something other than dictionaries, arrays, booleans, integers and
    /// strings (the caller renders it directly).
    func render(_ context: [String: Any], withTemplate name: String, library: MustacheLibrary) -> String? {
        render(withTemplate: name, library: library, context: { context }) { writer in
            Self.flatten(context, shape: &writer.shape, leaves: &writer.leaves, used: used)
        }
    }

    /// The page whose data `flatten` writes straight into a `Writer` (as `flatten` of `context()` would) without
    /// the data being built; `context` is made only for the first page of a shape.
    func render(
        withTemplate name: String, library: MustacheLibrary, context: () -> [String: Any],
        flatten: (inout Writer) -> Bool
    ) -> String? {
        var writer = Writer(shape: Array(name.utf8) + [0])
        writer.shape.reserveCapacity(1024)
        guard flatten(&writer) else { return nil }
        let leaves = writer.leaves
        let key = Shape(bytes: writer.shape)
        let cached: [Piece]?? = lock.withLock { skeletons[key] }
        let pieces: [Piece]?
        if let cached {
            pieces = cached
        } else {
            var counter = 0
            let markers = Self.markers(for: context(), counter: &counter, used: used)
            pieces = library.render(markers, withTemplate: name).flatMap { Self.cut($0, leaves: leaves) }
            lock.withLock { if skeletons.count < Self.capacity { skeletons[key] = pieces } }
        }
        guard let pieces else { return nil }
        // The page's parts, then their bytes appended to a string of the right size (appending valid strings copies
        // without validating the UTF-8 again, as building a string from raw bytes would).
        var parts: [String] = []
        parts.reserveCapacity(pieces.count)
        var size = 0
        for piece in pieces {
            let part: String
            switch piece {
            case .text(let text): part = text
            case .value(let index, let escaped): part = escaped ? MarkupEscaping.html(leaves[index]) : leaves[index]
            }
            size += part.utf8.count
            parts.append(part)
        }
        var page = String()
        page.reserveCapacity(size)
        for part in parts { page.append(part) }
        return page
    }

    // MARK: Shapes

    /// A shape and its strings being written, value by value, in the encoding `flatten` uses (for data written
    /// straight from the model; tests hold the two equal).
    struct Writer {
        var shape: [UInt8]
        var leaves: [String] = []

        mutating func openList() { shape.append(UInt8(ascii: "[")) }
        mutating func closeList() { shape.append(UInt8(ascii: "]")) }
        mutating func openDictionary() { shape.append(UInt8(ascii: "{")) }
        mutating func closeDictionary() { shape.append(UInt8(ascii: "}")) }
        mutating func key(_ key: String) {
            shape.append(contentsOf: key.utf8)
            shape.append(UInt8(ascii: ":"))
        }
        mutating func text(_ text: String) { PageSkeletons.add(text, shape: &shape, leaves: &leaves) }
        /// A key and its text; nothing when the text is nil (a key the data leaves out, as a dictionary would).
        mutating func entry(_ key: String, _ text: String?) {
            guard let text else { return }
            self.key(key)
            self.text(text)
        }
        mutating func entry(_ key: String, flag: Bool) {
            self.key(key)
            self.flag(flag)
        }
        mutating func entry(_ key: String, number: Int) {
            self.key(key)
            self.number(number)
        }
        mutating func flag(_ flag: Bool) { shape.append(UInt8(ascii: flag ? "t" : "f")) }
        mutating func number(_ number: Int) {
            shape.append(UInt8(ascii: "s"))
            leaves.append(String(describing: number))
        }
        /// A shared part, as worked out when it was made; false when it cannot be in a skeleton.
        mutating func shared(_ shared: SharedContext) -> Bool {
            PageSkeletons.append(shared, shape: &shape, leaves: &leaves)
        }
        mutating func value(_ value: Any, used: Set<String>?) -> Bool {
            PageSkeletons.flatten(value, shape: &shape, leaves: &leaves, used: used)
        }
    }

    /// A shape as a dictionary key, hashed as one run of bytes (an array of bytes hashes them one by one).
    private struct Shape: Hashable {
        let bytes: [UInt8]

        func hash(into hasher: inout Hasher) {
            bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
        }
    }

    private static let marker: Unicode.Scalar = "\u{E000}"
    private static let markerEnd: Unicode.Scalar = "\u{E001}"

    /// Appends the shape of `value` (keys, booleans, array lengths, which strings end a line) and collects its
    /// strings in a fixed order: dictionary keys sorted. The common types are told apart by their type, without a
    /// chain of failing casts; anything else goes through the casts.
    private static func flatten(_ value: Any, shape: inout [UInt8], leaves: inout [String], used: Set<String>?) -> Bool
    {
        switch ObjectIdentifier(type(of: value)) {
        case stringType: add(value as! String, shape: &shape, leaves: &leaves)
        case dictionaryType:
            return flatten(dictionary: value as! [String: Any], shape: &shape, leaves: &leaves, used: used)
        case dictionaryArrayType:
            shape.append(UInt8(ascii: "["))
            for element in value as! [[String: Any]] {
                guard flatten(dictionary: element, shape: &shape, leaves: &leaves, used: used) else { return false }
            }
            shape.append(UInt8(ascii: "]"))
        case textDictionaryArrayType:
            shape.append(UInt8(ascii: "["))
            for element in value as! [[String: String]] {
                shape.append(UInt8(ascii: "{"))
                for key in element.keys.sorted() where used?.contains(key) ?? true {
                    shape.append(contentsOf: key.utf8)
                    shape.append(UInt8(ascii: ":"))
                    add(element[key]!, shape: &shape, leaves: &leaves)
                }
                shape.append(UInt8(ascii: "}"))
            }
            shape.append(UInt8(ascii: "]"))
        case boolType: shape.append(UInt8(ascii: value as! Bool ? "t" : "f"))
        case intType:
            shape.append(UInt8(ascii: "s"))
            leaves.append(String(describing: value as! Int))
        case sharedType: return append(value as! SharedContext, shape: &shape, leaves: &leaves)
        case sharedArrayType:
            shape.append(UInt8(ascii: "["))
            for element in value as! [SharedContext] {
                guard append(element, shape: &shape, leaves: &leaves) else { return false }
            }
            shape.append(UInt8(ascii: "]"))
        default:
            return flattenByCasting(value, shape: &shape, leaves: &leaves, used: used)
        }
        return true
    }

    /// The shape and strings of a value, in `flatten`'s order, with only the `used` keys (nil: all); nil when pages
    /// holding it cannot use skeletons.
    static func flattened(_ value: Any, used: Set<String>?) -> (shape: [UInt8], leaves: [String])? {
        var shape: [UInt8] = []
        var leaves: [String] = []
        return flatten(value, shape: &shape, leaves: &leaves, used: used) ? (shape, leaves) : nil
    }

    private static func append(_ shared: SharedContext, shape: inout [UInt8], leaves: inout [String]) -> Bool {
        guard let flattened = shared.flattened else { return false }
        shape += flattened.shape
        leaves += flattened.leaves
        return true
    }

    private static let stringType = ObjectIdentifier(String.self)
    private static let dictionaryType = ObjectIdentifier([String: Any].self)
    private static let dictionaryArrayType = ObjectIdentifier([[String: Any]].self)
    private static let textDictionaryArrayType = ObjectIdentifier([[String: String]].self)
    private static let boolType = ObjectIdentifier(Bool.self)
    private static let intType = ObjectIdentifier(Int.self)
    private static let sharedType = ObjectIdentifier(SharedContext.self)
    private static let sharedArrayType = ObjectIdentifier([SharedContext].self)

    private static func add(_ text: String, shape: inout [UInt8], leaves: inout [String]) {
        // Whether a string is empty or ends a line changes where an indented partial puts its indentation
        // (swift-mustache indents a token's non-empty output after a "\n" character): part of the shape. An
        // empty string is the same in every page of the shape and is rendered as it is.
        if text.isEmpty {
            shape.append(UInt8(ascii: "e"))
        } else {
            shape.append(UInt8(ascii: endsWithLineFeed(text) ? "n" : "s"))
            leaves.append(text)
        }
    }

    /// Whether the last character is "\n" (a "\r\n" at the end is one character, not "\n").
    private static func endsWithLineFeed(_ text: String) -> Bool {
        var text = text
        // The contiguous bytes (the UTF-8 view's generic `last` walks the string's index machinery).
        return text.withUTF8 { bytes in
            bytes.last == 0x0A && (bytes.count == 1 || bytes[bytes.count - 2] != 0x0D)
        }
    }

    private static func flatten(
        dictionary: [String: Any], shape: inout [UInt8], leaves: inout [String], used: Set<String>?
    ) -> Bool {
        shape.append(UInt8(ascii: "{"))
        // Pairs sorted by key: no key is hashed again to find its value.
        for (key, value) in pairs(of: dictionary, used: used) {
            shape.append(contentsOf: key.utf8)
            shape.append(UInt8(ascii: ":"))
            guard flatten(value, shape: &shape, leaves: &leaves, used: used) else { return false }
        }
        shape.append(UInt8(ascii: "}"))
        return true
    }

    /// The pairs of the used keys, sorted by key.
    private static func pairs(of dictionary: [String: Any], used: Set<String>?) -> [(key: String, value: Any)] {
        guard let used else { return dictionary.sorted { $0.key < $1.key } }
        var pairs: [(key: String, value: Any)] = []
        pairs.reserveCapacity(dictionary.count)
        for pair in dictionary where used.contains(pair.key) { pairs.append(pair) }
        pairs.sort { $0.key < $1.key }
        return pairs
    }

    private static func flattenByCasting(
        _ value: Any, shape: inout [UInt8], leaves: inout [String], used: Set<String>?
    ) -> Bool {
        switch value {
        case let text as String:
            add(text, shape: &shape, leaves: &leaves)
        case let flag as Bool:
            shape.append(UInt8(ascii: flag ? "t" : "f"))
        case let number as Int:
            shape.append(UInt8(ascii: "s"))
            leaves.append(String(describing: number))
        case let dictionary as [String: Any]:
            return flatten(dictionary: dictionary, shape: &shape, leaves: &leaves, used: used)
        case let array as [[String: Any]]:
            shape.append(UInt8(ascii: "["))
            for element in array {
                guard flatten(dictionary: element, shape: &shape, leaves: &leaves, used: used) else { return false }
            }
            shape.append(UInt8(ascii: "]"))
        case let array as [Any]:
            shape.append(UInt8(ascii: "["))
            for element in array {
                guard flatten(element, shape: &shape, leaves: &leaves, used: used) else { return false }
            }
            shape.append(UInt8(ascii: "]"))
        case let shared as SharedContext:
            return append(shared, shape: &shape, leaves: &leaves)
        default:
            return false
        }
        return true
    }

    /// The same data with the n-th string (in `flatten`'s order) replaced by the n-th marker.
    private static func markers(for value: Any, counter: inout Int, used: Set<String>?) -> Any {
        // The common types by their type first, as in `flatten`; the rest through the casts.
        switch ObjectIdentifier(type(of: value)) {
        case stringType: return marker(for: value as! String, counter: &counter)
        case boolType: return value
        case dictionaryType: return markers(dictionary: value as! [String: Any], counter: &counter, used: used)
        case sharedType: return markers(for: (value as! SharedContext).value, counter: &counter, used: used)
        default: break
        }
        switch value {
        case let text as String:
            return marker(for: text, counter: &counter)
        case is Bool:
            return value
        case is Int:
            defer { counter += 1 }
            return markerText(counter, endsLine: false)
        case let dictionary as [String: Any]:
            return markers(dictionary: dictionary, counter: &counter, used: used)
        case let array as [[String: Any]]:
            return array.map { markers(for: $0, counter: &counter, used: used) }
        case let array as [Any]:
            return array.map { markers(for: $0, counter: &counter, used: used) }
        case let shared as SharedContext:
            return markers(for: shared.value, counter: &counter, used: used)
        default:
            preconditionFailure("flatten accepted a value markers(for:) does not know")
        }
    }

    /// The next marker in place of a string; an empty string stays as it is (it is part of the shape).
    private static func marker(for text: String, counter: inout Int) -> String {
        if text.isEmpty { return text }
        defer { counter += 1 }
        return markerText(counter, endsLine: endsWithLineFeed(text))
    }

    private static func markers(dictionary: [String: Any], counter: inout Int, used: Set<String>?) -> [String: Any] {
        var copy: [String: Any] = [:]
        for (key, value) in pairs(of: dictionary, used: used) {
            copy[key] = markers(for: value, counter: &counter, used: used)
        }
        return copy
    }

    private static func markerText(_ index: Int, endsLine: Bool) -> String {
        "\(Character(marker))\(index)&\(Character(markerEnd))" + (endsLine ? "\n" : "")
    }

    /// Cuts a rendering of markers into text and places; nil if a marker is not found whole.
    private static func cut(_ rendered: String, leaves: [String]) -> [Piece]? {
        let bytes = Array(rendered.utf8)
        var pieces: [Piece] = []
        var textStart = 0
        var index = 0
        // U+E000 and U+E001 in UTF-8.
        let open: [UInt8] = [0xEE, 0x80, 0x80]
        let close: [UInt8] = [0xEE, 0x80, 0x81]
        func matches(_ pattern: [UInt8], at position: Int) -> Bool {
            position + pattern.count <= bytes.count && bytes[position..<position + pattern.count].elementsEqual(pattern)
        }
        while index < bytes.count {
            guard bytes[index] == 0xEE, matches(open, at: index) else {
                index += 1
                continue
            }
            if textStart < index { pieces.append(.text(String(decoding: bytes[textStart..<index], as: UTF8.self))) }
            var cursor = index + open.count
            var number = 0
            let digitsStart = cursor
            while cursor < bytes.count, (0x30...0x39).contains(bytes[cursor]), cursor - digitsStart < 9 {
                number = number * 10 + Int(bytes[cursor] - 0x30)
                cursor += 1
            }
            guard cursor > digitsStart, number < leaves.count else { return nil }
            let escaped: Bool
            if matches(Array("&amp;".utf8), at: cursor) {
                escaped = true
                cursor += 5
            } else if matches(Array("&".utf8), at: cursor) {
                escaped = false
                cursor += 1
            } else {
                return nil
            }
            guard matches(close, at: cursor) else { return nil }
            cursor += close.count
            if endsWithLineFeed(leaves[number]) {
                guard cursor < bytes.count, bytes[cursor] == 0x0A else { return nil }
                cursor += 1
            }
            pieces.append(.value(number, escaped: escaped))
            index = cursor
            textStart = cursor
        }
        if textStart < bytes.count { pieces.append(.text(String(decoding: bytes[textStart...], as: UTF8.self))) }
        return pieces
    }

}

/// A part of the page data that many pages hold as it is (the site, the navigation of a topic, a section and its
/// breadcrumb, an article's list entry): its shape and strings are worked out once instead of for every page. Templates see the value itself
/// (swift-mustache looks through `MustacheCustomRepresentation`).
final class SharedContext: MustacheCustomRepresentation, @unchecked Sendable {
    /// A `[String: Any]` or an array of them, never changed after this is made.
    let value: Any
    let flattened: (shape: [UInt8], leaves: [String])?

    /// - Parameter used: the keys templates use (`PageSkeletons.used`).
    init(_ value: Any, used: Set<String>?) {
        self.value = value
        self.flattened = PageSkeletons.flattened(value, used: used)
    }

    var representation: Any? { value }
}
