/// Stable heading ids that keep Chinese text: `第一站：横村镇退役军人服务站` → `第一站横村镇退役军人服务站`.
/// Letters and digits of any script are kept (ASCII lower-cased), spaces and hyphens become one `-`, other
/// punctuation is dropped; a repeated id gets `-2`, `-3`….
struct HeadingIDs {
    private var used: [String: Int] = [:]

    static func base(for text: String) -> String {
        var id = String.UnicodeScalarView()
        var pendingHyphen = false
        for scalar in text.unicodeScalars {
            let properties = scalar.properties
            if properties.isAlphabetic || properties.numericType != nil || scalar == "_" {
                if pendingHyphen, !id.isEmpty { id.append("-") }
                pendingHyphen = false
                id.append(
                    contentsOf: scalar.isASCII
                        ? String(scalar).lowercased().unicodeScalars : String(scalar).unicodeScalars)
            } else if properties.isWhitespace || scalar == "-" {
                pendingHyphen = true
            }
        }
        return id.isEmpty ? "section" : String(id)
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
