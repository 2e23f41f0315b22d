import Foundation
import Testing

@testable import LanmuCore

@Suite struct SiteBuilderTests {
    let now = PublishDate(testNow)

    func section(_ path: String, _ title: String, weight: Int? = nil, paginate: Int? = nil) -> ParsedSection {
        ParsedSection(
            segments: path.split(separator: "/").map(String.init), file: "content/\(path)/_index.md",
            frontMatter: SectionFrontMatter(title: title, weight: weight, paginate: paginate))
    }

    func article(
        _ path: String, day: Int, pinned: Bool = false, draft: Bool = false, slug: String? = nil, year: Int = 2025
    ) -> ParsedArticle {
        let date = LocalDateTime(year: year, month: 3, day: day, hour: 9).instant(in: SiteSettings().timeZone)
        return ParsedArticle(
            contentPath: path, file: "content/\(path)",
            frontMatter: ArticleFrontMatter(
                title: path, date: date, tags: [], slug: slug,
                slugLocation: slug == nil ? nil : .init(file: "content/\(path)", line: 4, column: 7),
                draft: draft, pinned: pinned),
            rendered: .init(html: "<p>正文</p>\n", leadingText: "正文", droppedHTML: []))
    }

    func build(
        _ sections: [ParsedSection], _ articles: [ParsedArticle], assets: [String] = [],
        filter: PublishFilter? = nil, paginate: Int = 20
    ) -> (Site, [Diagnostic]) {
        var settings = SiteSettings()
        settings.paginate = paginate
        return SiteBuilder.build(
            settings: settings, homeFile: "content/_index.md", sections: sections, articles: articles,
            assets: assets.map { ($0, "content/" + $0) }, filter: filter ?? PublishFilter(now: now))
    }

    var standardSections: [ParsedSection] {
        [
            section("sanfuwu", "三服务专题", weight: 1), section("sanfuwu/shixian", "市县动态"),
            section("zhengwu", "政务公开", weight: 2),
        ]
    }

    @Test func breadcrumbsFollowTheFolders() {
        let (site, diagnostics) = build(standardSections + [section("sanfuwu/shixian/xian", "县级")], [])
        #expect(diagnostics.isEmpty)
        let deepest = site.sections.firstIndex { $0.segments == ["sanfuwu", "shixian", "xian"] }!
        #expect(site.ancestry(of: deepest).map { site.sections[$0].title } == ["首页", "三服务专题", "市县动态", "县级"])
        #expect(site.sections[deepest].url == "/sanfuwu/shixian/xian/")
    }

    @Test func navigationOrderIsWeightThenFolderName() {
        let sections = [section("b", "乙"), section("a", "甲"), section("z", "丙", weight: 1)]
        let (site, _) = build(sections, [])
        #expect(site.sections[0].children.map { site.sections[$0].title } == ["丙", "甲", "乙"])
    }

    @Test func columnListsPinnedFirstThenNewest() {
        let articles = [
            article("sanfuwu/shixian/a.md", day: 1), article("sanfuwu/shixian/b.md", day: 3),
            article("sanfuwu/shixian/c.md", day: 2, pinned: true), article("sanfuwu/shixian/d.md", day: 4),
        ]
        let (site, _) = build(standardSections, articles)
        let column = site.sections.first { $0.title == "市县动态" }!
        #expect(column.articles.map { site.articles[$0].slug } == ["c", "d", "b", "a"])
        // The topic lists everything below it by date alone.
        let topic = site.sections.first { $0.title == "三服务专题" }!
        #expect(topic.allArticles.map { site.articles[$0].slug } == ["d", "b", "c", "a"])
    }

    @Test func draftsAndFutureArticlesAreLeftOutUnlessAsked() {
        let articles = [
            article("sanfuwu/shixian/a.md", day: 1), article("sanfuwu/shixian/draft.md", day: 2, draft: true),
            article("sanfuwu/shixian/future.md", day: 3, year: 2030),
        ]
        #expect(build(standardSections, articles).0.articles.map(\.slug) == ["a"])
        let all = PublishFilter(now: now, includeDrafts: true, includeFuture: true)
        #expect(build(standardSections, articles, filter: all).0.articles.map(\.slug) == ["a", "draft", "future"])
    }

    @Test(arguments: [(0, 1), (1, 1), (5, 1), (6, 2), (10, 2), (11, 3)])
    func pageCountBoundaries(articles count: Int, pages: Int) {
        let articles = (0..<count).map { article("sanfuwu/shixian/a\($0).md", day: $0 + 1) }
        let (site, _) = build(standardSections, articles, paginate: 5)
        #expect(site.sections.first { $0.title == "市县动态" }!.pageCount == pages)
    }

    @Test func slugReplacesTheFileName() {
        let (site, _) = build(standardSections, [article("sanfuwu/shixian/稿件.md", day: 1, slug: "jiaoliu")])
        #expect(site.articles[0].url == "/sanfuwu/shixian/jiaoliu/")
        #expect(site.articles[0].id == "sanfuwu/shixian/稿件")
    }

