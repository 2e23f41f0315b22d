import Foundation
import Testing

@testable import LanmuCore

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The RSS feeds and the site map as whole documents: every text escaped, Chinese paths percent-encoded, absolute
/// links only with a base URL. (How the site map is cut into parts is in `SitemapTests`.)
@Suite struct XMLDocumentsTests {
    /// A site whose names and texts hold all five XML special characters.
    static func loadSite(home: String) throws -> Site {
        let site = try TestSite([
            "content/_index.md": home,
            "content/三服务/_index.md": TestSite.section("三服务 & 走访", extra: "description: 走访<慰问>\n"),
            "content/三服务/a.md": TestSite.article(
                "回应 \"关切\" & <意见>", date: "2025-03-03 08:00", extra: "summary: 甲 & 乙 <丙> '丁'\n"),
            "content/三服务/b.md": TestSite.article("第二篇", date: "2025-03-02 10:30"),
            "content/三服务/c.md": TestSite.article("第三篇", date: "2025-03-01 09:00"),
            "content/empty/_index.md": TestSite.section("空栏目"),
        ])
        let (loaded, diagnostics) = Generator(options: site.options).load(now: testNow)
        #expect(diagnostics.filter { $0.severity == .error }.isEmpty, "\(diagnostics)")
        return try #require(loaded?.site)
    }

    static let withBaseURL = """
        ---
        title: 首页
        site_name: 市"退役军人"事务局 & <服务>
        description: 为退役军人服务's
        base_url: https://www.example.gov.cn/
        feed_items: 2
        ---

        """

    static let withoutBaseURL = "---\ntitle: 首页\nsite_name: 测试站\n---\n"

    func section(_ site: Site, _ segments: [String]) throws -> Int {
        try #require(site.sections.firstIndex { $0.segments == segments })
    }

