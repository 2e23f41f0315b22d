/// Stable heading ids that keep Chinese text: `第一站：横村镇退役军人服务站` → `第一站横村镇退役军人服务站`.
/// Letters and digits of any script are kept (ASCII lower-cased), spaces and hyphens become one `-`, other
/// punctuation is dropped; a repeated id gets `-2`, `-3`….
struct HeadingIDs {
    private var used: [String: Int] = [:]

    static func base(for text: String) -> String {
        var text = text
        // Byte by byte: the id is the text's own UTF-8 with some scalars left out (building a scalar view scalar by
        // scalar cost more than the rest of the heading's handling).
        let id = text.withUTF8 { source -> [UInt8] in
            var id: [UInt8] = []
            id.reserveCapacity(source.count)
            var pendingHyphen = false
            var index = 0
            while index < source.count {
                let lead = source[index]
                guard let (value, length) = UTF8Text.scalar(at: index, in: source) else { break }  // not from a String
                let kind: Kind
                switch value {
                // ASCII, and CJK ideographs (all alphabetic; a test holds this to the properties): no property lookup.
                case 0x41...0x5A, 0x30...0x39, 0x5F, 0x61...0x7A, 0x4E00...0x9FFF: kind = .kept
                case 0x09...0x0D, 0x20, 0x2D: kind = .separator
                case 0..<0x80: kind = .dropped
                default:
                    let properties = Unicode.Scalar(value)!.properties
                    if properties.isAlphabetic || properties.numericType != nil {
                        kind = .kept
                    } else {
                        kind = properties.isWhitespace ? .separator : .dropped
                    }
                }
                switch kind {
                case .kept:
                    if pendingHyphen, !id.isEmpty { id.append(0x2D) }
                    pendingHyphen = false
                    if lead >= 0x41 && lead <= 0x5A {
                        id.append(lead + 0x20)  // ASCII lower-cased
                    } else {
                        id.append(contentsOf: UnsafeBufferPointer(rebasing: source[index..<index + length]))
                    }
                case .separator: pendingHyphen = true
                case .dropped: break
                }
                index += length
            }
            return id
        }
        return id.isEmpty ? "section" : String(decoding: id, as: UTF8.self)
    }

    /// What a heading's character becomes in its id: itself (ASCII letters lower-cased), a hyphen between words,
    /// or nothing.
    private enum Kind {
        case kept
        case separator
        case dropped
    }

    /// The next unique id for a heading's text.
    mutating func make(for text: String) -> String {
        let base = Self.base(for: text)
        var id = base
        var counter = used[base, default: 1]
        while used[id] != nil {
            counter += 1
            id = "\(base)-\(counter)"
        }
        used[base] = counter
        used[id] = 1
        return id
    }
}
