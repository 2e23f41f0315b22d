import Testing

@testable import LanmuCore

/// The byte-level splitter gives what the first, line-by-line one gave (kept here as the reference).
@Suite struct SplitterEquivalenceTests {
    /// The splitter as first written: lines as substrings, compared by character.
    enum Outcome: Equatable {
        case missing, unterminated
        case split(yaml: String, body: String, bodyFirstLine: Int)
    }

    static func reference(_ text: String) -> Outcome {
        func trimmed(_ line: Substring) -> Substring {
            var end = line.endIndex
            while end > line.startIndex, line[line.index(before: end)] == " " || line[line.index(before: end)] == "\t" {
                end = line.index(before: end)
            }
            return line[line.startIndex..<end]
        }
        var lines = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
        guard (lines.first.map(trimmed) ?? "") == "---" else { return .missing }
        let rest = lines.count > 1 ? String(lines.removeLast()) : ""
        var yamlLines: [Substring] = []
        var lineNumber = 1
        var remainder = rest[...]
        while !remainder.isEmpty || lineNumber == 1 {
            lineNumber += 1
            let line: Substring
            if let newline = remainder.firstIndex(of: "\n") {
                line = remainder[..<newline]
                remainder = remainder[remainder.index(after: newline)...]
            } else {
                line = remainder
                remainder = remainder[remainder.endIndex...]
                if line.isEmpty { break }
            }
            if trimmed(line) == "---" || trimmed(line) == "..." {
                return .split(
                    yaml: yamlLines.joined(separator: "\n"), body: String(remainder), bodyFirstLine: lineNumber + 1)
            }
            yamlLines.append(line)
        }
        return .unterminated
    }

    @Test func generatedDocumentsSplitAsBefore() {
        var generator = SeededGenerator(seed: 3)
        let pieces = [
            "---", "...", "+++", "\n", "\n", " ", "\t", "a: b", "中文", "\u{301}", "-", ".", "--- x", "\u{600}",
        ]
        for _ in 0..<5000 {
            let text = (0..<Int.random(in: 0...10, using: &generator)).map { _ in
                pieces.randomElement(using: &generator)!
            }.joined()
            let found: Outcome
            switch FrontMatterSplitter.split(text, file: "a.md") {
            case .success(let document):
                #expect(document.yamlFirstLine == 2)
                found = .split(yaml: document.yaml, body: document.body, bodyFirstLine: document.bodyFirstLine)
            case .failure(let diagnostic):
                found = diagnostic.code == .missingFrontMatter ? .missing : .unterminated
            }
            #expect(found == Self.reference(text), "\(text.debugDescription)")
        }
    }
}
