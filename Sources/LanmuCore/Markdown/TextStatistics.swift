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
        var inWord = false
        for scalar in text.unicodeScalars {
            let properties = scalar.properties
            if CJKEmphasis.isCJK(scalar) && (properties.isAlphabetic || properties.isIdeographic) {
                characters += 1
                inWord = false
            } else if properties.isAlphabetic || properties.numericType != nil {
                if !inWord { words += 1 }
                inWord = true
            } else {
                inWord = false
            }
        }
    }
}
