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
        Case(
            "empty file", article: "",
            [
                """
                \(file):1:1: 错误 E002: 文件没有以 --- 开头的 front matter
                    提示: 文件是空的。文章要以 --- 开头，写上 title 和 date，再以 --- 结束，例如：
                    ---
                    title: 标题
                    date: 2020-04-30 09:17
                    ---
                """
            ]),
        Case(
            "NUL in the front matter", article: "---\ntitle: a\u{0}b\ndate: 2020-04-30\n---\n",
            [
                """
                \(file):2:9: 错误 E001: 文件里有空字符（NUL），它不是正常的文本文件，或者已经损坏
                    提示: 用编辑器打开文件，删除这一处的不可见字符后另存为 UTF-8 文本
                """
            ]),
        Case(
            "NUL in the body", article: "---\ntitle: 标题\ndate: 2020-04-30\n---\n\n正文\u{0}\n",
            [
                """
                \(file):6:3: 错误 E001: 文件里有空字符（NUL），它不是正常的文本文件，或者已经损坏
                    提示: 用编辑器打开文件，删除这一处的不可见字符后另存为 UTF-8 文本
                """
            ]),
        Case(
            "a Word document renamed to .md", article: [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00],
            [
                """
                \(file):1:1: 错误 E001: 这是一个 Word（.docx）或其他压缩格式的文件，不是 Markdown 文本
                    提示: 在 Word 里复制正文，粘贴到一个新的 .md 文本文件里，再写上 front matter
                """
            ]),
        Case(
            "an old Word document renamed to .md", article: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1],
            [
                """
                \(file):1:1: 错误 E001: 这是一个 Word（.doc）或 Excel（.xls）文件，不是 Markdown 文本
                    提示: 在 Word 里复制正文，粘贴到一个新的 .md 文本文件里，再写上 front matter
                """
            ]),
        // Front matter that cannot be read gives one error, at its first problem, like a YAML syntax error.
        Case(
            "YAML anchors and aliases", article: "---\ntitle: &t 标题\ndate: 2020-04-30\nsource: *t\n---\n",
            [
                """
                \(file):2:8: 错误 E004: front matter 不支持 YAML 的锚点和别名（& 和 *）
                    提示: 直接写出每个字段的值；值以 & 或 * 开头时用引号括起来，例如 title: "*重要*"
                """
            ]),
        Case(
            "an alias in a list", article: "---\ntitle: 标题\ndate: 2020-04-30\ntags:\n  - *t\n---\n",
            [
                """
                \(file):5:5: 错误 E004: front matter 不支持 YAML 的锚点和别名（& 和 *）
                    提示: 直接写出每个字段的值；值以 & 或 * 开头时用引号括起来，例如 title: "*重要*"
                """
            ]),
        Case(
            "tab indentation", article: "---\ntitle: 标题\n\tdate: 2020-04-30\n---\n",
            [
                """
                \(file):3:1: 错误 E004: 这一行用 Tab 缩进了，YAML 只认空格
                    提示: 把行首的 Tab 删掉（字段都顶格写），或换成空格
                """
            ]),
        Case(
            "a list where a date goes", article: "---\ntitle: 标题\ndate: [2020-04-30]\n---\n",
            [
                """
                \(file):3:7: 错误 E007: 字段 date 应该是一段文字，这里却是一个列表
                    提示: 写在同一行，例如 title: 标题；文字里有冒号时用引号括起来
                """
            ]),
        Case(
            "UTF-16 with a BOM", article: [0xFF, 0xFE] + Array("---".utf16.flatMap { [UInt8($0), 0] }),
            [
                """
                \(file):1:1: 错误 E001: 文件不是 UTF-8 编码：看起来是 UTF-16（Unicode）编码
                    提示: 请用编辑器把文件另存为“UTF-8”编码（记事本：另存为 → 编码选 UTF-8），再重新生成
                """
            ]),
        Case(
            "mixed valid and invalid UTF-8", article: Array("---\ntitle: 标题".utf8) + [0xE6, 0xA0] + Array("\n".utf8),
            [
                """
                \(file):2:10: 错误 E001: 文件不是 UTF-8 编码：含有不是 UTF-8 的字节
                    提示: 请用编辑器把文件另存为“UTF-8”编码（记事本：另存为 → 编码选 UTF-8），再重新生成
                """
            ]),
        Case(
            "TOML front matter", article: "+++\ntitle = \"标题\"\n+++\n",
            [
                """
                \(file):1:1: 错误 E002: 文件没有以 --- 开头的 front matter
                    提示: Lanmu 只接受 YAML 格式的 front matter：把首尾的 +++ 换成 ---，并把 “键 = 值” 改成 “键: 值”
                """
            ]),
        Case(
            "a colon inside a title", article: "---\ntitle: 回应: 三点\ndate: 2020-04-30\n---\n",
            [
                """
                \(file):2:10: 错误 E004: 这一行的值里有冒号“: ”，YAML 把它当成了新的字段
                    提示: 把整个值用引号括起来，例如 title: "回应: 三点"，或改用中文冒号“：”
                """
            ]),
        Case(
            "a date as a number", article: "---\ntitle: 标题\ndate: 20200430\n---\n",
            [
                """
                \(file):3:7: 错误 E006: 无法识别的日期“20200430”
                    提示: 可以写成：2020-04-30、2020-04-30 09:17、2020-04-30 09:17:05、2020-04-30T09:17:05+08:00（不写时区时按 Asia/Shanghai 时间）
                """
            ]),
        Case(
            "a slug with a slash", article: "---\ntitle: 标题\ndate: 2020-04-30\nslug: a/b\n---\n",
            [
                """
                \(file):4:7: 错误 E012: slug“a/b”不能用作网址：含有不能用在网址或文件名里的字符“/”
                    提示: 用字母、数字、汉字和短横线，例如 slug: 2020-04-30-jiaoliu
                """
            ]),
        Case(
            "a Windows-reserved file name",
            ["content/sanfuwu/shixian/CON.md": Array("---\ntitle: 标题\ndate: 2020-04-30\n---\n".utf8)],
            [
                """
                content/sanfuwu/shixian/CON.md:1:1: 错误 E012: 文件名“CON”不能用作网址：“CON”是 Windows 保留的名称
                    提示: 用字母、数字、汉字和短横线，例如 slug: 2020-04-30-jiaoliu
                """
            ]),
        Case(
            "two articles with one URL by case",
            [
                "content/sanfuwu/shixian/Same.md": Array("---\ntitle: 甲\ndate: 2020-04-30\n---\n".utf8),
                "content/sanfuwu/shixian/same.md": Array("---\ntitle: 乙\ndate: 2020-04-30\n---\n".utf8),
            ],
            [
                """
                content/sanfuwu/shixian/same.md:1:1: 错误 E008: 网址 /sanfuwu/shixian/same/ 已经属于 content/sanfuwu/shixian/Same.md，两个页面不能用同一个网址
                    提示: 修改其中一个的 slug 或文件名（大小写不同、繁简写法相同也算重复）
                """
            ]),
    ]

    /// Files that look odd but are fine: they build, and nothing but warnings is said.
    @Test(arguments: [
        ("content/sanfuwu/shixian/中文 文件名 😀.md", "---\ntitle: 中文文件名\ndate: 2020-04-30\n---\n"),
        ("content/sanfuwu/shixian/crlf.md", "---\r\ntitle: Windows 换行\r\ndate: 2020-04-30\r\n---\r\n\r\n正文\r\n"),
        ("content/sanfuwu/shixian/cr.md", "---\rtitle: 旧 Mac 换行\rdate: 2020-04-30\r---\r"),
        ("content/sanfuwu/shixian/bom.md", "\u{FEFF}---\ntitle: 带 BOM\ndate: 2020-04-30\n---\n"),
        ("content/sanfuwu/shixian/~$稿件.docx", "lock"),
        ("content/sanfuwu/shixian/.~lock.稿件.docx#", "lock"),
        ("content/sanfuwu/shixian/.bad.md.swp", "swap"),
    ])
    func oddButAcceptableFilesBuild(path: String, text: String) throws {
        let site = try TestSite(TestSite.column(articles: 1))
        try site.write(text, to: path)
        let report = site.build()
        #expect(report.succeeded, "\(report.diagnostics)")
        #expect(report.articleCount == (path.hasSuffix(".md") && !path.contains("/.") ? 2 : 1))
    }

    @Test func aSymbolicLinkOutOfContentIsIgnoredWithAWarning() throws {
        let site = try TestSite(TestSite.column(articles: 1))
        try site.write("---\ntitle: 外面\ndate: 2020-04-30\n---\n", to: "outside.md")
        try FileManager.default.createSymbolicLink(
            atPath: site.root.appendingPathComponent("content/sanfuwu/shixian/link.md").path,
            withDestinationPath: site.root.appendingPathComponent("outside.md").path)
        try FileManager.default.createSymbolicLink(
            atPath: site.root.appendingPathComponent("content/sanfuwu/shixian/loop").path,
            withDestinationPath: site.root.appendingPathComponent("content/sanfuwu").path)
        let report = site.build()
        #expect(report.succeeded)
        #expect(report.articleCount == 1)
        #expect(report.diagnostics.map(\.code) == [.ignoredFile, .ignoredFile])
    }

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