    @Test func aSectionFeedIsEscapedAndAbsolute() throws {
        let site = try Self.loadSite(home: Self.withBaseURL)
        let encoded = "%E4%B8%89%E6%9C%8D%E5%8A%A1"
        #expect(
            XMLDocuments.feed(site: site, section: try section(site, ["三服务"])) == """
                <?xml version="1.0" encoding="utf-8"?>
                <rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
                <channel>
                <title>三服务 &amp; 走访 - 市&quot;退役军人&quot;事务局 &amp; &lt;服务&gt;</title>
                <link>https://www.example.gov.cn/\(encoded)/</link>
                <description>走访&lt;慰问&gt;</description>
                <language>zh-CN</language>
                <lastBuildDate>Mon, 03 Mar 2025 08:00:00 +0800</lastBuildDate>
                <atom:link href="https://www.example.gov.cn/\(encoded)/index.xml" rel="self" type="application/rss+xml"/>
                <item>
                <title>回应 &quot;关切&quot; &amp; &lt;意见&gt;</title>
                <link>https://www.example.gov.cn/\(encoded)/a/</link>
                <guid isPermaLink="true">https://www.example.gov.cn/\(encoded)/a/</guid>
                <pubDate>Mon, 03 Mar 2025 08:00:00 +0800</pubDate>
                <description>甲 &amp; 乙 &lt;丙&gt; &apos;丁&apos;</description>
                </item>
                <item>
                <title>第二篇</title>
                <link>https://www.example.gov.cn/\(encoded)/b/</link>
                <guid isPermaLink="true">https://www.example.gov.cn/\(encoded)/b/</guid>
                <pubDate>Sun, 02 Mar 2025 10:30:00 +0800</pubDate>
                <description>正文。</description>
                </item>
                </channel>
                </rss>

                """)
    }

    /// The home page's feed is titled with the site name alone and described by the site's description.
    @Test func theHomeFeedIsTheSitesFeed() throws {
        let site = try Self.loadSite(home: Self.withBaseURL)
        let feed = XMLDocuments.feed(site: site, section: 0)
        #expect(
            feed.hasPrefix(
                """
                <?xml version="1.0" encoding="utf-8"?>
                <rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
                <channel>
                <title>市&quot;退役军人&quot;事务局 &amp; &lt;服务&gt;</title>
                <link>https://www.example.gov.cn/</link>
                <description>为退役军人服务&apos;s</description>
                <language>zh-CN</language>
                <lastBuildDate>Mon, 03 Mar 2025 08:00:00 +0800</lastBuildDate>
                <atom:link href="https://www.example.gov.cn/index.xml" rel="self" type="application/rss+xml"/>

                """))
    }

    /// Every text comes back from an XML parser exactly as written: the feed is well-formed and nothing is escaped
    /// twice.
    @Test func aFeedReadsBackAsTheTextsWritten() throws {
        let site = try Self.loadSite(home: Self.withBaseURL)
        let document = try XMLDocument(xmlString: XMLDocuments.feed(site: site, section: try section(site, ["三服务"])))
        func texts(_ path: String) throws -> [String] {
            try document.nodes(forXPath: path).compactMap(\.stringValue)
        }
        #expect(try texts("/rss/channel/title") == ["三服务 & 走访 - 市\"退役军人\"事务局 & <服务>"])
        #expect(try texts("/rss/channel/item/title") == ["回应 \"关切\" & <意见>", "第二篇"])
        #expect(try texts("/rss/channel/item/description") == ["甲 & 乙 <丙> '丁'", "正文。"])
    }

    /// Without a base URL links are paths, guids are not permalinks and there is no self link.
    @Test func withoutABaseURLLinksArePaths() throws {
        let site = try Self.loadSite(home: Self.withoutBaseURL)
        let feed = XMLDocuments.feed(site: site, section: try section(site, ["三服务"]))
        #expect(!feed.contains("atom:link href"))
        #expect(feed.contains("<link>/%E4%B8%89%E6%9C%8D%E5%8A%A1/</link>\n"))
        #expect(
            feed.contains(
                """
                <item>
                <title>第三篇</title>
                <link>/%E4%B8%89%E6%9C%8D%E5%8A%A1/c/</link>
                <guid isPermaLink="false">/%E4%B8%89%E6%9C%8D%E5%8A%A1/c/</guid>
                <pubDate>Sat, 01 Mar 2025 09:00:00 +0800</pubDate>
                """))
        // The default of 20 items takes all three.
        #expect(feed.components(separatedBy: "<item>").count == 4)
    }

    /// A section without articles has a channel and nothing else; with no description of its own or the site's,
    /// its title describes it.
    @Test func anEmptySectionHasAnEmptyChannel() throws {
        let site = try Self.loadSite(home: Self.withoutBaseURL)
        #expect(
            XMLDocuments.feed(site: site, section: try section(site, ["empty"])) == """
                <?xml version="1.0" encoding="utf-8"?>
                <rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
                <channel>
                <title>空栏目 - 测试站</title>
                <link>/empty/</link>
                <description>空栏目 - 测试站</description>
                <language>zh-CN</language>
                </channel>
                </rss>

                """)
    }

    /// The home page's channel, like every other, is described by its title when the site has no description
    /// (RSS 2.0 requires a description; an empty one says nothing).
    @Test func aHomeFeedWithoutADescriptionIsDescribedByItsTitle() throws {
        let site = try Self.loadSite(home: Self.withoutBaseURL)
        #expect(XMLDocuments.feed(site: site, section: 0).contains("<description>测试站</description>\n"))
    }

    @Test(
        arguments: [
            (
                "/a/", "2025-03-01T09:00:00+08:00", "https://www.example.gov.cn",
                "<url><loc>https://www.example.gov.cn/a/</loc><lastmod>2025-03-01T09:00:00+08:00</lastmod></url>\n"
            ),
            ("/a/", nil, "https://www.example.gov.cn", "<url><loc>https://www.example.gov.cn/a/</loc></url>\n"),
            (
                "/%E6%96%B0/", "2025-03-01T09:00:00-04:00", nil,
                "<url><loc>/%E6%96%B0/</loc><lastmod>2025-03-01T09:00:00-04:00</lastmod></url>\n"
            ),
            (
                "/", nil, "https://example.gov.cn/?site=1&lang=zh",
                "<url><loc>https://example.gov.cn/?site=1&amp;lang=zh/</loc></url>\n"
            ),
        ] as [(String, String?, String?, String)])
    func aSiteMapEntryIsOneLine(url: String, isoDate: String?, baseURL: String?, expected: String) {
        #expect(XMLDocuments.sitemapEntry(url: url, isoDate: isoDate, baseURL: baseURL) == expected)
    }

    /// The home page and the sections first, dated by their newest article (an empty one is undated), then the
    /// articles.
    @Test func theSiteMapListsSectionsThenArticles() throws {
        let site = try Self.loadSite(home: Self.withBaseURL)
        #expect(site.sections.map(\.segments) == [[], ["empty"], ["三服务"]])
        let base = "https://www.example.gov.cn"
        let encoded = "%E4%B8%89%E6%9C%8D%E5%8A%A1"
        #expect(
            XMLDocuments.sitemap(site: site, entries: 0..<(site.sections.count + site.articles.count)) == """
                <?xml version="1.0" encoding="utf-8"?>
                <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
                <url><loc>\(base)/</loc><lastmod>2025-03-03T08:00:00+08:00</lastmod></url>
                <url><loc>\(base)/empty/</loc></url>
                <url><loc>\(base)/\(encoded)/</loc><lastmod>2025-03-03T08:00:00+08:00</lastmod></url>
                <url><loc>\(base)/\(encoded)/a/</loc><lastmod>2025-03-03T08:00:00+08:00</lastmod></url>
                <url><loc>\(base)/\(encoded)/b/</loc><lastmod>2025-03-02T10:30:00+08:00</lastmod></url>
                <url><loc>\(base)/\(encoded)/c/</loc><lastmod>2025-03-01T09:00:00+08:00</lastmod></url>
                </urlset>

                """)
        #expect(
            XMLDocuments.sitemap(site: site, entries: 4..<5) == """
                <?xml version="1.0" encoding="utf-8"?>
                <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
                <url><loc>\(base)/\(encoded)/b/</loc><lastmod>2025-03-02T10:30:00+08:00</lastmod></url>
                </urlset>

                """)
    }

    @Test func aSiteMapIndexNamesEveryPart() throws {
        let withBase = try Self.loadSite(home: Self.withBaseURL)
        #expect(
            XMLDocuments.sitemapIndex(site: withBase, parts: 3) == """
                <?xml version="1.0" encoding="utf-8"?>
                <sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
                <sitemap><loc>https://www.example.gov.cn/sitemap-1.xml</loc></sitemap>
                <sitemap><loc>https://www.example.gov.cn/sitemap-2.xml</loc></sitemap>
                <sitemap><loc>https://www.example.gov.cn/sitemap-3.xml</loc></sitemap>
                </sitemapindex>

                """)
        let withoutBase = try Self.loadSite(home: Self.withoutBaseURL)
        #expect(XMLDocuments.sitemapIndex(site: withoutBase, parts: 1).contains("<sitemap><loc>/sitemap-1.xml</loc>"))
    }

    @Test func escapingUsesTheXMLApostrophe() {
        #expect(
            XMLDocuments.escape("<a href=\"x\">'甲' & 乙</a>")
                == "&lt;a href=&quot;x&quot;&gt;&apos;甲&apos; &amp; 乙&lt;/a&gt;")
        #expect(XMLDocuments.escape("三服务") == "三服务")
        #expect(XMLDocuments.escape("&amp;") == "&amp;amp;")
    }
}
