import Foundation
import Testing

@testable import LanmuCore

/// Generated 索引号: stable across builds and across articles added before and after, kept in the ledger.
@Suite struct IndexNumbersTests {
    static let org = "11330000002482162P"

    static func files(
        _ articles: [String: String], home: String = "org_code: \(org)\n", column: String = "index_no: auto\n"
    )
        -> [String: String]
    {
        var files = [
            "content/_index.md": "---\ntitle: 首页\nbase_url: https://www.example.gov.cn\n\(home)---\n",
            "content/gk/_index.md": TestSite.section("政务公开"),
            "content/gk/wj/_index.md": TestSite.section("政策文件", extra: column),
            "content/dt/_index.md": TestSite.section("动态"),
            "content/dt/x.md": TestSite.article("动态文章", date: "2025-01-01"),
        ]
        for (name, date) in articles { files["content/gk/wj/\(name).md"] = TestSite.article("文件\(name)", date: date) }
        return files
    }

    static func number(_ site: TestSite, _ name: String) throws -> String? {
        let page = try site.read("public/gk/wj/\(name)/index.html")
        guard let start = page.range(of: "索引号</th><td>") else { return nil }
        return String(page[start.upperBound...].prefix { $0 != "<" })
    }

    @Test func numbersAreGivenOnceAndNeverChange() throws {
        let site = try TestSite(Self.files(["b": "2025-03-01", "a": "2024-12-31 23:00", "c": "2025-02-01"]))
        #expect(site.build().succeeded)
        let first = try ["a", "b", "c"].map { try Self.number(site, $0) }
        #expect(first == ["\(Self.org)/2024-00001", "\(Self.org)/2025-00002", "\(Self.org)/2025-00001"])
        let ledger = try site.read("content/.index-numbers.txt")
        #expect(
            ledger == """
                # 索引号台账：lanmu build 维护，请与内容一起提交；已有的行不要修改或删除
                \(Self.org)/2024-00001\tgk/wj/a.md
                \(Self.org)/2025-00001\tgk/wj/c.md
                \(Self.org)/2025-00002\tgk/wj/b.md

                """)
        #expect(!(try site.read("public/dt/x/index.html")).contains("gov-info"), "only the auto column's articles")

        // A second build gives the same pages and leaves the ledger as it was.
        let before = site.tree()
        #expect(site.build().succeeded)
        #expect(site.tree() == before)
        #expect(try site.read("content/.index-numbers.txt") == ledger)

        // Articles added before and after the others in date, and one removed: the old numbers stay, the new ones
        // take the next free numbers of their years, and the removed one's number is not given again.
        try site.write(TestSite.article("文件d", date: "2025-01-15"), to: "content/gk/wj/d.md")
        try site.write(TestSite.article("文件e", date: "2025-06-01"), to: "content/gk/wj/e.md")
        try site.write(TestSite.article("文件f", date: "2024-01-01"), to: "content/gk/wj/f.md")
        try site.remove("content/gk/wj/b.md")
        #expect(site.build().succeeded)
        #expect(try Self.number(site, "a") == "\(Self.org)/2024-00001")
        #expect(try Self.number(site, "c") == "\(Self.org)/2025-00001")
        #expect(try Self.number(site, "f") == "\(Self.org)/2024-00002")
        #expect(try Self.number(site, "d") == "\(Self.org)/2025-00003")
        #expect(try Self.number(site, "e") == "\(Self.org)/2025-00004")
        #expect(try site.read("content/.index-numbers.txt").hasPrefix(ledger), "entries are only ever added")

        // b comes back: it gets its old number again.
        try site.write(TestSite.article("文件b", date: "2025-03-01"), to: "content/gk/wj/b.md")
        #expect(site.build().succeeded)
        #expect(try Self.number(site, "b") == "\(Self.org)/2025-00002")
    }

    @Test func anArticlesOwnNumberWinsAndCheckWritesNothing() throws {
        var files = Self.files(["a": "2025-01-01"])
        files["content/gk/wj/own.md"] = TestSite.article("自带", date: "2025-01-02", extra: "index_no: 自定-001\n")
        let site = try TestSite(files)
        #expect(Generator(options: site.options).check(now: testNow).succeeded)
        #expect(!site.exists("content/.index-numbers.txt"), "lanmu check writes nothing")
        #expect(site.build().succeeded)
        #expect(try Self.number(site, "own") == "自定-001")
        #expect(!(try site.read("content/.index-numbers.txt")).contains("own.md"))
    }

    @Test func autoWithoutAnOrganisationCodeOrAnotherValueIsAnError() throws {
        let missing = try TestSite(Self.files(["a": "2025-01-01"], home: ""))
        #expect(
            missing.build().diagnostics.map(\.description) == [
                """
                content/gk/wj/_index.md:3:11: 错误 E016: index_no: auto 需要站点设置 org_code（机构代码）来生成索引号
                    提示: 在 content/_index.md 里写上本机关的机构代码，例如 org_code: 11330000002482162P
                """
            ])
        let other = try TestSite(Self.files(["a": "2025-01-01"], column: "index_no: 手动\n"))
        #expect(
            other.build().diagnostics.map(\.description) == [
                """
                content/gk/wj/_index.md:3:11: 错误 E016: 栏目的 index_no 只能写 auto（自动生成索引号），这里是“手动”
                    提示: 写 index_no: auto；某篇文章自己的索引号写在那篇文章的 front matter 里
                """
            ])
    }

    @Test func aBrokenLedgerLineIsReportedAtItsLine() throws {
        let site = try TestSite(Self.files(["a": "2025-01-01"]))
        try site.write("# 台账\n\(Self.org)/2025-00001\tgk/wj/a.md\n坏行\n", to: "content/.index-numbers.txt")
        let diagnostics = site.build().diagnostics.map(\.description)
        #expect(diagnostics.count == 1)
        #expect(
            diagnostics.first?.hasPrefix("content/.index-numbers.txt:3:1: 错误 E016: 索引号台账的这一行无法读取：坏行") == true,
            "\(diagnostics)")
    }
}
