import Foundation
import Testing

@testable import LanmuCore

/// Large builds keep only metadata in memory and park each rendered body in a spill file until its page is written;
/// the output is the same, byte for byte.
@Suite struct StreamingBuildTests {
    func build(_ root: URL, keepBodiesUpTo: Int) throws -> [String: Data] {
        var options = BuildOptions(siteRoot: root)
        options.keepBodiesUpTo = keepBodiesUpTo
        return fullBuild(options)
    }

    @Test func theSampleSiteBuildsTheSameWithBodiesParked() throws {
        let kept = try build(repositoryRoot, keepBodiesUpTo: .max)
        let streamed = try build(repositoryRoot, keepBodiesUpTo: 0)
        #expect(kept.count > 20)
        #expect(kept == streamed)
    }

    @Test func linksBetweenArticlesSurviveParking() throws {
        var files = TestSite.column(articles: 12, paginate: 5)
        files["content/sanfuwu/shixian/a03.md"] = TestSite.article(
            "链接", date: "2025-03-03 09:00", body: "见[第二篇](a02.md)和[第五篇的标题](a05.md#第二站)。\n\n## 小标题\n")
        files["content/sanfuwu/shixian/a05.md"] = TestSite.article(
            "有标题", date: "2025-03-05 09:00", body: "## 第二站\n\n**加粗。**后文\n")
        let site = try TestSite(files)
        let kept = try build(site.root, keepBodiesUpTo: .max)
        #expect(try build(site.root, keepBodiesUpTo: 0) == kept)
        let page = try #require(kept["sanfuwu/shixian/a03/index.html"].map { String(decoding: $0, as: UTF8.self) })
        #expect(page.contains("href=\"/sanfuwu/shixian/a05/#%E7%AC%AC%E4%BA%8C%E7%AB%99\""))
    }

    @Test func aBodyChangedAfterReadingIsWrittenAsItWasRead() throws {
        let site = try TestSite(TestSite.column(articles: 2))
        var options = site.options
        options.keepBodiesUpTo = 0
        let loaded = try #require(Generator(options: options).load(now: testNow).0)
        let article = try #require(loaded.site.articles.first { $0.contentPath == "sanfuwu/shixian/a01.md" })
        #expect(article.parsed.rendered.html.isEmpty, "the model kept no body")
        guard case .spilled = article.parsed.body else {
            Issue.record("the body was not parked: \(article.parsed.body)")
            return
        }
        let before = try loaded.bodies.html(for: article)
        #expect(before.contains("正文。"))
        // The page agrees with the model built from the first reading (its summary, its word count).
        try site.write(
            TestSite.article("文章1", date: "2025-03-01 09:00", body: "改了"), to: "content/sanfuwu/shixian/a01.md")
        #expect(try loaded.bodies.html(for: article) == before)
    }

