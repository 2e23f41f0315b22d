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

    /// Whether the text's UTF-8 contains any of the (ASCII) bytes.
    static func containsAny(of bytes: [UInt8], in text: String) -> Bool {
        var text = text
        return text.withUTF8 { buffer in
            guard let base = buffer.baseAddress else { return false }
            return bytes.contains { memchr(base, Int32($0), buffer.count) != nil }
        }
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
