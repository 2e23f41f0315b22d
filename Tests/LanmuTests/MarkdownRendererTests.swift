import Foundation
import Testing

@testable import LanmuCore

@Suite struct MarkdownRendererTests {
    let renderer = MarkdownRenderer()

    /// The `cmark` command, when installed (CI installs it).
    static let cmark = ["/usr/bin/cmark", "/usr/local/bin/cmark"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    static func runCmark(_ markdown: String, unsafe: Bool) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: cmark!)
        process.arguments = unsafe ? ["--unsafe"] : []
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
        #expect(renderer.render(markdown).html == (try Self.runCmark(markdown, unsafe: false)))
        let unsafe = MarkdownRenderer(options: .init(rawHTML: true))
        #expect(unsafe.render(markdown).html == (try Self.runCmark(markdown, unsafe: true)))
    }

    @Test func rawHTMLIsDroppedWithItsPosition() {
        let rendered = renderer.render("第一段\n\n<table><tr><td>1</td></tr></table>\n\n文字 <b>粗</b> 文字\n")
        #expect(rendered.html.contains("<table>") == false)
        #expect(rendered.html.contains("<b>") == false)
        #expect(rendered.droppedHTML.map { [$0.line, $0.column] } == [[3, 1], [5, 4], [5, 8]])
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
        ("photo.jpg", "/sanfuwu/shixian/photo.jpg"), ("./img/a.png", "/sanfuwu/shixian/img/a.png"),
        ("../tingnei/b/", "/sanfuwu/tingnei/b/"), ("../../../x.pdf", "/x.pdf"),
        ("a.pdf#page=2", "/sanfuwu/shixian/a.pdf#page=2"),
    ])
    func relativeURLsResolveAgainstTheFolder(url: String, resolved: String) {
        #expect(MarkdownRenderer.resolve(url, against: "/sanfuwu/shixian") == resolved)
    }

    @Test(arguments: ["/abs/path", "https://example.com/a", "mailto:a@b.cn", "#anchor", "?q=1", ""])
    func absoluteURLsAreLeftAlone(url: String) {
        #expect(MarkdownRenderer.resolve(url, against: "/sanfuwu/shixian") == nil)
    }

    @Test func imagesAreRewrittenInTheHTML() {
        let html = renderer.render("![招聘会](图片.jpg)", directoryURL: "/sanfuwu/shixian").html
        #expect(html == "<p><img src=\"/sanfuwu/shixian/%E5%9B%BE%E7%89%87.jpg\" alt=\"招聘会\" /></p>\n")
    }

    @Test func leadingTextStripsMarkupAndSkipsHeadings() {
        let rendered = renderer.render("## 小标题\n\n第一段**加粗**和`代码`。\n\n第二段。\n")
        #expect(rendered.leadingText == "第一段加粗和代码。 第二段。")
    }
}
