/// Stable heading ids that keep Chinese text: `第一站：横村镇退役军人服务站` → `第一站横村镇退役军人服务站`.
/// Letters and digits of any script are kept (ASCII lower-cased), spaces and hyphens become one `-`, other
/// punctuation is dropped; a repeated id gets `-2`, `-3`….
struct HeadingIDs {
    private var used: [String: Int] = [:]

    static func base(for text: String) -> String {
        var id = String.UnicodeScalarView()
        var pendingHyphen = false
        for scalar in text.unicodeScalars {
            let kind: Kind
            switch scalar.value {
            // ASCII, and CJK ideographs (all alphabetic; a test holds this to the properties): no property lookup.
            case 0x41...0x5A: kind = .kept(Unicode.Scalar(scalar.value + 0x20)!)
            case 0x30...0x39, 0x5F, 0x61...0x7A, 0x4E00...0x9FFF: kind = .kept(scalar)
            case 0x09...0x0D, 0x20, 0x2D: kind = .separator
            case 0..<0x80: kind = .dropped
            default:
                let properties = scalar.properties
                if properties.isAlphabetic || properties.numericType != nil {
                    kind = .kept(scalar)
                } else {
                    kind = properties.isWhitespace ? .separator : .dropped
                }
            }
            switch kind {
            case .kept(let kept):
                if pendingHyphen, !id.isEmpty { id.append("-") }
                pendingHyphen = false
                id.append(kept)
            case .separator: pendingHyphen = true
            case .dropped: break
            }
        }
        return id.isEmpty ? "section" : String(id)
    }

    /// What a heading's character becomes in its id: itself (ASCII letters lower-cased), a hyphen between words,
    /// or nothing.
    private enum Kind {
        case kept(Unicode.Scalar)
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
