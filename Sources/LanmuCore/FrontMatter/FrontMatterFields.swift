import Yams

/// The key/value pairs of one file's front matter, read so that every value keeps the text the editor typed and
/// the place it was typed (by `PlainFrontMatter` when the YAML is simple, else through Yams's node tree); typed
/// accessors record problems as diagnostics.
struct FrontMatterFields {
    private struct Entry {
        var key: String
        var keyLocation: Diagnostic.Location
        var value: FrontMatterValue
        /// Whether an accessor asked for the key.
        var used = false
    }

    private var entries: [String: Entry] = [:]
    private var order: [String] = []
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
        var fields = FrontMatterFields(file: file, lineOffset: lineOffset)
        // Most front matter is one `key: value` a line: read without Yams, to the values Yams would give.
        if let pairs = PlainFrontMatter.parse(document.yaml) {
            fields.entries.reserveCapacity(pairs.count)
            fields.order.reserveCapacity(pairs.count)
            for pair in pairs { fields.add(pair.key, at: pair.keyPlace, value: pair.value) }
            return .success(fields)
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
        guard let root else { return .success(fields) }
        guard case .mapping(let mapping) = root else {
            return .failure(
                Diagnostic(
                    .notAMapping, at: fields.location(of: FrontMatterValue(root)),
                    "front matter 应该是一行一个“字段: 值”，这里却是\(FrontMatterValue(root).kindName)",
                    hint: "按“字段: 值”的形式书写，例如 title: 标题（冒号后面要有一个空格）"))
        }
        for (keyNode, value) in mapping {
            fields.add(
                keyNode.scalar?.string ?? "", at: FrontMatterValue.place(of: keyNode), value: FrontMatterValue(value))
        }
        return .success(fields)
    }

    private mutating func add(_ key: String, at place: FrontMatterValue.Place?, value: FrontMatterValue) {
        entries[key] = Entry(key: key, keyLocation: location(of: place), value: value)
        order.append(key)
    }

