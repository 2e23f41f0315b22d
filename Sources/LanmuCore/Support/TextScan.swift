#if canImport(Glibc)
    import Glibc
#endif

/// Byte and scalar scans over a string's UTF-8 that run at memory speed (`memchr` over contiguous storage): the
/// generic `String.UTF8View` sequence methods go byte by byte through the string's index machinery.
enum TextScan {
    /// Whether the text's UTF-8 contains the byte.
    static func contains(_ byte: UInt8, in text: String) -> Bool {
        var text = text
        return text.withUTF8 { buffer in
            guard let base = buffer.baseAddress else { return false }
            return memchr(base, Int32(byte), buffer.count) != nil
        }
    }

    /// Whether the bytes contain the byte.
    static func contains(_ byte: UInt8, in bytes: ArraySlice<UInt8>) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return false }
            return memchr(base, Int32(byte), buffer.count) != nil
        }
    }

    /// Whether the text's UTF-8 contains any of the (ASCII) bytes.
    static func containsAny(of bytes: [UInt8], in text: String) -> Bool {
        var text = text
        return text.withUTF8 { containsAny(of: bytes, in: $0) }
    }

    /// Whether the text's UTF-8 contains any of the (ASCII) bytes.
    static func containsAny(of bytes: [UInt8], in text: Substring) -> Bool {
        var text = text
        return text.withUTF8 { containsAny(of: bytes, in: $0) }
    }

    private static func containsAny(of bytes: [UInt8], in buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = buffer.baseAddress else { return false }
        return bytes.contains { memchr(base, Int32($0), buffer.count) != nil }
    }

    /// Where the (non-empty) bytes first occur in the text's UTF-8, as a range of the text's UTF-8 indices: `memchr`
    /// for the first byte, `memcmp` for the rest.
    static func firstRange(of needle: [UInt8], in text: String) -> Range<String.Index>? {
        precondition(!needle.isEmpty, "search for at least one byte")
        var copy = text
        let offset = copy.withUTF8 { haystack -> Int? in
            needle.withUnsafeBufferPointer { needle -> Int? in
                guard let base = haystack.baseAddress, let pattern = needle.baseAddress else { return nil }
                var from = 0
                while haystack.count - from >= needle.count,
                    let found = memchr(base + from, Int32(pattern[0]), haystack.count - from - needle.count + 1)
                {
                    let index = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                    if memcmp(base + index, pattern, needle.count) == 0 { return index }
                    from = index + 1
                }
                return nil
            }
        }
        guard let offset else { return nil }
        let start = text.utf8.index(text.utf8.startIndex, offsetBy: offset)
        return start..<text.utf8.index(start, offsetBy: needle.count)
    }

    /// Whether `second` directly follows `first` somewhere in the text's UTF-8.
    static func containsPair(_ first: UInt8, _ second: UInt8, in text: String) -> Bool {
        var text = text
        return text.withUTF8 { buffer in
            guard let base = buffer.baseAddress else { return false }
            var offset = 0
            while offset < buffer.count, let found = memchr(base + offset, Int32(first), buffer.count - offset) {
                let index = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                if index + 1 < buffer.count, buffer[index + 1] == second { return true }
                offset = index + 1
            }
            return false
        }
    }

    /// Whether a scalar is in Foundation's `CharacterSet.whitespaces`: a tab, a space separator (Unicode category
    /// Zs) or the zero width space (tested against Foundation for every scalar).
    static func isHorizontalSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20, 0x09, 0xA0, 0x1680, 0x2000...0x200B, 0x202F, 0x205F, 0x3000: true
        default: false
        }
    }

    /// The text without horizontal space (`CharacterSet.whitespaces`) at either end, trimmed by scalar as
    /// Foundation's `trimmingCharacters(in: .whitespaces)` trims.
    static func trimmingHorizontalSpace(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isHorizontalSpace($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !isHorizontalSpace($0) })!
        if first == scalars.startIndex, scalars.index(after: last) == scalars.endIndex { return text }
        return String(String.UnicodeScalarView(scalars[first...last]))
    }
}

extension TextScan {
    /// The number of scalars when every scalar of the text is a character of its own that never joins a
    /// neighbour (ASCII without `\r`, CJK ideographs and punctuation, fullwidth forms, common dashes and quotes):
    /// then it is also the number of characters, and every scalar boundary is a character boundary. Nil when
    /// some scalar is outside that set (count characters the slow way then).
    static func simpleCharacterCount(_ text: some StringProtocol) -> Int? {
        scalarCount(text, where: isSimple)
    }

