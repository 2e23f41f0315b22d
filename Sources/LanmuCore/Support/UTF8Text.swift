import Foundation

/// Strings from bytes checked once. Swift checks the UTF-8 of every string it makes from bytes; a file is checked
/// when it is read (`TextDecoding`), and what cmark makes from checked text is UTF-8 too, so the second check of an
/// article's HTML (about 5% of a build) is skipped. Debug builds — the tests, the fuzzers — check anyway.
enum UTF8Text {
    /// The string of bytes known to be well-formed UTF-8, copied without checking them again.
    static func string(known bytes: UnsafeBufferPointer<UInt8>) -> String {
        assert(
            String(validating: bytes, as: UTF8.self) != nil,
            "UTF8Text.string(known:) was given bytes that are not UTF-8")
        return String(copying: UTF8Span(unchecked: bytes.span))
    }

    /// The string of a C string cmark made from well-formed text (a literal, a destination), copied without
    /// checking it again (`String(cString:)` checks and repairs).
    static func string(cmark pointer: UnsafePointer<CChar>) -> String {
        string(
            known: UnsafeBufferPointer(
                start: UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self), count: strlen(pointer)))
    }

    /// The scalar whose UTF-8 starts at `index` of well-formed bytes, and its length in bytes; nil when the bytes end
    /// inside it.
    @inline(__always)
    static func scalar(at index: Int, in bytes: UnsafeBufferPointer<UInt8>) -> (value: UInt32, length: Int)? {
        let lead = bytes[index]
        let length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
        guard index + length <= bytes.count else { return nil }
        var value = UInt32(lead) & (length == 1 ? 0x7F : length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
        for offset in 1..<length { value = value << 6 | UInt32(bytes[index + offset] & 0x3F) }
        return (value, length)
    }

    /// Whether the bytes are well-formed UTF-8 (Unicode table 3-7): the answer `String(validating:as:)` gives, at
    /// about three times its speed on Chinese text, where most characters are three bytes.
    static func isWellFormed(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let count = bytes.count
        var index = 0
        while index < count {
            let lead = base[index]
            if lead < 0x80 {
                index += 1
                // After an ASCII byte, eight at a time while they are all ASCII.
                while index + 8 <= count,
                    UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0
                {
                    index += 8
                }
                continue
            }
            // Most Chinese text: three bytes with no further condition on the second.
            if lead >= 0xE1, lead <= 0xEC, index + 2 < count {
                guard base[index + 1] & 0xC0 == 0x80, base[index + 2] & 0xC0 == 0x80 else { return false }
                index += 3
                continue
            }
            let remaining = count - index
            func isContinuation(_ offset: Int) -> Bool { offset < remaining && base[index + offset] & 0xC0 == 0x80 }
            switch lead {
            case 0xC2...0xDF:
                guard isContinuation(1) else { return false }
                index += 2
            case 0xE0...0xEF:
                guard isContinuation(1), isContinuation(2) else { return false }
                let second = base[index + 1]
                if lead == 0xE0 && second < 0xA0 { return false }  // overlong
                if lead == 0xED && second > 0x9F { return false }  // surrogates
                index += 3
            case 0xF0...0xF4:
                guard isContinuation(1), isContinuation(2), isContinuation(3) else { return false }
                let second = base[index + 1]
                if lead == 0xF0 && second < 0x90 { return false }  // overlong
                if lead == 0xF4 && second > 0x8F { return false }  // past U+10FFFF
                index += 4
            default:
                return false
            }
        }
        return true
    }
}