    /// Where a value starts with `&` (anchor) or `*` (alias): YAML indicators, never plain text. Anchors and
    /// aliases let one field silently repeat another and can expand without bound, so front matter refuses them.
    static func firstAnchorOrAlias(in yaml: String) -> (line: Int, column: Int)? {
        guard TextScan.containsAny(of: anchorBytes, in: yaml) else { return nil }
        for (index, line) in yaml.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            // Character by character from the start, only as far as the value's first character (a summary line
            // can be long).
            guard TextScan.containsAny(of: anchorBytes, in: line) else { continue }
            var position = line.startIndex
            var column = 0
            func skipSpaces() {
                while position < line.endIndex, line[position] == " " {
                    position = line.index(after: position)
                    column += 1
                }
            }
            skipSpaces()
            if position < line.endIndex, line[position] == "-" {
                position = line.index(after: position)
                column += 1
            } else if let colon = valueColon(in: line) {
                position = line.index(after: colon.index)
                column = colon.column + 1
            } else {
                continue
            }
            skipSpaces()
            if position < line.endIndex, line[position] == "&" || line[position] == "*" {
                return (index + 1, column + 1)
            }
        }
        return nil
    }

    /// `&` and `*`.
    private static let anchorBytes: [UInt8] = [0x26, 0x2A]

    /// The `:` that ends a plain key on a line, and its column from 0, if any (quoted keys are rare in front matter
    /// and left alone).
    private static func valueColon(in line: Substring) -> (index: Substring.Index, column: Int)? {
        guard let first = line.first(where: { $0 != " " }), first != "\"", first != "'", first != "#" else {
            return nil
        }
        var column = 0
        var index = line.startIndex
        while index < line.endIndex {
            let next = line.index(after: index)
            if line[index] == ":", next == line.endIndex || line[next] == " " { return (index, column) }
            index = next
            column += 1
        }
        return nil
    }

    private init(file: String, lineOffset: Int) {
        self.file = file
        self.lineOffset = lineOffset
    }

    func location(of value: FrontMatterValue) -> Diagnostic.Location { location(of: value.place) }

    private func location(of place: FrontMatterValue.Place?) -> Diagnostic.Location {
        guard let place else { return .init(file: file, line: lineOffset + 1) }
        return .init(file: file, line: place.line + lineOffset, column: place.column)
    }

    /// Where the key was written, or the first YAML line when it is absent.
    func location(ofKey key: String) -> Diagnostic.Location {
        entries[key]?.keyLocation ?? .init(file: file, line: lineOffset + 1)
    }

    /// Where the value was written, or the key's place when the value is empty.
    func location(ofValue key: String) -> Diagnostic.Location {
        guard let entry = entries[key] else { return location(ofKey: key) }
        if case .text("", _) = entry.value.kind { return entry.keyLocation }
        return location(of: entry.value)
    }

    func contains(_ key: String) -> Bool { entries[key] != nil }

    /// Whether the key holds a single value (not a list or mapping).
    func holdsScalar(_ key: String) -> Bool {
        guard case .text = entries[key]?.value.kind else { return false }
        return true
    }

    mutating func report(_ diagnostic: Diagnostic) { diagnostics.append(diagnostic) }

    /// The text of a scalar, exactly as typed (`title: 2024` is "2024"); nil when absent or empty.
    mutating func string(_ key: String) -> String? {
        guard let value = take(key) else { return nil }
        guard case .text(let text, let plain) = value.kind else {
            wrongType(key, value: value, expected: "一段文字")
            return nil
        }
        if plain, Self.isNull(text) { return nil }
        return text
    }

    /// Whether plain text is YAML's null.
    private static func isNull(_ text: String) -> Bool {
        switch text {
        case "", "~", "null", "Null", "NULL": true
        default: false
        }
    }

    /// A yes/no value: true/false, yes/no, on/off (any case), 是/否.
    mutating func bool(_ key: String) -> Bool? {
        guard let value = take(key) else { return nil }
        switch value.text?.lowercased() {
        case "true", "yes", "on", "是": return true
        case "false", "no", "off", "否": return false
        default:
            wrongType(key, value: value, expected: "true 或 false")
            return nil
        }
    }

    /// A whole number.
    mutating func int(_ key: String) -> Int? {
        guard let value = take(key) else { return nil }
        guard let text = value.text, let number = Int(text) else {
            wrongType(key, value: value, expected: "一个整数")
            return nil
        }
        return number
    }

    /// A list of texts; a single text counts as a list of one.
    mutating func strings(_ key: String) -> [String]? { stringsWithLocations(key)?.map(\.0) }

    /// A list of texts with the place each was written (a single text counts as a list of one), for settings whose
    /// items are checked one by one.
    mutating func stringsWithLocations(_ key: String) -> [(String, Diagnostic.Location)]? {
        guard let value = take(key) else { return nil }
        switch value.kind {
        case .text(let text, _):
            return text.isEmpty ? [] : [(text, location(of: value))]
        case .list(let items):
            var values: [(String, Diagnostic.Location)] = []
            for item in items {
                guard let text = item.text else {
                    wrongType(key, value: item, expected: "一串文字（每项一行“- 文字”）")
                    return nil
                }
                values.append((text, location(of: item)))
            }
            return values
        case .other:
            wrongType(key, value: value, expected: "一串文字（每项一行“- 文字”）")
            return nil
        }
    }

    /// Warns about every key no accessor asked for, suggesting the closest known key.
    mutating func warnAboutUnknownKeys(known: [String], kind: String) {
        for key in order where entries[key]?.used == false {
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

    private mutating func take(_ key: String) -> FrontMatterValue? {
        guard let index = entries.index(forKey: key) else { return nil }
        entries.values[index].used = true
        return entries.values[index].value
    }

    private mutating func wrongType(_ key: String, value: FrontMatterValue, expected: String) {
        diagnostics.append(
            Diagnostic(
                .wrongType, at: location(of: value), "字段 \(key) 应该是\(expected)，这里却是\(value.kindName)",
                hint: Self.typeHints[expected] ?? "把 \(key) 改成\(expected)"))
    }

    private static let typeHints = [
        "true 或 false": "写 true（是）或 false（否），例如 draft: true",
        "一个整数": "写一个整数，例如 paginate: 20",
        "一段文字": "写在同一行，例如 title: 标题；文字里有冒号时用引号括起来",
    ]
}

/// One value of front matter as Lanmu reads it: a text (and whether it was written plain, without quotes), a list,
/// or something front matter has no use for, with the place it was written in the YAML.
struct FrontMatterValue: Equatable {
    /// Line and column (in Unicode scalars) in the YAML text, from 1, as libyaml counts them.
    struct Place: Equatable {
        var line: Int
        var column: Int
    }

    enum Kind: Equatable {
        case text(String, plain: Bool)
        case list([FrontMatterValue])
        /// A mapping or an alias, by what an editor would call it.
        case other(name: String)
    }

    var kind: Kind
    var place: Place?

    init(_ kind: Kind, at place: Place?) {
        self.kind = kind
        self.place = place
    }

    /// The value Yams read.
    init(_ node: Node) {
        switch node {
        case .scalar(let scalar): kind = .text(scalar.string, plain: scalar.style == .plain)
        case .sequence(let sequence): kind = .list(sequence.map(FrontMatterValue.init))
        case .mapping: kind = .other(name: "一组“字段: 值”")
        case .alias: kind = .other(name: "一个别名")
        }
        place = Self.place(of: node)
    }

    static func place(of node: Node) -> Place? { node.mark.map { Place(line: $0.line, column: $0.column) } }

    /// The text, when the value is one.
    var text: String? {
        guard case .text(let text, _) = kind else { return nil }
        return text
    }

    /// What an editor would call this kind of value.
    var kindName: String {
        switch kind {
        case .text(let text, _): "“\(text)”"
        case .list: "一个列表"
        case .other(let name): name
        }
    }
}
