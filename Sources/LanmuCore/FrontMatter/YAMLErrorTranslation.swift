import Yams

/// Turns libyaml's English problems into Chinese diagnostics placed at the file's line.
enum YAMLErrorTranslation {
    static func diagnostic(for error: YamlError, file: String, lineOffset: Int) -> Diagnostic {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            let (message, hint) = translate(problem)
            return Diagnostic(
                .invalidYAML, at: .init(file: file, line: mark.line + lineOffset, column: mark.column), message,
                hint: hint)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return Diagnostic(
                .duplicateKey,
                at: .init(file: file, line: context.mark.line + lineOffset, column: context.mark.column),
                "字段 \(duplicates.joined(separator: "、")) 写了不止一次", hint: "每个字段只写一次：删除多余的那一行")
        default:
            return Diagnostic(
                .invalidYAML, at: .init(file: file, line: lineOffset + 1), "YAML 无法解析：\(error)",
                hint: "检查 front matter 的每一行是否都是“字段: 值”的形式")
        }
    }

    private static func translate(_ problem: String) -> (String, String) {
        switch problem {
        case "mapping values are not allowed in this context":
            return (
                "这一行的值里有冒号“: ”，YAML 把它当成了新的字段",
                "把整个值用引号括起来，例如 title: \"回应: 三点\"，或改用中文冒号“：”"
            )
        case "found character that cannot start any token":
            return ("这里有 YAML 不允许的字符（常见原因：用 Tab 缩进，或值以 @、` 开头）", "用空格代替 Tab；以特殊字符开头的值用引号括起来")
        case "could not find expected ':'":
            return ("这一行缺少“字段: 值”中的冒号", "在字段名后面加上英文冒号和一个空格，例如 source: 市民政局")
        case "did not find expected key", "did not find expected '-' indicator":
            return ("缩进不一致，YAML 无法判断这一行属于哪个字段", "让同一层的字段左对齐；列表项用两个空格缩进再写“- ”")
        case "found unexpected end of stream", "found unexpected document indicator":
            return ("引号或括号没有配对", "检查这一段里的引号（\" 或 '）和方括号是否成对出现")
        case "found a tab character that violates indentation",
            "found a tab character where an indentation space is expected":
            return ("这一行用 Tab 缩进了，YAML 只认空格", "把行首的 Tab 删掉（字段都顶格写），或换成空格")
        case "found undefined alias":
            return ("使用了未定义的别名（*名字）", "front matter 不需要别名：直接写出值")
        case _ where problem.hasPrefix("Maximum nesting level reached"):
            return (
                "括号或缩进套得太深，超过了 YAML 允许的层数",
                "front matter 的值最多套几层：检查这里是否多写了 [ 或 {，或缩进一层比一层深"
            )
        default:
            return ("YAML 无法解析（\(problem)）", "检查这一行：每行写“字段: 值”，冒号后有空格，文字里有特殊字符时用引号括起来")
        }
    }
}
