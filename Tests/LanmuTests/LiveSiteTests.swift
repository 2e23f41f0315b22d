import Foundation
import Testing

@testable import LanmuCore

/// The preview's incremental rebuilds give exactly the files a full build gives.
@Suite struct LiveSiteTests {
    /// Passes the paths a test changed to the rebuild, as the file watcher would.
    final class HintedLiveSite {
        let live: LiveSite
        let root: URL
        let hinted: Bool
        var changed: [String] = []

        init(_ live: LiveSite, root: URL, hinted: Bool) {
            self.live = live
            self.root = root
            self.hinted = hinted
        }

        func touched(_ paths: String...) { changed += paths.map { root.appendingPathComponent($0).path } }

        func rebuild(now: Date) -> RebuildSummary {
            defer { changed = [] }
            return live.rebuild(now: now, changedPaths: hinted && !changed.isEmpty ? changed : nil)
        }

        var paths: [String] { live.paths }
        func file(at path: String) -> ServedFile? { live.file(at: path) }
    }

    func expectSameAsFullBuild(
        _ live: HintedLiveSite, _ site: TestSite, now: Date = testNow, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        expectSameAsFullBuild(live.live, site, now: now, sourceLocation: sourceLocation)
    }

    /// The preview's files against a fresh full build written to disk.
    func expectSameAsFullBuild(
        _ live: LiveSite, _ site: TestSite, now: Date = testNow, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let full = fullBuild(site.options, now: now, sourceLocation: sourceLocation)
        #expect(Set(live.paths) == Set(full.keys), sourceLocation: sourceLocation)
        for (path, bytes) in full where live.file(at: path).map({ Data($0.bytes) }) != bytes {
            Issue.record("\(path) differs from a full build", sourceLocation: sourceLocation)
        }
    }

    /// With `hinted`, each rebuild is told which files changed, as the watcher tells the preview.
    @Test(arguments: [false, true])
    func editsRebuildToTheSameFilesAsAFullBuild(hinted: Bool) throws {
        let site = try TestSite(TestSite.column(articles: 12, paginate: 5))
        let live = HintedLiveSite(LiveSite(options: site.options), root: site.root, hinted: hinted)
        let first = live.rebuild(now: testNow)
        #expect(first.succeeded)
        #expect(first.filesRead == 14)
        expectSameAsFullBuild(live, site)

        // Nothing changed: nothing is read, only the always-rendered files are rendered, nothing differs.
        let idle = live.rebuild(now: testNow)
        #expect(idle.filesRead == 0)
        #expect(idle.changedPaths.isEmpty)

        // Change one article's body: its page changes, and nothing is read but that file.
        try site.write(
            TestSite.article("文章5", date: "2025-03-05 09:00", body: "改过的正文。"), to: "content/sanfuwu/shixian/a05.md")
        let changed = live.rebuild(now: testNow)
        #expect(changed.filesRead == 1)
        #expect(changed.changedPaths.contains("sanfuwu/shixian/a05/index.html"))
        #expect(!changed.changedPaths.contains("sanfuwu/shixian/a01/index.html"))
        expectSameAsFullBuild(live, site)

        // Change a title: neighbours, list pages, home and feeds follow.
        try site.write(TestSite.article("新标题", date: "2025-03-05 09:00"), to: "content/sanfuwu/shixian/a05.md")
        live.touched("content/sanfuwu/shixian/a05.md")
        let retitled = live.rebuild(now: testNow)
        #expect(retitled.changedPaths.contains("sanfuwu/shixian/a04/index.html"))
        #expect(retitled.changedPaths.contains("sanfuwu/shixian/a06/index.html"))
        #expect(retitled.changedPaths.contains("sanfuwu/shixian/page/2/index.html"))
        expectSameAsFullBuild(live, site)

        // Add, rename, delete.
        try site.write(TestSite.article("新增", date: "2025-03-20 09:00"), to: "content/sanfuwu/shixian/new.md")
        live.touched("content/sanfuwu/shixian/new.md")
        #expect(live.rebuild(now: testNow).succeeded)
        expectSameAsFullBuild(live, site)
        try FileManager.default.moveItem(
            at: site.root.appendingPathComponent("content/sanfuwu/shixian/a03.md"),
            to: site.root.appendingPathComponent("content/sanfuwu/shixian/renamed.md"))
        live.touched("content/sanfuwu/shixian/a03.md", "content/sanfuwu/shixian/renamed.md")
        #expect(live.rebuild(now: testNow).succeeded)
        expectSameAsFullBuild(live, site)
        try site.remove("content/sanfuwu/shixian/a01.md")
        live.touched("content/sanfuwu/shixian/a01.md")
        let deleted = live.rebuild(now: testNow)
        #expect(deleted.changedPaths.contains("sanfuwu/shixian/a01/index.html"))
        #expect(live.file(at: "sanfuwu/shixian/a01/index.html") == nil)
        expectSameAsFullBuild(live, site)

        // A template change renders everything again.
        let article = try site.read("templates/article.mustache")
        try site.write(article.replacingOccurrences(of: "上一篇：", with: "上一条："), to: "templates/article.mustache")
        live.touched("templates/article.mustache")
        let template = live.rebuild(now: testNow)
        #expect(
            template.changedPaths.filter { $0.hasSuffix("/index.html") && $0.hasPrefix("sanfuwu/shixian/a") }.count
                == 10)
        expectSameAsFullBuild(live, site)

