import Foundation

/// Cuts an article's opening text into a summary for lists, feeds and `<meta name="description">`.
enum Summary {
    /// About `limit` characters, ending at a sentence mark (。！？) when one is near, with `……` when cut.
    static func cut(_ text: String, limit: Int = 120) -> String {
        let characters = Array(text.trimmingCharacters(in: .whitespacesAndNewlines))
        guard characters.count > limit else { return String(characters) }
        let head = characters[..<limit]
        if let end = head.lastIndex(where: { "。！？!?".contains($0) }), end >= limit * 2 / 3 {
            return String(head[...end])
        }
        return String(head) + "……"
    }
}
