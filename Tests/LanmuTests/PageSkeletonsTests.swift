import Foundation
import Testing

@testable import LanmuCore

/// Pages rendered by skeleton are byte for byte what swift-mustache renders page by page.
@Suite struct PageSkeletonsTests {
    /// Every page of a site, rendered both ways.
    func expectSkeletonsMatch(_ options: BuildOptions, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let loaded = try #require(Generator(options: options).load(now: testNow).0, sourceLocation: sourceLocation)
        #expect(loaded.templates.skeletons != nil, "the default templates are rendered by skeleton")
        let direct = TemplateLibrary(library: loaded.templates.library, names: loaded.templates.names, skeletons: nil)
        let fast = SiteRenderer(site: loaded.site, templates: loaded.templates)
        let slow = SiteRenderer(site: loaded.site, templates: direct)
        var pages = 0
        for (path, job) in fast.jobs(copies: []) where job.isPage {
            // Twice: the first page of a shape makes its skeleton, the second is filled from the cache.
            for _ in 0..<2 {
                #expect(try fast.render(job) == slow.render(job), "\(path)", sourceLocation: sourceLocation)
            }
            pages += 1
        }
        #expect(pages > 3, sourceLocation: sourceLocation)
    }

    @Test func theSampleSiteRendersTheSameBothWays() throws {
        try expectSkeletonsMatch(BuildOptions(siteRoot: repositoryRoot))
    }

    /// The site, navigation, sections and breadcrumbs are baked into the skeletons (one set of skeletons per section)
    /// until a library has `bakedCapacity` such skeletons; past that, pages hold those parts as strings and share
    /// skeletons across sections again. Two columns of one topic, alike but for their text, render the same at every
    /// limit.
    @Test func pastTheBakedLimitSharedPartsAreStrings() throws {
        var files = TestSite.column(articles: 3)
        files["content/sanfuwu/qita/_index.md"] = TestSite.section("其他 & 杂项")
        for day in 1...3 {
            files["content/sanfuwu/qita/b\(day).md"] = TestSite.article("其他\(day)", date: "2025-02-0\(day) 10:00")
        }
        let site = try TestSite(files)
        let loaded = try #require(Generator(options: site.options).load(now: testNow).0)
        let used = try #require(loaded.templates.skeletons).used
        let direct = TemplateLibrary(library: loaded.templates.library, names: loaded.templates.names, skeletons: nil)
        let slow = SiteRenderer(site: loaded.site, templates: direct)
        var counts: [Int: (shapes: Int, baked: Int)] = [:]
        for capacity in [0, 2, 2_000] {
            let skeletons = PageSkeletons(used: used, bakedCapacity: capacity)
            let templates = TemplateLibrary(
                library: loaded.templates.library, names: loaded.templates.names, skeletons: skeletons)
            let fast = SiteRenderer(site: loaded.site, templates: templates)
            for _ in 0..<2 {
                for (path, job) in fast.jobs(copies: []) where job.isPage {
                    #expect(try fast.render(job) == slow.render(job), "\(path) \(capacity)")
                }
            }
            counts[capacity] = (skeletons.shapeCount, skeletons.bakedShapeCount)
        }
        let none = try #require(counts[0]), two = try #require(counts[2]), all = try #require(counts[2_000])
        #expect(none.baked == 0)
        #expect(two.baked == 2)
        #expect(all.baked == all.shapes, "every page holds the site and the navigation")
        #expect(all.shapes > none.shapes, "each column has skeletons of its own when baked")
    }

    /// A shared part made to be baked is numbered by its content: the same site and navigation made again (a
    /// preview's rebuild) find the skeletons made before; different text is a different number.
    @Test func bakedPartsAreNumberedByTheirContent() {
        let site: [String: Any] = ["name": "某市人民政府", "url": "/"]
        let first = SharedContext(site, used: nil, bakes: true)
        let again = SharedContext(site, used: nil, bakes: true)
        let other = SharedContext(["name": "某县人民政府", "url": "/"], used: nil, bakes: true)
        let shape = SharedContext(["name": "某市人民政府", "url": "/", "flag": true], used: nil, bakes: true)
        #expect(first.serial != nil)
        #expect(first.serial == again.serial)
        #expect(first.serial != other.serial)
        #expect(first.serial != shape.serial)
        #expect(SharedContext(site, used: nil).serial == nil, "list entries are not baked")
        #expect(SharedContext(["when": Date()], used: nil, bakes: true).serial == nil, "not in a skeleton at all")
    }

