import Foundation
import Testing

@testable import LanmuCore
@testable import LanmuCounter
@testable import LanmuImport

/// The sample site built with Hanweb-style URLs, its pages imported back into an empty site, built again: every
/// article keeps its title, date, source, author, editor, breadcrumb, attachments and body text, and its old URL
/// redirects to it.
@Suite struct ImportRoundTripTests {
    static let columns = [("sanfuwu/shixian", 1229), ("sanfuwu/tingnei", 1230), ("zhengwu/tongzhi", 1231)]

    /// What an article page shows, read back by the importer's own extractor.
    struct Shown: Equatable, CustomStringConvertible {
        var page: ExtractedPage
        var body: String
        var images: Int

        var description: String {
            "\(page.title) | \(page.date) | \(page.source ?? "-") | \(page.author ?? "-") | \(page.editor ?? "-") | "
                + "\(page.breadcrumb) | \(page.attachments.map(\.title)) | \(images) | \(body)"
        }
    }

    static func shown(_ file: URL) throws -> Shown? {
        let text = try String(contentsOf: file, encoding: .utf8)
        guard case .article(let page) = PageExtractor.extract(HTMLDocument.parse(text), rules: ImportRules()) else {
            return nil
        }
        return Shown(
            page: page, body: PageExtractor.oneLine(page.body.text),
            images: page.body.descendants.count { $0.name == "img" })
    }

    /// Where a redirect page sends the reader (`<meta http-equiv="refresh" content="0; url=…">`), percent-decoded.
    static func refreshTarget(_ file: URL) throws -> String? {
        let root = HTMLDocument.parse(try String(contentsOf: file, encoding: .utf8))
        guard
            let meta = root.descendants.first(where: { $0.attributes["http-equiv"]?.lowercased() == "refresh" }),
            let content = meta.attributes["content"], let start = content.range(of: "url=")
        else { return nil }
        let url = String(content[start.upperBound...])
        return url.removingPercentEncoding ?? url
    }

    @Test func theSampleSiteComesBackThroughItsOldURLs() throws {
        let old = try TestSite([:])
        try FileManager.default.copyItem(
            at: repositoryRoot.appendingPathComponent("content"), to: old.root.appendingPathComponent("content"))
        for (column, id) in Self.columns {
            let index = try old.read("content/\(column)/_index.md")
            try old.write(
                "---\nid: \(id)\npermalink: /art/:year/:i_month/:i_day/art_:column_id_:id.html\n"
                    + "pager: index_:page0.html\n" + index.dropFirst(4),
                to: "content/\(column)/_index.md")
        }
        let first = old.build()
        #expect(first.succeeded, "\(first.diagnostics)")

        let new = try TestSite(["content/_index.md": try old.read("content/_index.md")])
        let report = try SiteImporter(
            options: SiteImporter.Options(
                oldSite: old.root.appendingPathComponent("public"), content: new.root.appendingPathComponent("content"))
        ).run()
        #expect(report.failed == 0)
        let second = new.build()
        #expect(second.succeeded, "\(second.diagnostics)")

        var compared = 0
        for path in old.tree().keys.sorted() where path.hasPrefix("art/") {
            guard let before = try Self.shown(old.root.appendingPathComponent("public/" + path)) else { continue }
            compared += 1
            let target = try #require(
                try Self.refreshTarget(new.root.appendingPathComponent("public/" + path)), "\(path) redirects")
            let file = new.root.appendingPathComponent("public" + target + (target.hasSuffix("/") ? "index.html" : ""))
            let after = try #require(try Self.shown(file), "\(path) → \(target) is an article")
            #expect(after == before, "\(path)")
            #expect(try new.read("public/_redirects.nginx").contains("location = \"/\(path)\""))
        }
        // The old column pages lead to the new columns (the breadcrumbs' links became the columns' aliases).
        #expect(
            try Self.refreshTarget(new.root.appendingPathComponent("public/sanfuwu/shixian/index.html"))
                == "/三服务专题/市县动态/")
        #expect(try Self.refreshTarget(new.root.appendingPathComponent("public/zhengwu/index.html")) == "/政务公开/")
        // So do the old column's further list pages (`index_1.html`, the second page of 市县动态).
        #expect(
            try Self.refreshTarget(new.root.appendingPathComponent("public/sanfuwu/shixian/index_1.html"))
                == "/三服务专题/市县动态/")
        #expect(try new.read("public/_redirects.nginx").contains("location = \"/sanfuwu/shixian/index_1.html\""))
        #expect(compared == report.imported)
        #expect(compared == 12)

        // The old site's view counts come along keyed by old URL (`lanmu counter import`): the build lists each
        // article's aliases in counter-ids.txt.
        let imported = report.oldURLs.map {
            (oldURL: $0.oldURL, id: String($0.file.dropFirst("content/".count).dropLast(".md".count)))
        }
        let manifest = try ArticleManifest(path: new.root.appendingPathComponent("public/counter-ids.txt").path)
        let csv =
            "网址,浏览次数\n"
            + imported.enumerated().map { "https://www.example.gov.cn\($1.oldURL),\($0 + 100)\n" }.joined()
        let counts = CounterCSV.parse(csv, manifest: manifest)
        #expect(counts.problems.isEmpty, "\(counts.problems)")
        #expect(counts.rows.map(\.id) == imported.map(\.id))
        #expect(counts.rows.map(\.hits) == Array(100..<112))
    }

    /// An old URL in the manifest is found as written, whatever its ending, and percent-encoded too.
    @Test func theCounterFindsAnArticleByAnOldURLOfAnyEnding() throws {
        let folder = testScratch.appendingPathComponent("manifest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("counter-ids.txt")
        try Data("a\t/a/\na\t/old/index.shtml\na\t/旧/页.htm\nb\t/b/\n".utf8).write(to: file)
        let manifest = try ArticleManifest(path: file.path)
        #expect(manifest.id(forURL: "/old/index.shtml") == "a")
        #expect(manifest.id(forURL: "https://www.example.gov.cn/%E6%97%A7/%E9%A1%B5.htm") == "a")
        #expect(manifest.id(forURL: "/b/index.html") == "b")
        #expect(manifest.id(forURL: "/old/") == nil)
    }
}