    /// Whether a scalar is a character of its own that never joins a neighbour (see `simpleCharacterCount`).
    @inline(__always)
    static func isSimple(_ value: UInt32) -> Bool {
        switch value {
        case 0x20..<0x7F, 0x0A, 0x09, 0x2010...0x2027, 0x3000...0x3029, 0x3030...0x303F, 0x4E00...0x9FFF,
            0xFF01...0xFF5E:
            true
        default: false
        }
    }

    /// The length in bytes of the scalar starting at `index` of well-formed UTF-8 when `isSimple` accepts it; nil
    /// otherwise.
    @inline(__always)
    static func simpleScalarLength(in bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int? {
        let lead = bytes[index]
        if lead < 0x80 { return isSimple(UInt32(lead)) ? 1 : nil }
        guard lead >= 0xE0 && lead < 0xF0, index + 2 < bytes.count else { return nil }
        let value = UInt32(lead & 0x0F) << 12 | UInt32(bytes[index + 1] & 0x3F) << 6 | UInt32(bytes[index + 2] & 0x3F)
        return isSimple(value) ? 3 : nil
    }

    /// The number of scalars when every scalar is at most three UTF-8 bytes long and `accepts` it; nil otherwise.
    @inline(__always)
    private static func scalarCount(_ text: some StringProtocol, where accepts: (UInt32) -> Bool) -> Int? {
        let counted = text.utf8.withContiguousStorageIfAvailable { bytes -> Int? in
            var count = 0
            var index = 0
            while index < bytes.count {
                let lead = bytes[index]
                let value: UInt32
                if lead < 0x80 {
                    value = UInt32(lead)
                    index += 1
                } else if lead >= 0xE0 && lead < 0xF0, index + 2 < bytes.count {
                    value =
                        UInt32(lead & 0x0F) << 12 | UInt32(bytes[index + 1] & 0x3F) << 6
                        | UInt32(bytes[index + 2] & 0x3F)
                    index += 3
                } else {
                    return nil
                }
                guard accepts(value) else { return nil }
                count += 1
            }
            return count
        }
        return counted ?? nil
    }

    /// The first `limit` characters of the text.
    static func prefix(_ text: String, characters limit: Int) -> String {
        guard let count = simpleCharacterCount(text) else { return String(text.prefix(limit)) }
        if count <= limit { return text }
        // Every scalar a character: cut at the byte where scalar number `limit` starts (the scalar view's index
        // walk costs more than the count).
        var copy = text
        let cut = copy.withUTF8 { bytes in
            var scalars = 0
            var offset = 0
            while scalars < limit {
                offset += 1
                if bytes[offset] & 0xC0 != 0x80 { scalars += 1 }
            }
            return offset
        }
        return String(text[..<text.utf8.index(text.utf8.startIndex, offsetBy: cut)])
    }

    /// Whether NFC leaves the text as it is because every scalar is ASCII or a CJK ideograph or punctuation mark
    /// without a decomposition (no combining marks, no compatibility ideographs, no Hangul).
    static func isTriviallyPrecomposed(_ text: String) -> Bool {
        scalarCount(text) { value in
            switch value {
            case 0..<0x80, 0x3000...0x3029, 0x3030...0x303F, 0x4E00...0x9FFF, 0xFF01...0xFF5E: true
            default: false
            }
        } != nil
    }

    /// The names of a path split at `/`, empty names dropped, as `split(separator: "/")` splits it (by character:
    /// a `/` followed by a combining mark is not a separator). A `/` with ASCII (or nothing) on both sides is a
    /// character of its own, so such paths — nearly all — are split by byte.
    static func pathSegments(_ path: String) -> [String] {
        var path = path
        let segments = path.withUTF8 { bytes -> [String]? in
            var segments: [String] = []
            var start = 0
            for index in 0..<bytes.count where bytes[index] == 0x2F {
                if index > 0, bytes[index - 1] >= 0x80 { return nil }
                if index + 1 < bytes.count, bytes[index + 1] >= 0x80 { return nil }
                if index > start {
                    segments.append(UTF8Text.string(known: UnsafeBufferPointer(rebasing: bytes[start..<index])))
                }
                start = index + 1
            }
            if bytes.count > start {
                segments.append(UTF8Text.string(known: UnsafeBufferPointer(rebasing: bytes[start...])))
            }
            return segments
        }
        return segments ?? path.split(separator: "/").map(String.init)
    }
}
