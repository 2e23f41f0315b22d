import Foundation
import Testing

@testable import LanmuCore

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// A site map larger than search engines read from one file is cut into parts under a sitemap index; the parts
/// list what one file would, in the same order.
@Suite struct SitemapTests {
    let site: TestSite
    let loaded: LoadedSite

    init() throws {
        var files = TestSite.column(articles: 12, paginate: 5)
        files["content/sanfuwu/shixian/长标题.md"] = TestSite.article(
            "网址很长的文章", date: "2025-03-20 09:00", extra: "slug: \(String(repeating: "市县动态", count: 20))\n")
        site = try TestSite(files)
        loaded = try #require(Generator(options: site.options).load(now: testNow).0)
    }

    /// The `<loc>`s of an XML document, read by Foundation's parser (which also holds the document well-formed).
    func locations(_ xml: String, root: String) throws -> [String] {
        let document = try XMLDocument(xmlString: xml)
        #expect(document.rootElement()?.name == root)
        return try document.nodes(forXPath: "//*[local-name()='loc']").compactMap(\.stringValue)
    }

    func renderer(_ plan: SitemapPlan) -> SiteRenderer {
        SiteRenderer(site: loaded.site, templates: loaded.templates, sitemap: plan)
    }

    @Test func aSmallSiteHasOneSiteMap() throws {
        let plan = SitemapPlan(site: loaded.site)
        #expect(!plan.isCut)
        let jobs = renderer(plan).jobs(copies: [])
        #expect(!jobs.contains { $0.path.hasPrefix("sitemap-") })
        let xml = try #require(try renderer(plan).render(.sitemap))
        // Home, topic, column and 13 articles.
        #expect(try locations(xml, root: "urlset").count == 16)
    }

    @Test(arguments: [1, 4, 5, 16]) func partsHoldAtMostTheURLLimitInOrder(limit: Int) throws {
        let whole = try locations(
            try #require(try renderer(SitemapPlan(site: loaded.site)).render(.sitemap)), root: "urlset")
        let plan = SitemapPlan(site: loaded.site, maximumURLs: limit)
        #expect(plan.parts.count == (whole.count + limit - 1) / limit)
        let cut = renderer(plan)
        let parts = cut.jobs(copies: []).filter { $0.path.hasPrefix("sitemap-") }
        #expect(parts.map(\.path) == (plan.isCut ? plan.parts.indices.map { "sitemap-\($0 + 1).xml" } : []))
        var listed: [String] = []
        for (_, job) in plan.isCut ? parts : [("sitemap.xml", .sitemap)] {
            let urls = try locations(try #require(try cut.render(job)), root: "urlset")
            #expect(urls.count <= limit && !urls.isEmpty)
            listed += urls
        }
        #expect(listed == whole)
        let index = try #require(try cut.render(.sitemap))
        if plan.isCut {
            #expect(
                try locations(index, root: "sitemapindex")
                    == parts.map { "https://www.example.gov.cn/" + $0.path })
        } else {
            #expect(try locations(index, root: "urlset") == whole)
        }
    }

    @Test func partsStayUnderTheByteLimit() throws {
        let whole = try #require(try renderer(SitemapPlan(site: loaded.site)).render(.sitemap))
        let limit = 700
        let plan = SitemapPlan(site: loaded.site, maximumBytes: limit)
        #expect(plan.isCut)
        let cut = renderer(plan)
        var listed: [String] = []
        for part in plan.parts.indices {
            let xml = try #require(try cut.render(.sitemapPart(part)))
            let urls = try locations(xml, root: "urlset")
            // A part is over the limit only when its one entry is (the long slug's).
            #expect(xml.utf8.count <= limit || urls.count == 1, "part \(part + 1): \(xml.utf8.count) bytes")
            listed += urls
        }
        #expect(listed == (try locations(whole, root: "urlset")))
        #expect(plan.parts.contains { $0.count == 1 } && plan.parts.allSatisfy { !$0.isEmpty })
    }

    @Test func aCopyOntoASiteMapPartIsAnError() throws {
        let plan = SitemapPlan(site: loaded.site, maximumURLs: 5)
        let clashes = OwnFiles.clashes(
            site: loaded.site, sitemap: plan,
            contentAssets: [("Sitemap-2.xml", "content/Sitemap-2.xml"), ("sitemap-9.xml", "content/sitemap-9.xml")],
            themeAssets: [])
        #expect(
            clashes.map(\.description) == [
                """
                content/Sitemap-2.xml:1:1: 错误 E008: 文件 Sitemap-2.xml 和 lanmu 生成的网站地图是同一个路径 /sitemap-2.xml
                    提示: 给这个文件改名或删除它：这个路径上的文件由 lanmu 生成（大小写不同、繁简写法相同也算重复）
                """
            ])
    }

    /// The preview's incremental rebuild names the part that lists an edited article.
    @Test func anArticlesPartIsAmongTheJobsThatShowIt() throws {
        let plan = SitemapPlan(site: loaded.site, maximumURLs: 4)
        let cut = renderer(plan)
        for index in loaded.site.articles.indices {
            let part = plan.part(of: loaded.site.sections.count + index)
            #expect(plan.parts[part].contains(loaded.site.sections.count + index))
            #expect(cut.jobs(showingArticles: [index]).contains { $0.path == "sitemap-\(part + 1).xml" })
        }
    }
}
