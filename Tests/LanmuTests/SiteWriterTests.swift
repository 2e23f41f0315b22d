import Foundation
import Testing

@testable import LanmuCore

/// The writer fills a staging folder and swaps it in only when every file was written: a failure leaves the previous
/// output as it was, removes the staging folder and reports the first failing job, in the jobs' own order.
@Suite struct SiteWriterTests {
    let site: TestSite
    let loaded: LoadedSite
    let renderer: SiteRenderer
    let output: OutputDirectory

    init() throws {
        var files = TestSite.column(articles: 3, paginate: 2)
        files["content/sanfuwu/shixian/图片.png"] = "png"
        site = try TestSite(files)
        loaded = try #require(SiteSession(options: site.options).load(now: testNow).0)
        renderer = SiteRenderer(site: loaded.site, templates: loaded.templates, sitemap: loaded.sitemap)
        output = OutputDirectory(url: site.root.appendingPathComponent("public"), display: "public")
    }

    var jobs: [(path: String, job: OutputJob)] { renderer.jobs(copies: loaded.copies) }

    /// The staging folder this process uses beside `public`.
    var stagingPath: String { site.root.appendingPathComponent(".public.lanmu-staging-\(getpid())").path }

    /// Writes the site once, as a previous build would have, and gives back its files.
    func writePreviousOutput() throws -> [String: Data] {
        try SiteWriter(output: output).write(jobs, with: renderer)
        let previous = site.tree()
        #expect(previous.count == jobs.count)
        return previous
    }

    /// Writes these jobs, which must fail, and gives back the diagnostic.
    func failure(
        writing jobs: [(path: String, job: OutputJob)], with renderer: SiteRenderer? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> Diagnostic? {
        do {
            try SiteWriter(output: output).write(jobs, with: renderer ?? self.renderer)
            Issue.record("the writing did not fail", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error.diagnostic
        }
    }

    /// What is beside the output besides the site's own folders: staging and old outputs.
    func leftovers() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: site.root.path).filter { $0.hasPrefix(".public") }
    }

