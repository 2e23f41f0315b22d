import Foundation
import Testing

@testable import LanmuCore

/// What a government page carries: the site marks in the settings and the footer, the page metadata of the national
/// web design norm, and 哀悼日.
@Suite struct GovernmentTests {
    static func settings(_ lines: String) -> (SiteSettings, [String]) {
        let (settings, diagnostics) = DocumentParser.settings(
            from: Array("---\ntitle: 首页\n\(lines)---\n".utf8), file: "content/_index.md")
        return (settings, diagnostics.map(\.description))
    }

    @Test func missingSettingsLeaveEveryMarkOut() {
        let (settings, diagnostics) = Self.settings("")
        #expect(diagnostics.isEmpty)
        #expect(settings.siteCode == nil && settings.policeRecord == nil && settings.icp == nil)
        #expect(settings.government == GovernmentSettings())
    }

    @Test func presentSettingsAreRead() {
        let (settings, diagnostics) = Self.settings(
            """
            site_code: bm07000001
            icp: 浙ICP备00000000号
            police_record: 浙公网安备 33010602000001号
            conac_id: 0A1B2C3D4E5F
            undertaker: 市政府办公室
            org_code: 11330000002482162P
            mourning_days:
              - 04-04
              - 2026-12-12~2026-12-14
              - 12-31~01-01

            """)
        #expect(diagnostics.isEmpty)
        #expect(settings.siteCode == "bm07000001")
        #expect(settings.policeRecord == "浙公网安备 33010602000001号")
        #expect(
            GovernmentLinks.policeRecord(settings.policeRecord!)
                == "https://beian.mps.gov.cn/#/query/webSearch?code=33010602000001")
        #expect(settings.government.conacID == "0A1B2C3D4E5F")
        #expect(settings.government.undertaker == "市政府办公室")
        #expect(settings.government.orgCode == "11330000002482162P")
        #expect(settings.government.mourningDays.count == 3)
        let mourning = settings.government
        #expect(mourning.isMourning(year: 2025, month: 4, day: 4))
        #expect(!mourning.isMourning(year: 2025, month: 4, day: 5))
        #expect(mourning.isMourning(year: 2026, month: 12, day: 13))
        #expect(!mourning.isMourning(year: 2027, month: 12, day: 13), "a day of one year only")
        #expect(
            mourning.isMourning(year: 2027, month: 1, day: 1) && mourning.isMourning(year: 2026, month: 12, day: 31))
        #expect(!mourning.isMourning(year: 2027, month: 1, day: 2))
    }

    @Test func malformedSettingsAreErrorsAtTheirPlace() {
        let (settings, diagnostics) = Self.settings(
            """
            site_code: 标识码
            police_record: 公安备案
            conac_id: "id with spaces"
            org_code: 代码
            mourning_days:
              - 04-04
              - 4月4日
              - 02-30
              - 2026-04-06~2026-04-04

            """)
        #expect(settings.siteCode == nil && settings.policeRecord == nil)
        #expect(settings.government.mourningDays.count == 1)
        #expect(
            diagnostics == [
                """
                content/_index.md:3:12: 错误 E016: site_code（网站标识码）应是 10 位字母或数字，这里是“标识码”
                    提示: 照主管部门分配的标识码写，例如 site_code: 3301000001
                """,
                """
                content/_index.md:4:16: 错误 E016: police_record（公安备案号）里没有备案编号，这里是“公安备案”
                    提示: 照备案证书写，例如 police_record: 浙公网安备 33010602000001号
                """,
                """
                content/_index.md:5:11: 错误 E016: conac_id 应是党政机关网站标识的编号（只有字母和数字），这里是“id with spaces”
                    提示: 从标识管理平台（bszs.conac.cn）本站页面地址里的 id= 后面复制，例如 conac_id: 0A1B2C3D4E5F
                """,
                """
                content/_index.md:6:11: 错误 E016: org_code 应是机构代码（字母、数字或 -），这里是“代码”
                    提示: 写本机关的统一社会信用代码或组织机构代码，例如 org_code: 11330000002482162P
                """,
                """
                content/_index.md:9:5: 错误 E016: mourning_days 的一项“4月4日”不是日期或日期范围
                    提示: 每项一行：每年的某天写 - 04-04，某一年的某天写 - 2026-04-04，连续几天写 - 04-04~04-06
                """,
                """
                content/_index.md:10:5: 错误 E016: mourning_days 的一项“02-30”不是日期或日期范围
                    提示: 每项一行：每年的某天写 - 04-04，某一年的某天写 - 2026-04-04，连续几天写 - 04-04~04-06
                """,
                """
                content/_index.md:11:5: 错误 E016: mourning_days 的一项“2026-04-06~2026-04-04”不是日期或日期范围
                    提示: 每项一行：每年的某天写 - 04-04，某一年的某天写 - 2026-04-04，连续几天写 - 04-04~04-06
                """,
            ])
    }

    @Test(arguments: ["330100000", "33010000011", "3301-00001", "３３０１０００００１"])
    func aSiteCodeIsExactlyTenLettersOrDigits(code: String) {
        let (settings, diagnostics) = Self.settings("site_code: \"\(code)\"\n")
        #expect(settings.siteCode == nil)
        #expect(diagnostics.count == 1 && diagnostics[0].contains("E016"))
    }

    @Test func aWrongTypeIsReportedAtItsLine() {
        let (_, diagnostics) = Self.settings("mourning_days:\n  a: 1\n")
        #expect(diagnostics.count == 1 && diagnostics[0].hasPrefix("content/_index.md:4:3: 错误 E007"))
    }

    /// A site with every mark, a column with keywords and kind, and an article whose title and fields need escaping.
    static func site(extraSettings: String = "") -> [String: String] {
        [
            "content/_index.md": """
            ---
            title: 首页
            site_name: 测试 "市" <政府>
            base_url: https://www.example.gov.cn
            organizer: 测试市人民政府办公室
            undertaker: 测试市大数据中心
            site_code: "3301000001"
            icp: 浙ICP备00000000号
            police_record: 浙公网安备 33010602000001号
            conac_id: 0A1B2C3D4E5F
            \(extraSettings)---

            """,
            "content/gk/_index.md": TestSite.section("政务公开"),
            "content/gk/tz/_index.md": TestSite.section(
                "通知公告", extra: "kind: 通知公告\nkeywords: [通知, 公告]\ndescription: 本市的通知和公告\n"),
            "content/gk/tz/a.md": TestSite.article(
                "关于\"春节\"走访<慰问>的通知", date: "2025-03-01 09:05",
                extra: "author: 张三\ntags: [走访, 慰问]\nsource: 测试市民政局\n",
                body: "正文第一段。\n\n![现场](tu.png)\n"),
            "content/gk/tz/tu.png": "png",
            "content/gk/tz/b.md": TestSite.article("没有图的文章", date: "2025-03-02"),
        ]
    }

    static func metas(_ html: String) -> [String] {
        html.split(separator: "\n").filter {
            $0.hasPrefix("<meta name=\"") && !$0.hasPrefix("<meta name=\"viewport")
                && !$0.hasPrefix("<meta name=\"description")
        }.map(String.init)
    }

    @Test func everyPageKindCarriesItsMetadataEscaped() throws {
        let site = try TestSite(Self.site())
        let report = site.build()
        #expect(report.succeeded, "\(report.diagnostics)")
        let siteMetas = [
            "<meta name=\"SiteName\" content=\"测试 &quot;市&quot; &lt;政府&gt;\">",
            "<meta name=\"SiteDomain\" content=\"www.example.gov.cn\">",
            "<meta name=\"SiteIDCode\" content=\"3301000001\">",
        ]
        #expect(Self.metas(try site.read("public/index.html")) == siteMetas)
        #expect(
            Self.metas(try site.read("public/gk/tz/index.html")) == siteMetas + [
                "<meta name=\"ColumnName\" content=\"通知公告\">",
                "<meta name=\"ColumnDescription\" content=\"本市的通知和公告\">",
                "<meta name=\"ColumnKeywords\" content=\"通知,公告\">",
                "<meta name=\"ColumnType\" content=\"通知公告\">",
            ])
        #expect(
            Self.metas(try site.read("public/gk/index.html")) == siteMetas + [
                "<meta name=\"ColumnName\" content=\"政务公开\">",
                "<meta name=\"ColumnDescription\" content=\"政务公开\">",
                "<meta name=\"ColumnKeywords\" content=\"政务公开\">",
                "<meta name=\"ColumnType\" content=\"政务公开\">",
            ])
        #expect(
            Self.metas(try site.read("public/gk/tz/a/index.html")) == siteMetas + [
                "<meta name=\"ColumnName\" content=\"通知公告\">",
                "<meta name=\"ColumnType\" content=\"通知公告\">",
                "<meta name=\"ArticleTitle\" content=\"关于&quot;春节&quot;走访&lt;慰问&gt;的通知\">",
                "<meta name=\"PubDate\" content=\"2025-03-01 09:05\">",
                "<meta name=\"ContentSource\" content=\"测试市民政局\">",
                "<meta name=\"Keywords\" content=\"走访,慰问\">",
                "<meta name=\"Author\" content=\"张三\">",
                "<meta name=\"Description\" content=\"正文第一段。\">",
                "<meta name=\"Image\" content=\"https://www.example.gov.cn/gk/tz/tu.png\">",
                "<meta name=\"Url\" content=\"https://www.example.gov.cn/gk/tz/a/\">",
            ])
        #expect(
            Self.metas(try site.read("public/gk/tz/b/index.html")) == siteMetas + [
                "<meta name=\"ColumnName\" content=\"通知公告\">",
                "<meta name=\"ColumnType\" content=\"通知公告\">",
                "<meta name=\"ArticleTitle\" content=\"没有图的文章\">",
                "<meta name=\"PubDate\" content=\"2025-03-02 00:00\">",
                "<meta name=\"ContentSource\" content=\"测试 &quot;市&quot; &lt;政府&gt;\">",
                "<meta name=\"Description\" content=\"正文。\">",
                "<meta name=\"Url\" content=\"https://www.example.gov.cn/gk/tz/b/\">",
            ])
    }

    @Test func theFooterCarriesEveryMarkAsLinks() throws {
        let site = try TestSite(Self.site())
        #expect(site.build().succeeded)
        let page = try site.read("public/gk/tz/a/index.html")
        #expect(
            page.contains(
                "<a class=\"conac\" href=\"https://bszs.conac.cn/sitename?method=show&amp;id=0A1B2C3D4E5F\">"
                    + "<img src=\"/assets/img/conac.svg\" alt=\"党政机关网站标识\" width=\"55\" height=\"64\"></a>"))
        #expect(page.contains("<p>主办单位：测试市人民政府办公室　承办单位：测试市大数据中心</p>"))
        #expect(
            page.contains(
                "<p>网站标识码：3301000001　<a href=\"https://beian.miit.gov.cn/\">浙ICP备00000000号</a>　"
                    + "<a href=\"https://beian.mps.gov.cn/#/query/webSearch?code=33010602000001\">浙公网安备 33010602000001号</a></p>"
            ))
        #expect(
            page.contains(
                "<a class=\"error-report\" href=\"https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=3301000001"
                    + "&amp;url=https%3A%2F%2Fwww.example.gov.cn%2Fgk%2Ftz%2Fa%2F\">我为政府网站找错</a>"))
        #expect(site.exists("public/assets/img/conac.svg"), "the mark is served by the site itself")
        // Nothing on the page is loaded from elsewhere: every src and stylesheet is the site's own.
        for attribute in ["src=\"http", "src=\"//", "href=\"http://", "stylesheet\" href=\"http"] {
            #expect(!page.contains(attribute), "\(attribute)")
        }
    }

    @Test func withoutASiteCodeThereIsNoErrorReportLink() throws {
        var files = Self.site()
        files["content/_index.md"] = TestSite.home
        let site = try TestSite(files)
        #expect(site.build().succeeded)
        let page = try site.read("public/index.html")
        #expect(!page.contains("jiucuo") && !page.contains("conac") && !page.contains("SiteIDCode"))
    }

    /// A build on a day of `mourning_days` (in the site's zone) greys every page; a build on any other day none.
    @Test(arguments: [
        ("2025-12-31T15:59:59Z", false),  // 12-31 23:59:59 in Shanghai
        ("2025-12-31T16:00:00Z", true),  // 01-01 00:00 in Shanghai
        ("2026-04-04T03:00:00Z", true), ("2026-04-05T03:00:00Z", false), ("2027-04-04T03:00:00Z", true),
    ])
    func mourningDaysGreyTheSiteOnlyThen(instant: String, grey: Bool) throws {
        let site = try TestSite(Self.site(extraSettings: "mourning_days:\n  - 01-01\n  - 04-04\n"))
        let now = try #require(ISO8601DateFormatter().date(from: instant))
        let report = Generator(options: site.options).build(now: now)
        #expect(report.succeeded)
        for page in ["public/index.html", "public/gk/tz/index.html", "public/gk/tz/a/index.html"] {
            let opening = try site.read(page).split(separator: "\n")[1]
            #expect(opening == (grey ? "<html lang=\"zh-CN\" class=\"mourning\">" : "<html lang=\"zh-CN\">"), "\(page)")
        }
        let css = try site.read("public/assets/css/lanmu.css")
        #expect(css.contains("html.mourning { filter: grayscale(1); }"))
    }
}
