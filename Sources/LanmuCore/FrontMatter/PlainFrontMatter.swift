#if canImport(Glibc)
    import Glibc
#endif

/// A reader for the front matter nearly every article has — one `key: value` per line, each value plain or quoted
/// on its own line, lists as `- item` lines below their key — that gives the values Yams would give (same text,
/// style and place, as `FrontMatterValue`s) for a fraction of the cost. Anything it is not sure of, it leaves to
/// Yams by returning nil: escapes, folded or multi-line values, flow collections, comments after a value, tabs,
/// anchors, tags, indicators, line separators, duplicate keys. Held equal to Yams by `PlainFrontMatterTests` and
/// the `yaml` fuzz target.
enum PlainFrontMatter {
    typealias Place = FrontMatterValue.Place

    struct Pair {
        var key: String
        var keyPlace: Place
        var value: FrontMatterValue
    }

    /// The pairs of the mapping, in order; nil when the text is outside the subset read here.
    static func parse(_ yaml: String) -> [Pair]? {
        var yaml = yaml
        return yaml.withUTF8 { parse(bytes: $0) }
    }

    private static func parse(bytes: UnsafeBufferPointer<UInt8>) -> [Pair]? {
        guard let base = bytes.baseAddress, hasOnlyPlainScalars(bytes) else { return nil }
        var pairs: [Pair] = []
        // A key written without a value on its line: its list items follow.
        var open: (key: String, place: Place)?
        var items: [FrontMatterValue] = []
        var itemIndent = 0
        var listPlace = Place(line: 0, column: 0)

        func closeList() -> Bool {
            guard let key = open else { return true }
            open = nil
            guard !items.isEmpty else { return false }  // `key:` alone is null, or a value Yams must read
            pairs.append(Pair(key: key.key, keyPlace: key.place, value: FrontMatterValue(.list(items), at: listPlace)))
            items = []
            return true
        }

        var start = 0
        var line = 0
        while start < bytes.count {
            let end =
                memchr(base + start, 0x0A, bytes.count - start).map {
                    base.distance(to: $0.assumingMemoryBound(to: UInt8.self))
                } ?? bytes.count
            line += 1
            defer { start = end + 1 }
            var position = start
            while position < end, bytes[position] == 0x20 { position += 1 }
            if position == end || (position == start && bytes[position] == UInt8(ascii: "#")) {
                // A blank or comment line ends a list (items after it would be indented lines, left to Yams).
                guard closeList() else { return nil }
                continue
            }
            if bytes[position] == UInt8(ascii: "-") {
                // `- item` below an open key, every item at the same indentation.
                guard open != nil, position + 1 < end, bytes[position + 1] == 0x20 else { return nil }
                let indent = position - start
                if items.isEmpty {
                    itemIndent = indent
                    listPlace = Place(line: line, column: indent + 1)
                } else if indent != itemIndent {
                    return nil
                }
                position += 1
                while position < end, bytes[position] == 0x20 { position += 1 }
                guard position < end, let value = scalar(bytes, from: position, to: end, start: start, line: line)
                else { return nil }
                items.append(value)
                continue
            }
            guard position == start, closeList(), let colon = keyEnd(bytes, from: start, to: end) else { return nil }
            let key = UTF8Text.string(known: UnsafeBufferPointer(rebasing: bytes[start..<colon]))
            guard !pairs.contains(where: { $0.key == key }) else { return nil }  // Yams reports duplicates
            let keyPlace = Place(line: line, column: 1)
            position = colon + 1
            while position < end, bytes[position] == 0x20 { position += 1 }
            if position == end {
                open = (key, keyPlace)
                continue
            }
            guard position > colon + 1,
                let value = scalar(bytes, from: position, to: end, start: start, line: line)
            else { return nil }
            pairs.append(Pair(key: key, keyPlace: keyPlace, value: value))
        }
        guard closeList(), !pairs.isEmpty else { return nil }
        return pairs
    }

    /// The `:` after a key of ASCII letters, digits, `_` and `-` that starts the line; it must end the line or be
    /// followed by a space.
    private static func keyEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int? {
        var position = start
        while position < end {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"): break
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"): guard position > start else { return nil }
            case UInt8(ascii: ":"):
                guard position > start, position + 1 == end || bytes[position + 1] == 0x20 else { return nil }
                return position
            default: return nil
            }
            position += 1
        }
        return nil
    }

    /// A value that fills the rest of the line: `"text"` without escapes, `'text'` without doubled quotes, or plain
    /// text that cannot be read as anything else. The line up to `from` is ASCII, so its column is a byte count.
    private static func scalar(
        _ bytes: UnsafeBufferPointer<UInt8>, from position: Int, to end: Int, start: Int, line: Int
    ) -> FrontMatterValue? {
        let place = Place(line: line, column: position - start + 1)
        let first = bytes[position]
        if first == UInt8(ascii: "\"") || first == UInt8(ascii: "'") {
            var close = position + 1
            while close < end, bytes[close] != first {
                if bytes[close] == UInt8(ascii: "\\"), first == UInt8(ascii: "\"") { return nil }
                close += 1
            }
            guard close < end else { return nil }
            var after = close + 1
            while after < end, bytes[after] == 0x20 { after += 1 }
            guard after == end else { return nil }
            let text = UTF8Text.string(known: UnsafeBufferPointer(rebasing: bytes[(position + 1)..<close]))
            return FrontMatterValue(.text(text, plain: false), at: place)
        }
        guard !indicators.contains(first) else { return nil }
        var last = end
        while bytes[last - 1] == 0x20 { last -= 1 }
        guard bytes[last - 1] != UInt8(ascii: ":") else { return nil }
        for index in position..<(last - 1) {
            let byte = bytes[index]
            if byte == UInt8(ascii: ":") && bytes[index + 1] == 0x20 { return nil }
            if byte == 0x20 && bytes[index + 1] == UInt8(ascii: "#") { return nil }
        }
        let text = UTF8Text.string(known: UnsafeBufferPointer(rebasing: bytes[position..<last]))
        return FrontMatterValue(.text(text, plain: true), at: place)
    }

    /// Bytes that give a plain value's first character a YAML meaning.
    private static let indicators: [UInt8] = Array("-?:,[]{}#&*!|>'\"%@`".utf8)

    /// Whether every character is one YAML reads as text: no tab, carriage return or other control character, no
    /// C1 control (U+0085 is a YAML line break), no U+2028/U+2029 line or paragraph separators, no byte order mark,
    /// no U+FFFE/U+FFFF. (The string is valid UTF-8, so lead bytes tell the rest.)
    private static func hasOnlyPlainScalars(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte < 0x80 {
                guard byte >= 0x20 && byte != 0x7F || byte == 0x0A else { return false }
                index += 1
            } else if byte < 0xE0 {
                guard byte != 0xC2 || bytes[index + 1] >= 0xA0 else { return false }
                index += 2
            } else if byte < 0xF0 {
                let second = bytes[index + 1]
                let third = bytes[index + 2]
                if byte == 0xE2, second == 0x80, third == 0xA8 || third == 0xA9 { return false }
                if byte == 0xEF, second == 0xBB, third == 0xBF { return false }
                if byte == 0xEF, second == 0xBF, third >= 0xBE { return false }
                index += 3
            } else {
                index += 4
            }
        }
        return true
    }
}
