import Testing

@testable import LanmuCore

/// The typed accessors of front matter, the places they report, anchors and aliases refused before parsing, and
/// unknown keys. Each accessor is tried on YAML as written (read by the plain reader when it can) and on the same
/// YAML sent to Yams (a comment with a tab in it makes the plain reader decline), since both must give the same
/// answers.
@Suite struct FrontMatterFieldsTests {
    enum Reader: CaseIterable, CustomTestStringConvertible {
        case asWritten, throughYams

        var testDescription: String { self == .asWritten ? "as written" : "through Yams" }
    }

    /// The fields of `yaml` as the front matter of `a.md`, starting on file line 2 (after the opening `---`).
    func fields(
        _ yaml: String, reader: Reader = .asWritten, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> FrontMatterFields {
        var text = yaml
        if reader == .throughYams {
            text += "\n#\t注释"
            #expect(PlainFrontMatter.parse(text) == nil, "the plain reader took it", sourceLocation: sourceLocation)
        }
        let document = SplitDocument(yaml: text, yamlFirstLine: 2, body: "", bodyFirstLine: 3)
        switch FrontMatterFields.parse(document, file: "a.md") {
        case .success(let fields): return fields
        case .failure(let diagnostic):
            Issue.record("\(diagnostic)", sourceLocation: sourceLocation)
            throw diagnostic
        }
    }

    static let readers = Reader.allCases

    @Test(
        arguments: readers,
        [
            ("交流面对面", "交流面对面"), ("2024", "2024"), ("3.14", "3.14"), ("no", "no"), ("'null'", "null"),
            ("\"~\"", "~"), ("'  两端空格  '", "  两端空格  "), ("null 值", "null 值"),
        ])
    func stringsAreTheTextTyped(reader: Reader, pair: (value: String, expected: String)) throws {
        let (value, expected) = pair
        var fields = try fields("title: \(value)", reader: reader)
        #expect(fields.string("title") == expected)
        #expect(fields.diagnostics.isEmpty)
    }

    /// Plain `~`, `null` (three spellings) and nothing at all are YAML's null; quoted, they are text (above).
    @Test(arguments: readers, ["", "~", "null", "Null", "NULL"])
    func plainNullsAreNoValue(reader: Reader, value: String) throws {
        var fields = try fields("title: \(value)", reader: reader)
        #expect(fields.contains("title"))
        #expect(fields.string("title") == nil)
        #expect(fields.diagnostics.isEmpty)
    }

    @Test(
        arguments: readers,
        [
            ("true", true), ("True", true), ("TRUE", true), ("yes", true), ("Yes", true), ("on", true), ("ON", true),
            ("是", true), ("'true'", true), ("false", false), ("FALSE", false), ("no", false), ("No", false),
            ("off", false), ("Off", false), ("否", false),
        ])
    func yesAndNoHaveManySpellings(reader: Reader, pair: (value: String, expected: Bool)) throws {
        let (value, expected) = pair
        var fields = try fields("draft: \(value)", reader: reader)
        #expect(fields.bool("draft") == expected)
        #expect(fields.diagnostics.isEmpty)
    }

    @Test(arguments: readers)
    func otherYesNoValuesAreReportedAtTheValue(reader: Reader) throws {
        var fields = try fields("title: 标题\ndraft: 1", reader: reader)
        #expect(fields.bool("draft") == nil)
        #expect(
            fields.diagnostics.map(\.description) == [
                """
                a.md:3:8: 错误 E007: 字段 draft 应该是true 或 false，这里却是“1”
                    提示: 写 true（是）或 false（否），例如 draft: true
                """
            ])
    }

    @Test(arguments: readers, [("20", 20), ("-3", -3), ("+5", 5), ("007", 7), ("0", 0)])
    func wholeNumbers(reader: Reader, pair: (value: String, expected: Int)) throws {
        let (value, expected) = pair
        var fields = try fields("paginate: \(value)", reader: reader)
        #expect(fields.int("paginate") == expected)
        #expect(fields.diagnostics.isEmpty)
    }