    func inode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: site.root.appendingPathComponent(path).path)
        return try #require(attributes[.systemFileNumber] as? Int)
    }

    static func fileSystemError(_ error: String, hint: String) -> String {
        """
        public:1:1: 错误 E014: 写入输出目录失败：\(error)
            提示: \(hint)；原来的输出目录没有改动
        """
    }

    static let sameSpot = "多半是两个文件落在了同一路径上；请把这条信息报告给 Lanmu 的维护者"

    @Test func aCopyWhoseSourceVanishedLeavesThePreviousOutputAsItWas() throws {
        let previous = try writePreviousOutput()
        let folder = try inode("public")
        try site.remove("content/sanfuwu/shixian/图片.png")
        let source = site.root.appendingPathComponent("content/sanfuwu/shixian/图片.png").standardizedFileURL
        let diagnostic = try #require(failure(writing: jobs))
        #expect(diagnostic.code == .fileSystem)
        #expect(diagnostic.location == .init(file: "public"))
        // Said in Chinese with the vanished file, not as Foundation's `Error Domain=NSCocoaErrorDomain Code=260 …`.
        #expect(diagnostic.message == "写入输出目录失败：文件或目录不见了（\(source.path)）")
        #expect(diagnostic.hint == "运行时别的程序删除或改名了它；再运行一次；原来的输出目录没有改动")
        #expect(site.tree() == previous)
        #expect(try inode("public") == folder, "the previous output was not swapped out")
        #expect(try leftovers().isEmpty)
    }

    /// Any job whose folder a file of another job needs: the folder is made first, the file cannot be written.
    @Test func aFolderWhereAFileMustGoIsTheSystemsErrorWithThePath() throws {
        let previous = try writePreviousOutput()
        let blocked = jobs + [("sanfuwu/shixian/index.html/x.xml", .marker)]
        #expect(
            failure(writing: blocked)?.description
                == Self.fileSystemError(
                    "这里已经有一个同名的目录（\(stagingPath)/sanfuwu/shixian/index.html）", hint: Self.sameSpot))
        #expect(site.tree() == previous)
        #expect(try leftovers().isEmpty)
    }

    /// Several jobs fail, written in parallel in any order: the one reported is the first in the jobs' order, not
    /// the first path nor the last job.
    @Test func theFirstFailingJobInJobOrderIsReported() throws {
        let previous = try writePreviousOutput()
        let names = ["m", "c", "x", "a", "q"]
        let blocked =
            jobs + names.map { ($0, OutputJob.marker) } + names.map { ("\($0)/x.xml", OutputJob.marker) }
        for _ in 0..<5 {
            #expect(
                failure(writing: blocked)?.description
                    == Self.fileSystemError("这里已经有一个同名的目录（\(stagingPath)/m）", hint: Self.sameSpot)
            )
        }
        #expect(site.tree() == previous)
        #expect(try leftovers().isEmpty)
    }

    /// A parked body that cannot be read back is reported as the body store words it, not as a file-system error.
    @Test func aBodyThatCannotBeReadBackIsReportedAsSuch() throws {
        let previous = try writePreviousOutput()
        let spill = try TestSite([:], copyTemplates: false).root.path
        let parkedLoad = try #require(
            SiteSession(options: site.options).load(now: testNow, bodies: .park(above: 0, inFirstOf: [spill])).0)
        var model = parkedLoad.site
        let article = model.articles[1]
        guard case .spilled(let spot) = article.parsed.body else {
            Issue.record("the body was not parked: \(article.parsed.body)")
            return
        }
        let parsed = ParsedArticle(
            contentPath: article.contentPath, file: article.file, frontMatter: article.parsed.frontMatter,
            rendered: article.parsed.rendered, body: .spilled(.init(offset: spot.offset + 1 << 30, length: spot.length))
        )
        model.articles[1] = Article(parsed, section: article.section)
        let parked = SiteRenderer(
            site: model, templates: parkedLoad.templates, sitemap: parkedLoad.sitemap, bodies: parkedLoad.bodies)
        #expect(
            failure(writing: parked.jobs(copies: parkedLoad.copies), with: parked)?.description == """
                content/sanfuwu/shixian/a02.md:1:1: 错误 E014: 读不回这篇文章暂存的正文，生成已停止
                    提示: 检查输出目录所在磁盘的空间和读写是否正常，然后重新运行 lanmu build；输出目录没有改动
                """)
        #expect(site.tree() == previous)
        #expect(try leftovers().isEmpty)
    }

    @Test func aSuccessfulWriteReplacesTheOutputAndLeavesNothingBeside() throws {
        _ = try writePreviousOutput()
        try site.write(TestSite.article("新文章", date: "2025-03-09 09:00"), to: "content/sanfuwu/shixian/new.md")
        let reloaded = try #require(SiteSession(options: site.options).load(now: testNow).0)
        let newRenderer = SiteRenderer(site: reloaded.site, templates: reloaded.templates, sitemap: reloaded.sitemap)
        let newJobs = newRenderer.jobs(copies: reloaded.copies)
        try SiteWriter(output: output).write(newJobs, with: newRenderer)
        #expect(Set(site.tree().keys) == Set(newJobs.map(\.path)))
        #expect(try site.read("public/sanfuwu/shixian/new/index.html").contains("新文章"))
        #expect(try leftovers().isEmpty)
    }

    /// With no body parked, the jobs are written in their own order.
    @Test func withNoBodyParkedTheJobsKeepTheirOrder() {
        #expect(SiteWriter.writingOrder(jobs, articles: loaded.site.articles) == Array(jobs.indices))
    }

    /// Parked article pages go last, by where their bodies were parked; every other job, a kept article's page
    /// included, keeps its place.
    @Test func parkedPagesGoLastByWhereTheirBodiesWere() throws {
        let articles = loaded.site.articles
        func parked(_ index: Int, at offset: Int) -> Article {
            let parsed = ParsedArticle(
                contentPath: articles[index].contentPath, file: articles[index].file,
                frontMatter: articles[index].parsed.frontMatter, rendered: articles[index].parsed.rendered,
                body: .spilled(.init(offset: offset, length: 10)))
            return Article(parsed, section: articles[index].section)
        }
        let mixed = [parked(0, at: 300), articles[1], parked(2, at: 100)]
        let jobs: [(path: String, job: OutputJob)] = [
            ("index.html", .home), ("a/index.html", .article(0)), ("index.xml", .feed(section: 0)),
            ("b/index.html", .article(1)), ("c/index.html", .article(2)), ("x.png", .copy(source: "/x", to: "x.png")),
            ("sitemap.xml", .sitemap),
        ]
        #expect(SiteWriter.writingOrder(jobs, articles: mixed) == [0, 2, 3, 5, 6, 4, 1])
    }
}
