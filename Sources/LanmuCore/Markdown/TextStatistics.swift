/// Word count and reading time the way Chinese readers count: every Chinese (or Japanese, Korean) character is a
/// word, and so is every run of Latin letters or digits. No switch needed (Hugo needs `hasCJKLanguage`).
struct TextStatistics: Sendable, Equatable {
    /// CJK characters (punctuation excluded).
    var characters = 0
    /// Runs of Latin letters or digits.
    var words = 0

    var total: Int { characters + words }

    /// Minutes to read, at 400 Chinese characters or 200 Latin words a minute; at least 1.
    var readingMinutes: Int {
        let minutes = Double(characters) / 400 + Double(words) / 200
        return max(1, Int(minutes.rounded(.up)))
    }

    mutating func add(_ text: String) {
        var text = text
        text.withUTF8 { add(utf8: $0) }
    }

    /// Counts valid UTF-8 (cmark's text), decoded here: the scalar view's index machinery costs more than the count.
    mutating func add(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        var inWord = false
        var index = 0
        let count = bytes.count
        while index < count {
            let lead = UInt32(bytes[index])
            let value: UInt32
            if lead >= 0xE4 && lead <= 0xE9, index + 2 < count, lead != 0xE4 || bytes[index + 1] >= 0xB8 {
                // U+4E00–U+9FFF: CJK ideographs, most of a Chinese text.
                characters += 1
                inWord = false
                index += 3
                continue
            } else if lead == 0xE3, index + 2 < count, bytes[index + 1] == 0x80 {
                // U+3000–U+303F: CJK punctuation (、。「」《》).
                inWord = false
                index += 3
                continue
            } else if lead < 0x80 {
                value = lead
                index += 1
            } else if lead < 0xE0, index + 1 < count {
                value = (lead & 0x1F) << 6 | UInt32(bytes[index + 1] & 0x3F)
                index += 2
            } else if lead < 0xF0, index + 2 < count {
                value = (lead & 0x0F) << 12 | UInt32(bytes[index + 1] & 0x3F) << 6 | UInt32(bytes[index + 2] & 0x3F)
                index += 3
            } else if index + 3 < count {
                value =
                    (lead & 0x07) << 18 | UInt32(bytes[index + 1] & 0x3F) << 12 | UInt32(bytes[index + 2] & 0x3F) << 6
                    | UInt32(bytes[index + 3] & 0x3F)
                index += 4
            } else {
                break  // a cut-off sequence: not from cmark
            }
            switch value {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A:
                if !inWord { words += 1 }
                inWord = true
            case 0..<0x80, 0x2000...0x206F, 0x3000...0x303F, 0xFF00...0xFF0F, 0xFF1A...0xFF20, 0xFF3B...0xFF40,
                0xFF5B...0xFF65:
                // ASCII, general punctuation (“” ‘’ — …) and CJK punctuation: the common case, without a property
                // lookup (none of them is a letter or a number; a test holds this to the properties).
                inWord = false
            case 0x3040...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xAC00...0xD7AF, 0xF900...0xFAFF,
                0x20000...0x2FA1F:
                characters += 1
                inWord = false
            default:
                guard let scalar = Unicode.Scalar(value) else {
                    inWord = false
                    continue
                }
                let properties = scalar.properties
                if properties.isAlphabetic || properties.numericType != nil {
                    if !inWord { words += 1 }
                    inWord = true
                } else {
                    inWord = false
                }
            }
        }
    }
}
