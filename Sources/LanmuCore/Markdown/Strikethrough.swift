/// GitHub's strikethrough, double tildes only (`~~删除线~~` → `<del>删除线</del>`), as
/// `cmark-gfm -e strikethrough --strikethrough-double-tilde` reads it: a run of exactly two `~` opens when
/// left-flanking, closes when right-flanking, and closes the nearest open run. A single `~` stays text, so that
/// `9:00~11:00` stays a range. Applied to one inline container at a time, as `CJKEmphasis` is; pure Swift.
enum Strikethrough {
    /// The container's new children.
    indirect enum Resolved: Equatable {
        case text(String)
        /// The original child at this index, kept as it is.
        case original(Int)
        case deleted([Resolved])
    }

    /// The new children, or nil when no pair of `~~` runs matches (then the children stand as they are).
    static func resolve(_ items: [CJKEmphasis.Item], boundary: CJKEmphasis.Boundary) -> [Resolved]? {
        let edge: Unicode.Scalar = boundary == .whitespace ? "\n" : "*"
        func side(_ index: Int, step: Int) -> Unicode.Scalar {
            var index = index + step
            while items.indices.contains(index) {
                switch items[index] {
                case .text(let text):
                    if let scalar = step < 0 ? text.unicodeScalars.last : text.unicodeScalars.first { return scalar }
                case .lineBreak: return "\n"
                case .node: return "*"
                }
                index += step
            }
            return edge
        }
        var output: [Resolved] = []
        // Where each open run's text stands in `output`.
        var openers: [Int] = []
        var matched = false
        for (index, item) in items.enumerated() {
            guard case .text(let text) = item else {
                output.append(.original(index))
                continue
            }
            let scalars = Array(text.unicodeScalars)
            var plain = String.UnicodeScalarView()
            var position = 0
            while position < scalars.count {
                guard scalars[position] == "~" else {
                    plain.append(scalars[position])
                    position += 1
                    continue
                }
                var end = position
                while end < scalars.count, scalars[end] == "~" { end += 1 }
                let run = String(String.UnicodeScalarView(scalars[position..<end]))
                guard end - position == 2 else {
                    plain.append(contentsOf: run.unicodeScalars)
                    position = end
                    continue
                }
                let before = position > 0 ? scalars[position - 1] : side(index, step: -1)
                let after = end < scalars.count ? scalars[end] : side(index, step: 1)
                let beforeSpace = CJKEmphasis.isWhitespace(before)
                let afterSpace = CJKEmphasis.isWhitespace(after)
                let beforePunctuation = CJKEmphasis.isPunctuation(before)
                let afterPunctuation = CJKEmphasis.isPunctuation(after)
                let canOpen = !afterSpace && (!afterPunctuation || beforeSpace || beforePunctuation)
                let canClose = !beforeSpace && (!beforePunctuation || afterSpace || afterPunctuation)
                if !plain.isEmpty { output.append(.text(String(plain))) }
                plain = String.UnicodeScalarView()
                if canClose, let opener = openers.popLast() {
                    let inside = Array(output[(opener + 1)...])
                    output.removeSubrange(opener...)
                    output.append(.deleted(inside))
                    matched = true
                } else {
                    if canOpen { openers.append(output.count) }
                    output.append(.text(run))
                }
                position = end
            }
            if !plain.isEmpty { output.append(.text(String(plain))) }
        }
        return matched ? output : nil
    }
}