        // Site settings change every page.
        try site.write(TestSite.home.replacingOccurrences(of: "测试站", with: "改名站"), to: "content/_index.md")
        live.touched("content/_index.md")
        #expect(live.rebuild(now: testNow).succeeded)
        #expect(String(decoding: live.file(at: "index.html")!.bytes, as: UTF8.self).contains("改名站"))
        expectSameAsFullBuild(live, site)

        // A section title change reaches every breadcrumb.
        try site.write(TestSite.section("市县新闻"), to: "content/sanfuwu/shixian/_index.md")
        live.touched("content/sanfuwu/shixian/_index.md")
        #expect(live.rebuild(now: testNow).succeeded)
        expectSameAsFullBuild(live, site)

        // A new folder with its own column and article: the watcher reports only the folder.
        try site.write(TestSite.section("新栏目"), to: "content/sanfuwu/xinlanmu/_index.md")
        try site.write(TestSite.article("新栏目文章", date: "2025-03-21 09:00"), to: "content/sanfuwu/xinlanmu/b.md")
        live.touched("content/sanfuwu/xinlanmu")
        #expect(live.rebuild(now: testNow).succeeded)
        #expect(live.file(at: "sanfuwu/xinlanmu/b/index.html") != nil)
        expectSameAsFullBuild(live, site)
    }

    /// An edit that changes only an article's text patches the last model: only the pages that show the article
    /// are looked at. Files, fingerprints and diagnostics stay exactly those of a full build; edits that move,
    /// rename, date, pin, break or link fall back to building the model anew.
    @Test func textEditsPatchTheModelAndStayEqualToAFullBuild() throws {
        var files = TestSite.column(articles: 12, paginate: 5)
        files["content/sanfuwu/shixian/a02.md"] = TestSite.article(
            "文章2", date: "2025-03-02 09:00", body: "见[第三篇](a03.md#第一节)。")
        files["content/sanfuwu/shixian/a03.md"] = TestSite.article(
            "文章3", date: "2025-03-03 09:00", body: "## 第一节\n\n正文。")
        files["content/sanfuwu/shixian/later.md"] = TestSite.article("明天的文章", date: "2026-01-02 09:00")
        let site = try TestSite(files)
        let live = HintedLiveSite(LiveSite(options: site.options), root: site.root, hinted: true)
        #expect(live.rebuild(now: testNow).succeeded)

        func edit(
            _ name: String, _ text: String, patched: Bool, succeeds: Bool = true, now: Date = testNow,
            sourceLocation: SourceLocation = #_sourceLocation
        ) throws -> RebuildSummary {
            try site.write(text, to: "content/sanfuwu/shixian/\(name).md")
            live.touched("content/sanfuwu/shixian/\(name).md")
            let summary = live.rebuild(now: now)
            #expect(summary.patched == patched, "\(name)", sourceLocation: sourceLocation)
            #expect(summary.succeeded == succeeds, "\(summary.diagnostics)", sourceLocation: sourceLocation)
            guard succeeds else { return summary }
            expectSameAsFullBuild(live, site, now: now, sourceLocation: sourceLocation)
            #expect(live.live.fingerprintsAreCurrent(), sourceLocation: sourceLocation)
            let fresh = LiveSite(options: site.options).rebuild(now: now)
            #expect(
                summary.diagnostics == fresh.diagnostics, "diagnostics as a full build gives them",
                sourceLocation: sourceLocation)
            return summary
        }

        // The body, then the title: the page, then its neighbours, its list page, home and feeds.
        let body = try edit("a05", TestSite.article("文章5", date: "2025-03-05 09:00", body: "改过的正文。"), patched: true)
        #expect(body.filesRead == 1)
        #expect(body.changedPaths.contains("sanfuwu/shixian/a05/index.html"))
        #expect(!body.changedPaths.contains("sanfuwu/shixian/a04/index.html"))
        let title = try edit("a05", TestSite.article("新标题", date: "2025-03-05 09:00"), patched: true)
        for path in [
            "sanfuwu/shixian/a04/index.html", "sanfuwu/shixian/a06/index.html", "sanfuwu/shixian/page/2/index.html",
            "sanfuwu/index.html", "index.html", "sanfuwu/shixian/index.xml",
        ] {
            #expect(title.changedPaths.contains(path), "\(path)")
        }
        #expect(!title.changedPaths.contains("sanfuwu/shixian/a09/index.html"))
        // A warning comes and goes with the text.
        let warned = try edit(
            "a05", TestSite.article("新标题", date: "2025-03-05 09:00", body: "<b>粗</b>"), patched: true)
        #expect(warned.diagnostics.map(\.code).contains(.rawHTMLDropped))
        let clean = try edit("a05", TestSite.article("新标题", date: "2025-03-05 09:00"), patched: true)
        #expect(!clean.diagnostics.map(\.code).contains(.rawHTMLDropped))
        // An article that links to another is patched; the one it links to is not (its reader's page follows it).
        _ = try edit(
            "a02", TestSite.article("文章2", date: "2025-03-02 09:00", body: "再见[第三篇](a03.md#第一节)。"), patched: true)
        _ = try edit(
            "a03", TestSite.article("文章3改", date: "2025-03-03 09:00", body: "## 第一节\n\n改了。"), patched: false)
        let headingGone = try edit(
            "a03", TestSite.article("文章3改", date: "2025-03-03 09:00", body: "## 第二节\n\n改了。"), patched: false)
        #expect(headingGone.diagnostics.map(\.code) == [.missingAnchor], "the reader's link now misses its heading")
        _ = try edit(
            "a03", TestSite.article("文章3改", date: "2025-03-03 09:00", body: "## 第一节\n\n改回。"), patched: false)
        // Changes that move an article or change what is published build the model anew.
        _ = try edit("a07", TestSite.article("文章7", date: "2025-02-01 09:00"), patched: false)
        _ = try edit("a08", TestSite.article("文章8", date: "2025-03-08 09:00", extra: "pinned: true\n"), patched: false)
        _ = try edit("a09", TestSite.article("文章9", date: "2025-03-09 09:00", extra: "slug: jiu\n"), patched: false)
        _ = try edit("a10", TestSite.article("文章10", date: "2025-03-10 09:00", extra: "draft: true\n"), patched: false)
        _ = try edit(
            "a11", TestSite.article("文章11", date: "2025-03-11 09:00", body: "[没有](nowhere.md)"), patched: false,
            succeeds: false)
        _ = try edit("a11", TestSite.article("文章11", date: "2025-03-11 09:00"), patched: false)
        _ = try edit("a12", "---\ntitle: 坏了\n", patched: false, succeeds: false)
        _ = try edit("a12", TestSite.article("文章12", date: "2025-03-12 09:00", body: "修好了。"), patched: false)
        _ = try edit("a12", TestSite.article("文章12", date: "2025-03-12 09:00", body: "又改了。"), patched: true)
        // The clock passes a held-back article's date: it is published, by a model built anew.
        let tomorrow = testNow.addingTimeInterval(3 * 86_400)
        let published = try edit(
            "a12", TestSite.article("文章12", date: "2025-03-12 09:00", body: "第三次。"), patched: false, now: tomorrow)
        #expect(published.changedPaths.contains("sanfuwu/shixian/later/index.html"))
        _ = try edit(
            "a12", TestSite.article("文章12", date: "2025-03-12 09:00", body: "第四次。"), patched: true, now: tomorrow)

        // Two articles saved together (one watcher batch): both patched in one rebuild, neighbours included; with a
        // date change in the batch, the model is built anew. Equal to a full build either way.
        func editTogether(_ texts: [String: String], patched: Bool, sourceLocation: SourceLocation = #_sourceLocation)
            throws
        {
            for (name, text) in texts.sorted(by: { $0.key < $1.key }) {
                try site.write(text, to: "content/sanfuwu/shixian/\(name).md")
                live.touched("content/sanfuwu/shixian/\(name).md")
            }
            let summary = live.rebuild(now: tomorrow)
            #expect(summary.patched == patched, sourceLocation: sourceLocation)
            #expect(summary.succeeded, "\(summary.diagnostics)", sourceLocation: sourceLocation)
            expectSameAsFullBuild(live, site, now: tomorrow, sourceLocation: sourceLocation)
            #expect(live.live.fingerprintsAreCurrent(), sourceLocation: sourceLocation)
        }
        try editTogether(
            [
                "a04": TestSite.article("文章4同批", date: "2025-03-04 09:00"),
                "a05": TestSite.article("文章5同批", date: "2025-03-05 09:00", body: "同一批保存。"),
            ], patched: true)
        try editTogether(
            [
                "a06": TestSite.article("文章6同批", date: "2025-03-06 09:00"),
                "a01": TestSite.article("文章1改日期", date: "2025-03-20 09:00"),
            ], patched: false)
    }

    @Test func articlePagesThatShowTheColumnCountFollowIt() throws {
        let site = try TestSite(TestSite.column(articles: 3))
        let template = try site.read("templates/article.mustache")
        try site.write(
            template.replacingOccurrences(of: "上一篇：", with: "共{{section.total}}篇 上一篇："),
            to: "templates/article.mustache")
        let live = LiveSite(options: site.options)
        #expect(live.rebuild(now: testNow).succeeded)
        try site.write(TestSite.article("新增", date: "2024-01-01 09:00"), to: "content/sanfuwu/shixian/a00.md")
        #expect(live.rebuild(now: testNow).succeeded)
        #expect(String(decoding: live.file(at: "sanfuwu/shixian/a03/index.html")!.bytes, as: UTF8.self).contains("共4篇"))
        expectSameAsFullBuild(live, site)
    }

    /// The preview, patching or not, reports a bad date and a missing image of one file together, as a build does.
    @Test(arguments: [false, true])
    func aBadDateAndAMissingImageAreReportedTogether(hinted: Bool) throws {
        let site = try TestSite(TestSite.column(articles: 3))
        let live = HintedLiveSite(LiveSite(options: site.options), root: site.root, hinted: hinted)
        #expect(live.rebuild(now: testNow).succeeded)
        try site.write(
            TestSite.article("坏日期", date: "2025-13-02", body: "![现场](xianchang.jpg)"),
            to: "content/sanfuwu/shixian/a02.md")
        live.touched("content/sanfuwu/shixian/a02.md")
        #expect(live.rebuild(now: testNow).diagnostics.map(\.code) == [.invalidDate, .brokenLink])
        // Read from the cache this time.
        #expect(live.rebuild(now: testNow).diagnostics.map(\.code) == [.invalidDate, .brokenLink])
    }

    @Test func aBrokenFileKeepsTheLastGoodSite() throws {
        let site = try TestSite(TestSite.column(articles: 3))
        let live = LiveSite(options: site.options)
        #expect(live.rebuild(now: testNow).succeeded)
        let before = live.file(at: "sanfuwu/shixian/a02/index.html")
        try site.write("---\ntitle: 坏了\n", to: "content/sanfuwu/shixian/a02.md")
        let broken = live.rebuild(now: testNow)
        #expect(!broken.succeeded)
        #expect(broken.diagnostics.map(\.code) == [.unterminatedFrontMatter])
        #expect(live.file(at: "sanfuwu/shixian/a02/index.html")?.bytes == before?.bytes)
        try site.write(TestSite.article("修好了", date: "2025-03-02 09:00"), to: "content/sanfuwu/shixian/a02.md")
        let fixed = live.rebuild(now: testNow)
        #expect(fixed.succeeded)
        #expect(fixed.changedPaths.contains("sanfuwu/shixian/a02/index.html"))
    }

    /// A partial made to include itself while the preview runs: the rebuild reports the cycle and the last good
    /// pages stay served; once it is fixed, the preview follows again.
    @Test func aTemplateCycleKeepsTheLastGoodSite() throws {
        let site = try TestSite(TestSite.column(articles: 2))
        let live = LiveSite(options: site.options)
        #expect(live.rebuild(now: testNow).succeeded)
        let before = live.file(at: "sanfuwu/shixian/a01/index.html")
        let footer = try site.read("templates/partials/footer.mustache")
        try site.write(footer + "{{> partials/footer}}\n", to: "templates/partials/footer.mustache")
        let broken = live.rebuild(now: testNow)
        #expect(broken.diagnostics.map(\.code) == [.templateCycle])
        #expect(live.file(at: "sanfuwu/shixian/a01/index.html")?.bytes == before?.bytes)
        try site.write(footer + "<!-- 修好了 -->\n", to: "templates/partials/footer.mustache")
        #expect(live.rebuild(now: testNow).succeeded)
        let fixed = try #require(live.file(at: "sanfuwu/shixian/a01/index.html"))
        #expect(String(decoding: fixed.bytes, as: UTF8.self).contains("修好了"))
    }

    @Test func etagsFollowTheBytes() {
        #expect(LiveSite.etag(Array("a".utf8)) != LiveSite.etag(Array("b".utf8)))
        #expect(LiveSite.etag(Array("a".utf8)) == LiveSite.etag(Array("a".utf8)))
        #expect(LiveSite.etag([]).hasPrefix("\""))
    }
}
