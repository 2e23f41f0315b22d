import Foundation

/// Ids out of request targets and into JSON. Each has a fast path for the ids nearly every site has (ASCII letters,
/// digits and `-_.~/`), held to the plain twin beside it by `CounterRoutesParsingTests`.
extension CounterRoutes {
    /// The id a percent-encoded path or list item names, or nil when it is malformed: empty, longer than 512
    /// bytes, not UTF-8, with a control character (NUL included), a `.` or `..` or empty segment, or a character
    /// outside letters, digits, marks and `- _ . ~ /`.
    static func id(fromEncoded encoded: Substring) -> String? {
        switch asciiID(fromEncoded: encoded) {
        case .id(let id): id
        case .malformed: nil
        case .needsDecoding: plainID(fromEncoded: encoded)
        }
    }

    /// What the fast path made of an encoded id.
    enum FastID: Equatable {
        case id(String)
        case malformed
        /// A byte the fast path does not judge (`%`, anything outside ASCII letters, digits and `-_.~/`).
        case needsDecoding
    }

    /// Decides an id made only of ASCII letters, digits and `-_.~/` in one pass over its bytes, without decoding.
    /// A malformed length or segment is malformed whatever the other bytes decode to (decoding keeps every raw `/`
    /// and `.`, and only adds `/`), so those answer `.malformed` at once.
    static func asciiID(fromEncoded encoded: Substring) -> FastID {
        let bytes = encoded.utf8
        guard !bytes.isEmpty, bytes.count <= maximumIDLength else { return .malformed }
        var segmentLength = 0
        var segmentDots = 0
        var plain = true
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "/"):
                if segmentLength == 0 || (segmentDots == segmentLength && segmentLength <= 2) { return .malformed }
                segmentLength = 0
                segmentDots = 0
            case UInt8(ascii: "."):
                segmentLength += 1
                segmentDots += 1
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "~"):
                segmentLength += 1
            default:
                // `%41` is a segment byte too; keep going, a later empty segment is still malformed.
                segmentLength += 1
                plain = false
            }
        }
        if segmentLength == 0 || (segmentDots == segmentLength && segmentLength <= 2) { return .malformed }
        return plain ? .id(String(encoded)) : .needsDecoding
    }

    /// The plain twin of `id(fromEncoded:)`: decode, then check segments and every character's Unicode properties.
    static func plainID(fromEncoded encoded: Substring) -> String? {
        guard !encoded.isEmpty, encoded.utf8.count <= maximumIDLength,
            let id = String(encoded).removingPercentEncoding, !id.isEmpty
        else { return nil }
        // Segments by bytes, not by Characters: a combining mark after `/` makes one Character of the two, which
        // would hide the separator (`a/../%CC%81` would pass).
        for segment in id.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false) {
            guard !segment.isEmpty, !segment.elementsEqual(".".utf8), !segment.elementsEqual("..".utf8) else {
                return nil
            }
        }
        for scalar in id.unicodeScalars {
            switch scalar {
            case "-", "_", ".", "~", "/": continue
            default:
                let properties = scalar.properties
                guard properties.isAlphabetic || properties.numericType != nil || properties.generalCategory.isMark
                else { return nil }
            }
        }
        return id
    }

    /// `text` cut at every `separator` (an ASCII byte), empty pieces kept. By bytes: `Substring.split` compares
    /// Characters, a grapheme-break test per character, which was a fifth of a read's time with ten ids.
    static func pieces(of text: Substring, separatedBy separator: UInt8) -> [Substring] {
        var result: [Substring] = []
        let bytes = text.utf8
        var start = bytes.startIndex
        var index = start
        while index != bytes.endIndex {
            if bytes[index] == separator {
                result.append(text[start..<index])
                start = bytes.index(after: index)
            }
            index = bytes.index(after: index)
        }
        result.append(text[start..<bytes.endIndex])
        return result
    }

    /// `text` as a JSON string, safe inside HTML too (`<` escaped).
    static func jsonString(_ text: String) -> String {
        var result = ""
        appendJSONString(text, to: &result)
        return result
    }

    /// Appends `text` as a JSON string: as it is between quotes when no byte needs escaping (the usual id), else
    /// through `plainJSONString`.
    static func appendJSONString(_ text: String, to result: inout String) {
        let needsEscaping = text.utf8.contains { byte in
            byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "<")
        }
        if needsEscaping {
            result += plainJSONString(text)
        } else {
            result += "\""
            result += text
            result += "\""
        }
    }

    /// The plain twin of `jsonString`: scalar by scalar.
    static func plainJSONString(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "<": result += "\\u003c"
            default:
                if scalar.value < 0x20 {
                    result += String(format: "\\u%04x", scalar.value)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}

extension Unicode.GeneralCategory {
    fileprivate var isMark: Bool {
        switch self {
        case .nonspacingMark, .spacingMark, .enclosingMark: true
        default: false
        }
    }
}