    @Test(arguments: readers, ["3.5", "二十", "0x10", "1e3", "20 条"])
    func otherNumbersAreReportedAtTheValue(reader: Reader, value: String) throws {
        var fields = try fields("paginate: \(value)", reader: reader)
        #expect(fields.int("paginate") == nil)
        #expect(
            fields.diagnostics.map(\.description) == [
                """
                a.md:2:11: 错误 E007: 字段 paginate 应该是一个整数，这里却是“\(value)”
                    提示: 写一个整数，例如 paginate: 20
                """
            ])
    }

    @Test(arguments: readers)
    func aListOfTextsAndOneTextAreBothLists(reader: Reader) throws {
        var fields = try fields("tags:\n  - 三服务\n  - 走访\nkeywords: 退役军人\nempty:", reader: reader)
        #expect(fields.strings("tags") == ["三服务", "走访"])
        #expect(fields.strings("keywords") == ["退役军人"])
        #expect(fields.strings("empty") == [])
        #expect(fields.strings("absent") == nil)
        #expect(fields.diagnostics.isEmpty)
    }

    @Test func flowListsAreListsToo() throws {
        var fields = try fields("tags: [三服务, 走访]\nnone: []", reader: .throughYams)
        #expect(fields.strings("tags") == ["三服务", "走访"])
        #expect(fields.strings("none") == [])
    }

    /// A list with a list in it is reported at the item; a mapping at the mapping, with the general hint.
    @Test func listsOfOtherThingsAreReported() throws {
        var fields = try fields("tags:\n  - 三服务\n  - [a, b]\nkeywords:\n  名称: 值", reader: .throughYams)
        #expect(fields.strings("tags") == nil)
        #expect(fields.strings("keywords") == nil)
        #expect(
            fields.diagnostics.map(\.description) == [
                """
                a.md:4:5: 错误 E007: 字段 tags 应该是一串文字（每项一行“- 文字”），这里却是一个列表
                    提示: 把 tags 改成一串文字（每项一行“- 文字”）
                """,
                """
                a.md:6:3: 错误 E007: 字段 keywords 应该是一串文字（每项一行“- 文字”），这里却是一组“字段: 值”
                    提示: 把 keywords 改成一串文字（每项一行“- 文字”）
                """,
            ])
    }

    @Test func aMappingIsNotAString() throws {
        var fields = try fields("title:\n  主标题: 甲\n  副标题: 乙", reader: .throughYams)
        #expect(fields.string("title") == nil)
        #expect(
            fields.diagnostics.map(\.description) == [
                """
                a.md:3:3: 错误 E007: 字段 title 应该是一段文字，这里却是一组“字段: 值”
                    提示: 写在同一行，例如 title: 标题；文字里有冒号时用引号括起来
                """
            ])
    }

    @Test(arguments: readers)
    func absentKeysHaveNoValueAndNoProblem(reader: Reader) throws {
        var fields = try fields("title: 标题", reader: reader)
        #expect(fields.string("date") == nil)
        #expect(fields.bool("draft") == nil)
        #expect(fields.int("paginate") == nil)
        #expect(fields.strings("tags") == nil)
        #expect(!fields.contains("date"))
        #expect(fields.diagnostics.isEmpty)
    }

    @Test(arguments: readers)
    func onlyTextsHoldAScalar(reader: Reader) throws {
        let fields = try fields("title: 标题\nempty:\ntags:\n  - a", reader: reader)
        #expect(fields.holdsScalar("title"))
        #expect(fields.holdsScalar("empty"))
        #expect(!fields.holdsScalar("tags"))
        #expect(!fields.holdsScalar("absent"))
    }

    /// Columns count characters, so a Chinese key moves its value by one column a character; an empty value is
    /// placed at its key and an absent key at the first YAML line.
    @Test(arguments: readers)
    func placesAreFileLinesAndCharacterColumns(reader: Reader) throws {
        let fields = try fields("title: 标题\n发布日期:   2020-04-30\nsource:\n  - 某局", reader: reader)
        #expect(fields.location(ofKey: "title") == .init(file: "a.md", line: 2, column: 1))
        #expect(fields.location(ofValue: "title") == .init(file: "a.md", line: 2, column: 8))
        #expect(fields.location(ofKey: "发布日期") == .init(file: "a.md", line: 3, column: 1))
        #expect(fields.location(ofValue: "发布日期") == .init(file: "a.md", line: 3, column: 9))
        #expect(fields.location(ofValue: "source") == .init(file: "a.md", line: 5, column: 3))
        #expect(fields.location(ofKey: "absent") == .init(file: "a.md", line: 2, column: 1))
        #expect(fields.location(ofValue: "absent") == .init(file: "a.md", line: 2, column: 1))
    }

    @Test(arguments: readers)
    func anEmptyValueIsPlacedAtItsKey(reader: Reader) throws {
        let fields = try fields("title: 标题\n  \nsummary:", reader: reader)
        #expect(fields.location(ofValue: "summary") == .init(file: "a.md", line: 4, column: 1))
    }

    @Test func emptyFrontMatterHasNoFields() throws {
        var fields = try fields("")
        #expect(!fields.contains("title"))
        fields.warnAboutUnknownKeys(known: ["title"], kind: "文章")
        #expect(fields.diagnostics.isEmpty)
    }

    /// Unknown keys are warned about in the order written; keys an accessor asked for are known, even when their
    /// value was wrong. A Chinese key gets its English name, a typo the closest key, anything else the list.
    @Test(arguments: readers)
    func unknownKeysAreWarnedAboutInOrder(reader: Reader) throws {
        var fields = try fields("作者: 王明\ntitle: 标题\ntilte: 标题\ndraft: 也许\nfoo: 1\n草稿: 是", reader: reader)
        _ = fields.string("title")
        _ = fields.bool("draft")
        fields.warnAboutUnknownKeys(known: ["title", "draft"], kind: "文章")
        #expect(
            fields.diagnostics.map(\.description) == [
                """
                a.md:5:8: 错误 E007: 字段 draft 应该是true 或 false，这里却是“也许”
                    提示: 写 true（是）或 false（否），例如 draft: true
                """,
                """
                a.md:2:1: 警告 W001: 未知字段“作者”，它会被忽略
                    提示: 是否想写 author？
                """,
                """
                a.md:4:1: 警告 W001: 未知字段“tilte”，它会被忽略
                    提示: 是否想写 title？
                """,
                """
                a.md:6:1: 警告 W001: 未知字段“foo”，它会被忽略
                    提示: 文章可用的字段：title、draft
                """,
                """
                a.md:7:1: 警告 W001: 未知字段“草稿”，它会被忽略
                    提示: 是否想写 draft？
                """,
            ])
    }

    @Test func reportedDiagnosticsAreKeptInOrder() throws {
        var fields = try fields("title: 标题")
        let diagnostic = Diagnostic(.invalidSetting, at: fields.location(ofValue: "title"), "不对", hint: "改")
        fields.report(diagnostic)
        #expect(fields.diagnostics == [diagnostic])
    }

    @Test(arguments: [
        ("title: &a 标题", 1, 8),
        ("title: 标题\nsource: *a", 2, 9),
        ("title:    *a", 1, 11),
        ("标题: &a", 1, 5),
        ("tags:\n  - 甲\n  - *t", 3, 5),
        ("-   &a", 1, 5),
        ("title: \"a\"\nsummary: 重点 **加粗**\nsource: &s 某局", 3, 9),
    ])
    func anchorsAndAliasesAreFoundWhereTheValueStarts(yaml: String, line: Int, column: Int) throws {
        let found = try #require(FrontMatterFields.firstAnchorOrAlias(in: yaml))
        #expect(found.line == line && found.column == column)
    }

    /// `&` and `*` inside a value, in quotes, in a comment or in a key are text.
    @Test(arguments: [
        "title: 甲&乙", "title: \"*重要*\"", "title: '&'", "summary: 重点 **加粗** 与 &", "# 注释 &a", "a&b: 值",
        "url:http://x/*a", "title: 标题",
    ])
    func ampersandsAndAsterisksInTextAreNotAnchors(yaml: String) {
        #expect(FrontMatterFields.firstAnchorOrAlias(in: yaml) == nil)
    }

    @Test func anAnchorIsRefusedAtItsFileLine() {
        let document = SplitDocument(
            yaml: "title: 标题\ndate: 2020-04-30\nsource: *s", yamlFirstLine: 5, body: "", bodyFirstLine: 9)
        #expect(
            FrontMatterFields.parse(document, file: "content/a.md").failure?.description == """
                content/a.md:7:9: 错误 E004: front matter 不支持 YAML 的锚点和别名（& 和 *）
                    提示: 直接写出每个字段的值；值以 & 或 * 开头时用引号括起来，例如 title: "*重要*"
                """)
    }

    @Test func aScalarIsNotAFrontMatter() {
        let document = SplitDocument(yaml: "只有一句话", yamlFirstLine: 2, body: "", bodyFirstLine: 4)
        #expect(
            FrontMatterFields.parse(document, file: "a.md").failure?.description == """
                a.md:2:1: 错误 E018: front matter 应该是一行一个“字段: 值”，这里却是“只有一句话”
                    提示: 按“字段: 值”的形式书写，例如 title: 标题（冒号后面要有一个空格）
                """)
    }

    @Test(arguments: [
        (FrontMatterValue(.text("甲", plain: true), at: nil), "“甲”"),
        (FrontMatterValue(.list([]), at: nil), "一个列表"),
        (FrontMatterValue(.other(name: "一个别名"), at: nil), "一个别名"),
    ])
    func valuesAreNamedAsAnEditorWould(value: FrontMatterValue, name: String) {
        #expect(value.kindName == name)
    }
}
