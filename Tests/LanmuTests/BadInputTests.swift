import Foundation
import Testing

@testable import LanmuCore

/// A catalogue of the ways editors' files go wrong, each with its exact diagnostics; a failing build never
/// touches the previous `public/`.
@Suite struct BadInputTests {
    struct Case: CustomStringConvertible, Sendable {
        var name: String
        var files: [String: [UInt8]]
        var expected: [String]
        var description: String { name }

        init(_ name: String, _ files: [String: [UInt8]], _ expected: [String]) {
            self.name = name
            self.files = files
            self.expected = expected
        }

        init(_ name: String, article bytes: [UInt8], _ expected: [String]) {
            self.init(name, ["content/sanfuwu/shixian/bad.md": bytes], expected)
        }

        init(_ name: String, article text: String, _ expected: [String]) {
            self.init(name, article: Array(text.utf8), expected)
        }
    }

    static let file = "content/sanfuwu/shixian/bad.md"

    static let cases: [Case] = [
        Case("empty file", article: "", [
            """
            \(file):1:1: 错误 E002: 文件没有以 --- 开头的 front matter
                提示: 文件是空的。文章要以 --- 开头，写上 title 和 date，再以 --- 结束，例如：
                ---
                title: 标题
                date: 2020-04-30 09:17
                ---
            """
        ]),
        Case("NUL in the front matter", article: "---\ntitle: a\u{0}b\ndate: 2020-04-30\n---\n", [
            """
            \(file):2:9: 错误 E001: 文件里有空字符（NUL），它不是正常的文本文件，或者已经损坏
                提示: 用编辑器打开文件，删除这一处的不可见字符后另存为 UTF-8 文本
            """
        ]),
        Case("NUL in the body", article: "---\ntitle: 标题\ndate: 2020-04-30\n---\n\n正文\u{0}\n", [
            """
            \(file):6:3: 错误 E001: 文件里有空字符（NUL），它不是正常的文本文件，或者已经损坏
                提示: 用编辑器打开文件，删除这一处的不可见字符后另存为 UTF-8 文本
            """
        ]),
        Case("a Word document renamed to .md", article: [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00], [
            """
            \(file):1:1: 错误 E001: 这是一个 Word（.docx）或其他压缩格式的文件，不是 Markdown 文本
                提示: 在 Word 里复制正文，粘贴到一个新的 .md 文本文件里，再写上 front matter
            """
        ]),
        Case("an old Word document renamed to .md", article: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1], [
            """
            \(file):1:1: 错误 E001: 这是一个 Word（.doc）或 Excel（.xls）文件，不是 Markdown 文本
                提示: 在 Word 里复制正文，粘贴到一个新的 .md 文本文件里，再写上 front matter
            """
        ]),
        // Front matter that cannot be read gives one error, at its first problem, like a YAML syntax error.
        Case("YAML anchors and aliases", article: "---\ntitle: &t 标题\ndate: 2020-04-30\nsource: *t\n---\n", [
            """
            \(file):2:8: 错误 E004: front matter 不支持 YAML 的锚点和别名（& 和 *）
                提示: 直接写出每个字段的值；值以 & 或 * 开头时用引号括起来，例如 title: "*重要*"
            """
        ]),
        Case("an alias in a list", article: "---\ntitle: 标题\ndate: 2020-04-30\ntags:\n  - *t\n---\n", [
            """
            \(file):5:5: 错误 E004: front matter 不支持 YAML 的锚点和别名（& 和 *）
                提示: 直接写出每个字段的值；值以 & 或 * 开头时用引号括起来，例如 title: "*重要*"
            """
        ]),
        Case("tab indentation", article: "---\ntitle: 标题\n\tdate: 2020-04-30\n---\n", [
            """
            \(file):3:1: 错误 E004: 这一行用 Tab 缩进了，YAML 只认空格
                提示: 把行首的 Tab 删掉（字段都顶格写），或换成空格
            """
        ]),
        Case("a list where a date goes", article: "---\ntitle: 标题\ndate: [2020-04-30]\n---\n", [
            """
            \(file):3:7: 错误 E007: 字段 date 应该是一段文字，这里却是一个列表
                提示: 写在同一行，例如 title: 标题；文字里有冒号时用引号括起来
            """
        ]),
    ]

    @Test(arguments: cases)
    func badInputIsReportedAndPublicIsUntouched(_ badCase: Case) throws {
        let site = try TestSite(TestSite.column(articles: 2))
        #expect(site.build().succeeded)
        let before = site.tree()
        for (path, bytes) in badCase.files { try site.write(Data(bytes), to: path) }
        let report = site.build()
        expectDiagnostics(report, badCase.expected)
        #expect(site.tree() == before)
    }
}
