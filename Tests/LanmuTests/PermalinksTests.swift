import Foundation
import Testing

@testable import LanmuCore

/// Every URL and output path Lanmu makes comes from `Permalinks`: URLs percent-encode their segments, paths keep
/// them as they are, and each page's URL leads to its file.
@Suite struct PermalinksTests {
    /// `三服务` percent-encoded as UTF-8.
    static let topic = "%E4%B8%89%E6%9C%8D%E5%8A%A1"

    @Test func theSiteHasFixedPlaces() {
        #expect(Permalinks.homeURL == "/")
        #expect(Permalinks.homePath == "index.html")
        #expect(Permalinks.sitemapPath == "sitemap.xml")
        #expect(Permalinks.assetsFolder == "assets/")
        #expect(Permalinks.assetsURL == "/assets/")
        #expect(Permalinks.pageFileSuffix == "/index.html")
    }

    @Test(arguments: [(0, "sitemap-1.xml"), (1, "sitemap-2.xml"), (9, "sitemap-10.xml")])
    func siteMapPartsCountFromOne(part: Int, path: String) {
        #expect(Permalinks.sitemapPartPath(part) == path)
        #expect(Permalinks.url(ofPath: Permalinks.sitemapPartPath(part)) == "/" + path)
    }

    @Test func themeAssetsGoBelowTheAssetsFolder() {
        #expect(Permalinks.assetPath("css/lanmu.css") == "assets/css/lanmu.css")
        #expect(Permalinks.assetPath("图标/徽标.png") == "assets/图标/徽标.png")
        #expect(Permalinks.url(ofPath: Permalinks.assetPath("js/lanmu.js")) == "/assets/js/lanmu.js")
    }

    @Test(arguments: [
        ([], "/", "index.html"),
        (["sanfuwu"], "/sanfuwu/", "sanfuwu/index.html"),
        (["三服务", "shixian"], "/\(topic)/shixian/", "三服务/shixian/index.html"),
        (["a b", "x~y.z_-"], "/a%20b/x~y.z_-/", "a b/x~y.z_-/index.html"),
    ])
    func sectionsMirrorTheirFolders(segments: [String], url: String, path: String) {
        #expect(Permalinks.sectionURL(segments) == url)
        #expect(Permalinks.sectionPath(segments) == path)
    }

    @Test(arguments: [
        ("/", [String](), 1, "/", "index.html"),
        ("/", [], 2, "/page/2/", "page/2/index.html"),
        ("/sanfuwu/shixian/", ["sanfuwu", "shixian"], 1, "/sanfuwu/shixian/", "sanfuwu/shixian/index.html"),
        (
            "/sanfuwu/shixian/", ["sanfuwu", "shixian"], 2, "/sanfuwu/shixian/page/2/",
            "sanfuwu/shixian/page/2/index.html"
        ),
        ("/\(topic)/", ["三服务"], 1, "/\(topic)/", "三服务/index.html"),
        ("/\(topic)/", ["三服务"], 12, "/\(topic)/page/12/", "三服务/page/12/index.html"),
    ])
    func theFirstListPageIsTheSectionsOwn(section: String, segments: [String], page: Int, url: String, path: String) {
        #expect(Permalinks.listURL(sectionURL: section, page: page) == url)
        #expect(Permalinks.listPath(segments, page: page) == path)
    }

    @Test func theHomeFeedIsTheSitesAndEachSectionHasItsOwn() {
        #expect(Permalinks.feedURL(sectionURL: Permalinks.homeURL) == "/index.xml")
        #expect(Permalinks.feedPath([]) == "index.xml")
        #expect(Permalinks.feedURL(sectionURL: "/sanfuwu/shixian/") == "/sanfuwu/shixian/index.xml")
        #expect(Permalinks.feedPath(["sanfuwu", "shixian"]) == "sanfuwu/shixian/index.xml")
        #expect(Permalinks.feedURL(sectionURL: Permalinks.sectionURL(["三服务"])) == "/\(Self.topic)/index.xml")
        #expect(Permalinks.feedPath(["三服务"]) == "三服务/index.xml")
    }

    @Test(arguments: [
        ([], "jiaoliu", "/jiaoliu/", "jiaoliu/index.html"),
        (["sanfuwu", "shixian"], "jiaoliu", "/sanfuwu/shixian/jiaoliu/", "sanfuwu/shixian/jiaoliu/index.html"),
        (
            ["三服务", "shixian"], "交流", "/\(topic)/shixian/%E4%BA%A4%E6%B5%81/",
            "三服务/shixian/交流/index.html"
        ),
        (["sanfuwu"], "2020-04-30 交流", "/sanfuwu/2020-04-30%20%E4%BA%A4%E6%B5%81/", "sanfuwu/2020-04-30 交流/index.html"),
    ])
    func articlesSitBelowTheirSection(directory: [String], slug: String, url: String, path: String) {
        #expect(Permalinks.articleURL(directory: directory, slug: slug) == url)
        #expect(Permalinks.articlePath(directory: directory, slug: slug) == path)
    }

