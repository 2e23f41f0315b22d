/// The CommonMark CJK-friendly amendments (commonmark-spec issue 650) for `*` emphasis: a delimiter run next to
/// a Chinese or Japanese character may open or close emphasis even when punctuation sits on its other side, so
/// that `**注重宣传引导。**周明良指出` is bold. Applied to the runs cmark left as text, one inline container
/// (paragraph, heading, emphasis, link) at a time. Pure Swift: the cmark wrapper hands in the container's
/// children and applies the plan that comes back.
enum CJKEmphasis {
    /// A child of the container, as the resolver needs to see it.
    enum Item: Equatable {
        /// Text whose `*` may be delimiter runs (escaped asterisks were set aside before parsing).
        case text(String)
        /// A line break: whitespace for the runs beside it.
        case lineBreak
        /// Any other node (code, link, emphasis, HTML): its edge is a punctuation character in the source.
        case node
    }

    /// The container's new children.
    indirect enum Resolved: Equatable {
        case text(String)
        /// The original child at this index, kept as it is.
        case original(Int)
        case emphasis(strong: Bool, [Resolved])
    }

    /// What lies just outside the container's first and last child.
    enum Boundary {
        /// A paragraph or heading edge: whitespace.
        case whitespace
        /// Inside emphasis or a link: the delimiter or bracket, punctuation.
        case punctuation
    }

    /// The new children, or nil when the amendment changes nothing here (then cmark's result stands as it is).
    static func resolve(_ items: [Item], boundary: Boundary) -> [Resolved]? {
        var elements = tokenize(items, boundary: boundary)
        guard
            elements.contains(where: {
                if case .delimiter(let run) = $0 { return run.changed }; return false
            })
        else {
            return nil
        }
        processEmphasis(&elements)
        return flatten(elements)
    }

    // MARK: Delimiter runs

    struct Run: Equatable {
        var count: Int
        let originalCount: Int
        let canOpen: Bool
        let canClose: Bool
        /// Whether the amended flanking differs from CommonMark's.
        let changed: Bool
        var active = true
    }

    enum Element: Equatable {
        case text(String)
        case original(Int)
        case delimiter(Run)
        case emphasis(strong: Bool, [Element])
    }

    static func tokenize(_ items: [Item], boundary: Boundary) -> [Element] {
        let edge: Unicode.Scalar = boundary == .whitespace ? "\n" : "*"
        // The character on each side of each item, for runs at an item's edge.
        func lastScalar(before index: Int) -> Unicode.Scalar {
            guard index > 0 else { return edge }
            switch items[index - 1] {
            case .text(let text): return text.unicodeScalars.last ?? lastScalar(before: index - 1)
            case .lineBreak: return "\n"
            case .node: return "*"
            }
        }
        func firstScalar(after index: Int) -> Unicode.Scalar {
            guard index + 1 < items.count else { return edge }
            switch items[index + 1] {
            case .text(let text): return text.unicodeScalars.first ?? firstScalar(after: index + 1)
            case .lineBreak: return "\n"
            case .node: return "*"
            }
        }
        var elements: [Element] = []
        for (index, item) in items.enumerated() {
            guard case .text(let text) = item else {
                elements.append(.original(index))
                continue
            }
            // Most text has no `*`: it stays one piece, as it is.
            guard TextScan.contains(42, in: text) else {
                if !text.isEmpty { elements.append(.text(text)) }
                continue
            }
            // Plain runs are sliced from the text's bytes (a `*` byte is always the scalar `*`), not rebuilt scalar
            // by scalar.
            var storage = text
            storage.withUTF8 { bytes in
                var plainStart = 0
                var position = 0
                while let star = bytes[position...].firstIndex(of: 0x2A) {
                    if plainStart < star {
                        elements.append(
                            .text(UTF8Text.string(known: UnsafeBufferPointer(rebasing: bytes[plainStart..<star]))))
                    }
                    position = star
                    while position < bytes.count, bytes[position] == 0x2A { position += 1 }
                    let before = star > 0 ? scalar(endingAt: star, in: bytes) : lastScalar(before: index)
                    let after =
                        position < bytes.count ? scalar(startingAt: position, in: bytes) : firstScalar(after: index)
                    elements.append(.delimiter(run(count: position - star, before: before, after: after)))
                    plainStart = position
                }
                if plainStart < bytes.count {
                    elements.append(.text(UTF8Text.string(known: UnsafeBufferPointer(rebasing: bytes[plainStart...]))))
                }
            }
        }
        return elements
    }