    /// Text that escapes, text that ends a line (in an indented partial), empty text, combining marks after the
    /// characters HTML escapes, and both sides of every section.
    @Test func awkwardTextRendersTheSameBothWays() throws {
        var files = TestSite.column(articles: 0, paginate: 2)
        let titles = [
            "A & B <script>alert('x')</script> \"引号\"", "&\u{301}<\u{338} 组合字符", "多行", "普通标题", "'",
        ]
        for (index, title) in titles.enumerated() {
            let quoted = title.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            var extra = index % 2 == 0 ? "author: 王 & 李\n" : "editor: \"\"\nsource: \"\"\n"
            if index == 2 { extra += "summary: |\n  第一行\n  第二行\n" }
            if index == 3 { extra += "summary: \"结尾是回车换行\\r\\n\"\ntags: [a, \"<b>\"]\n" }
            files["content/sanfuwu/shixian/a\(index).md"] = TestSite.article(
                "\"\(quoted)\"", date: "2025-03-0\(index + 1) 09:00", extra: extra)
        }
        let site = try TestSite(files)
        // An indented partial: swift-mustache indents each token that starts a line, so text ending in a line break
        // changes where indentation goes.
        try site.write(
            "{{<base}}{{$content}}\n<ul>\n    {{> partials/item}}\n</ul>\n{{/content}}{{/base}}\n",
            to: "templates/article.mustache")
        try site.write(
            "<li>{{page.description}}\n{{article.summary}}\n{{#article.tags}}{{name}}{{/article.tags}}{{article.editor}}</li>\n",
            to: "templates/partials/item.mustache")
        try expectSkeletonsMatch(site.options)
    }

    /// A long template whose baked strings (site, section, breadcrumb) stand side by side with text and the page's
    /// own strings: the skeleton gathers the runs of text and baked strings and joins each once, and pages come out
    /// as swift-mustache renders them.
    @Test func aLongTemplateWithManyBakedTagsRendersTheSameBothWays() throws {
        let site = try TestSite(TestSite.column(articles: 3))
        let line =
            "<p>{{site.title}}{{section.title}} 与 {{#breadcrumb}}{{title}}/{{/breadcrumb}}{{article.title}}</p>\n"
        try site.write(
            "{{<base}}{{$content}}\n" + String(repeating: line, count: 2_000) + "{{/content}}{{/base}}\n",
            to: "templates/article.mustache")
        try expectSkeletonsMatch(site.options)
    }

    /// Articles that differ only in data no template names (the default templates show no tags) share a skeleton;
    /// once a template lists the tags, their number is part of the shape again. Output equal both ways either time.
    @Test(arguments: [false, true]) func keysNoTemplateNamesAreNotPartOfTheShape(templateShowsTags: Bool) throws {
        var files = TestSite.column(articles: 0)
        // Five articles in one column: the first and last differ from the middle three in 上一篇/下一篇.
        for (index, tags) in ["", "tags: [甲]\n", "tags: [甲, 乙]\n", "tags: [甲, 乙, 丙]\n", ""].enumerated() {
            files["content/sanfuwu/shixian/a\(index).md"] = TestSite.article(
                "文章\(index)", date: "2025-03-0\(index + 1) 09:00", extra: tags)
        }
        let site = try TestSite(files)
        if templateShowsTags {
            let article = try String(
                contentsOf: site.root.appendingPathComponent("templates/article.mustache"), encoding: .utf8)
            try site.write(
                article.replacingOccurrences(
                    of: "{{{article.content}}}",
                    with: "{{{article.content}}}{{#article.tags}}<i>{{name}}</i>{{/article.tags}}"),
                to: "templates/article.mustache")
        }
        try expectSkeletonsMatch(site.options)
        let loaded = try #require(Generator(options: site.options).load(now: testNow).0)
        let skeletons = try #require(loaded.templates.skeletons)
        #expect(skeletons.used?.contains("tags") == templateShowsTags)
        let renderer = SiteRenderer(site: loaded.site, templates: loaded.templates)
        for (_, job) in renderer.jobs(copies: []) where job.isArticle { _ = try renderer.render(job) }
        #expect(skeletons.shapeCount == (templateShowsTags ? 5 : 3))
    }

