import Foundation
import Testing

@testable import LanmuCore

@Suite struct MarkdownRendererTests {
    let renderer = MarkdownRenderer()
    /// The wrapper as cmark renders: no heading ids, destinations as written.
    let asCmark = MarkdownRenderer(options: .init(headingIDs: false))

    /// The `cmark` command, when installed (CI installs it).
    static let cmark = ["/usr/bin/cmark", "/usr/local/bin/cmark"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    static func runCmark(_ markdown: String, unsafe: Bool) throws -> String {
        try run(cmark!, unsafe ? ["--unsafe"] : [], on: markdown)
    }

    /// The output of a reference command given Markdown on its standard input.
    static func run(_ command: String, _ arguments: [String], on markdown: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command)
        process.arguments = arguments
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(markdown.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    static let commonMarkSamples = [
        "# Heading\n\nA paragraph with *emphasis*, **strong**, `code` and a [link](https://example.com \"t\").\n",
        "- one\n- two\n\n1. first\n2. second\n",
        "> quote\n> continued\nlazy line\n",
        "```swift\nlet x = 1 < 2 && 3 > 2\n```\n\n    indented code\n",
        "Line one\nline two  \nline three\\\nline four\n",
        "He said \"hi\" -- and 'bye'... <https://example.com> &amp; &copy; &#35;\n",
        "Setext\n======\n\n***\n\n| not | a table |\n",
        "<div>raw block</div>\n\ntext with <span>inline</span> html\n",
        "[ref]\n\n[ref]: /url \"title\"\n\n![img](/a.png)\n",
    ]

    @Test(.enabled(if: cmark != nil, "the cmark command is not installed"), arguments: commonMarkSamples)
    func plainCommonMarkEqualsTheCmarkCommand(markdown: String) throws {
        #expect(asCmark.render(markdown, directory: nil).html == (try Self.runCmark(markdown, unsafe: false)))
        let unsafe = MarkdownRenderer(options: .init(rawHTML: true, headingIDs: false))
        #expect(unsafe.render(markdown, directory: nil).html == (try Self.runCmark(markdown, unsafe: true)))
    }

    @Test func rawHTMLIsDroppedWithItsPosition() {
        let rendered = renderer.render("第一段\n\n<table><tr><td>1</td></tr></table>\n\n文字 <b>粗</b> 文字\n")
        #expect(rendered.html.contains("<table>") == false)
        #expect(rendered.html.contains("<b>") == false)
        #expect(
            rendered.droppedHTML == [.init(line: 3, column: 1), .init(line: 5, column: 4), .init(line: 5, column: 8)])
    }

    @Test func rawHTMLPassesWhenTheSiteAllowsIt() {
        let rendered = MarkdownRenderer(options: .init(rawHTML: true)).render("<table><tr><td>1</td></tr></table>\n")
        #expect(rendered.html == "<table><tr><td>1</td></tr></table>\n")
        #expect(rendered.droppedHTML.isEmpty)
    }

    @Test(arguments: [
        ("为让老兵在家门口享受服务，\n县里开展上门体检。", "<p>为让老兵在家门口享受服务，县里开展上门体检。</p>\n"),
        ("中文结尾\nEnglish start", "<p>中文结尾\nEnglish start</p>\n"),
        ("English end\n中文开头", "<p>English end\n中文开头</p>\n"),
        ("**加粗的中文**\n接着写", "<p><strong>加粗的中文</strong>接着写</p>\n"),
        ("12个乡镇\n80周岁", "<p>12个乡镇\n80周岁</p>\n"),
    ])
    func softBreaksBetweenCJKDisappear(markdown: String, html: String) {
        #expect(renderer.render(markdown).html == html)
    }

    @Test func noSmartPunctuation() {
        #expect(renderer.render("他说\"好\"--然后'走'...").html == "<p>他说&quot;好&quot;--然后'走'...</p>\n")
    }

    @Test(arguments: [
        ("photo.jpg", LinkTarget.file(path: "sanfuwu/shixian/photo.jpg", suffix: "")),
        ("./img/a.png", .file(path: "sanfuwu/shixian/img/a.png", suffix: "")),
        ("../tingnei/b/", .file(path: "sanfuwu/tingnei/b/", suffix: "")),
        ("../../../x.pdf", .file(path: "x.pdf", suffix: "")),
        ("a.pdf#page=2", .file(path: "sanfuwu/shixian/a.pdf", suffix: "#page=2")),
        ("%E5%9B%BE.png", .file(path: "sanfuwu/shixian/图.png", suffix: "")),
        (
            "../tingnei/other.md#第二站",
            .article(candidates: ["sanfuwu/tingnei/other.md", "tingnei/other.md"], anchor: "第二站")
        ),
        (
            "zhengwu/tongzhi/a.md",
            .article(candidates: ["sanfuwu/shixian/zhengwu/tongzhi/a.md", "zhengwu/tongzhi/a.md"], anchor: nil)
        ),
        ("/zhengwu/a.md", .article(candidates: ["zhengwu/a.md"], anchor: nil)),
        ("#%E7%AC%AC%E4%B8%80", .anchor("第一")),
    ])
    func destinationsAreClassifiedFromTheFolder(url: String, target: LinkTarget) {
        #expect(LinkTarget.classify(url, directory: ["sanfuwu", "shixian"]) == target)
    }

    @Test(arguments: ["https://example.com/a", "mailto:a@b.cn", "//cdn.example.com/x.js", "?q=1", "", "/uploads/a.jpg"])
    func externalDestinationsAreLeftAlone(url: String) {
        #expect(LinkTarget.classify(url, directory: ["sanfuwu"]) == .external)
    }

    @Test func imagesAreRewrittenInTheHTML() {
        let html = renderer.render("![招聘会](图片.jpg)", directory: ["sanfuwu", "shixian"]).html
        #expect(html == "<p><img src=\"/sanfuwu/shixian/%E5%9B%BE%E7%89%87.jpg\" alt=\"招聘会\" /></p>\n")
    }

    @Test func headingsGetStableChineseIDs() {
        let rendered = renderer.render("## 第一站：横村镇退役军人服务站\n\n## 第一站：横村镇退役军人服务站\n\n### Step *One*\n")
        #expect(rendered.headingIDs == ["第一站横村镇退役军人服务站", "第一站横村镇退役军人服务站-2", "step-one"])
        #expect(
            rendered.html == """
                <h2 id="第一站横村镇退役军人服务站">第一站：横村镇退役军人服务站</h2>
                <h2 id="第一站横村镇退役军人服务站-2">第一站：横村镇退役军人服务站</h2>
                <h3 id="step-one">Step <em>One</em></h3>

                """)
    }

