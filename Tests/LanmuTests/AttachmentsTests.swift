import Foundation
import Testing

@testable import LanmuCore

/// The 附件 list under an article and the 政务公开 information table above its title.
@Suite struct AttachmentsTests {
    static func files(article: String) -> [String: String] {
        [
            "content/_index.md": TestSite.home, "content/gk/_index.md": TestSite.section("政务公开"),
            "content/gk/tz/_index.md": TestSite.section("通知公告"), "content/gk/tz/a.md": article,
        ]
    }

    static func attachmentsList(_ page: String) -> [Substring] {
        page.split(separator: "\n").filter { $0.hasPrefix("<li>") && $0.contains("（") || $0.hasPrefix("<li>1. ") }
    }

    @Test func frontMatterAndBodyLinksMakeOneListWithSizes() throws {
        let article = TestSite.article(
            "关于申报的通知", date: "2025-03-01 09:00",
            extra: "attachments:\n  - 申报表.docx | 项目申报表\n  - 附件/说明.pdf\n",
            body: """
                请填写[申报表](申报表.docx)，并参阅[汇总表](汇总表.xlsx)。

                再次提醒：[汇总表](汇总表.xlsx)和[说明](附件/说明.pdf)、![图](tu.png)、[图片文件](tu.png)。
                """)
        let site = try TestSite(Self.files(article: article))
        try site.write(Data(repeating: 0x41, count: 23 * 1024), to: "content/gk/tz/申报表.docx")
        try site.write(Data(repeating: 0x42, count: 300), to: "content/gk/tz/附件/说明.pdf")
        try site.write(Data(repeating: 0x43, count: 1_572_864), to: "content/gk/tz/汇总表.xlsx")
        try site.write("png", to: "content/gk/tz/tu.png")
        let report = site.build()
        #expect(report.succeeded, "\(report.diagnostics)")
        let page = try site.read("public/gk/tz/a/index.html")
        let items = page.split(separator: "\n").filter { $0.hasPrefix("<li>") && $0.contains(". <a href") }
        #expect(
            items == [
                "<li>1. <a href=\"/gk/tz/%E7%94%B3%E6%8A%A5%E8%A1%A8.docx\">项目申报表</a>（23 KB）</li>",
                "<li>2. <a href=\"/gk/tz/%E9%99%84%E4%BB%B6/%E8%AF%B4%E6%98%8E.pdf\">说明.pdf</a>（300 B）</li>",
                "<li>3. <a href=\"/gk/tz/%E6%B1%87%E6%80%BB%E8%A1%A8.xlsx\">汇总表.xlsx</a>（1.5 MB）</li>",
            ])
        #expect(page.contains("<h2 class=\"attachments-title\">附件：</h2>"))
        // The files keep their Chinese names on disk, byte for byte.
        #expect(site.tree()["gk/tz/申报表.docx"]?.count == 23 * 1024)
        #expect(site.tree()["gk/tz/附件/说明.pdf"]?.count == 300)
        #expect(site.tree()["gk/tz/汇总表.xlsx"]?.count == 1_572_864)
    }

    @Test func anArticleWithoutAttachmentsHasNoList() throws {
        let site = try TestSite(Self.files(article: TestSite.article("通知", date: "2025-03-01")))
        #expect(site.build().succeeded)
        let page = try site.read("public/gk/tz/a/index.html")
        #expect(!page.contains("attachments") && !page.contains("gov-info"))
    }

    @Test func aMissingAttachmentIsAnErrorAtItsLineAndNothingIsWritten() throws {
        let article = TestSite.article(
            "通知", date: "2025-03-01", extra: "attachments:\n  - 申报表.docx\n  - ../../../外面.pdf\n",
            body: "见[附件](没有.pdf)。")
        let site = try TestSite(Self.files(article: article))
        let report = site.build()
        #expect(
            report.diagnostics.map(\.description) == [
                """
                content/gk/tz/a.md:5:5: 错误 E019: 附件不存在：content/gk/tz/申报表.docx
                    提示: 把附件放进文章所在的目录，或写对相对路径，例如 - 申报表.docx
                """,
                """
                content/gk/tz/a.md:6:5: 错误 E019: 附件不存在：content/../../../外面.pdf
                    提示: 把附件放进文章所在的目录，或写对相对路径，例如 - 申报表.docx
                """,
                """
                content/gk/tz/a.md:9:2: 错误 E019: 链接的文件不存在：content/gk/tz/没有.pdf
                    提示: 检查文件名和路径；链接别的文章时写它的 .md 文件，例如 ../tingnei/other.md
                """,
            ])
        #expect(!site.exists("public"))
    }

    @Test(arguments: [
        (Int64(0), "0 B"), (1023, "1023 B"), (1024, "1 KB"), (1535, "1 KB"), (1536, "2 KB"), (1_048_575, "1024 KB"),
        (1_048_576, "1.0 MB"), (10_590_617, "10.1 MB"),
    ])
    func sizesReadAsPeopleWriteThem(bytes: Int64, text: String) {
        #expect(Attachments.size(bytes) == text)
    }

    @Test(arguments: [
        ("a.PDF", true), ("a.ofd", true), ("a.wps", true), ("a.et", true), ("a.rar", true), ("a.png", false),
        ("a.md", false), ("pdf", false), ("a.pdf/b", false),
    ])
    func attachmentKinds(path: String, isAttachment: Bool) {
        #expect(Attachments.isAttachment(path) == isAttachment)
    }

    @Test func publicInformationShowsAboveTheTitle() throws {
        let article = TestSite.article(
            "关于调整抚恤标准的通知", date: "2025-03-02 10:00",
            extra: """
                index_no: 11330000002482162P/2025-00012
                issuer: 省退役军人事务厅
                written_date: 2025-02-28
                doc_no: 浙退役军人〔2025〕12号
                topic: 民政、扶贫、救灾
                validity: 有效

                """)
        let site = try TestSite(Self.files(article: article))
        #expect(site.build().succeeded)
        let page = try site.read("public/gk/tz/a/index.html")
        let table = try #require(page.range(of: "<table class=\"gov-info\">")).lowerBound
        let title = try #require(page.range(of: "<h1 class=\"article-title\">")).lowerBound
        #expect(table < title)
        for row in [
            "<tr><th scope=\"row\">索引号</th><td>11330000002482162P/2025-00012</td><th scope=\"row\">主题分类</th><td>民政、扶贫、救灾</td></tr>",
            "<tr><th scope=\"row\">发布机构</th><td>省退役军人事务厅</td><th scope=\"row\">成文日期</th><td>2025-02-28</td></tr>",
            "<tr><th scope=\"row\">文　　号</th><td>浙退役军人〔2025〕12号</td><th scope=\"row\">发布日期</th><td>2025-03-02</td></tr>",
            "<tr><th scope=\"row\">有 效 性</th><td colspan=\"3\">有效</td></tr>",
        ] {
            #expect(page.contains(row), "\(row)")
        }
    }

    @Test func badPublicInformationIsReportedAtItsLine() throws {
        let article = TestSite.article(
            "通知", date: "2025-03-02", extra: "written_date: 2025-02-30\nissuer:\n  - 甲\n  - 乙\ndoc_no: 第12号\n")
        let site = try TestSite(Self.files(article: article))
        let report = site.build()
        #expect(
            report.diagnostics.map(\.description) == [
                """
                content/gk/tz/a.md:4:15: 错误 E006: 成文日期“2025-02-30”不存在：2025 年 2 月没有 30 日（这个月只有 28 天）
                    提示: 改成文件实际的成文日期，例如 written_date: 2020-04-28
                """,
                """
                content/gk/tz/a.md:6:3: 错误 E007: 字段 issuer 应该是一段文字，这里却是一个列表
                    提示: 写在同一行，例如 title: 标题；文字里有冒号时用引号括起来
                """,
            ])
    }
}