    @Test func aTemplateShowingTheCurrentValueKeepsEveryKey() throws {
        let site = try TestSite(TestSite.column(articles: 2))
        try site.write("{{#article.tags}}{{.}}{{/article.tags}}", to: "templates/partials/extra.mustache")
        let loaded = try #require(Generator(options: site.options).load(now: testNow).0)
        #expect(try #require(loaded.templates.skeletons).used == nil)
    }

    @Test(arguments: [
        "{{uppercased(site.name)}}", "{{> *page.kind}}", "{{=<% %>=}}<% site.name %>", "{{% CONTENT_TYPE: TEXT}}",
        "\u{E000}",
    ])
    func templatesThatLookIntoTextAreRenderedDirectly(template: String) {
        #expect(!PageSkeletons.canRender(sources: ["home": template, "list": "x", "article": "y"]))
        #expect(PageSkeletons.canRender(sources: ["home": "{{site.name}}", "list": "x", "article": "y"]))
    }

    /// Templates escape by scalar on both paths: `"` followed by a combining mark is still a quote to a browser, so
    /// left as it is it would end an attribute early (`content="{{page.description}}"`).
    @Test(arguments: [
        ("", ""), ("plain 中文", "plain 中文"), ("<&>\"'", "&lt;&amp;&gt;&quot;&#39;"), ("&\u{301}", "&amp;\u{301}"),
        ("a<\u{338}b", "a&lt;\u{338}b"),
        ("\"\u{301} onmouseover=alert(1) x=\"", "&quot;\u{301} onmouseover=alert(1) x=&quot;"),
        ("'\u{301}>\u{20DD}", "&#39;\u{301}&gt;\u{20DD}"), ("\r\n", "\r\n"), ("🇨🇳 & 👨‍👩‍👧", "🇨🇳 &amp; 👨‍👩‍👧"),
    ])
    func templatesEscapeByScalar(text: String, escaped: String) throws {
        let sources = [
            "home": "<meta content=\"{{site.name}}\">", "list": "<meta content=\"{{lowercased(site.name)}}\">",
            "article": "{{{site.name}}}",
        ]
        let templates = try #require(TemplateLibrary.make(sources: sources) { $0 }.0)
        let context: [String: Any] = ["site": ["name": text]]
        let expected = "<meta content=\"\(escaped)\">"
        // Twice by skeleton (the second from the cache), once directly, once through a template with a transform.
        for output in [
            templates.render(context, withTemplate: "home"), templates.render(context, withTemplate: "home"),
            templates.renderDirectly(context, withTemplate: "home"), templates.render(context, withTemplate: "list"),
        ] {
            #expect(output.unicodeScalars.elementsEqual(expected.unicodeScalars), "\(output.debugDescription)")
        }
        #expect(templates.render(context, withTemplate: "article") == text, "triple braces stay raw")
    }
}

/// Feeds and the site map escape by scalar: XML parsers read code points, so `&` followed by a combining mark is
/// still an ampersand to them.
@Suite struct XMLEscapingTests {
    @Test(arguments: [
        ("A & B", "A &amp; B"), ("&\u{301}x", "&amp;\u{301}x"),
        ("\"\u{301}'<\u{338}>", "&quot;\u{301}&apos;&lt;\u{338}&gt;"),
        ("中文", "中文"),
    ])
    func specialCharactersAreEscapedEvenWithAMarkAfterThem(text: String, escaped: String) {
        #expect(XMLDocuments.escape(text).unicodeScalars.elementsEqual(escaped.unicodeScalars))
    }
}
