import Foundation
import Testing

@testable import LanmuCore

/// Large builds keep only metadata in memory and read each body again when its page is written; the output is the
/// same, byte for byte.
@Suite struct StreamingBuildTests {
    func build(_ root: URL, keepBodiesUpTo: Int) throws -> [String: Data] {
        var options = BuildOptions(siteRoot: root)
        options.keepBodiesUpTo = keepBodiesUpTo
        return fullBuild(options)
    }

    @Test func theSampleSiteBuildsTheSameWithBodiesReadAgain() throws {
        let kept = try build(repositoryRoot, keepBodiesUpTo: .max)
        let streamed = try build(repositoryRoot, keepBodiesUpTo: 0)
        #expect(kept.count > 20)
        #expect(kept == streamed)
    }

    @Test func linksBetweenArticlesSurviveTheSecondReading() throws {
        var files = TestSite.column(articles: 12, paginate: 5)
        files["content/sanfuwu/shixian/a03.md"] = TestSite.article(
            "链接", date: "2025-03-03 09:00", body: "见[第二篇](a02.md)和[第五篇的标题](a05.md#第二站)。\n\n## 小标题\n")
        files["content/sanfuwu/shixian/a05.md"] = TestSite.article(
            "有标题", date: "2025-03-05 09:00", body: "## 第二站\n\n**加粗。**后文\n")
        let site = try TestSite(files)
        let kept = try build(site.root, keepBodiesUpTo: .max)
        #expect(try build(site.root, keepBodiesUpTo: 0) == kept)
        let page = try #require(kept["sanfuwu/shixian/a03/index.html"].map { String(decoding: $0, as: UTF8.self) })
        #expect(page.contains("href=\"/sanfuwu/shixian/a05/#%E7%AC%AC%E4%BA%8C%E7%AB%99\""))
    }

    @Test func aBodyChangedBetweenReadingAndWritingStopsTheBuild() throws {
        let site = try TestSite(TestSite.column(articles: 2))
        var options = site.options
        options.keepBodiesUpTo = 0
        let loaded = try #require(Generator(options: options).load(now: testNow).0)
        let article = try #require(loaded.site.articles.first { $0.contentPath == "sanfuwu/shixian/a01.md" })
        #expect(article.html.isEmpty, "the model kept no body")
        #expect(try loaded.bodies.html(for: article).contains("正文。"))
        try site.write(
            TestSite.article("文章1", date: "2025-03-01 09:00", body: "改了"), to: "content/sanfuwu/shixian/a01.md")
        #expect {
            try loaded.bodies.html(for: article)
        } throws: { error in
            (error as? ArticleBodies.Failure)?.diagnostic.description == """
                content/sanfuwu/shixian/a01.md:1:1: 错误 E014: 文章在生成过程中被修改了，生成已停止
                    提示: 等文件保存完毕后重新运行 lanmu build；输出目录没有改动
                """
        }
    }
}
