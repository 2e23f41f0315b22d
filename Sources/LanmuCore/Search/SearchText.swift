/// How site search reads text: folding and the units a text is cut into. `templates/assets/js/search.js` does the
/// same to a query, so both sides must stay exactly alike (`SearchIndexTests` holds the Swift side to a brute-force
/// substring search; the browser check runs the script).
///
/// - Folding: full-width ASCII (U+FF01–U+FF5E) to half-width, the ideographic space to a space, A–Z (either width)
///   to a–z. One
///   character stays one character, so a match in folded text is a match at the same place in the original.
/// - Units: a run of ASCII letters and digits (after folding) is one unit, a word; every other character that is
///   not white space is a unit of its own. White space is a gap: it takes a position but is no unit, so units on
///   both sides of it are not neighbours.
enum SearchText {
    /// The character after folding.
    @inline(__always)
    static func fold(_ scalar: UInt32) -> UInt32 {
        switch scalar {
        case 0xFF21...0xFF3A: scalar - 0xFEE0 + 0x20
        case 0xFF01...0xFF5E: scalar - 0xFEE0
        case 0x3000: 0x20
        case 0x41...0x5A: scalar + 0x20
        default: scalar
        }
    }

    /// White space after folding (the same set as the script's).
    @inline(__always)
    static func isSpace(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0x09...0x0D, 0x20, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF: true
        default: false
        }
    }

    @inline(__always)
    static func isWordCharacter(_ scalar: UInt32) -> Bool {
        (0x30...0x39).contains(scalar) || (0x61...0x7A).contains(scalar)
    }

    /// The folded text of a string.
    static func folded(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars { scalars.append(Unicode.Scalar(fold(scalar.value))!) }
        return String(scalars)
    }

    /// The units of a text, positions counted from `start`; returns the position after the last unit or gap.
    static func units(of text: String, from start: Int, into units: inout [(text: String, position: Int)]) -> Int {
        var position = start
        var word = String.UnicodeScalarView()
        func endWord() {
            if !word.isEmpty {
                units.append((String(word), position))
                position += 1
                word.removeAll(keepingCapacity: true)
            }
        }
        var lastWasSpace = false
        for scalar in text.unicodeScalars {
            let value = fold(scalar.value)
            if isWordCharacter(value) {
                word.append(Unicode.Scalar(value)!)
                lastWasSpace = false
                continue
            }
            endWord()
            if isSpace(value) {
                if !lastWasSpace { position += 1 }
                lastWasSpace = true
            } else {
                units.append((String(Unicode.Scalar(value)!), position))
                position += 1
                lastWasSpace = false
            }
        }
        endWord()
        return position
    }

    /// The units of a query term (no white space in it).
    static func units(ofTerm term: String) -> [String] {
        var found: [(text: String, position: Int)] = []
        _ = units(of: term, from: 0, into: &found)
        return found.map(\.text)
    }

    /// The terms of a query: its space-separated parts, each folded.
    static func terms(of query: String) -> [String] {
        var terms: [String] = []
        var current = String.UnicodeScalarView()
        for scalar in query.unicodeScalars {
            let value = fold(scalar.value)
            if isSpace(value) {
                if !current.isEmpty { terms.append(String(current)) }
                current.removeAll()
            } else {
                current.append(Unicode.Scalar(value)!)
            }
        }
        if !current.isEmpty { terms.append(String(current)) }
        return terms
    }

    /// FNV-1a over the UTF-16 code units of a key: which shard holds it (the script computes the same).
    static func hash(_ key: String) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for unit in key.utf16 {
            hash ^= UInt32(unit)
            hash = hash &* 16_777_619
        }
        return hash
    }
}
