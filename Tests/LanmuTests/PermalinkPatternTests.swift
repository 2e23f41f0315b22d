import Foundation
import Testing

@testable import LanmuCore

/// Per-column URL patterns (`permalink:`, `pager:`): how they are read, what they make, and the errors at the
/// `_index.md` line that wrote them.
@Suite struct PermalinkPatternTests {
    static let place = Diagnostic.Location(file: "content/col/_index.md", line: 3, column: 12)

    static func read(_ text: String, _ kind: PermalinkPattern.Kind = .article) -> Result<PermalinkPattern, Diagnostic> {
        PermalinkPattern.read(text, kind: kind, at: place)
    }

    @Test func partsTakeTheLongestNameAfterTheColon() throws {
        let pattern = try Self.read("/art/:year/:i_month/:i_day/art_:column_id_:id.html").get()
        #expect(
            pattern.pieces == [
                .text("/art/"), .part(.year), .text("/"), .part(.iMonth), .text("/"), .part(.iDay), .text("/art_"),
                .part(.columnID), .text("_"), .part(.id), .text(".html"),
            ])
        let trs = try Self.read("/:year:month/t:year:month:day_:id.html").get()
        #expect(trs.pieces.filter { if case .part = $0 { true } else { false } }.count == 6)
        let pager = try Self.read("index_:page0.html", .pager).get()
        #expect(pager.pieces == [.text("index_"), .part(.page0), .text(".html")])
    }

    @Test(arguments: [
        ("art/:year/:id.html", PermalinkPattern.Kind.article, DiagnosticCode.permalinkOutsideSite),
        ("/art/../../etc/:id.html", .article, .permalinkOutsideSite),
        ("/art//:id/", .article, .permalinkOutsideSite),
        ("https://old.example.gov.cn/:id.html", .article, .permalinkOutsideSite),
        ("/page/:page/", .pager, .permalinkOutsideSite),
        ("../:page/", .pager, .permalinkOutsideSite),
        ("/art/:yaer/:id.html", .article, .invalidPermalinkPart),
        ("/art/:year/index.html", .article, .invalidPermalinkPart),
        ("/art/:id", .article, .invalidPermalinkPart),
        ("/art/:page/:id.html", .article, .invalidPermalinkPart),
        ("/a?b/:id.html", .article, .invalidPermalinkPart),
        ("index.html", .pager, .invalidPermalinkPart),
        ("p/:page/:page0/", .pager, .invalidPermalinkPart),
    ])
    func unusablePatternsAreErrorsAtTheirLine(text: String, kind: PermalinkPattern.Kind, code: DiagnosticCode) {
        guard case .failure(let diagnostic) = Self.read(text, kind) else {
            Issue.record("\(text) was accepted")
            return
        }
        #expect(diagnostic.code == code)
        #expect(diagnostic.location == Self.place)
    }

    @Test func listPagesFollowThePager() throws {
        let trs = try Self.read("index_:page0.html", .pager).get()
        #expect(Permalinks.listURL(sectionURL: "/xxgk/", page: 1, pager: trs) == "/xxgk/")
        #expect(Permalinks.listURL(sectionURL: "/xxgk/", page: 2, pager: trs) == "/xxgk/index_1.html")
        #expect(Permalinks.listPath(["xxgk"], page: 3, pager: trs) == "xxgk/index_2.html")
        let counted = try Self.read("p/:page/", .pager).get()
        #expect(Permalinks.listURL(sectionURL: "/xxgk/", page: 2, pager: counted) == "/xxgk/p/2/")
        #expect(Permalinks.listPath(["信息"], page: 2, pager: counted) == "信息/p/2/index.html")
    }

    static let articleText = """
        ---
        title: 白石县走访退役军人家庭
        date: 2020-04-05 09:17
        source: 白石县退役军人事务局
        id: 4567890
        ---

        正文。

        """

    @Test func aHanwebColumnPutsItsArticlesWhereTheOldSiteHadThem() throws {
        let site = try TestSite([
            "content/_index.md": "---\nsite_name: 测试\nbase_url: https://www.example.gov.cn\n---\n",
            "content/col/_index.md": """
            ---
            title: 市县动态
            id: 1229
            permalink: /art/:year/:i_month/:i_day/art_:column_id_:id.html
            pager: index_:page0.html
            paginate: 1
            ---

            """,
            "content/col/a.md": Self.articleText,
            "content/col/b.md": Self.articleText.replacingOccurrences(of: "id: 4567890\n", with: "slug: 二\n"),
            "content/col/c.md": """
            ---
            title: 另一篇
            date: 2021-11-23
            id: 12
            ---

            [上一篇](a.md)

            """,
        ])
        let report = site.build()
        #expect(report.succeeded, "\(report.diagnostics)")
        let page = try site.read("public/art/2020/4/5/art_1229_4567890.html")
        #expect(page.contains("白石县走访退役军人家庭"))
        // Without `id:` the number comes from the content path and stays the same while the file stays put.
        let derived = SiteBuilder.derivedID("col/b")
        #expect(
            derived.count == 10 && derived == SiteBuilder.derivedID("col/b")
                && derived != SiteBuilder.derivedID("col/a"))
        #expect(site.exists("public/art/2020/4/5/art_1229_\(derived).html"))
        // Links between articles, list pages, feeds and the site map all use the pattern's URLs.
        #expect(
            try site.read("public/art/2021/11/23/art_1229_12.html").contains(
                "href=\"/art/2020/4/5/art_1229_4567890.html\""))
        #expect(site.exists("public/col/index_1.html") && site.exists("public/col/index_2.html"))
        #expect(!site.exists("public/col/page/2/index.html"))
        #expect(try site.read("public/col/index.html").contains("href=\"/col/index_1.html\""))
        #expect(
            try site.read("public/sitemap.xml").contains("https://www.example.gov.cn/art/2021/11/23/art_1229_12.html"))
        #expect(
            try site.read("public/col/index.xml").contains("https://www.example.gov.cn/art/2021/11/23/art_1229_12.html")
        )
    }

    @Test func aTRSColumnWithZeroPaddedParts() throws {
        let site = try TestSite([
            "content/_index.md": "---\nsite_name: 测试\nbase_url: https://www.example.gov.cn\n---\n",
            "content/xxgk/_index.md": "---\ntitle: 信息公开\npermalink: /:year:month/t:year:month:day_:id.html\n---\n",
            "content/xxgk/a.md": Self.articleText,
        ])
        let report = site.build()
        #expect(report.succeeded, "\(report.diagnostics)")
        #expect(site.exists("public/202004/t20200405_4567890.html"))
    }

    @Test func collisionsAreErrorsAtThePatternsLine() throws {
        let site = try TestSite([
            "content/_index.md": "---\nsite_name: 测试\nbase_url: https://www.example.gov.cn\n---\n",
            "content/col/_index.md": "---\ntitle: 动态\npermalink: /art/:year/:id.html\n---\n",
            "content/col/a.md": Self.articleText,
            "content/col/b.md": Self.articleText,
        ])
        let report = site.build()
        #expect(
            report.diagnostics.map(\.description) == [
                """
                content/col/_index.md:3:12: 错误 E025: content/col/b.md 的网址 /art/2020/4567890.html 已经属于 \
                content/col/a.md，两个页面不能用同一个网址
                    提示: 在网址规则里加上 :id 或 :slug，给文章写上不同的 id:，或删去重复的旧网址
                """
            ])
        #expect(!site.exists("public"))
    }

    @Test func aColumnIDPartNeedsTheColumnsID() throws {
        let site = try TestSite([
            "content/_index.md": "---\nsite_name: 测试\nbase_url: https://www.example.gov.cn\n---\n",
            "content/col/_index.md": "---\ntitle: 动态\npermalink: /art/:column_id/:id.html\n---\n",
            "content/col/a.md": Self.articleText,
        ])
        let report = site.build()
        #expect(report.diagnostics.map(\.code) == [.invalidPermalinkPart])
        #expect(report.diagnostics.first?.location == .init(file: "content/col/_index.md", line: 3, column: 12))
    }

    @Test func anIDThatCannotBeInAURLIsAnErrorAtTheArticle() throws {
        let site = try TestSite([
            "content/_index.md": "---\nsite_name: 测试\nbase_url: https://www.example.gov.cn\n---\n",
            "content/col/_index.md": "---\ntitle: 动态\npermalink: /art/:id.html\n---\n",
            "content/col/a.md": Self.articleText.replacingOccurrences(of: "id: 4567890", with: "id: a:b"),
        ])
        let report = site.build()
        #expect(report.diagnostics.map(\.code) == [.invalidPermalinkPart])
        #expect(report.diagnostics.first?.location.file == "content/col/a.md")
    }
}
