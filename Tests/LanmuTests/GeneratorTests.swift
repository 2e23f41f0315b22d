import Foundation
import Testing

@testable import LanmuCore

@Suite struct GeneratorTests {
    /// The committed `public/` is what a fresh build of the sample site writes, byte for byte.
    /// `LANMU_RECORD=1 swift test` rewrites it and fails on purpose, so a recording never passes unnoticed.
    @Test func sampleSiteReproducesTheCommittedOutput() throws {
        let output = testScratch.appendingPathComponent("lanmu-sample-\(UUID().uuidString)")
        var options = BuildOptions(siteRoot: repositoryRoot, output: output)
        // Each run writes to a folder of its own: a cache of the last run's folder would be reported (W009).
        options.usesCache = false
        let report = Generator(options: options).build(now: testNow)
        #expect(report.succeeded, "\(report.diagnostics)")
        #expect(report.diagnostics.isEmpty, "the sample site builds without warnings: \(report.diagnostics)")
        if ProcessInfo.processInfo.environment["LANMU_RECORD"] == "1" {
            let committed = repositoryRoot.appendingPathComponent("public")
            try? FileManager.default.removeItem(at: committed)
            try FileManager.default.moveItem(at: output, to: committed)
            Issue.record("recorded public/ anew; run the tests again without LANMU_RECORD")
            return
        }
        let fresh = snapshot(of: output)
        let committed = snapshot(of: repositoryRoot.appendingPathComponent("public"))
        #expect(fresh.keys.sorted() == committed.keys.sorted())
        for (path, bytes) in fresh where committed[path] != bytes {
            Issue.record("public/\(path) differs from a fresh build (re-record with LANMU_RECORD=1)")
        }
        #expect(fresh.count > 20)
    }

    @Test func sameInputGivesByteIdenticalOutput() throws {
        let site = try TestSite(TestSite.column(articles: 30, paginate: 7))
        #expect(site.build().succeeded)
        let first = site.tree()
        try site.remove("public")
        #expect(site.build().succeeded)
        #expect(site.tree() == first)
    }

    @Test func writesEveryKindOfPage() throws {
        let site = try TestSite(TestSite.column(articles: 12, paginate: 5))
        let report = site.build()
        #expect(report.succeeded)
        // Home, topic (1 page of 20), column (3 pages of 5), 12 articles, the search results page.
        #expect(report.pageCount == 1 + 1 + 3 + 12 + 1)
        for path in [
            "public/index.html", "public/index.xml", "public/sitemap.xml", "public/sanfuwu/index.html",
            "public/sanfuwu/shixian/index.html", "public/sanfuwu/shixian/page/2/index.html",
            "public/sanfuwu/shixian/page/3/index.html", "public/sanfuwu/shixian/index.xml",
            "public/sanfuwu/shixian/a01/index.html", "public/assets/css/lanmu.css", "public/assets/js/lanmu.js",
            "public/.lanmu-output",
        ] {
            #expect(site.exists(path), "\(path)")
        }
        #expect(!site.exists("public/sanfuwu/shixian/page/4/index.html"))
        #expect(!site.exists("public/sanfuwu/shixian/page/1/index.html"))
    }

    /// Article pages and further list pages make their own folders in their jobs, in parallel; a file copied into
    /// such a folder (an old site's picture kept beside a page) needs it too, and both are written.
    @Test func filesCopiedIntoAPagesOwnFolderAreWrittenBesideThePage() throws {
        var files = TestSite.column(articles: 12, paginate: 5)
        files["content/sanfuwu/shixian/page/3/old.txt"] = "旧网站第三页的附件"
        files["content/sanfuwu/shixian/a01/photo.txt"] = "第一篇的附件"
        let site = try TestSite(files)
        let report = site.build()
        #expect(report.succeeded, "\(report.diagnostics)")
        #expect(try site.read("public/sanfuwu/shixian/page/3/old.txt") == "旧网站第三页的附件")
        #expect(try site.read("public/sanfuwu/shixian/a01/photo.txt") == "第一篇的附件")
        #expect(try site.read("public/sanfuwu/shixian/page/3/index.html").contains("第 3 页"))
        #expect(site.exists("public/sanfuwu/shixian/a01/index.html"))
    }

