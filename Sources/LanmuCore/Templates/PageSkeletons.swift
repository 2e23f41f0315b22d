import Foundation
import Mustache
import Synchronization

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
/// Parts that thousands of pages hold as they are — the site, the navigation, a section and its breadcrumb
/// (`SharedContext` made with `bakes`) — are baked into the skeletons: a part's number stands in the shape for its
/// strings, which go into the skeleton's text, escaped, once. A page then fills in only its own strings; each section
/// has skeletons of its own (up to `bakedCapacity` of them; past that, pages hold those parts as strings again).
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

    /// A shape's output cut at its strings, with the size of its own text (to size each page at once).
    private struct Skeleton {
        let pieces: [Piece]
        let textSize: Int

        init(pieces: [Piece]) {
            self.pieces = pieces
            textSize = pieces.reduce(0) { size, piece in
                if case .text(let text) = piece { size + text.utf8.count } else { size }
            }
        }
    }

    /// The data names the templates look up (`article.title` gives `article` and `title`); nil keeps every key
    /// (a template renders `{{.}}`, which could show a whole dictionary).
    let used: Set<String>?
    private let lock = NSLock()
    /// Skeletons by template name and shape; nil when a shape's output could not be cut (rendered directly).
    private var skeletons: [Shape: Skeleton?] = [:]
    /// Skeletons with shared parts baked in, past which pages keep their shared parts as strings (each section
    /// has skeletons of its own when its breadcrumb and navigation are baked in: a site of thousands of sections
    /// would otherwise fill the cache).
    let bakedCapacity: Int
    /// Whether pages bake their shared parts into their skeletons (until `bakedCapacity` skeletons have them); read
    /// once per page without the lock.
    private let bakes: Atomic<Bool>
    /// Skeletons made with shared parts baked in.
    private var bakedCount = 0

    init(used: Set<String>?, bakedCapacity: Int = 2_000) {
        self.used = used
        self.bakedCapacity = bakedCapacity
        self.bakes = Atomic(bakedCapacity > 0)
    }

    /// How many shapes have a skeleton, not counting those rendered directly because their output could not be
    /// cut (for tests).
    var shapeCount: Int { lock.withLock { skeletons.values.count { $0 != nil } } }

    /// How many skeletons were made with shared parts baked in (for tests).
    var bakedShapeCount: Int { lock.withLock { bakedCount } }

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
            if !writer.entries(of: context, used: used) { writer.failed = true }
        }
    }

    /// The page whose data `flatten` writes straight into a `Writer` (the entries of the page's dictionary, as
    /// `flatten` of `context()` would) without the data being built; `context` is made only for the first page of a
    /// shape. Nil when the data cannot be in a skeleton (the writer's `failed`).
    func render(
        withTemplate name: String, library: MustacheLibrary, context: () -> [String: Any],
        flatten: (inout Writer) -> Void
    ) -> String? {
        var writer = Writer(shape: Array(name.utf8) + [0], used: used, bakes: bakes.load(ordering: .relaxed))
        writer.shape.reserveCapacity(256)
        writer.page(flatten)
        guard !writer.failed else { return nil }
        let key = Shape(bytes: writer.shape)
        let cached: Skeleton?? = lock.withLock { skeletons[key] }
        let skeleton: Skeleton?
        if let cached {
            skeleton = cached
        } else {
            skeleton = makeSkeleton(for: writer, withTemplate: name, library: library, context: context)
            lock.withLock {
                guard skeletons.count < Self.capacity else { return }
                skeletons[key] = skeleton
                if !writer.baked.isEmpty {
                    bakedCount += 1
                    if bakedCount >= bakedCapacity { bakes.store(false, ordering: .relaxed) }
                }
            }
        }
        guard let skeleton else { return nil }
        // The page's text and strings appended to a string of the right size (appending valid strings copies without
        // validating the UTF-8 again, as building a string from raw bytes would).
        let leaves = writer.leaves
        var size = skeleton.textSize
        for leaf in leaves { size += leaf.utf8.count }
        var page = String()
        page.reserveCapacity(size + 64)
        for piece in skeleton.pieces {
            switch piece {
            case .text(let text): page.append(text)
            case .value(let index, let escaped):
                page.append(escaped ? MarkupEscaping.html(leaves[index]) : leaves[index])
            }
        }
        return page
    }

    /// The skeleton of the writer's shape: the first page of the shape rendered by swift-mustache with markers for
    /// its strings and cut at them; the strings of baked shared parts put in as text. Nil when the output cannot be
    /// cut.
    private func makeSkeleton(
        for writer: Writer, withTemplate name: String, library: MustacheLibrary, context: () -> [String: Any]
    ) -> Skeleton? {
        // Every string of the page in `flatten`'s order, and for each the index among the page's own (nil: a
        // baked part's).
        var all: [String] = []
        var own: [Int?] = []
        var next = 0
        for (position, part) in writer.baked {
            while next < position {
                all.append(writer.leaves[next])
                own.append(next)
                next += 1
            }
            let leaves = part.flattened?.leaves ?? []
            all += leaves
            own += Array(repeating: nil, count: leaves.count)
        }
        while next < writer.leaves.count {
            all.append(writer.leaves[next])
            own.append(next)
            next += 1
        }
        var counter = 0
        let markers = Self.markers(for: context(), counter: &counter, used: used)
        guard let rendered = library.render(markers, withTemplate: name), let cut = Self.cut(rendered, leaves: all)
        else { return nil }
        // Text and baked strings side by side are gathered and joined once (joining them one by one, each copying
        // the text so far, made a skeleton cost the square of its template's size).
        var pieces: [Piece] = []
        var text = ""
        for piece in cut {
            switch piece {
            case .text(let part): text += part
            case .value(let index, let escaped):
                if let index = own[index] {
                    if !text.isEmpty { pieces.append(.text(text)) }
                    text = ""
                    pieces.append(.value(index, escaped: escaped))
                } else {
                    text += escaped ? MarkupEscaping.html(all[index]) : all[index]
                }
            }
        }
        if !text.isEmpty { pieces.append(.text(text)) }
        return Skeleton(pieces: pieces)
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

    /// The shape and strings of a value, in `Writer`'s order, with only the `used` keys (nil: all), and shared parts
    /// made to be baked baked when `bakes`; nil when pages holding it cannot use skeletons.
    static func flattened(_ value: Any, used: Set<String>?, bakes: Bool = false) -> Writer? {
        var writer = Writer(shape: [], used: used, bakes: bakes)
        return writer.value(value, used: used) ? writer : nil
    }

    static let stringType = ObjectIdentifier(String.self)
    static let dictionaryType = ObjectIdentifier([String: Any].self)
    static let dictionaryArrayType = ObjectIdentifier([[String: Any]].self)
    static let textDictionaryArrayType = ObjectIdentifier([[String: String]].self)
    static let boolType = ObjectIdentifier(Bool.self)
    static let intType = ObjectIdentifier(Int.self)
    static let sharedType = ObjectIdentifier(SharedContext.self)
    static let sharedArrayType = ObjectIdentifier([SharedContext].self)

    /// Whether the last character is "\n" (a "\r\n" at the end is one character, not "\n").
    static func endsWithLineFeed(_ text: String) -> Bool {
        var text = text
        // The contiguous bytes (the UTF-8 view's generic `last` walks the string's index machinery).
        return text.withUTF8 { bytes in
            bytes.last == 0x0A && (bytes.count == 1 || bytes[bytes.count - 2] != 0x0D)
        }
    }

    /// The pairs of the used keys, sorted by key.
    static func pairs(of dictionary: [String: Any], used: Set<String>?) -> [(key: String, value: Any)] {
        guard let used else { return dictionary.sorted { $0.key < $1.key } }
        var pairs: [(key: String, value: Any)] = []
        pairs.reserveCapacity(dictionary.count)
        for pair in dictionary where used.contains(pair.key) { pairs.append(pair) }
        pairs.sort { $0.key < $1.key }
        return pairs
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