    @Test func imagesWithoutAltTextAreNoted() {
        let rendered = renderer.render("文字\n\n![](a.png) 和 ![有说明](b.png)\n")
        #expect(rendered.imagesWithoutAlt == [.init(line: 3, column: 1)])
    }

    @Test func wordsAreCountedTheChineseWay() {
        let rendered = renderer.render("退役军人服务站，共 12 个 stations。\n\n`code` 二\n")
        #expect(rendered.statistics.characters == 10)
        #expect(rendered.statistics.words == 3)
        #expect(rendered.statistics.readingMinutes == 1)
        var long = TextStatistics()
        long.add(String(repeating: "字", count: 1000))
        #expect(long.readingMinutes == 3)
    }

    /// Every UTF-8 length: ASCII, two-byte Latin and Cyrillic letters (words), three-byte CJK and punctuation,
    /// four-byte CJK extension B (characters) and emoji (neither).
    @Test(arguments: [
        ("abc 123", 0, 2), ("café naïve", 0, 2), ("Привет мир", 0, 2), ("中文，标点。", 4, 0), ("𠀀𠀁 ext", 2, 1),
        ("🇨🇳👍", 0, 0), ("한국어 かな カナ", 7, 0), ("x²", 0, 1), ("", 0, 0), ("a中b", 1, 2),
    ])
    func statisticsCountEveryEncodingLength(text: String, characters: Int, words: Int) {
        var statistics = TextStatistics()
        statistics.add(text)
        #expect(statistics.characters == characters)
        #expect(statistics.words == words)
    }

