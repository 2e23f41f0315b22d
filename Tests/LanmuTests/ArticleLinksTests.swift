import Foundation
import Testing

@testable import LanmuCore

/// Links between articles, images beside them, heading anchors; summaries by characters.
@Suite struct ArticleLinksTests {
    func site(_ body: String, extra: [String: String] = [:]) throws -> TestSite {
        var files = TestSite.column(articles: 1)
        files["content/sanfuwu/tingnei/_index.md"] = TestSite.section("厅内动态")
        files["content/sanfuwu/tingnei/other.md"] = TestSite.article(
            "另一篇", date: "2025-03-02", extra: "slug: lingyipian\n", body: "## 第二站：走访企业\n\n正文。")
        files["content/sanfuwu/shixian/a01.md"] = "---\ntitle: 链接\ndate: 2025-03-01\n---\n\n" + body + "\n"
        return try TestSite(files.merging(extra) { $1 })
    }

    @Test func linksToMarkdownFilesBecomeTheTargetsURL() throws {
        let site = try site("[相关阅读](../tingnei/other.md#第二站走访企业) 和 [同一篇](sanfuwu/tingnei/other.md)")
        let report = site.build()
        expectDiagnostics(report, [])
        let page = try site.read("public/sanfuwu/shixian/a01/index.html")
        #expect(
            page.contains(
                "<a href=\"/sanfuwu/tingnei/lingyipian/#%E7%AC%AC%E4%BA%8C%E7%AB%99%E8%B5%B0%E8%AE%BF%E4%BC%81%E4%B8%9A\">相关阅读</a>"
            ))
        #expect(page.contains("<a href=\"/sanfuwu/tingnei/lingyipian/\">同一篇</a>"))
        #expect(try site.read("public/sanfuwu/tingnei/lingyipian/index.html").contains("<h2 id=\"第二站走访企业\">"))
    }

    @Test func aLinkToAMissingArticleIsAnErrorAtTheLink() throws {
        let site = try site("第一段。\n\n见[这里](../tingnei/nope.md)。")
        expectDiagnostics(
            site.build(),
            [
                """
                content/sanfuwu/shixian/a01.md:8:2: 错误 E019: 链接的文章不存在：content/sanfuwu/tingnei/nope.md
                    提示: 检查文件名和路径（相对于本文所在目录，或相对于 content/），例如 ../tingnei/other.md
                """
            ])
        #expect(!site.exists("public"))
    }

    @Test func aMissingImageIsAnErrorAndAnImageWithoutAltAWarning() throws {
        let site = try site("![现场](xianchang.jpg)\n\n![](tu.png)", extra: ["content/sanfuwu/shixian/tu.png": "PNG"])
        expectDiagnostics(
            site.build(),
            [
                """
                content/sanfuwu/shixian/a01.md:6:1: 错误 E019: 图片不存在：content/sanfuwu/shixian/xianchang.jpg
                    提示: 把图片放进文章所在的目录（或写对相对路径），例如 ![说明](tupian.jpg)
                """,
                """
                content/sanfuwu/shixian/a01.md:8:1: 警告 W006: 图片没有替代文字，读屏软件无法告诉视障读者图上是什么
                    提示: 在方括号里写上图片说明，例如 ![招聘会现场](zhaopinhui.jpg)
                """,
            ])
    }

    @Test func missingAnchorsAreWarningsWithASuggestion() throws {
        let site = try site("[甲](../tingnei/other.md#第二站走访企)\n\n[乙](#没有)")
        let report = Generator(options: site.options).check(now: testNow)
        #expect(report.succeeded)
        expectDiagnostics(
            report,
            [
                """
                content/sanfuwu/shixian/a01.md:6:1: 警告 W005: content/sanfuwu/tingnei/other.md 里没有 id 为“第二站走访企”的标题
                    提示: 是否想写 #第二站走访企业？
                """,
                """
                content/sanfuwu/shixian/a01.md:8:1: 警告 W005: content/sanfuwu/shixian/a01.md 里没有 id 为“没有”的标题
                    提示: 标题的 id 是标题文字去掉标点，例如“第一站：横村镇”的 id 是 第一站横村镇
                """,
            ])
    }

    @Test func aSummaryWrittenWithMarkupIsPlainText() throws {
        var files = TestSite.column(articles: 1)
        files["content/sanfuwu/shixian/a01.md"] = TestSite.article(
            "摘要", date: "2025-03-01", extra: "summary: \"**要点。**内容 & <细节>\"\n")
        let site = try TestSite(files)
        #expect(site.build().succeeded)
        #expect(
            try site.read("public/sanfuwu/shixian/a01/index.html").contains(
                "<meta name=\"description\" content=\"要点。内容 &amp; &lt;细节&gt;\">"))
        #expect(
            try site.read("public/sanfuwu/shixian/index.xml").contains(
                "<description>要点。内容 &amp; &lt;细节&gt;</description>"))
    }

    @Test func htmlTagsInASummaryAreMarkupToo() {
        #expect(MarkdownRenderer.plainText("摘要 <i>斜</i> & </description>") == "摘要 斜 &")
        #expect(MarkdownRenderer.plainText("a < b，**粗**") == "a < b，粗")
    }

    @Test func theSummaryLengthIsASetting() throws {
        var files = TestSite.column(articles: 1)
        files["content/_index.md"] = "---\ntitle: 首页\nbase_url: https://a.example\nsummary_length: 10\n---\n"
        files["content/sanfuwu/shixian/a01.md"] = TestSite.article(
            "长文", date: "2025-03-01", body: String(repeating: "字", count: 30) + "\n\n第二段不算。")
        let site = try TestSite(files)
        #expect(site.build().succeeded)
        #expect(
            try site.read("public/sanfuwu/shixian/a01/index.html").contains(
                "content=\"" + String(repeating: "字", count: 10) + "……\""))
    }

    @Test func aLinkingPageFollowsItsTargetsNewURLInThePreview() throws {
        let site = try site("[相关](../tingnei/other.md)")
        let live = LiveSite(options: site.options)
        #expect(live.rebuild(now: testNow).succeeded)
        try site.write(
            TestSite.article("另一篇", date: "2025-03-02", extra: "slug: xinmingzi\n"),
            to: "content/sanfuwu/tingnei/other.md")
        #expect(live.rebuild(now: testNow).succeeded)
        let page = String(decoding: live.file(at: "sanfuwu/shixian/a01/index.html")!.bytes, as: UTF8.self)
        #expect(page.contains("href=\"/sanfuwu/tingnei/xinmingzi/\""))
    }

    /// The one-pass replacement (`apply`) equals one replacement per link (`plainApply`) on generated bodies:
    /// placeholders in `href`s, some linked twice, some with no URL (a broken link), quotes in text and other
    /// attributes, Chinese text, placeholders as text.
    @Test func oneReplacementPassEqualsOnePerLink() {
        var random = SeededGenerator(seed: 19)
        let words = [
            "正文", "，", "the ", "&quot;引号&quot;", "\"", "<br />", "__lanmu_link_1__", "/__lanmu_link_2__/", "😀",
        ]
        for _ in 0..<300 {
            let links = Int.random(in: 0...40, using: &random)
            var html = ""
            for paragraph in 0..<Int.random(in: 1...30, using: &random) {
                html += "<p>"
                for _ in 0..<Int.random(in: 0...12, using: &random) {
                    switch Int.random(in: 0..<6, using: &random) {
                    case 0 where links > 0:
                        let index = Int.random(in: 0..<links + 3, using: &random)
                        html += "<a href=\"/__lanmu_link_\(index)__/\">链接\(index)</a>"
                    case 1:
                        html += "<img src=\"/uploads/\(paragraph).jpg\" alt=\"图 \(paragraph)\" />"
                    default:
                        html += words.randomElement(using: &random)!
                    }
                }
                html += "</p>\n"
            }
            var replacements: [(placeholder: String, url: String)] = []
            for index in 0..<links where Int.random(in: 0..<5, using: &random) > 0 {
                let url = "/sanfuwu/文章\(index)/" + (index % 3 == 0 ? "#%E7%AC%AC" : "")
                replacements.append(("/__lanmu_link_\(index)__/", url))
            }
            replacements.shuffle(using: &random)
            #expect(
                ArticleLinks.apply(replacements, to: html) == ArticleLinks.plainApply(replacements, to: html), "\(html)"
            )
        }
    }

    /// An article with thousands of links to others: each link gets its target's URL.
    @Test func thousandsOfLinksAllReachTheirTargets() throws {
        var files = TestSite.column(articles: 0)
        var body = ""
        for index in 0..<3_000 {
            files["content/sanfuwu/shixian/t\(index % 30).md"] = TestSite.article(
                "目标\(index % 30)", date: "2025-03-01", extra: "slug: mubiao-\(index % 30)\n")
            body += "[链接\(index)](t\(index % 30).md) "
        }
        files["content/sanfuwu/shixian/many.md"] = TestSite.article("很多链接", date: "2025-03-02", body: body)
        let site = try TestSite(files)
        expectDiagnostics(site.build(), [])
        let page = try site.read("public/sanfuwu/shixian/many/index.html")
        #expect(!page.contains("__lanmu_link_"))
        for index in [0, 1, 29, 1_500, 2_999] {
            #expect(page.contains("<a href=\"/sanfuwu/shixian/mubiao-\(index % 30)/\">链接\(index)</a>"))
        }
    }
}
