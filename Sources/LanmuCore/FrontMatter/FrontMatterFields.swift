import Yams

/// The key/value pairs of one file's front matter, read through Yams's node tree so that every value keeps
/// the text the editor typed and the place it was typed; typed accessors record problems as diagnostics.
struct FrontMatterFields {
    private struct Entry {
        var key: String
        var keyLocation: Diagnostic.Location
        var value: Node
    }

    private var entries: [String: Entry] = [:]
    private var order: [String] = []
    private var used: Set<String> = []
    private let file: String
    private let lineOffset: Int
    /// Problems found while reading.
    private(set) var diagnostics: [Diagnostic] = []

    /// Parses the YAML of a split document; nil (with diagnostics) when it is not a readable mapping.
    static func parse(_ document: SplitDocument, file: String) -> Result<FrontMatterFields, Diagnostic> {
        let lineOffset = document.yamlFirstLine - 1
        if let (line, column) = firstAnchorOrAlias(in: document.yaml) {
            return .failure(
                Diagnostic(
                    .invalidYAML, at: .init(file: file, line: line + lineOffset, column: column),
                    "front matter 不支持 YAML 的锚点和别名（& 和 *）",
                    hint: "直接写出每个字段的值；值以 & 或 * 开头时用引号括起来，例如 title: \"*重要*\""))
        }
        let root: Node?
        do {
            // Lanmu reads every scalar from its text (`title: 2024` is text), so no tag resolution (`.basic`); the
            // encoding is given because `Parser.Encoding.default` reads the whole environment on every call.
            root = try Parser(yaml: document.yaml, resolver: .basic, encoding: .utf8).singleRoot()
        } catch let error as YamlError {
            return .failure(YAMLErrorTranslation.diagnostic(for: error, file: file, lineOffset: lineOffset))
        } catch {
            return .failure(
                Diagnostic(
                    .invalidYAML, at: .init(file: file, line: document.yamlFirstLine), "YAML 无法解析：\(error)",
                    hint: "检查 front matter 的每一行是否都是“字段: 值”的形式"))
        }
        var fields = FrontMatterFields(file: file, lineOffset: lineOffset)
        guard let root else { return .success(fields) }
        guard case .mapping(let mapping) = root else {
            return .failure(
                Diagnostic(
                    .notAMapping, at: fields.location(of: root), "front matter 应该是一行一个“字段: 值”，这里却是\(root.kindName)",
                    hint: "按“字段: 值”的形式书写，例如 title: 标题（冒号后面要有一个空格）"))
        }
        for (keyNode, value) in mapping {
            let key = keyNode.scalar?.string ?? ""
            fields.entries[key] = Entry(key: key, keyLocation: fields.location(of: keyNode), value: value)
            fields.order.append(key)
        }
        return .success(fields)
    }