    /// The byte-level count with its shortcuts equals a count by scalar that asks Unicode's properties for
    /// everything but ASCII and the CJK blocks.
    @Test func statisticsEqualACountByScalarProperties() {
        func reference(_ text: String) -> TextStatistics {
            var statistics = TextStatistics()
            var inWord = false
            let cjk: [ClosedRange<UInt32>] = [
                0x3040...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xAC00...0xD7AF, 0xF900...0xFAFF, 0x20000...0x2FA1F,
            ]
            let punctuation: [ClosedRange<UInt32>] = [
                0x3000...0x303F, 0xFF00...0xFF0F, 0xFF1A...0xFF20, 0xFF3B...0xFF40, 0xFF5B...0xFF65,
            ]
            for scalar in text.unicodeScalars {
                let value = scalar.value
                let isWordScalar =
                    scalar.isASCII
                    ? (0x30...0x39).contains(value) || (0x41...0x5A).contains(value) || (0x61...0x7A).contains(value)
                    : !punctuation.contains { $0.contains(value) }
                        && (scalar.properties.isAlphabetic || scalar.properties.numericType != nil)
                if cjk.contains(where: { $0.contains(value) }) {
                    statistics.characters += 1
                    inWord = false
                } else if isWordScalar {
                    if !inWord { statistics.words += 1 }
                    inWord = true
                } else {
                    inWord = false
                }
            }
            return statistics
        }
        var generator = SeededGenerator(seed: 31)
        let alphabet: [Unicode.Scalar] = [
            "a", "Z", "5", " ", "，", "。", "“", "”", "、", "《", "〇", "一", "中", "龥", "丂", "䷀", "㐀", "é", "²", "Ⅻ", "０",
            "Ａ", "！", "ｶ", "가", "か", "\u{2028}", "\u{200B}", "…", "—", "😀", "𠀀", "\u{3000}", "〡",
        ]
        var samples = [0x2000...0x20FF, 0x3000...0x30FF, 0x4000...0x4FFF, 0xFF00...0xFFEF].flatMap { range in
            range.compactMap(Unicode.Scalar.init).map { "a\($0)b" }
        }
        samples += (0..<3000).map { _ in generator.text(from: alphabet, length: 0...12) }
        for text in samples {
            var statistics = TextStatistics()
            statistics.add(text)
            #expect(statistics == reference(text), "\(text.debugDescription)")
        }
    }

    /// The first and last characters read from a literal's bytes (for joining lines between Chinese characters)
    /// are those of its string, on scalars of every UTF-8 length and random runs of them.
    @Test func edgeScalarsAreTheStringsFirstAndLast() {
        var generator = SeededGenerator(seed: 41)
        let alphabet: [Unicode.Scalar] = [
            "a", " ", "é", "中", "，", "\u{FFFD}", "😀", "𠀀", "\u{10FFFF}", "\u{80}", "\u{7FF}",
        ]
        var samples = ["", "a", "中", "😀"]
        samples += (0..<2000).map { _ in generator.text(from: alphabet, length: 1...8) }
        for text in samples {
            text.withCString { literal in
                #expect(MarkdownRenderer.edgeScalar(of: literal, last: false) == text.unicodeScalars.first, "\(text)")
                #expect(MarkdownRenderer.edgeScalar(of: literal, last: true) == text.unicodeScalars.last, "\(text)")
            }
        }
    }

    @Test func leadingTextStripsMarkupAndSkipsHeadings() {
        let rendered = renderer.render("## 小标题\n\n第一段**加粗**和`代码`。\n\n第二段。\n")
        #expect(rendered.leadingText == "第一段加粗和代码。")
    }

    /// Byte columns counted as characters line by line in one walk (`characterColumns`) equal each position's prefix
    /// counted on its own (`plainCharacterColumns`): Chinese, emoji, flags, combining marks, Hangul, several columns
    /// on a line in any order, and past the line's end. Columns are where characters start, as cmark's are (the
    /// start of a link, an image or an HTML tag).
    @Test func characterColumnsEqualTheirPlainTwin() {
        var random = SeededGenerator(seed: 7)
        let pieces = [
            "a", "链接", "[x](y.md)", "😀", "🇨🇳🇯🇵", "e\u{301}", "\u{1100}\u{1161}\u{11A8}", " ", "\r", "👨\u{200D}👩",
        ]
        for _ in 0..<200 {
            var lines: [String] = []
            var starts: [[Int]] = []
            for _ in 0..<Int.random(in: 1...6, using: &random) {
                var line = ""
                var lineStarts: [Int] = []
                for _ in 0..<Int.random(in: 0...40, using: &random) {
                    lineStarts.append(line.utf8.count)
                    line += pieces.randomElement(using: &random)!
                }
                lineStarts += [line.utf8.count, line.utf8.count + 2]
                lines.append(line)
                starts.append(lineStarts)
            }
            let markdown = lines.joined(separator: "\n")
            var positions: [(line: Int, column: Int)] = []
            for _ in 0..<Int.random(in: 1...30, using: &random) {
                let line = Int.random(in: 1...lines.count + 1, using: &random)
                let byte = line <= lines.count ? starts[line - 1].randomElement(using: &random)! : 0
                positions.append((line, byte + 1))
            }
            #expect(
                MarkdownRenderer.characterColumns(positions, in: markdown)
                    == MarkdownRenderer.plainCharacterColumns(positions, in: markdown), "\(markdown) \(positions)")
        }
    }
}
