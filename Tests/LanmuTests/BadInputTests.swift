import Foundation
import Testing

@testable import LanmuCore

/// A catalogue of the ways editors' files go wrong, each with its exact diagnostics; a failing build never
/// touches the previous `public/`.
@Suite struct BadInputTests {
    struct Case: CustomStringConvertible, Sendable {
        var name: String
        /// Paths and bytes; a list, since NFC and NFD spellings of one name are equal as Swift strings.
        var files: [(String, [UInt8])]
        var expected: [String]
        var description: String { name }

        init(_ name: String, _ files: KeyValuePairs<String, [UInt8]>, _ expected: [String]) {
            self.name = name
            self.files = files.map { ($0.key, $0.value) }
            self.expected = expected
        }

        init(_ name: String, article bytes: [UInt8], _ expected: [String]) {
            self.init(name, ["content/sanfuwu/shixian/bad.md": bytes] as KeyValuePairs, expected)
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
        // The column counts characters: a Chinese key before the alias, after a long line with `**` in quotes.
        Case(
            "an alias after a Chinese key",
            article: "---\ntitle: 标题\ndate: 2020-04-30\nsummary: \"**加粗。**\(String(repeating: "正文", count: 100))\"\n"
                + "作者: *t\n---\n",
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
        Case(
            "plain Markdown without front matter", article: "# 标题\n\n正文\n",
            [
                """
                \(file):1:1: 错误 E002: 文件没有以 --- 开头的 front matter
                    提示: 在文件第一行写 ---，接着写 title: 标题 和 date: 2020-04-30 09:17 等字段，再用一行 --- 结束
                """
            ]),
        Case(
            "unterminated front matter", article: "---\ntitle: 标题\ndate: 2020-04-30\n\n正文\n",
            [
                """
                \(file):1:1: 错误 E003: front matter 从第 1 行的 --- 开始，但没有结束的 ---
                    提示: 是否忘记了结尾的 ---？在最后一个字段（例如 date: …）的下一行单独写一行 ---，正文写在它的后面
                """
            ]),
        Case(
            "an unbalanced quote", article: "---\ntitle: \"标题\ndate: 2020-04-30\n---\n",
            [
                """
                \(file):3:17: 错误 E004: 引号或括号没有配对
                    提示: 检查这一段里的引号（" 或 '）和方括号是否成对出现
                """
            ]),
        Case(
            "a duplicate key", article: "---\ntitle: 甲\ndate: 2020-04-30\ntitle: 乙\n---\n",
            [
                """
                \(file):2:1: 错误 E017: 字段 title 写了不止一次
                    提示: 每个字段只写一次：删除多余的那一行
                """
            ]),
        Case(
            "an impossible date", article: "---\ntitle: 标题\ndate: 2024-02-30\n---\n",
            [
                """
                \(file):3:7: 错误 E006: 日期“2024-02-30”不存在：2024 年 2 月没有 30 日（这个月只有 29 天）
                    提示: 改成实际的发布日期，例如 2020-04-30 09:17
                """
            ]),
        Case(
            "an empty date", article: "---\ntitle: 标题\ndate:\n---\n",
            [
                """
                \(file):3:1: 错误 E005: date（发布日期）是空的
                    提示: 写上发布日期，例如 date: 2020-04-30 09:17
                """
            ]),
        Case(
            "an empty quoted title", article: "---\ntitle: \"  \"\ndate: 2020-04-30\n---\n",
            [
                """
                \(file):2:1: 错误 E005: 文章缺少 title（标题）
                    提示: 在 front matter 里加一行，例如 title: 交流面对面，服务心连心
                """
            ]),
        Case(
            "a yes/no field with another word", article: "---\ntitle: 标题\ndate: 2020-04-30\ndraft: 也许\n---\n",
            [
                """
                \(file):4:8: 错误 E007: 字段 draft 应该是true 或 false，这里却是“也许”
                    提示: 写 true（是）或 false（否），例如 draft: true
                """
            ]),
        Case(
            "tags as a mapping", article: "---\ntitle: 标题\ndate: 2020-04-30\ntags:\n  a: b\n---\n",
            [
                """
                \(file):5:3: 错误 E007: 字段 tags 应该是一串文字（每项一行“- 文字”），这里却是一组“字段: 值”
                    提示: 把 tags 改成一串文字（每项一行“- 文字”）
                """
            ]),
        Case(
            "front matter that is one line of text", article: "---\n随便写的一句话\n---\n",
            [
                """
                \(file):2:1: 错误 E018: front matter 应该是一行一个“字段: 值”，这里却是“随便写的一句话”
                    提示: 按“字段: 值”的形式书写，例如 title: 标题（冒号后面要有一个空格）
                """
            ]),
        Case(
            "a slug of two dots", article: "---\ntitle: 标题\ndate: 2020-04-30\nslug: ..\n---\n",
            [
                """
                \(file):4:7: 错误 E012: slug“..”不能用作网址：“..”表示目录本身或上一级目录
                    提示: 用字母、数字、汉字和短横线，例如 slug: 2020-04-30-jiaoliu
                """
            ]),
        Case(
            "a slug ending in a dot", article: "---\ntitle: 标题\ndate: 2020-04-30\nslug: 通知.\n---\n",
            [
                """
                \(file):4:7: 错误 E012: slug“通知.”不能用作网址：以点或空格结尾（Windows 上无法保存）
                    提示: 用字母、数字、汉字和短横线，例如 slug: 2020-04-30-jiaoliu
                """
            ]),
        Case(
            "two articles with one URL by Unicode normalisation",
            [
                "content/sanfuwu/shixian/caf\u{E9}.md": Array("---\ntitle: 甲\ndate: 2020-04-30\n---\n".utf8),
                "content/sanfuwu/shixian/cafe\u{301}.md": Array("---\ntitle: 乙\ndate: 2020-04-30\n---\n".utf8),
            ],
            [
                """
                content/sanfuwu/shixian/cafe\u{301}.md:1:1: 错误 E008: 网址 /sanfuwu/shixian/cafe%CC%81/ 已经属于 content/sanfuwu/shixian/caf\u{E9}.md，两个页面不能用同一个网址
                    提示: 修改其中一个的 slug 或文件名（大小写不同、繁简写法相同也算重复）
                """
            ]),
        Case(
            "an article in a folder without _index.md",
            ["content/sanfuwu/xinlanmu/a.md": Array("---\ntitle: 标题\ndate: 2020-04-30\n---\n".utf8)],
            [
                """
                content/sanfuwu/xinlanmu/a.md:1:1: 错误 E015: 文章所在的目录“sanfuwu/xinlanmu”没有 _index.md
                    提示: 在这个目录里建一个 _index.md，写上 title（栏目名称），例如 title: 市县动态
                """
            ]),
        Case(
            "a GBK file",
            article: Array("---\ntitle: ".utf8) + [0xB1, 0xEA, 0xCC, 0xE2] + Array("\ndate: 2020-04-30\n---\n".utf8),
            [
                """
                \(file):2:8: 错误 E001: 文件不是 UTF-8 编码：看起来是 GBK（GB2312/GB18030）编码
                    提示: 请用编辑器把文件另存为“UTF-8”编码（记事本：另存为 → 编码选 UTF-8），再重新生成
                """
            ]),
        Case(
            "a column with paginate zero",
            ["content/sanfuwu/shixian/_index.md": Array("---\ntitle: 市县动态\npaginate: 0\n---\n".utf8)],
            [
                """
                content/sanfuwu/shixian/_index.md:3:11: 错误 E016: paginate 必须至少为 1，这里是 0
                    提示: 写一个正整数，例如 paginate: 20
                """
            ]),
        Case(
            "a file where an article's folder goes",
            ["content/sanfuwu/shixian/a02": Array("附件".utf8)],
            [
                """
                content/sanfuwu/shixian/a02:1:1: 错误 E008: 文件 sanfuwu/shixian/a02 和文章 content/sanfuwu/shixian/a02.md 的网址 /sanfuwu/shixian/a02/ 是同一个路径：一个要写成文件，一个要写成目录
                    提示: 给这个文件加上扩展名或改名，或修改文章的 slug（大小写不同、繁简写法相同也算重复）
                """
            ]),
        Case(
            "a file named like a column's folder",
            ["content/sanfuwu/ShiXian": Array("附件".utf8)],
            [
                """
                content/sanfuwu/ShiXian:1:1: 错误 E008: 文件 sanfuwu/ShiXian 和栏目 content/sanfuwu/shixian/_index.md 的网址 /sanfuwu/shixian/ 是同一个路径：一个要写成文件，一个要写成目录
                    提示: 给这个文件加上扩展名或改名，或给栏目目录改名（大小写不同、繁简写法相同也算重复）
                """
            ]),
        Case(
            "a file named like an article's folder",
            ["content/sanfuwu/shixian/A01": Array("附件".utf8)],
            [
                """
                content/sanfuwu/shixian/A01:1:1: 错误 E008: 文件 sanfuwu/shixian/A01 和文章 content/sanfuwu/shixian/a01.md 的网址 /sanfuwu/shixian/a01/ 是同一个路径：一个要写成文件，一个要写成目录
                    提示: 给这个文件加上扩展名或改名，或修改文章的 slug（大小写不同、繁简写法相同也算重复）
                """
            ]),
        Case(
            "a file where the site map goes",
            ["content/sitemap.xml": Array("<urlset/>".utf8)],
            [
                """
                content/sitemap.xml:1:1: 错误 E008: 文件 sitemap.xml 和 lanmu 生成的网站地图是同一个路径 /sitemap.xml
                    提示: 给这个文件改名或删除它：这个路径上的文件由 lanmu 生成（大小写不同、繁简写法相同也算重复）
                """
            ]),
        Case(
            "a file where a topic's feed goes, in other case",
            ["content/sanfuwu/Index.XML": Array("<rss/>".utf8)],
            [
                """
                content/sanfuwu/Index.XML:1:1: 错误 E008: 文件 sanfuwu/Index.XML 和 lanmu 生成的三服务专题的 RSS 订阅是同一个路径 /sanfuwu/index.xml
                    提示: 给这个文件改名或删除它：这个路径上的文件由 lanmu 生成（大小写不同、繁简写法相同也算重复）
                """
            ]),
        Case(
            "a file where a list page goes",
            [
                "content/sanfuwu/shixian/_index.md": Array(TestSite.section("市县动态", extra: "paginate: 1\n").utf8),
                "content/sanfuwu/shixian/page/2/index.html": Array("<p>旧网站的第二页</p>".utf8),
            ],
            [
                """
                content/sanfuwu/shixian/page/2/index.html:1:1: 错误 E008: 文件 sanfuwu/shixian/page/2/index.html 和 lanmu 生成的市县动态的列表第 2 页是同一个路径 /sanfuwu/shixian/page/2/
                    提示: 给这个文件改名或删除它：这个路径上的文件由 lanmu 生成（大小写不同、繁简写法相同也算重复）
                """
            ]),
        // Templates that include themselves would expand without end (a crash, before these were checked).
        Case(
            "a partial that includes itself",
            ["templates/partials/self.mustache": Array("<p>\n  {{> partials/self}}\n</p>\n".utf8)],
            [
                """
                templates/partials/self.mustache:2:3: 错误 E021: 模板循环包含自己：partials/self → partials/self
                    提示: 渲染时会一层层无限展开下去；去掉这一处的 {{> …}} 或 {{< …}}，让包含关系不再绕回这个模板
                """
            ]),
        Case(
            "partials that include each other",
            [
                "templates/partials/b.mustache": Array("{{#page.is_home}}\n{{> partials/c}}\n{{/page.is_home}}\n".utf8),
                "templates/partials/c.mustache": Array("<div>{{> partials/b}}</div>\n".utf8),
                "templates/partials/a.mustache": Array("{{> partials/b}}\n".utf8),
            ],
            [
                """
                templates/partials/b.mustache:2:1: 错误 E021: 模板循环包含自己：partials/b → partials/c → partials/b
                    提示: 渲染时会一层层无限展开下去；去掉这一处的 {{> …}} 或 {{< …}}，让包含关系不再绕回这个模板
                """
            ]),
        Case(
            "a layout that inherits from itself",
            ["templates/frame.mustache": Array("<main>\n{{<frame}}{{$body}}x{{/body}}{{/frame}}\n</main>\n".utf8)],
            [
                """
                templates/frame.mustache:2:1: 错误 E021: 模板循环包含自己：frame → frame
                    提示: 渲染时会一层层无限展开下去；去掉这一处的 {{> …}} 或 {{< …}}，让包含关系不再绕回这个模板
                """
            ]),
        Case(
            "an inclusion hidden behind a delimiter change",
            ["templates/partials/hidden.mustache": Array("{{=<% %>=}}\n<%> partials/hidden%>\n".utf8)],
            [
                """
                templates/partials/hidden.mustache:2:1: 错误 E021: 模板循环包含自己：partials/hidden → partials/hidden
                    提示: 渲染时会一层层无限展开下去；去掉这一处的 {{> …}} 或 {{< …}}，让包含关系不再绕回这个模板
                """
            ]),
        // Nesting tens of thousands deep overflowed the stack of swift-mustache's recursive parser.
        Case(
            "sections nested too deep",
            [
                "templates/partials/deep.mustache": Array(
                    ("<p>\n" + String(repeating: "{{#page}}", count: 50_000)
                        + String(repeating: "{{/page}}", count: 50_000))
                        .utf8)
            ],
            [
                """
                templates/partials/deep.mustache:2:901: 错误 E022: {{#…}}、{{^…}}、{{<…}}、{{$…}} 套了超过 100 层
                    提示: 检查前面是否漏写了结束的 {{/…}}；模板最多套 100 层
                """
            ]),
        // The name a link shows is not the name of the file: `abc\u{202E}gpj.exe` shows as `abcexe.jpg`.
        Case(
            "a right-to-left override in a file name",
            ["content/sanfuwu/shixian/abc\u{202E}gpj.exe": Array("MZ".utf8)],
            [
                """
                content/sanfuwu/shixian/abc\\u{202E}gpj.exe:1:1: 错误 E012: 文件名含有看不见的控制字符 \\u{202E}（文字方向控制符），它会让文件名和网址显示得和实际不同；这个文件没有读取
                    提示: 给文件重新起名（重新输入名字，不要从别处复制），再重新生成
                """
            ]),
        Case(
            "a zero-width space in a slug",
            article: "---\ntitle: 标题\ndate: 2020-04-30\nslug: tong\u{200B}zhi\n---\n",
            [
                """
                \(file):4:7: 错误 E012: slug“tong\\u{200B}zhi”不能用作网址：含有看不见的控制字符 \\u{200B}（零宽空格），它会让网址或文件名显示得和实际不同
                    提示: 用字母、数字、汉字和短横线，例如 slug: 2020-04-30-jiaoliu
                """
            ]),
        // A newline in a file name split the one-line `file:line:col:` in two.
        Case(
            "a newline in a file name",
            ["content/sanfuwu/shixian/a\nb.md": Array(TestSite.article("标题", date: "2020-04-30").utf8)],
            [
                """
                content/sanfuwu/shixian/a\\nb.md:1:1: 错误 E012: 文件名“a\\nb”不能用作网址：含有不能用在网址或文件名里的字符“\\n”
                    提示: 用字母、数字、汉字和短横线，例如 slug: 2020-04-30-jiaoliu
                """
            ]),
        // 86 Chinese characters are 258 bytes: `check` passed it and `build` failed writing with a disk-space hint.
        Case(
            "a slug longer than a file name may be",
            article: "---\ntitle: 标题\ndate: 2020-04-30\nslug: \(String(repeating: "字", count: 86))\n---\n",
            [
                """
                \(file):4:7: 错误 E012: slug“\(String(repeating: "字", count: 86))”不能用作网址：太长：258 字节，文件名最多 255 字节（约 85 个汉字）
                    提示: 用字母、数字、汉字和短横线，例如 slug: 2020-04-30-jiaoliu
                """
            ]),
        Case(
            "YAML nested thousands deep",
            article: "---\ntitle: 标题\ndate: 2020-04-30\nk: \(String(repeating: "[", count: 5000))\n---\n",
            [
                """
                \(file):4:5: 错误 E004: 括号或缩进套得太深，超过了 YAML 允许的层数
                    提示: front matter 的值最多套几层：检查这里是否多写了 [ 或 {，或缩进一层比一层深
                """
            ]),
        // swift-mustache's own word for it was `overflow`.
        Case(
            "a tag left open at the end of a template",
            ["templates/partials/footer.mustache": Array("<footer>\n{{site.title".utf8)],
            [
                """
                templates/partials/footer.mustache:2:13: 错误 E009: 模板到结尾还有一个标签没有用 }} 结束
                    提示: 对照 README 里的“模板”一节检查这一处的 {{ }} 标签
                """
            ]),
        Case(
            "a file where a theme asset goes",
            ["content/assets/css/lanmu.css": Array("body { color: red }".utf8)],
            [
                """
                content/assets/css/lanmu.css:1:1: 错误 E008: 文件 assets/css/lanmu.css 和 lanmu 生成的模板静态文件 templates/assets/css/lanmu.css 是同一个路径 /assets/css/lanmu.css
                    提示: 给这个文件改名或删除它：这个路径上的文件由 lanmu 生成（大小写不同、繁简写法相同也算重复）
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
        ("content/sanfuwu/shixian/iso.md", "---\ntitle: ISO\ndate: 2020-04-30T09:17:05+08:00\n---\n"),
        ("content/sanfuwu/shixian/quoted.md", "---\ntitle: 引号日期\ndate: \"2020-04-30 09:17:00\"\n---\n"),
        ("content/sanfuwu/shixian/seconds.md", "---\ntitle: 秒\ndate: 2020-04-30 09:17:05\n---\n"),
        ("content/sanfuwu/shixian/day.md", "---\ntitle: 只有日期\ndate: 2020-04-30\n---\n"),
        ("content/sanfuwu/shixian/utc.md", "---\ntitle: UTC\ndate: 2020-04-30T01:17:00Z\n---\n"),
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

    /// A FIFO named like an article or an attachment blocked the build for good (the read waited for a writer), a
    /// device read without end: anything in content/ that is neither a folder nor a regular file is skipped with a
    /// warning naming it.
    @Test func specialFilesAreSkippedWithAWarning() throws {
        let site = try TestSite(TestSite.column(articles: 1))
        for name in ["pipe.md", "fujian.pdf"] {
            #expect(mkfifo(site.root.appendingPathComponent("content/sanfuwu/shixian/\(name)").path, 0o644) == 0)
        }
        let report = site.build()
        expectDiagnostics(
            report,
            [
                """
                content/sanfuwu/shixian/fujian.pdf:1:1: 警告 W004: 这是一个命名管道（FIFO），不是普通文件，已忽略
                    提示: content/ 里只放文章、图片和附件这样的普通文件；把它移出 content/
                """,
                """
                content/sanfuwu/shixian/pipe.md:1:1: 警告 W004: 这是一个命名管道（FIFO），不是普通文件，已忽略
                    提示: content/ 里只放文章、图片和附件这样的普通文件；把它移出 content/
                """,
            ])
        #expect(report.articleCount == 1)
    }

    /// A file replaced by a FIFO after it was listed: reading it fails at once instead of waiting for a writer.
    @Test func readingAFIFOFailsAtOnce() throws {
        let site = try TestSite([:], copyTemplates: false)
        let path = site.root.appendingPathComponent("pipe.md").path
        #expect(mkfifo(path, 0o644) == 0)
        let result = ContentLoader(display: { $0.lastPathComponent }).read(URL(fileURLWithPath: path))
        guard case .failure(let diagnostic) = result else {
            Issue.record("a FIFO was read")
            return
        }
        #expect(
            diagnostic.description == """
                pipe.md:1:1: 错误 E014: 这是一个命名管道（FIFO），不是普通文件，无法读取
                    提示: content/ 和 templates/ 里只放普通文件；把它移走后重新运行
                """)
    }

    /// A mistyped `--templates`: one error that says which folder is missing, not Foundation's English and three
    /// missing templates. (A site without templates/ of its own builds with the default theme: `DefaultThemeTests`.)
    @Test func aMissingTemplatesFolderIsOneClearError() throws {
        let site = try TestSite(TestSite.column(articles: 1))
        #expect(site.build().succeeded)
        let before = site.tree()
        try FileManager.default.removeItem(at: site.root.appendingPathComponent("templates"))
        let options = BuildOptions(siteRoot: site.root, templates: site.root.appendingPathComponent("templates"))
        expectDiagnostics(
            Generator(options: options).build(now: testNow),
            [
                """
                templates:1:1: 错误 E014: 找不到模板目录 templates
                    提示: 在站点目录里运行 lanmu，或用 --site / --templates 指定目录；模板可以从 Lanmu 自带的 templates/ 复制
                """
            ])
        #expect(site.tree() == before)
    }

    /// A zip unpacked from Windows has GBK names; such a file was dropped without a word (its name, repaired into
    /// U+FFFD, named no file). Its own error, the bytes escaped, GBK named when the bytes look like it; `check` too.
    @Test func fileNamesThatAreNotUTF8AreTheirOwnError() throws {
        let site = try TestSite(TestSite.column(articles: 1))
        #expect(site.build().succeeded)
        let before = site.tree()
        let folder = site.root.appendingPathComponent("content/sanfuwu/shixian").path
        // 你好.md in GBK; 通知.md in GBK, whose bytes happen to be UTF-8 too (two combining marks, U+0368 U+05AA:
        // before, a false E012 with a garbled name); a name with a byte no encoding of Chinese has.
        let names: [[UInt8]] = [
            [0xC4, 0xE3, 0xBA, 0xC3] + Array(".md".utf8), [0xCD, 0xA8, 0xD6, 0xAA] + Array(".md".utf8),
            Array("a".utf8) + [0xFF] + Array(".pdf".utf8),
        ]
        for name in names {
            let path = Array(folder.utf8) + [0x2F] + name + [0]
            let descriptor = path.withUnsafeBufferPointer { bytes in
                bytes.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_WRONLY | O_CREAT, 0o644) }
            }
            #expect(descriptor >= 0)
            let text = Array(TestSite.article("通知", date: "2020-04-30").utf8)
            #expect(write(descriptor, text, text.count) == text.count)
            close(descriptor)
        }
        let gbkHint = "解压时指定编码（unzip -O GBK 文件.zip），或用 convmv -f GBK -t UTF-8 -r --notest content/ 把文件名改成 UTF-8，再重新生成"
        let expected = [
            """
            content/sanfuwu/shixian/\\xC4\\xE3\\xBA\\xC3.md:1:1: 错误 E023: 文件名不是 UTF-8 编码：看起来是 GBK（GB2312/GB18030）编码，常见于 Windows 上打包的 zip；这个文件没有读取
                提示: \(gbkHint)
            """,
            """
            content/sanfuwu/shixian/\\xCD\\xA8\\xD6\\xAA.md:1:1: 错误 E023: 文件名不是 UTF-8 编码：看起来是 GBK（GB2312/GB18030）编码，常见于 Windows 上打包的 zip；这个文件没有读取
                提示: \(gbkHint)
            """,
            """
            content/sanfuwu/shixian/a\\xFF.pdf:1:1: 错误 E023: 文件名不是 UTF-8 编码：含有不是 UTF-8 的字节；这个文件没有读取
                提示: 在文件管理器里给它重新起名（用中文、字母或数字），再重新生成
            """,
        ]
        expectDiagnostics(site.build(), expected)
        expectDiagnostics(Generator(options: site.options).check(now: testNow), expected)
        #expect(site.tree() == before)
    }

    /// A Markdown file of gigabytes (or one that never ends) was read whole into memory. Reads stop at 32 MB with
    /// an error naming the limit. (The file is sparse: nothing is written to disk.)
    @Test func aHugeMarkdownFileIsAnErrorNotGigabytesOfMemory() throws {
        let site = try TestSite(TestSite.column(articles: 1))
        #expect(site.build().succeeded)
        let before = site.tree()
        let path = site.root.appendingPathComponent("content/sanfuwu/shixian/huge.md").path
        #expect(
            FileManager.default.createFile(atPath: path, contents: Data(TestSite.article("大", date: "2020-04-30").utf8))
        )
        #expect(truncate(path, off_t(ContentLoader.maximumTextBytes) + 1) == 0)
        expectDiagnostics(
            site.build(),
            [
                """
                content/sanfuwu/shixian/huge.md:1:1: 错误 E014: 文件太大：超过 32 MB（Markdown 文件、模板和设置文件最大 32 MB），没有读取
                    提示: 图片、视频和大附件放成 content/ 里单独的文件，在文章里用链接引用；误放进来的大文件请移走
                """
            ])
        #expect(site.tree() == before)
        // One byte less is read.
        #expect(truncate(path, off_t(ContentLoader.maximumTextBytes)) == 0)
        let read = ContentLoader(display: { $0.lastPathComponent }).read(URL(fileURLWithPath: path))
        #expect((try? read.get().count) == ContentLoader.maximumTextBytes)
    }

    /// A hard link to a private file elsewhere on the disk (`ln /etc/shadow content/…`) was published: a hard-linked
    /// file that others may not read, or that belongs to another user, is skipped with a warning. A hard link to an
    /// ordinary file of the site's owner (a `cp -al` copy) is published as before.
    @Test func hardLinksToPrivateFilesAreNotPublished() throws {
        let site = try TestSite(TestSite.column(articles: 1))
        let outside = try TestSite([:], copyTemplates: false)
        try outside.write("机密", to: "shadow")
        try outside.write("公开", to: "shared.txt")
        #expect(chmod(outside.root.appendingPathComponent("shadow").path, 0o640) == 0)
        for (from, to) in [("shadow", "fujian.txt"), ("shared.txt", "shared.txt")] {
            #expect(
                link(
                    outside.root.appendingPathComponent(from).path,
                    site.root.appendingPathComponent("content/sanfuwu/shixian/\(to)").path) == 0)
        }
        let report = site.build()
        expectDiagnostics(
            report,
            [
                """
                content/sanfuwu/shixian/fujian.txt:1:1: 警告 W004: 这是一个硬链接，它的文件属于别的用户或不允许别人读取（可能是 content/ 之外的私密文件），已忽略
                    提示: 要发布的文件请复制进 content/，不要用硬链接
                """
            ])
        #expect(!site.exists("public/sanfuwu/shixian/fujian.txt"))
        #expect(try site.read("public/sanfuwu/shixian/shared.txt") == "公开")
    }

    /// A file only its owner may read (a private file hard-linked into content/, say) was published with its mode:
    /// copied files get the site's normal mode, as pages do.
    @Test func copiedFilesGetTheSitesNormalMode() throws {
        let site = try TestSite(TestSite.column(articles: 1))
        try site.write("私密", to: "content/sanfuwu/shixian/fujian.txt")
        #expect(chmod(site.root.appendingPathComponent("content/sanfuwu/shixian/fujian.txt").path, 0o600) == 0)
        #expect(site.build().succeeded)
        let attributes = try FileManager.default.attributesOfItem(
            atPath: site.root.appendingPathComponent("public/sanfuwu/shixian/fujian.txt").path)
        #expect((attributes[.posixPermissions] as? Int) == 0o644)
    }

    /// `public -> /srv/www/site`, a common deployment: the build replaced the link with a folder of its own and said
    /// it succeeded while the served folder kept the old site. The folder the link leads to gets the site, swapped in
    /// whole, and the link stays — on the first build, a full rebuild and an update in place, and for a link whose
    /// folder does not exist yet.
    @Test(arguments: [true, false])
    func aSymlinkedOutputKeepsItsLinkAndTheFolderItLeadsToGetsTheSite(targetExists: Bool) throws {
        let site = try TestSite(TestSite.column(articles: 1))
        let target = testScratch.appendingPathComponent("www-\(UUID().uuidString)/site")
        try FileManager.default.createDirectory(
            at: targetExists ? target : target.deletingLastPathComponent(), withIntermediateDirectories: true)
        let link = site.root.appendingPathComponent("public").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target.path)
        // Files an hour old, so that the build cache trusts their signatures and a small change updates in place.
        for folder in ["content", "templates"] {
            let root = site.root.appendingPathComponent(folder)
            for case let path as String in FileManager.default.enumerator(atPath: root.path)! {
                try FileManager.default.setAttributes(
                    [.modificationDate: Date().addingTimeInterval(-3600)],
                    ofItemAtPath: root.appendingPathComponent(path).path)
            }
        }
        for round in 1...3 {
            if round == 2 {
                // A template changed: a full build, swapped in.
                try FileManager.default.setAttributes(
                    [.modificationDate: Date().addingTimeInterval(-1800)],
                    ofItemAtPath: site.root.appendingPathComponent("templates/base.mustache").path)
            }
            if round == 3 {
                try site.write(
                    TestSite.article("第二篇", date: "2025-03-02 09:00"), to: "content/sanfuwu/shixian/a02.md")
            }
            let report = site.build()
            #expect(report.succeeded, "\(report.diagnostics)")
            #expect(report.updatedInPlace == (round == 3), "round \(round)")
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == target.path, "round \(round)")
            #expect(FileManager.default.fileExists(atPath: target.appendingPathComponent("index.html").path))
        }
        #expect(
            try String(contentsOf: target.appendingPathComponent("sanfuwu/shixian/a02/index.html"), encoding: .utf8)
                .contains("第二篇"))
        // Nothing left beside the link: the staging and undo folders were made beside the folder it leads to.
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: site.root.path).filter { $0.contains("public") }
                == ["public"])
    }

    /// An output folder that is a mount point (a container's volume) cannot be renamed: the build stopped with a
    /// raw `errno=16` after rendering everything. It is refused before anything is done, saying how to set
    /// `--output`, by `check` too. (`/proc` is a mount point on every Linux.)
    @Test func aMountPointAsTheOutputIsRefusedClearly() throws {
        let site = try TestSite(TestSite.column(articles: 1))
        var options = site.options
        options.outputDirectory = URL(fileURLWithPath: "/proc")
        let expected = """
            /proc:1:1: 错误 E013: 输出目录 /proc 是一个挂载点（例如容器的卷或单独的分区），生成时无法把它整体替换
                提示: 把卷挂在上一级目录，再用 --output 指定卷里的一个子目录，例如挂载到 /srv/www 后用 --output /srv/www/site
            """
        expectDiagnostics(Generator(options: options).build(now: testNow), [expected])
        expectDiagnostics(Generator(options: options).check(now: testNow), [expected])
        #expect(OutputDirectory.isMountPoint("/proc"))
        #expect(!OutputDirectory.isMountPoint(site.root.path))
        #expect(!OutputDirectory.isMountPoint(site.root.appendingPathComponent("content").path))
    }

    @Test(arguments: cases)
    func badInputIsReportedAndPublicIsUntouched(_ badCase: Case) throws {
        let site = try TestSite(TestSite.column(articles: 2))
        #expect(site.build().succeeded)
        let before = site.tree()
        for (path, bytes) in badCase.files {
            // Write by bytes: Foundation would normalise nothing, but the path must stay exactly as spelled.
            let url = URL(fileURLWithPath: site.root.path + "/" + path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: url.path, contents: Data(bytes)) else {
                Issue.record("could not write \(path)")
                return
            }
        }
        let report = site.build()
        expectDiagnostics(report, badCase.expected)
        #expect(site.tree() == before)
    }
}
