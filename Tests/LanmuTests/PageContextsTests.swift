import Foundation
import Testing

@testable import LanmuCore

@Suite struct PageContextsTests {
    /// Every key the contexts produce, at any depth.
    static func keys(of value: Any) -> Set<String> {
        if let shared = value as? SharedContext { return keys(of: shared.value) }
        if let dictionary = value as? [String: Any] {
            return dictionary.reduce(into: Set(dictionary.keys)) { $0.formUnion(keys(of: $1.value)) }
        }
        if let array = value as? [Any] { return array.reduce(into: Set()) { $0.formUnion(keys(of: $1)) } }
        return []
    }

    @Test func theVocabularyIsExactlyWhatThePagesProvide() throws {
        var files = TestSite.column(articles: 3, paginate: 2)
        files["content/_index.md"] = """
            ---
            title: 首页
            base_url: https://www.example.gov.cn
            counter_url: /count
            organizer: 主办
            address: 地址
            phone: 电话
            site_code: "3301000001"
            icp: 备案号
            police_record: 公安备案 33010602000001号
            conac_id: 0A1B2C3D
            undertaker: 承办
            ---

            """
        files["content/sanfuwu/shixian/a01.md"] = TestSite.article(
            "文章1", date: "2025-03-01",
            extra: "author: 甲\neditor: 乙\nindex_no: 1/2025-00001\nissuer: 厅\nwritten_date: 2025-02-01\ndoc_no: 1号\n"
                + "topic: 民政\nvalidity: 有效\nattachments: [f.pdf]\n")
        files["content/sanfuwu/shixian/f.pdf"] = "pdf"
        let site = try TestSite(files)
        var options = site.options
        options.counts = ["sanfuwu/shixian/a01": 12]
        let (loaded, diagnostics) = Generator(options: options).load(now: testNow)
        #expect(diagnostics.isEmpty)
        let contexts = PageContexts(site: try #require(loaded).site)
        let pages = [
            contexts.home(), contexts.list(section: 2, page: 1), contexts.list(section: 2, page: 2),
            contexts.article(0, html: "<p>正文</p>"),
            contexts.article(1, html: ""),
        ]
        let produced = Self.keys(of: pages)
        #expect(produced == TemplateKey.names)
    }

    /// Article pages written straight into their shape (`writeArticle`) give the shape and strings of their data as
    /// dictionaries: every article of a site with authors, editors, tags, a pinned article, with and without a base
    /// URL, keeping every key and keeping only those the default templates use.
    @Test(arguments: [true, false]) func articlePagesWrittenStraightEqualTheirData(baseURL: Bool) throws {
        var files = TestSite.column(articles: 0)
        if !baseURL { files["content/_index.md"] = "---\ntitle: 首页\n---\n" }
        let extras = [
            "author: 甲\n", "editor: 乙\ntags: [一, 二]\n", "pinned: true\nsource: 来源 & 出处\n", "author: \"\"\ntags: []\n",
            "summary: \"结尾换行\\n\"\n", "",
        ]
        for (index, extra) in extras.enumerated() {
            files["content/sanfuwu/shixian/a\(index).md"] = TestSite.article(
                "文章 <\(index)>", date: "2025-03-0\(index + 1) 09:00", extra: extra, body: "正文\(index)。\n\n第二段。")
        }
        files["content/sanfuwu/qita/_index.md"] = TestSite.section("其他")
        files["content/sanfuwu/qita/b.md"] = TestSite.article("只有一篇", date: "2025-02-01")
        let site = try TestSite(files)
        let loaded = try #require(Generator(options: site.options).load(now: testNow).0)
        let defaultUsed = try #require(loaded.templates.skeletons?.used)
        for used in [nil, defaultUsed] {
            let contexts = PageContexts(site: loaded.site, used: used)
            for index in loaded.site.articles.indices {
                for html in ["", "<p>读过两次</p>\n"] {
                    for bakes in [false, true] {
                        let expected = try #require(
                            PageSkeletons.flattened(contexts.article(index, html: html), used: used, bakes: bakes))
                        var writer = PageSkeletons.Writer(shape: [], used: used, bakes: bakes)
                        writer.page { contexts.writeArticle(index, html: html, into: &$0) }
                        #expect(!writer.failed)
                        #expect(writer.shape == expected.shape, "\(index) \(used == nil)")
                        #expect(writer.leaves == expected.leaves, "\(index) \(used == nil)")
                        #expect(writer.baked.map(\.position) == expected.baked.map(\.position))
                        #expect(writer.baked.isEmpty != bakes, "site, navigation, section and breadcrumb are baked")
                    }
                }
            }
        }
    }

