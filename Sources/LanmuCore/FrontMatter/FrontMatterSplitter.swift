/// A Markdown file cut into its YAML front matter and its body.
struct SplitDocument: Sendable, Equatable {
    /// The YAML between the fences, without them.
    var yaml: String
    /// The file line on which the YAML starts (the line after the opening `---`).
    var yamlFirstLine: Int
    /// The Markdown after the closing fence.
    var body: String
    /// The file line on which the body starts.
    var bodyFirstLine: Int
}

/// Finds the `---` fences of the front matter.
enum FrontMatterSplitter {
    /// Splits normalised text (`\n` line endings, no BOM).
    static func split(_ text: String, file: String) -> Result<SplitDocument, Diagnostic> {
        // Lines are found by byte: `\n` always ends a character, and the fences are ASCII.
        var copy = text
        let found = copy.withUTF8 { bytes in fences(in: bytes) }
        guard found.opened else {
            let hint: String
            if found.firstIsPlus {
                hint = "Lanmu 只接受 YAML 格式的 front matter：把首尾的 +++ 换成 ---，并把 “键 = 值” 改成 “键: 值”"
            } else if text.isEmpty {
                hint =
                    "文件是空的。文章要以 --- 开头，写上 title 和 date，再以 --- 结束，例如：\n    ---\n    title: 标题\n    date: 2020-04-30 09:17\n    ---"
            } else {
                hint = "在文件第一行写 ---，接着写 title: 标题 和 date: 2020-04-30 09:17 等字段，再用一行 --- 结束"
            }
            return .failure(
                Diagnostic(.missingFrontMatter, at: .init(file: file), "文件没有以 --- 开头的 front matter", hint: hint))
        }
        guard let closing = found.closing else {
            return .failure(
                Diagnostic(
                    .unterminatedFrontMatter, at: .init(file: file), "front matter 从第 1 行的 --- 开始，但没有结束的 ---",
                    hint: "是否忘记了结尾的 ---？在最后一个字段（例如 date: …）的下一行单独写一行 ---，正文写在它的后面"))
        }
        let utf8 = text.utf8
        func index(_ offset: Int) -> String.Index { utf8.index(utf8.startIndex, offsetBy: offset) }
        return .success(
            SplitDocument(
                yaml: String(text[index(closing.yaml.lowerBound)..<index(closing.yaml.upperBound)]), yamlFirstLine: 2,
                body: String(text[index(closing.bodyStart)...]), bodyFirstLine: closing.bodyFirstLine))
    }

    /// Where the fences are, by byte offset: whether the first line is `---` (or `+++`), and for the closing
    /// `---` or `...` line, the YAML between them (without the last line break), where the body starts and its line.
    private static func fences(in bytes: UnsafeBufferPointer<UInt8>) -> (
        opened: Bool, firstIsPlus: Bool, closing: (yaml: Range<Int>, bodyStart: Int, bodyFirstLine: Int)?
    ) {
        func lineEnd(from start: Int) -> Int {
            var end = start
            while end < bytes.count, bytes[end] != 0x0A { end += 1 }
            return end
        }
        /// The line without trailing spaces and tabs, compared with a three-byte fence.
        func isFence(_ start: Int, _ end: Int, _ fence: UInt8) -> Bool {
            var end = end
            while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
            return end - start == 3 && bytes[start] == fence && bytes[start + 1] == fence && bytes[start + 2] == fence
        }
        let firstEnd = lineEnd(from: 0)
        guard isFence(0, firstEnd, 0x2D) else { return (false, isFence(0, firstEnd, 0x2B), nil) }
        let yamlStart = min(firstEnd + 1, bytes.count)
        var start = yamlStart
        var lineNumber = 2
        while start < bytes.count {
            let end = lineEnd(from: start)
            if isFence(start, end, 0x2D) || isFence(start, end, 0x2E) {
                return (true, false, (yamlStart..<max(yamlStart, start - 1), min(end + 1, bytes.count), lineNumber + 1))
            }
            start = end + 1
            lineNumber += 1
        }
        return (true, false, nil)
    }
}
