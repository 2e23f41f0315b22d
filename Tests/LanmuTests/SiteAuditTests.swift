import Foundation
import Testing

@testable import LanmuCore

/// `lanmu audit`: the national inspection's checks with an injected day, on fixtures at each threshold.
@Suite struct SiteAuditTests {
    static let today = (year: 2026, month: 6, day: 30)
    /// The home page with every site mark set, and `extra` settings.
    static func home(_ extra: String = "") -> String {
        """
        ---
        title: 首页
        site_name: 测试市人民政府
        base_url: https://www.example.gov.cn
        site_code: "3301000001"
        icp: 浙ICP备00000000号
        organizer: 测试市人民政府办公室
        \(extra)---

        """
    }

    /// A date `days` before the audited day, at 09:00.
    static func daysBefore(_ days: Int) -> String {
        let day = LocalDateTime.daysSince1970(year: today.year, month: today.month, day: today.day) - Int64(days)
        let local = LocalDateTime(secondsAsIfUTC: day * 86_400)
        return String(format: "%04d-%02d-%02d 09:00", local.year, local.month, local.day)
    }

    /// A site whose home page was updated `homeDays` ago (in a column without a kind), with columns of the given
    /// kinds whose newest article is the given number of days old (nil: no article).
    static func site(homeDays: Int = 1, columns: [(kind: String?, extra: String, days: [Int])]) -> [String: String] {
        var files = ["content/_index.md": home(), "content/gk/_index.md": TestSite.section("信息公开")]
        files["content/xw/_index.md"] = TestSite.section("新闻")
        files["content/xw/a.md"] = TestSite.article("首页新闻", date: daysBefore(homeDays))
        for (number, column) in columns.enumerated() {
            let folder = "content/gk/c\(number)"
            let kind = column.kind.map { "kind: \($0)\n" } ?? ""
            files["\(folder)/_index.md"] = TestSite.section("栏目\(number)", extra: kind + column.extra)
            for (article, days) in column.days.enumerated() {
                files["\(folder)/a\(article).md"] = TestSite.article("文章\(number)-\(article)", date: daysBefore(days))
            }
        }
        return files
    }

    func audit(_ files: [String: String], sourceLocation: SourceLocation = #_sourceLocation) throws -> AuditReport {
        let site = try TestSite(files)
        let (report, diagnostics) = Generator(options: site.options).audit(now: testNow, today: Self.today)
        #expect(!diagnostics.containsErrors, "\(diagnostics)", sourceLocation: sourceLocation)
        return try #require(report, sourceLocation: sourceLocation)
    }