    @Test func chineseSegmentsArePercentEncodedInURLs() {
        let (site, _) = build([section("专题", "专题")], [article("专题/交流.md", day: 1)])
        #expect(site.articles[0].url == "/%E4%B8%93%E9%A2%98/%E4%BA%A4%E6%B5%81/")
    }

    @Test func duplicateURLsNameBothFiles() {
        let articles = [
            article("sanfuwu/shixian/a.md", day: 1, slug: "same"),
            article("sanfuwu/shixian/b.md", day: 2, slug: "same"),
        ]
        let (_, diagnostics) = build(standardSections, articles)
        #expect(
            diagnostics.map(\.description) == [
                """
                content/sanfuwu/shixian/b.md:1:1: 错误 E008: 网址 /sanfuwu/shixian/same/ 已经属于 content/sanfuwu/shixian/a.md，两个页面不能用同一个网址
                    提示: 修改其中一个的 slug 或文件名（大小写不同、繁简写法相同也算重复）
                """
            ])
    }

    @Test(arguments: [("Report.md", "report.md"), ("caf\u{E9}.md", "cafe\u{301}.md")])
    func urlsDifferingOnlyByCaseOrNormalisationCollide(first: String, second: String) {
        let articles = [article("sanfuwu/shixian/\(first)", day: 1), article("sanfuwu/shixian/\(second)", day: 2)]
        let (_, diagnostics) = build(standardSections, articles)
        #expect(diagnostics.map(\.code) == [.duplicateURL])
    }

    @Test func anAssetCannotTakeAPagesFile() {
        let (_, diagnostics) = build(standardSections, [], assets: ["sanfuwu/shixian/index.html"])
        #expect(diagnostics.map(\.code) == [.duplicateURL])
    }

    @Test(arguments: [
        ("a/b", "含有不能用在网址或文件名里的字符“/”"), ("..", "“..”表示目录本身或上一级目录"), ("con", "“con”是 Windows 保留的名称"),
        ("COM1.txt", "“COM1.txt”是 Windows 保留的名称"), ("结尾.", "以点或空格结尾（Windows 上无法保存）"), ("a?b", "含有不能用在网址或文件名里的字符“?”"),
        ("\u{034F}a", "以组合用字符（附加符号）开头"),
        // Found by the slug fuzzer: a combining mark after `/` or `?` makes one character with it.
        ("a/\u{301}b", "含有不能用在网址或文件名里的字符“/”"), ("a?\u{301}", "含有不能用在网址或文件名里的字符“?”"),
        ("a\u{1}\u{301}", "含有不能用在网址或文件名里的字符“\\u{1}”"),
    ])
    func unusableSlugsAreErrorsAtTheSlug(slug: String, problem: String) {
        let (site, diagnostics) = build(standardSections, [article("sanfuwu/shixian/a.md", day: 1, slug: slug)])
        #expect(site.articles.isEmpty)
        #expect(
            diagnostics.map(\.description) == [
                """
                content/sanfuwu/shixian/a.md:4:7: 错误 E012: slug“\(Diagnostic.printable(slug))”不能用作网址：\(problem)
                    提示: 用字母、数字、汉字和短横线，例如 slug: 2020-04-30-jiaoliu
                """
            ])
    }

    @Test func articlesNeedASectionIndex() {
        let (_, diagnostics) = build(standardSections, [article("other/a.md", day: 1)])
        #expect(
            diagnostics.map(\.description) == [
                """
                content/other/a.md:1:1: 错误 E015: 文章所在的目录“other”没有 _index.md
                    提示: 在这个目录里建一个 _index.md，写上 title（栏目名称），例如 title: 市县动态
                """
            ])
    }

    @Test func summaryFallsBackToTheOpeningText() {
        #expect(Summary.cut("短文。") == "短文。")
        let long = String(repeating: "字", count: 100) + "。" + String(repeating: "文", count: 50)
        #expect(Summary.cut(long) == String(repeating: "字", count: 100) + "。")
        let noStop = String(repeating: "字", count: 200)
        #expect(Summary.cut(noStop) == String(repeating: "字", count: 120) + "……")
    }
}

extension SiteBuilderTests {
    @Test func listPagesPutTheSectionsOwnPinnedArticlesFirst() {
        let articles = [
            article("sanfuwu/a.md", day: 1, pinned: true), article("sanfuwu/shixian/b.md", day: 3),
            article("sanfuwu/shixian/c.md", day: 2, pinned: true),
        ]
        let (site, _) = build(standardSections, articles)
        let topic = site.sections.first { $0.title == "三服务专题" }!
        // c is pinned in its own column, not in the topic.
        #expect(topic.listed.map { site.articles[$0].slug } == ["a", "b", "c"])
        let column = site.sections.first { $0.title == "市县动态" }!
        #expect(column.listed.map { site.articles[$0].slug } == ["c", "b"])
    }
}
