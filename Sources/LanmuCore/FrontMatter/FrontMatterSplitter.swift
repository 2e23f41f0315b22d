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
        var lines = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
        let first = lines.first.map { $0.trimmingTrailingSpaces() } ?? ""
        guard first == "---" else {
            let hint: String
            if first == "+++" {
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
            let trimmed = line.trimmingTrailingSpaces()
            if trimmed == "---" || trimmed == "..." {
                return .success(
                    SplitDocument(
                        yaml: yamlLines.joined(separator: "\n"), yamlFirstLine: 2, body: String(remainder),
                        bodyFirstLine: lineNumber + 1))
            }
            yamlLines.append(line)
        }
        return .failure(
            Diagnostic(
                .unterminatedFrontMatter, at: .init(file: file), "front matter 从第 1 行的 --- 开始，但没有结束的 ---",
                hint: "是否忘记了结尾的 ---？在最后一个字段（例如 date: …）的下一行单独写一行 ---，正文写在它的后面"))
    }
}

extension Substring {
    func trimmingTrailingSpaces() -> Substring {
        var end = endIndex
        while end > startIndex, self[index(before: end)] == " " || self[index(before: end)] == "\t" {
            end = index(before: end)
        }
        return self[startIndex..<end]
    }
}