    /// The scalar whose UTF-8 starts at `index` of well-formed bytes.
    private static func scalar(startingAt index: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Unicode.Scalar {
        Unicode.Scalar(UTF8Text.scalar(at: index, in: bytes)!.value)!
    }

    /// The scalar whose UTF-8 ends just before `end` of well-formed bytes.
    private static func scalar(endingAt end: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Unicode.Scalar {
        var start = end - 1
        while bytes[start] & 0xC0 == 0x80 { start -= 1 }
        return scalar(startingAt: start, in: bytes)
    }

    /// Flanking of a `*` run by CommonMark and by the amendment (markdown-it-cjk-friendly's rules for `*`).
    static func run(count: Int, before: Unicode.Scalar, after: Unicode.Scalar) -> Run {
        let beforeSpace = isWhitespace(before)
        let afterSpace = isWhitespace(after)
        let beforePunctuation = isPunctuation(before)
        let afterPunctuation = isPunctuation(after)
        let leftFlanking = !afterSpace && (!afterPunctuation || beforeSpace || beforePunctuation)
        let rightFlanking = !beforeSpace && (!beforePunctuation || afterSpace || afterPunctuation)
        let nearCJK = isCJK(before) || isCJK(after)
        // The amendment only adds: a run next to a CJK character flanks as long as the whitespace side allows it
        // (found by the Markdown fuzzer: writing the rule out afresh had dropped CommonMark's whitespace cases).
        let amendedLeft = leftFlanking || (!afterSpace && nearCJK)
        let amendedRight = rightFlanking || (!beforeSpace && nearCJK)
        return Run(
            count: count, originalCount: count, canOpen: amendedLeft, canClose: amendedRight,
            changed: amendedLeft != leftFlanking || amendedRight != rightFlanking)
    }

    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" || scalar == "\u{0C}"
            || scalar.properties.generalCategory == .spaceSeparator
    }

    /// ASCII punctuation and Unicode punctuation (P*), as CommonMark 0.30 (and so cmark 0.30.2) counts them.
    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            return (33...47).contains(scalar.value) || (58...64).contains(scalar.value)
                || (91...96).contains(scalar.value) || (123...126).contains(scalar.value)
        }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
            .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    /// Characters of East Asian width W or F (and halfwidth forms) and Hangul; the ranges hold no emoji.
    static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x1100 { return false }
        switch value {
        case 0x1100...0x11FF, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
            0xA960...0xA97F, 0xAC00...0xD7FF, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFFEF,
            0x1B000...0x1B16F, 0x20000...0x3FFFD:
            return true
        default:
            return false
        }
    }

    // MARK: Matching (CommonMark's "process emphasis", over the runs cmark left as text)

    static func processEmphasis(_ elements: inout [Element]) {
        var current = 0
        while current < elements.count {
            guard case .delimiter(var closer) = elements[current], closer.active, closer.canClose else {
                current += 1
                continue
            }
            var openerIndex: Int?
            var search = current - 1
            while search >= 0 {
                if case .delimiter(let opener) = elements[search], opener.active, opener.canOpen,
                    !breaksRuleOfThree(opener, closer)
                {
                    openerIndex = search
                    break
                }
                search -= 1
            }
            guard let openerIndex, case .delimiter(var opener) = elements[openerIndex] else {
                if !closer.canOpen {
                    closer.active = false
                    elements[current] = .delimiter(closer)
                }
                current += 1
                continue
            }
            let used = opener.count >= 2 && closer.count >= 2 ? 2 : 1
            let inner = Array(elements[(openerIndex + 1)..<current]).map(deactivated)
            opener.count -= used
            closer.count -= used
            var replacement: [Element] = []
            if opener.count > 0 { replacement.append(.delimiter(opener)) }
            replacement.append(.emphasis(strong: used == 2, inner))
            if closer.count > 0 { replacement.append(.delimiter(closer)) }
            elements.replaceSubrange(openerIndex...current, with: replacement)
            current = openerIndex + replacement.count - (closer.count > 0 ? 1 : 0)
        }
    }

    /// Delimiters inside new emphasis can no longer match anything outside it.
    private static func deactivated(_ element: Element) -> Element {
        guard case .delimiter(var run) = element else { return element }
        run.active = false
        return .delimiter(run)
    }

    private static func breaksRuleOfThree(_ opener: Run, _ closer: Run) -> Bool {
        guard opener.canClose || closer.canOpen else { return false }
        let sum = opener.originalCount + closer.originalCount
        return sum % 3 == 0 && !(opener.originalCount % 3 == 0 && closer.originalCount % 3 == 0)
    }

    static func flatten(_ elements: [Element]) -> [Resolved] {
        var resolved: [Resolved] = []
        func appendText(_ text: String) {
            if case .text(let previous) = resolved.last {
                resolved[resolved.count - 1] = .text(previous + text)
            } else {
                resolved.append(.text(text))
            }
        }
        for element in elements {
            switch element {
            case .text(let text): appendText(text)
            case .delimiter(let run): appendText(String(repeating: "*", count: run.count))
            case .original(let index): resolved.append(.original(index))
            case .emphasis(let strong, let children): resolved.append(.emphasis(strong: strong, flatten(children)))
            }
        }
        return resolved
    }
}