    /// List pages written straight into their shape (`writeList`) give the shape and strings of their data as
    /// dictionaries: every page of a column of 19 articles two to a page (the pager's window slides), a pinned
    /// article, a topic above it and a column with a description, with list entries kept and made anew, keeping
    /// every key and keeping those the default templates use.
    @Test func listPagesWrittenStraightEqualTheirData() throws {
        var files = TestSite.column(articles: 19, paginate: 2)
        files["content/sanfuwu/shixian/a03.md"] = TestSite.article(
            "置顶 & 文章", date: "2025-03-03 09:00", extra: "pinned: true\nsummary: 摘要\n")
        files["content/sanfuwu/qita/_index.md"] = TestSite.section("其他", extra: "description: 说明 <b>\n")
        let site = try TestSite(files)
        let loaded = try #require(Generator(options: site.options).load(now: testNow).0)
        let defaultUsed = try #require(loaded.templates.skeletons?.used)
        var pages = 0
        for used in [nil, defaultUsed] {
            for limit in [200_000, 0] {
                let contexts = PageContexts(site: loaded.site, keepingListItemsUpTo: limit, used: used)
                for (index, section) in loaded.site.sections.enumerated() where index > 0 {
                    for page in 1...section.pageCount {
                        for bakes in [false, true] {
                            let expected = try #require(
                                PageSkeletons.flattened(
                                    contexts.list(section: index, page: page), used: used, bakes: bakes))
                            var writer = PageSkeletons.Writer(shape: [], used: used, bakes: bakes)
                            writer.page { contexts.writeList(section: index, page: page, into: &$0) }
                            #expect(!writer.failed)
                            #expect(writer.shape == expected.shape, "\(index) \(page) \(used == nil) \(limit)")
                            #expect(writer.leaves == expected.leaves, "\(index) \(page) \(used == nil) \(limit)")
                            #expect(writer.baked.map(\.position) == expected.baked.map(\.position))
                        }
                        pages += 1
                    }
                }
            }
        }
        #expect(pages > 40)
    }

    /// The home page written straight into its shape gives the shape and strings of its data as dictionaries (the
    /// declaration's keys are in sorted order, as flattening sorts them), with list entries kept and made anew.
    @Test func homePageWrittenStraightEqualsItsData() throws {
        var files = TestSite.column(articles: 7, paginate: 2)
        files["content/sanfuwu/qita/_index.md"] = TestSite.section("其他", extra: "description: 说明 <b>\n")
        files["content/sanfuwu/qita/b.md"] = TestSite.article("只有一篇", date: "2025-02-01")
        files["content/xinwen/_index.md"] = TestSite.section("新闻")
        files["content/xinwen/c.md"] = TestSite.article("专题下的文章", date: "2025-02-02")
        let site = try TestSite(files)
        let loaded = try #require(Generator(options: site.options).load(now: testNow).0)
        let defaultUsed = try #require(loaded.templates.skeletons?.used)
        for used in [nil, defaultUsed] {
            for limit in [200_000, 0] {
                let contexts = PageContexts(site: loaded.site, keepingListItemsUpTo: limit, used: used)
                for bakes in [false, true] {
                    let expected = try #require(PageSkeletons.flattened(contexts.home(), used: used, bakes: bakes))
                    var writer = PageSkeletons.Writer(shape: [], used: used, bakes: bakes)
                    writer.page { contexts.writeHome(into: &$0) }
                    #expect(!writer.failed)
                    #expect(writer.shape == expected.shape, "\(used == nil) \(limit)")
                    #expect(writer.leaves == expected.leaves, "\(used == nil) \(limit)")
                    #expect(writer.baked.map(\.position) == expected.baked.map(\.position))
                    #expect(writer.leaves.contains("专题下的文章"))
                }
            }
        }
    }

    /// Kept list entries (shared contexts) and entries made anew for each list give pages of the same shape and text.
    @Test func keptListEntriesGiveTheSamePagesAsFreshOnes() throws {
        let site = try TestSite(TestSite.column(articles: 5, paginate: 2))
        let model = try #require(Generator(options: site.options).load(now: testNow).0).site
        let kept = PageContexts(site: model)
        let fresh = PageContexts(site: model, keepingListItemsUpTo: 0)
        var pairs = [(kept.home(), fresh.home())]
        for page in 1...3 { pairs.append((kept.list(section: 2, page: page), fresh.list(section: 2, page: page))) }
        for (keptPage, freshPage) in pairs {
            let kept = try #require(PageSkeletons.flattened(keptPage, used: nil))
            let fresh = try #require(PageSkeletons.flattened(freshPage, used: nil))
            #expect(kept.shape == fresh.shape)
            #expect(kept.leaves == fresh.leaves)
            #expect(kept.leaves.contains { $0.hasPrefix("文章") })  // the entries are there to compare
        }
    }
}