    @Test func aBodyThatCannotBeReadBackStopsTheBuild() throws {
        let site = try TestSite(TestSite.column(articles: 2))
        var options = site.options
        options.keepBodiesUpTo = 0
        let loaded = try #require(Generator(options: options).load(now: testNow).0)
        let article = try #require(loaded.site.articles.first)
        guard case .spilled(let spot) = article.parsed.body else {
            Issue.record("the body was not parked")
            return
        }
        // A spot past the end of the file, as a truncated spill file would leave it.
        let parsed = ParsedArticle(
            contentPath: article.contentPath, file: article.file, frontMatter: article.parsed.frontMatter,
            rendered: article.parsed.rendered, body: .spilled(.init(offset: spot.offset + 1 << 30, length: spot.length))
        )
        #expect {
            try loaded.bodies.html(for: Article(parsed, section: article.section))
        } throws: { error in
            (error as? BodyStore.Failure)?.diagnostic.description == """
                content/sanfuwu/shixian/a01.md:1:1: 错误 E014: 读不回这篇文章暂存的正文，生成已停止
                    提示: 检查输出目录所在磁盘的空间和读写是否正常，然后重新运行 lanmu build；输出目录没有改动
                """
        }
    }

    @Test(arguments: [true, false]) func theSpillGivesBackWhatEachThreadParked(temporaryFile: Bool) throws {
        let folder = try TestSite([:]).root.path
        let before = try FileManager.default.contentsOfDirectory(atPath: folder)
        let spill = try #require(BodySpill(inFirstOf: ["/nonexistent/folder", folder], temporaryFile: temporaryFile))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == before, "the spill file has no name")
        var generator = SeededGenerator(seed: 7)
        let texts = (0..<400).map { _ in generator.text(from: Array("市县动态 <p>&\n𠀋".unicodeScalars), length: 0...300) }
        let spots = try Parallel.map(texts) { spill.append($0) }.map { try #require($0) }
        // Every thread got a range of its own: sorted by offset, no range runs into the next. Empty texts take no
        // range (one may sit at the same offset as the next text's; sorted after it, it would look like an overlap).
        let ranges = spots.map { $0.offset..<($0.offset + $0.length) }.filter { !$0.isEmpty }
            .sorted { $0.lowerBound < $1.lowerBound }
        #expect(zip(ranges, ranges.dropFirst()).allSatisfy { $0.upperBound <= $1.lowerBound })
        for (text, spot) in zip(texts, spots) {
            #expect(spill.text(at: spot) == text)
        }
        #expect(BodySpill(inFirstOf: ["/nonexistent/folder"], temporaryFile: temporaryFile) == nil)
    }

    /// A released body's pages go back to the file system (on tmpfs the spill is memory), and only pages no other
    /// body still uses: the bodies not released read back intact.
    @Test(arguments: [1, 8]) func releasedBodiesGiveTheirPagesBack(releaseBatch: Int) throws {
        let folder = try TestSite([:]).root.path
        let spill = try #require(BodySpill(inFirstOf: [folder], releaseBatch: releaseBatch))
        var generator = SeededGenerator(seed: 11)
        let texts = (0..<300).map { _ in generator.text(from: Array("市县动态 <p>&\n𠀋".unicodeScalars), length: 0...3000) }
        let spots = try texts.map { try #require(spill.append($0)) }
        let end = spots.map { $0.offset + $0.length }.max()!
        #expect(spill.allocatedBytes >= end / 4096 * 4096)
        let page = BodySpill.pageSize
        // Two thirds released, out of order; the pages the rest touch must stay.
        var released = Array(spots.indices.filter { $0 % 3 != 0 })
        released.shuffle(using: &generator)
        for index in released { spill.release(spots[index]) }
        let kept = spots.indices.filter { $0 % 3 == 0 }
        for index in kept {
            #expect(spill.text(at: spots[index]) == texts[index])
        }
        let keptPages = Set(
            kept.filter { spots[$0].length > 0 }.flatMap {
                (spots[$0].offset / page)...((spots[$0].offset + spots[$0].length - 1) / page)
            })
        // Slack: the page the last body ends in, and blocks a file system spends on mapping a file full of holes.
        let slack = 4 * page
        if releaseBatch == 1 { #expect(spill.allocatedBytes <= keptPages.count * page + slack) }
        // The rest, in the order they were parked (as pages are written): all but the last run goes back.
        for index in kept { spill.release(spots[index]) }
        #expect(spill.allocatedBytes <= (releaseBatch * 16 + 1) * page + slack)
        #expect(spill.allocatedBytes < end / 4)
    }

    /// Article pages are written in the order their bodies were parked, after every other file, so that the spill
    /// gives back its storage in long runs.
    @Test func articlePagesAreWrittenInTheOrderTheirBodiesWereParked() throws {
        let site = try TestSite(TestSite.column(articles: 30, paginate: 5))
        var options = site.options
        options.keepBodiesUpTo = 0
        let loaded = try #require(Generator(options: options).load(now: testNow).0)
        let renderer = SiteRenderer(site: loaded.site, templates: loaded.templates, sitemap: loaded.sitemap)
        let jobs = renderer.jobs(copies: [])
        let order = SiteWriter.writingOrder(jobs, articles: loaded.site.articles)
        #expect(order.sorted() == Array(jobs.indices))
        let articleCount = loaded.site.articles.count
        #expect(articleCount == 30)
        let others = order.dropLast(articleCount)
        #expect(others.allSatisfy { if case .article = jobs[$0].job { false } else { true } })
        #expect(Array(others) == others.sorted(), "every other job keeps its place")
        let offsets = order.suffix(articleCount).map { position -> Int in
            guard case .article(let index) = jobs[position].job,
                case .spilled(let spot) = loaded.site.articles[index].parsed.body
            else { return -1 }
            return spot.offset
        }
        // The model's order is by date, newest first; the bodies were parked about in the files' order (a01, a02, …).
        #expect(offsets == offsets.sorted() && offsets.first! >= 0)
    }

    /// `lanmu check` writes no page: bodies are rendered for their warnings and let go, neither kept nor parked.
    @Test(arguments: [0, Int.max]) func aCheckKeepsNoBodyAndParksNone(keepBodiesUpTo: Int) throws {
        var files = TestSite.column(articles: 3)
        files["content/sanfuwu/shixian/a02.md"] = TestSite.article(
            "带 HTML", date: "2025-03-02 09:00", body: "正文。\n\n<div>旧网站的代码</div>\n")
        let site = try TestSite(files)
        var options = site.options
        options.keepBodiesUpTo = keepBodiesUpTo
        let (checked, checkDiagnostics) = SiteSession(options: options).load(now: testNow, bodies: .drop)
        let (built, buildDiagnostics) = Generator(options: options).load(now: testNow)
        let model = try #require(checked)
        #expect(model.bodies.spill == nil)
        #expect(model.site.articles.allSatisfy { $0.parsed.body == .dropped && $0.parsed.rendered.html.isEmpty })
        #expect(try #require(built).site.articles.allSatisfy { $0.parsed.body != .dropped })
        // The same findings, the raw HTML warning among them, and the same summaries.
        #expect(checkDiagnostics.map(\.description) == buildDiagnostics.map(\.description))
        #expect(checkDiagnostics.contains { $0.code == .rawHTMLDropped })
        #expect(model.site.articles.map(\.summary) == built?.site.articles.map(\.summary))
        #expect(
            Generator(options: options).check(now: testNow).diagnostics.map(\.description)
                == buildDiagnostics.sortedForDisplay().map(\.description))
    }

    /// The parser gives the body back with the article (it writes nothing); the store the driver chose decides
    /// where it waits: kept in the model, parked (the model keeps none of it), or let go.
    @Test func theParserKeepsTheBodyAndTheStoreDecidesWhereItGoes() throws {
        let parser = DocumentParser(settings: SiteSettings(), renderer: MarkdownRenderer(options: .init()))
        let bytes = Array(TestSite.article("文章", date: "2025-03-01 09:00", body: "正文。").utf8)
        let (parsed, _) = parser.article(from: bytes, contentPath: "sanfuwu/shixian/a.md", file: "a.md")
        let document = try #require(parsed)
        #expect(document.rendered.html == "<p>正文。</p>\n")
        let kept = BodyStore(.keep, files: 1).take(document)
        #expect(kept.body == .kept && kept.rendered.html == document.rendered.html)
        let dropped = BodyStore(.drop, files: 1).take(document)
        #expect(dropped.body == .dropped && dropped.rendered.html.isEmpty)
        let folder = try TestSite([:]).root.path
        let small = BodyStore(.park(above: 1, inFirstOf: [folder]), files: 1)
        #expect(small.spill == nil && small.take(document).body == .kept, "at the limit, bodies are kept")
        let large = BodyStore(.park(above: 1, inFirstOf: [folder]), files: 2)
        let parked = large.take(document)
        guard case .spilled = parked.body else {
            Issue.record("the body was not parked: \(parked.body)")
            return
        }
        #expect(parked.rendered.html.isEmpty)
        #expect(try large.html(for: Article(parked, section: 0)) == document.rendered.html)
    }
}
