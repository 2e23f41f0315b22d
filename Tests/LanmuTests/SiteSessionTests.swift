import Foundation
import Testing

@testable import LanmuCore

/// A session loads a site stage by stage — listing, reading, model, output plan — and, kept for the preview, reads
/// again only the files whose `stat` changed; settings and templates make everything new.
@Suite struct SiteSessionTests {
    /// A site of a topic, a column and three articles: five files below `content/` besides `_index.md`.
    func makeSite(_ extra: [String: String] = [:]) throws -> TestSite {
        try TestSite(TestSite.column(articles: 3).merging(extra) { $1 })
    }

    func load(
        _ session: SiteSession, bodies: BodyStore.Plan = .keep, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> LoadedSite {
        let (loaded, diagnostics) = session.load(now: testNow, bodies: bodies)
        #expect(diagnostics.isEmpty, "\(diagnostics)", sourceLocation: sourceLocation)
        return try #require(loaded, sourceLocation: sourceLocation)
    }

    /// Sets a file's modification time, leaving its bytes as they are.
    func touch(_ site: TestSite, _ path: String, at seconds: TimeInterval) throws {
        try FileManager.default.setAttributes(
            [.modificationDate: Date(timeIntervalSince1970: seconds)],
            ofItemAtPath: site.root.appendingPathComponent(path).path)
    }

    @Test func aSecondLoadReadsOnlyFilesWhoseStatChanged() throws {
        let site = try makeSite()
        let session = SiteSession(options: site.options, patchable: true)
        _ = try load(session)
        #expect(session.filesReadInLastLoad == 5)
        #expect(session.everythingChangedInLastLoad)

        _ = try load(session)
        #expect(session.filesReadInLastLoad == 0)
        #expect(!session.everythingChangedInLastLoad)

        // The same bytes with another time: the stat changed, so the file is read again.
        try touch(site, "content/sanfuwu/shixian/a02.md", at: 1_600_000_000)
        _ = try load(session)
        #expect(session.filesReadInLastLoad == 1)
        #expect(!session.everythingChangedInLastLoad)

        try site.write(
            TestSite.article("改过的标题", date: "2025-03-01 09:00"), to: "content/sanfuwu/shixian/a01.md")
        try site.write(TestSite.article("新文章", date: "2025-03-09 09:00"), to: "content/sanfuwu/shixian/new.md")
        let edited = try load(session)
        #expect(session.filesReadInLastLoad == 2)
        #expect(!session.everythingChangedInLastLoad)
        // The model's articles are in the listing's order.
        #expect(edited.site.articles.map(\.title) == ["改过的标题", "文章2", "文章3", "新文章"])

        try site.remove("content/sanfuwu/shixian/a03.md")
        let removed = try load(session)
        #expect(session.filesReadInLastLoad == 0)
        #expect(removed.site.articles.map(\.title) == ["改过的标题", "文章2", "新文章"])
    }

    /// `lanmu build` loads once: its session keeps nothing, so a second load would read everything again.
    @Test func aSessionThatIsNotThePreviewsKeepsNothing() throws {
        let site = try makeSite()
        let session = SiteSession(options: site.options)
        _ = try load(session)
        _ = try load(session)
        #expect(session.filesReadInLastLoad == 5)
        #expect(session.documents.isEmpty)
    }

    @Test func anEditToTheSiteSettingsReadsEverythingAgain() throws {
        let site = try makeSite()
        let session = SiteSession(options: site.options, patchable: true)
        _ = try load(session)
        _ = try load(session)
        #expect(!session.everythingChangedInLastLoad)

        try site.write(TestSite.home.replacingOccurrences(of: "测试站", with: "改了名的站"), to: "content/_index.md")
        let renamed = try load(session)
        #expect(session.filesReadInLastLoad == 5)
        #expect(session.everythingChangedInLastLoad)
        #expect(renamed.site.settings.siteName == "改了名的站")

        _ = try load(session)
        #expect(session.filesReadInLastLoad == 0)
        #expect(!session.everythingChangedInLastLoad)

        // Settings removed: the defaults, and everything read again.
        try site.remove("content/_index.md")
        let (loaded, _) = session.load(now: testNow)
        #expect(session.filesReadInLastLoad == 5)
        #expect(session.everythingChangedInLastLoad)
        #expect(loaded?.site.settings.siteName == SiteSettings().siteName)
    }

    @Test func aTemplateEditChangesEverythingButReadsNoContent() throws {
        let site = try makeSite()
        let session = SiteSession(options: site.options, patchable: true)
        let first = try load(session)
        _ = try load(session)
        #expect(!session.everythingChangedInLastLoad)

        let article = try site.read("templates/article.mustache")
        try site.write(article + "\n", to: "templates/article.mustache")
        let edited = try load(session)
        #expect(session.everythingChangedInLastLoad)
        #expect(session.filesReadInLastLoad == 0)
        #expect(edited.templatesRevision != first.templatesRevision)

        // A theme asset is copied, not a template: nothing else changes.
        try site.write("body { color: red }\n", to: "templates/assets/css/lanmu.css")
        let restyled = try load(session)
        #expect(!session.everythingChangedInLastLoad)
        #expect(restyled.templatesRevision == edited.templatesRevision)
    }

    @Test func aMissingContentFolderIsOneClearError() throws {
        let site = try TestSite([:])
        let (loaded, diagnostics) = SiteSession(options: site.options).load(now: testNow)
        #expect(loaded == nil)
        #expect(
            diagnostics.map(\.description) == [
                """
                content:1:1: 错误 E014: 找不到内容目录 content
                    提示: 在站点目录里运行 lanmu，或用 --site / --content 指定目录
                """
            ])

        // A content folder outside the site root is shown by its whole path.
        let elsewhere = testScratch.appendingPathComponent("lanmu-missing-\(UUID().uuidString)")
        let options = BuildOptions(siteRoot: site.root, content: elsewhere)
        #expect(
            SiteSession(options: options).load(now: testNow).1.map(\.description) == [
                """
                \(elsewhere.path):1:1: 错误 E014: 找不到内容目录 \(elsewhere.path)
                    提示: 在站点目录里运行 lanmu，或用 --site / --content 指定目录
                """
            ])
    }

    @Test(arguments: [
        (nil, "https://www.example.gov.cn"),
        ("https://mirror.example.cn", "https://mirror.example.cn"),
        ("https://mirror.example.cn/", "https://mirror.example.cn"),
        ("https://mirror.example.cn/sub/", "https://mirror.example.cn/sub"),
    ])
    func theBaseURLOptionOverridesTheSetting(option: String?, expected: String) throws {
        let site = try makeSite()
        var options = site.options
        options.baseURL = option
        let loaded = try load(SiteSession(options: options))
        #expect(loaded.site.settings.baseURL == expected)
    }

    /// Without `base_url` in the settings there is a warning, unless `--base-url` gives one.
    @Test func theBaseURLOptionStandsInForAMissingSetting() throws {
        let site = try makeSite(["content/_index.md": "---\ntitle: 首页\n---\n"])
        let (_, warned) = SiteSession(options: site.options).load(now: testNow)
        #expect(
            warned.map(\.description) == [
                """
                content/_index.md:1:1: 警告 W003: 没有设置 base_url，RSS 和 sitemap.xml 里的网址将是相对地址
                    提示: 在 content/_index.md 里写上网站地址，例如 base_url: https://www.example.gov.cn
                """
            ])
        var options = site.options
        options.baseURL = "https://mirror.example.cn/"
        let loaded = try load(SiteSession(options: options))
        #expect(loaded.site.settings.baseURL == "https://mirror.example.cn")
    }

    /// Five files are read: bodies are parked only above the limit given.
    @Test func eachBodyPlanGivesItsBodies() throws {
        let site = try makeSite()
        let spillFolder = try TestSite([:], copyTemplates: false).root.path
        func bodies(_ plan: BodyStore.Plan) throws -> [ParsedArticle.Body] {
            try load(SiteSession(options: site.options), bodies: plan).site.articles.map(\.parsed.body)
        }
        #expect(try bodies(.keep) == [.kept, .kept, .kept])
        #expect(try bodies(.drop) == [.dropped, .dropped, .dropped])
        #expect(try bodies(.park(above: 5, inFirstOf: [spillFolder])) == [.kept, .kept, .kept])
        #expect(try bodies(.park(above: 4, inFirstOf: ["/nonexistent/folder"])) == [.kept, .kept, .kept])
        let parked = try load(SiteSession(options: site.options), bodies: .park(above: 4, inFirstOf: [spillFolder]))
        #expect(parked.bodies.spill != nil)
        for article in parked.site.articles {
            guard case .spilled = article.parsed.body else {
                Issue.record("\(article.contentPath) was not parked: \(article.parsed.body)")
                continue
            }
            #expect(article.parsed.rendered.html.isEmpty)
            #expect(try parked.bodies.html(for: article) == "<p>正文。</p>\n")
        }
        let kept = try load(SiteSession(options: site.options), bodies: .keep)
        #expect(kept.site.articles.map(\.parsed.rendered.html) == Array(repeating: "<p>正文。</p>\n", count: 3))
    }

    @Test func copiesAreTheThemesAssetsThenTheContentsFiles() throws {
        let site = try makeSite([
            "content/sanfuwu/shixian/图片.png": "png", "content/附件/说明.pdf": "pdf", "content/robots.txt": "robots",
        ])
        let loaded = try load(SiteSession(options: site.options))
        func signature(_ path: String) throws -> FileSignature {
            var status = stat()
            try #require(stat(site.root.appendingPathComponent(path).path, &status) == 0)
            return FileSignature(status)
        }
        let root = site.root.standardizedFileURL.path + "/"
        let expected = [
            (root + "templates/assets/css/lanmu.css", "assets/css/lanmu.css", "templates/assets/css/lanmu.css"),
            (root + "templates/assets/img/conac.svg", "assets/img/conac.svg", "templates/assets/img/conac.svg"),
            (root + "templates/assets/js/lanmu.js", "assets/js/lanmu.js", "templates/assets/js/lanmu.js"),
            (root + "templates/assets/js/search.js", "assets/js/search.js", "templates/assets/js/search.js"),
            (root + "content/robots.txt", "robots.txt", "content/robots.txt"),
            (root + "content/sanfuwu/shixian/图片.png", "sanfuwu/shixian/图片.png", "content/sanfuwu/shixian/图片.png"),
            (root + "content/附件/说明.pdf", "附件/说明.pdf", "content/附件/说明.pdf"),
        ]
        #expect(loaded.copies.map(\.source) == expected.map(\.0))
        #expect(loaded.copies.map(\.to) == expected.map(\.1))
        #expect(try loaded.copies.map(\.signature) == expected.map { try signature($0.2) })
    }

    /// A load goes through every stage even when an earlier one found problems, so that one run reports them all:
    /// listing, settings, reading, the model, the templates and the output plan.
    @Test func diagnosticsOfEveryStageComeBackTogether() throws {
        let outside = try TestSite(["elsewhere.md": TestSite.article("外面", date: "2025-03-01")], copyTemplates: false)
        let site = try makeSite([
            "content/_index.md": TestSite.home.replacingOccurrences(of: "title: 首页", with: "title: 首页\nsitename: 站"),
            "content/sanfuwu/shixian/a02.md": TestSite.article("文章2", date: "2025-03-02", extra: "pined: true\n"),
            "content/sanfuwu/shixian/a03.md": TestSite.article("文章3", date: "2025-03-03", extra: "slug: a01\n"),
            "content/index.xml": "<rss/>",
        ])
        try FileManager.default.createSymbolicLink(
            at: site.root.appendingPathComponent("content/sanfuwu/shixian/link.md"),
            withDestinationURL: outside.root.appendingPathComponent("elsewhere.md"))
        try site.write("<p>{{article.tilte}}</p>\n", to: "templates/article.mustache")
        let (loaded, diagnostics) = SiteSession(options: site.options).load(now: testNow)
        #expect(loaded == nil)
        #expect(
            diagnostics.map(\.description) == [
                """
                content/sanfuwu/shixian/link.md:1:1: 警告 W004: 符号链接指向 content/ 之外或指向目录，已忽略
                    提示: 把文件本身放进 content/，不要用符号链接
                """,
                """
                content/_index.md:3:1: 警告 W001: 未知字段“sitename”，它会被忽略
                    提示: 是否想写 site_name？
                """,
                """
                content/sanfuwu/shixian/a02.md:4:1: 警告 W001: 未知字段“pined”，它会被忽略
                    提示: 是否想写 pinned？
                """,
                """
                content/sanfuwu/shixian/a03.md:1:1: 错误 E008: 网址 /sanfuwu/shixian/a01/ 已经属于 content/sanfuwu/shixian/a01.md，两个页面不能用同一个网址
                    提示: 修改其中一个的 slug 或文件名（大小写不同、繁简写法相同也算重复）
                """,
                """
                templates/article.mustache:1:4: 错误 E011: 模板变量“tilte”不存在，它会显示为空
                    提示: 是否想写 title？README 的“模板变量”一节列出了所有变量
                """,
                """
                content/index.xml:1:1: 错误 E008: 文件 index.xml 和 lanmu 生成的首页的 RSS 订阅是同一个路径 /index.xml
                    提示: 给这个文件改名或删除它：这个路径上的文件由 lanmu 生成（大小写不同、繁简写法相同也算重复）
                """,
            ])
    }
}
