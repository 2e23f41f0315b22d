import Foundation

/// Cuts an article's opening text into a summary for lists, feeds and `<meta name="description">`.
enum Summary {
    /// About `limit` characters, ending at a sentence mark (。！？) when one is near, with `……` when cut.
    static func cut(_ text: String, limit: Int = 120) -> String {
        let trimmed = text.trimmingSpaces
        // Text whose first scalars are characters of their own (most Chinese text) is cut by byte: the same cut,
        // without walking grapheme clusters.
        if let cut = trimmed.utf8.withContiguousStorageIfAvailable({ cutSimple($0, limit: limit) }) ?? nil {
            return cut
        }
        return cutByCharacter(trimmed, limit: limit)
    }

    /// The cut, in one pass over the bytes, when the first `limit + 1` scalars are simple
    /// (`TextScan.simpleCharacterCount`): then the first `limit` characters are the first `limit` scalars whatever
    /// follows. Nil when they are not.
    private static func cutSimple(_ bytes: UnsafeBufferPointer<UInt8>, limit: Int) -> String? {
        var index = 0
        var scalars = 0
        // The scalar number of the last sentence mark so far, and the byte after it.
        var mark = (scalar: -1, end: 0)
        while index < bytes.count, scalars < limit {
            guard let length = TextScan.simpleScalarLength(in: bytes, at: index) else { return nil }
            let lead = bytes[index]
            let isMark =
                lead == 0x21 || lead == 0x3F
                || (length == 3
                    && ((lead == 0xE3 && bytes[index + 1] == 0x80 && bytes[index + 2] == 0x82)  // 。
                        || (lead == 0xEF && bytes[index + 1] == 0xBC
                            && (bytes[index + 2] == 0x81 || bytes[index + 2] == 0x9F))))  // ！？
            if isMark { mark = (scalars, index + length) }
            index += length
            scalars += 1
        }
        guard index < bytes.count else { return UTF8Text.string(known: bytes) }
        // The scalar after the cut must not join the last one kept.
        guard TextScan.simpleScalarLength(in: bytes, at: index) != nil else { return nil }
        if mark.scalar >= limit * 2 / 3 {
            return UTF8Text.string(known: UnsafeBufferPointer(rebasing: bytes[..<mark.end]))
        }
        return UTF8Text.string(known: UnsafeBufferPointer(rebasing: bytes[..<index])) + "……"
    }

    /// The cut counted in characters (grapheme clusters), for any text.
    static func cutByCharacter(_ trimmed: Substring, limit: Int) -> String {
        // Counting stops after limit + 1 characters: texts are often far longer than a summary.
        guard let cut = trimmed.index(trimmed.startIndex, offsetBy: limit, limitedBy: trimmed.endIndex),
            cut < trimmed.endIndex
        else { return String(trimmed) }
        let head = trimmed[..<cut]
        if let end = head.lastIndex(where: { $0 == "。" || $0 == "！" || $0 == "？" || $0 == "!" || $0 == "?" }),
            head.distance(from: head.startIndex, to: end) >= limit * 2 / 3
        {
            return String(head[...end])
        }
        return String(head) + "……"
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and line breaks.
    var trimmingSpaces: Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\u{3000}" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return self[endIndex...]
        }
        return self[first...last]
    }
}