    /// Columns not updated within their window: four are a warning, five veto the site — for the two-week kinds
    /// and the six-month ones alike. A column exactly at its window is on time (and due).
    @Test(arguments: [("动态", 14), ("要闻", 14), ("通知公告", 180), ("政策文件", 180)])
    func fiveStaleColumnsVetoFourWarn(kind: String, window: Int) throws {
        for stale in [4, 5] {
            var columns = (0..<stale).map { _ in (kind: Optional(kind), extra: "", days: [window + 1, window + 30]) }
            columns.append((kind, "", [window]))
            columns.append((kind, "", [1]))
            let report = try audit(Self.site(columns: columns))
            let found = report.findings.filter { $0.check == "stale_column" }
            #expect(found.count { $0.file != nil } == stale)
            #expect(report.verdict == (stale == 5 ? "veto" : "pass"), "\(stale) \(kind)")
            if stale == 4 {
                #expect(found.contains { $0.severity == .warning && $0.message.contains("再有 1 个即单项否决") })
            } else {
                #expect(found.allSatisfy { $0.severity == .veto })
            }
            let first = try #require(found.first { $0.file == "content/gk/c0/_index.md" })
            #expect(
                first.message
                    == "栏目不更新：“栏目0”最近一篇是 \(Self.daysBefore(window + 1).prefix(10))，\(window + 1) 天前，超过 \(window) 天期限 1 天"
            )
            let due = report.columns.first { $0.url == "/gk/c\(stale)/" }
            #expect(due?.daysLeft == 0)
            #expect(
                report.findings.contains { $0.check == "column_due" && $0.file == "content/gk/c\(stale)/_index.md" })
            #expect(report.columns.first?.daysLeft == -1, "the most overdue column comes first")
        }
    }

    /// Blank columns: no article, only drafts, only articles dated after the audited day. Five veto the site.
    @Test func blankColumnsCountDraftsAndFutureArticlesAsNothing() throws {
        var files = Self.site(columns: [("动态", "", []), ("动态", "", [1]), ("动态", "", [2])])
        files["content/gk/c1/a0.md"] = TestSite.article("草稿", date: Self.daysBefore(1), extra: "draft: true\n")
        files["content/gk/c2/a0.md"] = TestSite.article("定时", date: Self.daysBefore(-2))
        let three = try audit(files)
        let blank = three.findings.filter { $0.check == "blank_column" && $0.file != nil }
        // The three columns, and the topic above them, which has no article either.
        #expect(blank.compactMap(\.file) == ["content/gk/_index.md"] + (0..<3).map { "content/gk/c\($0)/_index.md" })
        #expect(three.passes)
        #expect(three.findings.contains { $0.message == "已有 4 个空白栏目，再有 1 个即单项否决（达到 5 个）" })
        #expect(three.columns.prefix(3).allSatisfy { $0.lastDate == nil }, "blank columns first")
        files["content/gk/c3/_index.md"] = TestSite.section("栏目3", extra: "kind: 专题\n")
        files["content/gk/c4/_index.md"] = TestSite.section("栏目4")
        let five = try audit(files)
        #expect(
            five.findings.filter { $0.check == "blank_column" }.map(\.severity) == Array(repeating: .veto, count: 6))
        #expect(!five.passes)
    }

    /// The home page's newest article: 13 days old passes with a warning, 15 days vetoes.
    @Test func theHomePageMustBeUpdatedWithinTwoWeeks() throws {
        let recent = try audit(Self.site(homeDays: 13, columns: []))
        #expect(recent.passes)
        #expect(recent.homeDaysSince == 13)
        #expect(
            recent.findings.contains {
                $0.check == "stale_home" && $0.severity == .warning && $0.message == "首页最新一篇是 13 天前，再过 2 天不更新即单项否决"
            })
        let old = try audit(Self.site(homeDays: 15, columns: []))
        #expect(!old.passes)
        #expect(
            old.findings.first { $0.check == "stale_home" }?.message
                == "首页不更新：最新一篇是 \(Self.daysBefore(15).prefix(10))，15 天前，超过 14 天")
    }

    /// A template that drops the date of list items: every list is undated, which the inspection counts as not
    /// updated — a veto.
    @Test func aTemplateThatDropsDatesVetoes() throws {
        let site = try TestSite(Self.site(columns: [("动态", "", [1, 2, 3])]))
        let item = "templates/partials/article-item.mustache"
        try site.write(try site.read(item).replacingOccurrences(of: "{{date}}", with: ""), to: item)
        let (report, _) = Generator(options: site.options).audit(now: testNow, today: Self.today)
        let undated = try #require(report).findings.filter { $0.check == "undated_items" }
        #expect(!undated.isEmpty && undated.allSatisfy { $0.severity == .veto })
        #expect(undated.contains { $0.file == "content/gk/c0/_index.md" && $0.message.contains("3 处") })
        #expect(try #require(report).verdict == "veto")
    }

    /// Broken links and images on the home page cost a point each, elsewhere a tenth; the site's own pages,
    /// feeds, assets and copied files are found.
    @Test func brokenLinksCostMoreOnTheHomePage() throws {
        var files = Self.site(columns: [("动态", "", [1, 2])])
        files["content/gk/c0/tu.png"] = "png"
        files["content/gk/c0/a0.md"] = TestSite.article("有图", date: Self.daysBefore(1), body: "![图](tu.png)")
        let site = try TestSite(files)
        let home = "templates/home.mustache"
        try site.write(
            try site.read(home).replacingOccurrences(
                of: "<div class=\"home\">",
                with: "<div class=\"home\"><a href=\"/guanyu/\">关于</a><a href=\"/gk/c0/#top\">栏目</a>"), to: home)
        let article = "templates/article.mustache"
        try site.write(
            try site.read(article).replacingOccurrences(
                of: "</article>", with: "<img src=\"../../../assets/missing.png\" alt=\"x\"></article>"), to: article)
        let (made, _) = Generator(options: site.options).audit(now: testNow, today: Self.today)
        let report = try #require(made)
        #expect(report.brokenOnHome == 1)
        #expect(report.brokenElsewhere == 3, "three article pages")
        #expect(report.deductedPoints == 1.3)
        let broken = report.findings.filter { $0.check == "broken_link" }
        #expect(
            broken.map(\.target) == [
                "/guanyu/", "../../../assets/missing.png", "../../../assets/missing.png", "../../../assets/missing.png",
            ])
        #expect(broken.first?.message == "首页上的链接打不开：/guanyu/")
        #expect(report.linksChecked > 50)
        #expect(report.passes, "deductions alone do not veto")
    }

    /// A home page that carries the 找错 link and a search form has neither mark missing.
    @Test func theErrorReportLinkAndSearchAreFoundOnTheHomePage() throws {
        let site = try TestSite(Self.site(columns: [("动态", "", [1])]))
        let home = "templates/home.mustache"
        try site.write(
            try site.read(home).replacingOccurrences(
                of: "<div class=\"home\">",
                with: "<div class=\"home\"><form role=\"search\" action=\"/search/\"><input name=\"q\"></form>"
                    + "<a href=\"https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=3301000001\">找错</a>"),
            to: home)
        let (report, _) = Generator(options: site.options).audit(now: testNow, today: Self.today)
        #expect(try #require(report).findings.filter { $0.check == "missing_mark" }.isEmpty)
    }

    /// A kind the rules do not know is a warning at the `kind:` line; `update_windows` adds kinds, `update_days`
    /// sets a column's own window.
    @Test func kindsAndWindowsComeFromTheColumnsAndTheSettings() throws {
        var files = Self.site(columns: [("工作动态", "", [10]), ("动态", "update_days: 7\n", [8]), (nil, "", [400])])
        let unknown = try audit(files)
        let warning = try #require(unknown.findings.first { $0.check == "unknown_kind" })
        #expect(warning.file == "content/gk/c0/_index.md" && warning.line == 3)
        #expect(unknown.columns.first { $0.url == "/gk/c1/" }?.daysLeft == -1)
        #expect(unknown.findings.contains { $0.check == "column_without_kind" && $0.file == "content/gk/c2/_index.md" })
        files["content/_index.md"] = Self.home("update_windows:\n  - 工作动态 7\n  - 动态 0\n")
        let added = try audit(files)
        #expect(!added.findings.contains { $0.check == "unknown_kind" })
        #expect(added.columns.first { $0.url == "/gk/c0/" }?.daysLeft == -3)
        #expect(added.columns.first { $0.url == "/gk/c1/" }?.windowDays == 7, "update_days beats the kind's window")
    }

    @Test func badRuleSettingsAreReportedAtTheirLines() throws {
        let files = Self.site(columns: []).merging(
            ["content/_index.md": Self.home("update_windows:\n  - 动态十四\naudit_link_points: 一毛\n")]) { $1 }
        let site = try TestSite(files)
        let (report, diagnostics) = Generator(options: site.options).audit(now: testNow, today: Self.today)
        #expect(report == nil)
        #expect(
            diagnostics.map(\.description) == [
                """
                content/_index.md:9:3: 错误 E016: update_windows 的一项“动态十四”应是“栏目类型 天数”
                    提示: 每项一行，例如 - 动态 14；天数写 0 表示这类栏目不要求更新
                """,
                """
                content/_index.md:10:20: 错误 E016: audit_link_points 应是不小于 0 的数，这里是“一毛”
                    提示: 例如 audit_link_points: 0.5
                """,
            ])
    }

    /// Missing site marks are warnings; the JSON is the same bytes for the same site and reads back; the HTML
    /// report is one page with the verdict first and the text escaped.
    @Test func theReportsAreStableAndSelfContained() throws {
        var files = Self.site(columns: [("动态", "", [20])])
        files["content/_index.md"] = "---\ntitle: 首页\nsite_name: 测试 <市>\n---\n"
        let first = try audit(files)
        // 网站标识码, ICP and 主办单位 from the settings; the 找错 link the default theme lacks (it has site search).
        #expect(first.findings.filter { $0.check == "missing_mark" }.count == 4)
        #expect(first.findings.contains { $0.message == "首页没有“我为政府网站找错”的链接" })
        #expect(!first.findings.contains { $0.message == "首页没有站内搜索" })
        let again = try audit(files)
        #expect(first.json == again.json)
        let decoded = try JSONDecoder().decode(AuditReport.self, from: Data(first.json.utf8))
        #expect(decoded.findings == first.findings && decoded.columns == first.columns)
        #expect(first.json.contains("\"verdict\" : \"pass\""))
        let html = first.html
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<title>测试 &lt;市&gt; 网站检查报告 2026-06-30</title>"))
        #expect(!html.contains("<script") && !html.contains("http"), "nothing loaded from elsewhere")
        #expect(first.lines.last == first.summary)
    }

    @Test(arguments: [
        ("/", "/a/b/", ""), ("/gk/", "/", "gk/"), ("tu.png", "/gk/c0/a/", "gk/c0/a/tu.png"),
        ("../", "/gk/c0/a/", "gk/c0/"), ("/%E6%96%B0/?page=2#x", "/", "新/"), ("../../../x.css", "/a/", "x.css"),
    ])
    func linksResolveToOutputPaths(link: String, folder: String, path: String) {
        #expect(PageLinks.outputPath(of: link, onPageIn: folder) == path)
    }

    @Test(arguments: [
        "https://www.gov.cn/", "//cdn.example.com/x.js", "mailto:a@b.cn", "#top", "", "javascript:void(0)",
    ])
    func linksElsewhereAreNotChecked(link: String) {
        #expect(PageLinks.outputPath(of: link, onPageIn: "/a/") == nil)
    }

    /// The one-pass path for clean rooted links gives what the general resolution gives, for generated links of
    /// every kind the fast path must refuse or accept.
    @Test func cleanRootedLinksResolveAsTheGeneralWayDoes() {
        let pieces = ["/", "a", "b.css", ".", "..", "%E6%96%B0", "#x", "?p=1", "新", "://", "-_~", "index.html"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            var link = "/"
            for _ in 0..<Int.random(in: 0...6, using: &generator) { link += pieces.randomElement(using: &generator)! }
            let fast = PageLinks.outputPath(of: link, onPageIn: "/x/y/")
            let general = PageLinks.outputPath(of: link, onPageIn: "/x/y/", fast: false)
            #expect(fast == general, "\(link)")
        }
    }

    @Test func linksAreReadFromHrefAndSrc() {
        let html = #"<a href="/a/" title="x">a</a><img alt="" src="/b.png"><a class="c" href="/c?x=1&amp;y=2">"#
        #expect(PageLinks.targets(in: html) == ["/a/", "/b.png", "/c?x=1&y=2"])
    }
}

/// The audit's one-pass page reader against the plain way: regular expressions over the same pages.
@Suite struct PageLinksTests {
    @Test func theScanAgreesWithRegularExpressionsOnEveryPageOfTheSampleSite() throws {
        let loaded = try #require(Generator(options: BuildOptions(siteRoot: repositoryRoot)).load(now: testNow).0)
        let renderer = SiteRenderer(site: loaded.site, templates: loaded.templates, sitemap: loaded.sitemap)
        let attribute = try Regex(#"\s(?:href|src)="([^"]*)""#)
        let tag = try Regex(#"<[^>]*>"#)
        var pages = 0
        for (_, job) in renderer.jobs(copies: []) where job.isPage {
            let html = try renderer.renderPage(job)
            let scan = PageLinks.scan(html)
            let expected = html.matches(of: attribute).map { match in
                String(match.output[1].substring ?? "").replacingOccurrences(of: "&amp;", with: "&")
            }
            #expect(scan.targets == expected)
            #expect(String(decoding: scan.text, as: UTF8.self) == html.replacing(tag, with: ""))
            pages += 1
        }
        #expect(pages > 15)
    }
}