    /// Where a value starts with `&` (anchor) or `*` (alias): YAML indicators, never plain text. Anchors and
    /// aliases let one field silently repeat another and can expand without bound, so front matter refuses them.
    static func firstAnchorOrAlias(in yaml: String) -> (line: Int, column: Int)? {
        guard TextScan.containsAny(of: [0x26, 0x2A], in: yaml) else { return nil }  // no `&`, no `*`
        for (index, line) in yaml.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let characters = Array(line)
            var position = 0
            while position < characters.count, characters[position] == " " { position += 1 }
            if position < characters.count, characters[position] == "-" {
                position += 1
            } else if let colon = valueColon(in: characters) {
                position = colon + 1
            } else {
                continue
            }
            while position < characters.count, characters[position] == " " { position += 1 }
            if position < characters.count, characters[position] == "&" || characters[position] == "*" {
                return (index + 1, position + 1)
            }
        }
        return nil
    }

    /// The `:` that ends a plain key on a line, if any (quoted keys are rare in front matter and left alone).
    private static func valueColon(in characters: [Character]) -> Int? {
        guard let first = characters.first(where: { $0 != " " }), first != "\"", first != "'", first != "#" else {
            return nil
        }
        for index in characters.indices where characters[index] == ":" {
            if index + 1 == characters.count || characters[index + 1] == " " { return index }
        }
        return nil
    }

    private init(file: String, lineOffset: Int) {
        self.file = file
        self.lineOffset = lineOffset
    }

    func location(of node: Node) -> Diagnostic.Location {
        guard let mark = node.mark else { return .init(file: file, line: lineOffset + 1) }
        return .init(file: file, line: mark.line + lineOffset, column: mark.column)
    }

    /// Where the key was written, or the first YAML line when it is absent.
    func location(ofKey key: String) -> Diagnostic.Location {
        entries[key]?.keyLocation ?? .init(file: file, line: lineOffset + 1)
    }

    /// Where the value was written, or the key's place when the value is empty.
    func location(ofValue key: String) -> Diagnostic.Location {
        guard let entry = entries[key] else { return location(ofKey: key) }
        if let scalar = entry.value.scalar, scalar.string.isEmpty { return entry.keyLocation }
        return location(of: entry.value)
    }

    func contains(_ key: String) -> Bool { entries[key] != nil }

    /// Whether the key holds a single value (not a list or mapping).
    func holdsScalar(_ key: String) -> Bool { entries[key]?.value.scalar != nil }

    mutating func report(_ diagnostic: Diagnostic) { diagnostics.append(diagnostic) }

    /// The text of a scalar, exactly as typed (`title: 2024` is "2024"); nil when absent or empty.
    mutating func string(_ key: String) -> String? {
        guard let node = take(key) else { return nil }
        guard let scalar = node.scalar else {
            wrongType(key, node: node, expected: "一段文字")
            return nil
        }
        if scalar.style == .plain, ["", "~", "null", "Null", "NULL"].contains(scalar.string) { return nil }
        return scalar.string
    }

    /// A yes/no value: true/false, yes/no, on/off (any case), 是/否.
    mutating func bool(_ key: String) -> Bool? {
        guard let node = take(key) else { return nil }
        switch node.scalar?.string.lowercased() {
        case "true", "yes", "on", "是": return true
        case "false", "no", "off", "否": return false
        default:
            wrongType(key, node: node, expected: "true 或 false")
            return nil
        }
    }

    /// A whole number.
    mutating func int(_ key: String) -> Int? {
        guard let node = take(key) else { return nil }
        guard let text = node.scalar?.string, let value = Int(text) else {
            wrongType(key, node: node, expected: "一个整数")
            return nil
        }
        return value
    }

    /// A list of texts; a single text counts as a list of one.
    mutating func strings(_ key: String) -> [String]? {
        guard let node = take(key) else { return nil }
        switch node {
        case .scalar(let scalar):
            return scalar.string.isEmpty ? [] : [scalar.string]
        case .sequence(let sequence):
            var values: [String] = []
            for item in sequence {
                guard let scalar = item.scalar else {
                    wrongType(key, node: item, expected: "一串文字（每项一行“- 文字”）")
                    return nil
                }
                values.append(scalar.string)
            }
            return values
        default:
            wrongType(key, node: node, expected: "一串文字（每项一行“- 文字”）")
            return nil
        }
    }

    /// Warns about every key no accessor asked for, suggesting the closest known key.
    mutating func warnAboutUnknownKeys(known: [String], kind: String) {
        for key in order where !used.contains(key) {
            let suggestion = Self.chineseKeyNames[key] ?? EditDistance.closest(to: key, among: known)
            let hint =
                suggestion.map { "是否想写 \($0)？" }
                ?? "\(kind)可用的字段：\(known.joined(separator: "、"))"
            diagnostics.append(
                Diagnostic(.unknownKey, at: location(ofKey: key), "未知字段“\(key)”，它会被忽略", hint: hint))
        }
    }

    /// Keys editors tend to write in Chinese.
    private static let chineseKeyNames = [
        "标题": "title", "日期": "date", "发布日期": "date", "时间": "date", "来源": "source", "信息来源": "source",
        "作者": "author", "责任编辑": "editor", "编辑": "editor", "摘要": "summary", "标签": "tags", "草稿": "draft",
        "置顶": "pinned",
    ]

    private mutating func take(_ key: String) -> Node? {
        used.insert(key)
        return entries[key]?.value
    }

    private mutating func wrongType(_ key: String, node: Node, expected: String) {
        diagnostics.append(
            Diagnostic(
                .wrongType, at: location(of: node), "字段 \(key) 应该是\(expected)，这里却是\(node.kindName)",
                hint: Self.typeHints[expected] ?? "把 \(key) 改成\(expected)"))
    }

    private static let typeHints = [
        "true 或 false": "写 true（是）或 false（否），例如 draft: true",
        "一个整数": "写一个整数，例如 paginate: 20",
        "一段文字": "写在同一行，例如 title: 标题；文字里有冒号时用引号括起来",
    ]
}

extension Node {
    /// What an editor would call this kind of YAML value.
    var kindName: String {
        switch self {
        case .scalar(let scalar): "“\(scalar.string)”"
        case .mapping: "一组“字段: 值”"
        case .sequence: "一个列表"
        case .alias: "一个别名"
        }
    }
}