    @Test func articlePageCarriesTheColumnParts() throws {
        var files = TestSite.column(articles: 3)
        files["content/sanfuwu/shixian/a02.md"] = TestSite.article(
            "交流面对面，服务心连心", date: "2020-04-30 09:17", extra: "source: 省退役军人事务厅\n")
        let site = try TestSite(files)
        #expect(site.build().succeeded)
        let page = try site.read("public/sanfuwu/shixian/a02/index.html")
        #expect(page.contains("<html lang=\"zh-CN\">"))
        #expect(page.contains("<meta charset=\"utf-8\">"))
        #expect(
            page.contains(
                "<div class=\"breadcrumb\">当前位置 : <a href=\"/\">首页</a> &gt; <a href=\"/sanfuwu/\">三服务专题</a> &gt; <a href=\"/sanfuwu/shixian/\">市县动态</a></div>"
            ))
        #expect(page.contains("<h1 class=\"article-title\">交流面对面，服务心连心</h1>"))
        #expect(page.contains("发布日期:<time datetime=\"2020-04-30T09:17:00+08:00\">2020-04-30 09:17</time>"))
        #expect(page.contains("信息来源:省退役军人事务厅"))
        #expect(page.contains("浏览次数:<span class=\"hits\" data-id=\"sanfuwu/shixian/a02\">--</span>"))
        // Dated 2020, a02 is now the oldest, below a03 (03-03) and a01 (03-01) in the list.
        #expect(page.contains("上一篇：<a href=\"/sanfuwu/shixian/a01/\">文章1</a>"))
        #expect(page.contains("下一篇：没有了"))
        let newest = try site.read("public/sanfuwu/shixian/a03/index.html")
        #expect(newest.contains("上一篇：没有了"))
        #expect(newest.contains("信息来源:测试站"), "the site name stands in when neither source nor default_source is set")
    }

    @Test func dateSettingsShapeEveryDateShown() throws {
        var files = TestSite.column(articles: 1)
        files["content/_index.md"] = """
            ---
            title: 首页
            base_url: https://www.example.gov.cn
            timezone: America/New_York
            date_format: yyyy年M月d日 HH:mm
            list_date_format: M月d日
            ---

            """
        files["content/sanfuwu/shixian/a01.md"] = TestSite.article("时区", date: "2020-04-30T09:17:00+08:00")
        let site = try TestSite(files)
        #expect(site.build().succeeded)
        let page = try site.read("public/sanfuwu/shixian/a01/index.html")
        #expect(page.contains("发布日期:<time datetime=\"2020-04-29T21:17:00-04:00\">2020年4月29日 21:17</time>"))
        let list = try site.read("public/sanfuwu/shixian/index.html")
        #expect(list.contains(">4月29日</time>"))
        let feed = try site.read("public/sanfuwu/shixian/index.xml")
        #expect(feed.contains("<pubDate>Wed, 29 Apr 2020 21:17:00 -0400</pubDate>"))
    }

    @Test func listPagesCarryTheChinesePager() throws {
        let site = try TestSite(TestSite.column(articles: 12, paginate: 5))
        #expect(site.build().succeeded)
        let second = try site.read("public/sanfuwu/shixian/page/2/index.html")
        #expect(
            second.contains("<a href=\"/sanfuwu/shixian/\">首页</a> <a href=\"/sanfuwu/shixian/\" rel=\"prev\">上一页</a>"))
        #expect(
            second.contains(
                "<a href=\"/sanfuwu/shixian/page/3/\" rel=\"next\">下一页</a> <a href=\"/sanfuwu/shixian/page/3/\">尾页</a>")
        )
        #expect(second.contains("共 12 条"))
        #expect(second.contains("<span class=\"current\" aria-current=\"page\">2</span>"))
        // Newest first: page 2 holds articles 7 down to 3.
        #expect(listedTitles(second) == ["文章7", "文章6", "文章5", "文章4", "文章3"])
        #expect(second.contains("<span class=\"current\" aria-current=\"page\">2</span>"))
        #expect(second.contains("<time class=\"date\" datetime=\"2025-03-07T09:00:00+08:00\">2025-03-07</time>"))
    }

    @Test func pinnedArticlesLeadTheirColumnsListPage() throws {
        var files = TestSite.column(articles: 4, paginate: 2)
        files["content/sanfuwu/shixian/a01.md"] = TestSite.article(
            "置顶文章", date: "2025-03-01 09:00", extra: "pinned: true\n")
        let site = try TestSite(files)
        #expect(site.build().succeeded)
        let first = try site.read("public/sanfuwu/shixian/index.html")
        #expect(listedTitles(first) == ["置顶文章", "文章4"])
        #expect(first.contains("<span class=\"pin\">[置顶]</span>置顶文章"))
    }

    /// [置顶] marks an article where being pinned put it first: its own section's list and that section's box on the
    /// home page. A topic's list holds its columns' articles by date, so a column's pinned article is unmarked there
    /// (it was marked in the middle of the list); the topic's own pinned article leads it, marked.
    @Test func thePinnedMarkIsShownOnlyWhereTheArticleLeadsTheList() throws {
        var files = TestSite.column(articles: 4)
        files["content/sanfuwu/shixian/a01.md"] = TestSite.article(
            "栏目置顶", date: "2025-03-01 09:00", extra: "pinned: true\n")
        files["content/sanfuwu/b01.md"] = TestSite.article(
            "专题置顶", date: "2025-02-01 09:00", extra: "pinned: true\n")
        let site = try TestSite(files)
        #expect(site.build().succeeded)
        let column = try site.read("public/sanfuwu/shixian/index.html")
        #expect(listedTitles(column) == ["栏目置顶", "文章4", "文章3", "文章2"])
        #expect(column.components(separatedBy: "[置顶]").count == 2)
        #expect(column.contains("<span class=\"pin\">[置顶]</span>栏目置顶"))
        let topic = try site.read("public/sanfuwu/index.html")
        #expect(listedTitles(topic) == ["专题置顶", "文章4", "文章3", "文章2", "栏目置顶"])
        #expect(topic.components(separatedBy: "[置顶]").count == 2)
        #expect(topic.contains("<span class=\"pin\">[置顶]</span>专题置顶"))
        let home = try site.read("public/index.html")
        #expect(home.components(separatedBy: "[置顶]").count == 2)
        #expect(home.contains("<span class=\"pin\">[置顶]</span>栏目置顶"))
    }

    /// A site without the organiser settings: the footer holds the site's name and no empty line (it was a white
    /// band with nothing in it).
    @Test func aFooterWithoutOrganiserSettingsShowsTheSitesName() throws {
        let site = try TestSite(TestSite.column(articles: 1))
        #expect(site.build().succeeded)
        for page in ["index.html", "sanfuwu/shixian/index.html", "sanfuwu/shixian/a01/index.html"] {
            let html = try site.read("public/" + page)
            let footer = html.components(separatedBy: "<footer").dropFirst().first?.components(separatedBy: "</footer>")
            #expect(footer?.first == " class=\"site-footer\">\n<p>测试站</p>\n", "\(page)")
        }
    }

    @Test func feedsAndSitemapUseTheBaseURL() throws {
        let site = try TestSite(TestSite.column(articles: 2))
        #expect(site.build().succeeded)
        let feed = try site.read("public/sanfuwu/shixian/index.xml")
        #expect(feed.contains("<link>https://www.example.gov.cn/sanfuwu/shixian/a02/</link>"))
        #expect(feed.contains("<pubDate>Sun, 02 Mar 2025 09:00:00 +0800</pubDate>"))
        #expect(feed.contains("<title>市县动态 - 测试站</title>"))
        let sitemap = try site.read("public/sitemap.xml")
        #expect(
            sitemap.contains(
                "<url><loc>https://www.example.gov.cn/sanfuwu/shixian/a01/</loc><lastmod>2025-03-01T09:00:00+08:00</lastmod></url>"
            ))
        #expect(!sitemap.contains("/page/"))
    }

    @Test func withoutABaseURLTheFeedsAreRelativeAndThereIsAWarning() throws {
        var files = TestSite.column(articles: 1)
        files["content/_index.md"] = "---\ntitle: 首页\n---\n"
        let site = try TestSite(files)
        let report = site.build()
        #expect(report.succeeded)
        expectDiagnostics(
            report,
            [
                """
                content/_index.md:1:1: 警告 W003: 没有设置 base_url，RSS 和 sitemap.xml 里的网址将是相对地址
                    提示: 在 content/_index.md 里写上网站地址，例如 base_url: https://www.example.gov.cn
                """
            ])
        #expect(try site.read("public/sitemap.xml").contains("<loc>/sanfuwu/shixian/a01/</loc>"))
    }

    @Test func filesBesideArticlesAreCopiedAndRelativeLinksFollowThem() throws {
        var files = TestSite.column(articles: 1)
        files["content/sanfuwu/shixian/a01.md"] = TestSite.article("图文", date: "2025-03-01", body: "![现场](现场.png)\n图注")
        files["content/sanfuwu/shixian/现场.png"] = "PNG"
        let site = try TestSite(files)
        #expect(site.build().succeeded)
        #expect(try site.read("public/sanfuwu/shixian/现场.png") == "PNG")
        #expect(
            try site.read("public/sanfuwu/shixian/a01/index.html").contains(
                "<img src=\"/sanfuwu/shixian/%E7%8E%B0%E5%9C%BA.png\" alt=\"现场\" />图注"))
    }

    @Test func editorLockAndTempFilesAreIgnored() throws {
        var files = TestSite.column(articles: 1)
        for name in ["~$稿件.docx", ".~lock.稿件.docx#", ".a01.md.swp", "a01.md~", "Thumbs.db"] {
            files["content/sanfuwu/shixian/\(name)"] = "x"
        }
        let site = try TestSite(files)
        let report = site.build()
        #expect(report.succeeded)
        #expect(report.fileCount == site.tree().count)
        #expect(site.tree().keys.allSatisfy { !$0.contains("~") && !$0.contains("Thumbs") })
    }

    @Test func rawHTMLIsAWarningAtTheFileLine() throws {
        var files = TestSite.column(articles: 1)
        files["content/sanfuwu/shixian/a01.md"] =
            "---\ntitle: 表格\ndate: 2025-03-01\n---\n\n说明：\n\n<table><tr><td>1</td></tr></table>\n"
        let site = try TestSite(files)
        let report = site.build()
        #expect(report.succeeded)
        expectDiagnostics(
            report,
            [
                """
                content/sanfuwu/shixian/a01.md:8:1: 警告 W002: 正文里的 HTML 代码没有输出（站点没有开启 raw_html）
                    提示: 改用 Markdown 写法；确实需要 HTML 时，在 content/_index.md 里设置 raw_html: true
                """
            ])
        #expect(try !site.read("public/sanfuwu/shixian/a01/index.html").contains("<table>"))
    }

    @Test func everyProblemIsReportedAndNothingIsWritten() throws {
        var files = TestSite.column(articles: 2)
        files["content/sanfuwu/shixian/bad-date.md"] = TestSite.article("坏日期", date: "2024-02-30")
        files["content/sanfuwu/shixian/no-title.md"] = "---\ndate: 2025-03-01\n---\n"
        files["content/sanfuwu/shixian/unclosed.md"] = "---\ntitle: 没结束\n"
        files["content/sanfuwu/shixian/colon.md"] = "---\ntitle: 回应: 三点\ndate: 2025-03-01\n---\n"
        files["content/sanfuwu/shixian/typo.md"] = TestSite.article("拼错", date: "2025-03-01", extra: "pined: true\n")
        let site = try TestSite(files)
        let report = site.build()
        #expect(!report.succeeded)
        expectDiagnostics(
            report,
            [
                """
                content/sanfuwu/shixian/bad-date.md:3:7: 错误 E006: 日期“2024-02-30”不存在：2024 年 2 月没有 30 日（这个月只有 29 天）
                    提示: 改成实际的发布日期，例如 2020-04-30 09:17
                """,
                """
                content/sanfuwu/shixian/colon.md:2:10: 错误 E004: 这一行的值里有冒号“: ”，YAML 把它当成了新的字段
                    提示: 把整个值用引号括起来，例如 title: "回应: 三点"，或改用中文冒号“：”
                """,
                """
                content/sanfuwu/shixian/no-title.md:2:1: 错误 E005: 文章缺少 title（标题）
                    提示: 在 front matter 里加一行，例如 title: 交流面对面，服务心连心
                """,
                """
                content/sanfuwu/shixian/typo.md:4:1: 警告 W001: 未知字段“pined”，它会被忽略
                    提示: 是否想写 pinned？
                """,
                """
                content/sanfuwu/shixian/unclosed.md:1:1: 错误 E003: front matter 从第 1 行的 --- 开始，但没有结束的 ---
                    提示: 是否忘记了结尾的 ---？在最后一个字段（例如 date: …）的下一行单独写一行 ---，正文写在它的后面
                """,
            ])
        #expect(!site.exists("public"))
    }

    @Test func aFailedBuildLeavesThePreviousOutputExactlyAsItWas() throws {
        let site = try TestSite(TestSite.column(articles: 3))
        #expect(site.build().succeeded)
        let before = site.tree()
        let modified =
            try FileManager.default.attributesOfItem(
                atPath: site.root.appendingPathComponent("public/index.html").path)[.modificationDate] as? Date
        try site.write(TestSite.article("坏", date: "明天"), to: "content/sanfuwu/shixian/a04.md")
        #expect(!site.build().succeeded)
        #expect(site.tree() == before)
        let after =
            try FileManager.default.attributesOfItem(
                atPath: site.root.appendingPathComponent("public/index.html").path)[.modificationDate] as? Date
        #expect(after == modified)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: site.root.path).filter {
            $0.hasPrefix(".public")
        }
        #expect(leftovers.isEmpty)
    }

    /// Modification time and inode of every output file.
    func stamps(_ site: TestSite) throws -> [String: [Int]] {
        var stamps: [String: [Int]] = [:]
        for path in site.tree().keys {
            let attributes = try FileManager.default.attributesOfItem(
                atPath: site.root.appendingPathComponent("public/" + path).path)
            let modified = (attributes[.modificationDate] as! Date).timeIntervalSince1970
            stamps[path] = [Int(modified * 1000), (attributes[.systemFileNumber] as! NSNumber).intValue]
        }
        return stamps
    }

    @Test func anUnchangedRebuildRewritesNoFileAndAChangeRewritesOnlyWhatChanged() throws {
        let site = try TestSite(TestSite.column(articles: 6, paginate: 5))
        #expect(site.build().succeeded)
        // Age every output file, so that a rewrite would show as a new time.
        for path in site.tree().keys {
            let url = site.root.appendingPathComponent("public/" + path)
            try FileManager.default.setAttributes(
                [.modificationDate: Date(timeIntervalSince1970: 1_000_000)], ofItemAtPath: url.path)
        }
        let before = try stamps(site)
        #expect(site.build().succeeded)
        #expect(try stamps(site) == before)

        try site.write(
            TestSite.article("文章3", date: "2025-03-03 09:00", body: "只改正文。"), to: "content/sanfuwu/shixian/a03.md")
        #expect(site.build().succeeded)
        let after = try stamps(site)
        // The search index is versioned: any change of text gives it a new folder (and a new manifest).
        let rewritten = after.keys.filter { after[$0] != before[$0] && !$0.hasPrefix("search/") }.sorted()
        #expect(after.keys.contains { $0.hasPrefix("search/") && before[$0] == nil })
        // The body shows on its page, and its opening text in the feeds' summaries.
        #expect(
            rewritten == [
                "index.xml", "sanfuwu/index.xml", "sanfuwu/shixian/a03/index.html", "sanfuwu/shixian/index.xml",
            ])
    }

    @Test func pagesOfDeletedArticlesDisappear() throws {
        let site = try TestSite(TestSite.column(articles: 3))
        #expect(site.build().succeeded)
        #expect(site.exists("public/sanfuwu/shixian/a02/index.html"))
        try site.remove("content/sanfuwu/shixian/a02.md")
        #expect(site.build().succeeded)
        #expect(!site.exists("public/sanfuwu/shixian/a02"))
    }

    @Test func leftoversOfAKilledBuildAreCleanedUp() throws {
        let site = try TestSite(TestSite.column(articles: 1))
        // A staging directory of a process that no longer exists (pid 0 is never a user process's).
        try site.write("half", to: ".public.lanmu-staging-999999999/index.html")
        #expect(site.build().succeeded)
        #expect(!site.exists(".public.lanmu-staging-999999999"))
    }

    /// Waits up to ten seconds for a background remover to finish with a path.
    func eventuallyGone(_ site: TestSite, _ path: String) async throws -> Bool {
        for _ in 0..<200 {
            if !site.exists(path) { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    @Test func aLargePreviousOutputIsRemovedInTheBackground() async throws {
        let site = try TestSite(TestSite.column(articles: 2))
        #expect(site.build().succeeded)
        try site.write("旧的", to: "public/old-only.txt")
        let output = OutputDirectory(url: site.root.appendingPathComponent("public"), display: "public")
        let staging = try output.makeStaging()
        try "新的".write(to: staging.appendingPathComponent("new-only.txt"), atomically: false, encoding: .utf8)
        try output.replace(with: staging, removeOldInBackground: true)
        // The new output is in place at once; the old one, under its hidden name, goes soon after.
        #expect(site.exists("public/new-only.txt") && !site.exists("public/old-only.txt"))
        // Its name is unique and may already be gone: wait until nothing but the site's own folders is left.
        var entries: [String] = []
        for _ in 0..<200 {
            entries = try FileManager.default.contentsOfDirectory(atPath: site.root.path).sorted()
                .filter { $0 != BuildCache.folderName }
            if entries == ["content", "public", "templates"] { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(entries == ["content", "public", "templates"], "the previous output was not removed")
    }

    @Test func aPreviousOutputLeftWaitingIsRemovedByTheNextBuild() async throws {
        let site = try TestSite(TestSite.column(articles: 1))
        try site.write("旧的", to: ".public.lanmu-old-999999999/sanfuwu/index.html")
        #expect(site.build().succeeded)
        #expect(try await eventuallyGone(site, ".public.lanmu-old-999999999"))
    }

    /// An earlier build with the same process id may have left its old output, still being removed: the swap must
    /// not try to rename onto it (that failed after the new output was already live).
    @Test func aLeftoverOfTheSameProcessIDDoesNotStopTheSwap() throws {
        let site = try TestSite(TestSite.column(articles: 1))
        #expect(site.build().succeeded)
        let output = OutputDirectory(url: site.root.appendingPathComponent("public"), display: "public")
        let staging = try output.makeStaging()
        try "新的".write(to: staging.appendingPathComponent("new-only.txt"), atomically: false, encoding: .utf8)
        try site.write("旧的", to: ".public.lanmu-old-\(getpid())/sanfuwu/index.html")
        try output.replace(with: staging)
        #expect(site.exists("public/new-only.txt"))
        #expect(site.exists(".public.lanmu-old-\(getpid())/sanfuwu/index.html"), "another build's leftover is its own")
    }

    @Test func aForeignDirectoryIsNeverReplaced() throws {
        let site = try TestSite(TestSite.column(articles: 1))
        try site.write("我的文件", to: "public/notes.txt")
        let report = site.build()
        expectDiagnostics(
            report,
            [
                """
                public:1:1: 错误 E013: 输出目录 public 里已有文件，但不是 lanmu 生成的（没有 .lanmu-output），为安全起见不会替换它
                    提示: 确认里面的文件可以删除后清空这个目录，或用 --output 指定一个新目录
                """
            ])
        #expect(try site.read("public/notes.txt") == "我的文件")
    }

    @Test func anEmptyOutputDirectoryIsUsed() throws {
        let site = try TestSite(TestSite.column(articles: 1))
        try FileManager.default.createDirectory(
            at: site.root.appendingPathComponent("public"), withIntermediateDirectories: true)
        #expect(site.build().succeeded)
        #expect(site.exists("public/index.html"))
    }

    @Test(arguments: ["", "content", "templates", "content/sanfuwu", "..", "/"])
    func dangerousOutputDirectoriesAreRefused(output: String) throws {
        let site = try TestSite(TestSite.column(articles: 1))
        let before = site.tree("content")
        var options = site.options
        options.outputDirectory =
            output.hasPrefix("/") ? URL(fileURLWithPath: output) : site.root.appendingPathComponent(output)
        let report = Generator(options: options).build(now: testNow)
        #expect(report.diagnostics.map(\.code) == [.unsafeOutput])
        #expect(site.tree("content") == before)
    }

    @Test func checkWritesNothing() throws {
        let site = try TestSite(TestSite.column(articles: 2))
        let report = Generator(options: site.options).check(now: testNow)
        #expect(report.succeeded)
        #expect(report.articleCount == 2)
        #expect(!site.exists("public"))
    }

    @Test func templateErrorsStopTheBuild() throws {
        let site = try TestSite(TestSite.column(articles: 1))
        try site.write(
            "{{<base}}{{$content}}{{article.titel}}{{/content}}{{/base}}\n", to: "templates/article.mustache")
        let report = site.build()
        expectDiagnostics(
            report,
            [
                """
                templates/article.mustache:1:22: 错误 E011: 模板变量“titel”不存在，它会显示为空
                    提示: 是否想写 title？README 的“模板变量”一节列出了所有变量
                """
            ])
        #expect(!site.exists("public"))
    }

    @Test func newArticleIsADraftDatedInTheSiteZone() throws {
        var files = TestSite.column(articles: 0)
        files["content/_index.md"] = TestSite.home.replacingOccurrences(
            of: "site_name: 测试站\n", with: "site_name: 测试站\ndefault_source: 青禾省\"退役军人\"事务厅\n")
        let site = try TestSite(files)
        let generator = Generator(options: site.options)
        let path = try generator.newArticle(section: "sanfuwu/shixian", title: "标题: \"引号\"", now: testNow).get()
        #expect(path == "content/sanfuwu/shixian/2026-01-01-0000.md")
        #expect(
            try site.read(path) == """
                ---
                title: "标题: \\"引号\\""
                date: 2026-01-01 00:00
                source: "青禾省\\"退役军人\\"事务厅"
                draft: true
                ---

                在这里写正文。段落之间空一行；小标题用 ## 开头。

                """)
        let second = try generator.newArticle(section: "sanfuwu/shixian", title: "第二篇", now: testNow).get()
        #expect(second == "content/sanfuwu/shixian/2026-01-01-0000-2.md")
        // The new article builds, and its title is the text given.
        var options = site.options
        #expect(Generator(options: options).build(now: testNow).articleCount == 0)
        options.includeDrafts = true
        #expect(Generator(options: options).build(now: testNow).succeeded)
        let page = try site.read("public/sanfuwu/shixian/2026-01-01-0000/index.html")
        #expect(page.contains("标题: &quot;引号&quot;"))
        #expect(page.contains("青禾省&quot;退役军人&quot;事务厅"))
        #expect(generator.newArticle(section: "nope", title: "x", now: testNow).failure?.code == .sectionWithoutIndex)
    }

    @Test func heldBackArticlesAreReportedWithTheirReason() throws {
        var files = TestSite.column(articles: 2)
        files["content/sanfuwu/shixian/b-draft.md"] = TestSite.article("草稿", date: "2025-03-05", extra: "draft: true\n")
        files["content/sanfuwu/shixian/c-later.md"] = TestSite.article("定时", date: "2026-12-08 09:00")
        files["content/sanfuwu/shixian/d-later.md"] = TestSite.article("更晚", date: "2027-01-08 09:00")
        let site = try TestSite(files)
        let expected: [HeldBackArticle] = [
            .init(file: "content/sanfuwu/shixian/b-draft.md", reason: .draft),
            .init(file: "content/sanfuwu/shixian/c-later.md", reason: .future(date: "2026-12-08 09:00")),
            .init(file: "content/sanfuwu/shixian/d-later.md", reason: .future(date: "2027-01-08 09:00")),
        ]
        let check = Generator(options: site.options).check(now: testNow)
        #expect(check.articleCount == 2)
        #expect(check.heldBack == expected)
        #expect(check.heldBackSummary == "另有 1 篇草稿、2 篇定时发布（最早 2026-12-08 09:00）未生成")
        let build = Generator(options: site.options).build(now: testNow)
        #expect(build.heldBack == expected)
        var options = site.options
        options.includeDrafts = true
        options.includeFuture = true
        let everything = Generator(options: options).check(now: testNow)
        #expect(everything.heldBack.isEmpty)
        #expect(everything.heldBackSummary == nil)
    }

    /// A bad date does not hide the body's problems: a missing image, a link to no article and a missing anchor of
    /// the same file are reported in the same run.
    @Test func aFileWithABadDateStillHasItsLinksChecked() throws {
        var files = TestSite.column(articles: 1)
        files["content/sanfuwu/shixian/b.md"] = TestSite.article(
            "坏日期", date: "2025-13-40",
            body: "![现场](xianchang.jpg)\n\n[相关](nothere.md) [上文](#没有)\n\n## 有的标题\n\n[本文](#有的标题)")
        let site = try TestSite(files)
        let report = Generator(options: site.options).check(now: testNow)
        #expect(!report.succeeded)
        expectDiagnostics(
            report,
            [
                """
                content/sanfuwu/shixian/b.md:3:7: 错误 E006: 日期“2025-13-40”不存在：月份 13 不存在（应为 01–12）
                    提示: 改成实际的发布日期，例如 2020-04-30 09:17
                """,
                """
                content/sanfuwu/shixian/b.md:6:1: 错误 E019: 图片不存在：content/sanfuwu/shixian/xianchang.jpg
                    提示: 把图片放进文章所在的目录（或写对相对路径），例如 ![说明](tupian.jpg)
                """,
                """
                content/sanfuwu/shixian/b.md:8:1: 错误 E019: 链接的文章不存在：content/sanfuwu/shixian/nothere.md
                    提示: 检查文件名和路径（相对于本文所在目录，或相对于 content/），例如 ../tingnei/other.md
                """,
                """
                content/sanfuwu/shixian/b.md:8:18: 警告 W005: content/sanfuwu/shixian/b.md 里没有 id 为“没有”的标题
                    提示: 标题的 id 是标题文字去掉标点，例如“第一站：横村镇”的 id 是 第一站横村镇
                """,
            ])
    }

    /// A YAML error leaves the body readable: its missing image is reported in the same run.
    @Test func aFileWithAYAMLErrorStillHasItsBodyChecked() throws {
        var files = TestSite.column(articles: 1)
        files["content/sanfuwu/shixian/b.md"] = "---\ntitle: [未闭合\ndate: 2025-03-02\n---\n\n![](xianchang.jpg)\n"
        let site = try TestSite(files)
        let report = Generator(options: site.options).check(now: testNow)
        #expect(report.diagnostics.map(\.code) == [.invalidYAML, .brokenLink, .imageWithoutAlt])
        #expect(report.diagnostics.map(\.location.line) == [3, 6, 6])
    }

    /// The README's 写一篇文章 shows exactly what `lanmu new` writes, for the sample site at the time it names.
    @Test func theReadmeShowsWhatNewWrites() throws {
        let readme = try String(contentsOf: repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.range(of: "## 写一篇文章")).upperBound
        let opening = try #require(readme.range(of: "```markdown\n", range: section..<readme.endIndex))
        let closing = try #require(readme.range(of: "```\n", range: opening.upperBound..<readme.endIndex))
        var settings = SiteSettings()
        settings.defaultSource = "青禾省退役军人事务厅"
        let date = try DateParser.parse("2025-04-30 09:17", in: settings.timeZone).get()
        #expect(
            String(readme[opening.upperBound..<closing.lowerBound])
                == ArticleScaffold.text(title: "交流面对面，服务心连心", date: date, settings: settings))
    }
}