    @Test func aSectionAsksForItsOwnURLsAndPaths() {
        let section = Section(segments: ["三服务", "市县"], title: "市县", description: nil, paginate: 5, file: "")
        let url = "/\(Self.topic)/%E5%B8%82%E5%8E%BF/"
        #expect(section.url == url)
        #expect(section.listURL(page: 1) == url)
        #expect(section.listURL(page: 3) == url + "page/3/")
        #expect(section.listPath(page: 1) == "三服务/市县/index.html")
        #expect(section.listPath(page: 3) == "三服务/市县/page/3/index.html")
        #expect(section.feedURL == url + "index.xml")
        #expect(section.feedPath == "三服务/市县/index.xml")
    }

    /// A built site's every job path is the one `Permalinks` gives for that job, and every page's URL, decoded,
    /// leads to its file.
    @Test func everyJobOfABuiltSiteIsWhereItsPermalinkSays() throws {
        var files = TestSite.column(articles: 3, paginate: 2)
        files["content/三服务/_index.md"] = TestSite.section("三服务")
        files["content/三服务/市县/_index.md"] = TestSite.section("市县")
        files["content/三服务/市县/交流.md"] = TestSite.article("交流", date: "2025-03-10 09:00")
        files["content/三服务/市县/图片.png"] = "png"
        let site = try TestSite(files)
        let loaded = try #require(Generator(options: site.options).load(now: testNow).0)
        let sitemap = SitemapPlan(site: loaded.site, maximumURLs: 4)
        let renderer = SiteRenderer(site: loaded.site, templates: loaded.templates, sitemap: sitemap)
        let jobs = renderer.jobs(copies: loaded.copies, themeAssets: loaded.themeAssets)
        let themeAssets = site.options.templatesDirectory.appendingPathComponent("assets").path + "/"
        let content = site.options.contentDirectory.path + "/"
        for (path, job) in jobs {
            let expected: String
            var url: String?
            switch job {
            case .home:
                (expected, url) = (Permalinks.homePath, Permalinks.homeURL + "index.html")
            case .list(let index, let page):
                let section = loaded.site.sections[index]
                expected = Permalinks.listPath(section.segments, page: page)
                url = Permalinks.listURL(sectionURL: Permalinks.sectionURL(section.segments), page: page) + "index.html"
            case .article(let index):
                let article = loaded.site.articles[index]
                expected = Permalinks.articlePath(directory: article.parsed.directory, slug: article.slug)
                url = Permalinks.articleURL(directory: article.parsed.directory, slug: article.slug) + "index.html"
                #expect(
                    article.parsed.url == Permalinks.articleURL(directory: article.parsed.directory, slug: article.slug)
                )
            case .feed(let index):
                let segments = loaded.site.sections[index].segments
                expected = Permalinks.feedPath(segments)
                url = Permalinks.feedURL(sectionURL: Permalinks.sectionURL(segments))
            case .sitemap:
                expected = Permalinks.sitemapPath
            case .sitemapPart(let part):
                expected = Permalinks.sitemapPartPath(part)
            case .counterIDs:
                expected = Permalinks.counterIDsPath
            case .marker:
                expected = OutputDirectory.markerName
            case .redirect(let index):
                expected = loaded.site.redirects[index].outputPath ?? ""
            case .nginxRedirects:
                expected = Permalinks.nginxRedirectsPath
            case .searchPage:
                (expected, url) = (SearchIndex.pagePath, SearchIndex.pageURL + "index.html")
            case .searchManifest, .searchShard, .searchColumn, .searchDocument:
                expected = path  // the index's own files: below search/, named by the manifest
            case .copy(let source, let to):
                #expect(to == path)
                if source.hasPrefix(themeAssets) {
                    expected = Permalinks.assetPath(String(source.dropFirst(themeAssets.count)))
                } else {
                    expected = String(source.dropFirst(content.count))
                }
            case .themeAsset(let asset):
                expected = Permalinks.assetPath(asset)
            }
            #expect(path == expected, "\(job)")
            if let url { #expect(url.removingPercentEncoding == Permalinks.url(ofPath: path), "\(job)") }
        }
        #expect(
            jobs.filter { !$0.job.isSearch }.map(\.path) == [
                "index.html", "index.xml",
                "sanfuwu/index.html", "sanfuwu/index.xml",
                "sanfuwu/shixian/index.html", "sanfuwu/shixian/page/2/index.html", "sanfuwu/shixian/index.xml",
                "三服务/index.html", "三服务/index.xml",
                "三服务/市县/index.html", "三服务/市县/index.xml",
                "sitemap.xml", "sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml", "_redirects.nginx", "counter-ids.txt",
                ".lanmu-output",
                "sanfuwu/shixian/a01/index.html", "sanfuwu/shixian/a02/index.html", "sanfuwu/shixian/a03/index.html",
                "三服务/市县/交流/index.html",
                "assets/css/lanmu.css", "assets/img/conac.svg", "assets/js/lanmu.js", "assets/js/search.js",
                "三服务/市县/图片.png",
            ])
        #expect(
            loaded.site.sections.map(\.url) == [
                "/", "/sanfuwu/", "/sanfuwu/shixian/", "/\(Self.topic)/", "/\(Self.topic)/%E5%B8%82%E5%8E%BF/",
            ])
    }
}
