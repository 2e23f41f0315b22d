import Foundation
import Testing

@testable import LanmuCore

/// Long templates parsed in runs of lines (a workaround for swift-mustache's quadratic parser): the output is the
/// same as from the template parsed whole, and the time grows with the length, not its square.
@Suite struct TemplateChunksTests {
    /// The sample site with every template cut into runs of about 64 bytes (so far more cuts than a real template
    /// gets) builds byte for byte what it builds with no template cut.
    @Test func theSampleSiteIsTheSameWithTemplatesCutSmall() {
        var options = BuildOptions(siteRoot: repositoryRoot)
        options.templateChunkBytes = Int.max
        let whole = fullBuild(options)
        options.templateChunkBytes = 64
        let cut = fullBuild(options)
        #expect(whole.count > 20)
        #expect(whole.keys.sorted() == cut.keys.sorted())
        for (path, bytes) in whole where cut[path] != bytes { Issue.record("\(path) differs when cut") }
    }

    nonisolated(unsafe) static let context: [String: Any] = [
        "site": ["name": "测试站 <&>", "title": "标题"],
        "page": ["title": "页", "is_home": true, "is_list": false],
        "nav": [["title": "一", "url": "/a/"], ["title": "二", "url": "/b/"], ["title": "三", "url": "/c/"]],
    ]

    /// Shapes where a cut could change the output: standalone tags at a run's edges, CRLF, no newline at the end,
    /// indented partials, sections (not cut inside), blocks and parents, comments over several lines, triple braces.
    @Test(arguments: [
        "a\n{{#page.is_home}}\nb {{site.name}}\n{{/page.is_home}}\n  {{^page.is_list}}\nc\n  {{/page.is_list}}\nd\n",
        "x\r\n{{#nav}}\r\n<li>{{title}}</li>\r\n{{/nav}}\r\n{{site.name}}\r\n",
        "{{site.name}}\n{{{site.name}}}\n{{&site.name}} {{! a\ncomment }}\nend",
        "<ul>\n  {{> partials/item}}\n</ul>\n{{#nav}}{{> partials/item}}{{/nav}}\n",
        "{{<frame}}\n{{$body}}\nline {{site.title}}\n  indented\n{{/body}}\n{{/frame}}\n",
        "{{<frame}}\n{{$body}}\n  first indented\n  second\n{{/body}}\n{{/frame}}\n",
        "{{$body}}\ndefault {{site.title}}\n\n{{/body}}\ntail\n",
        "\n\n{{! only a comment }}\n\n{{site.title}}",
    ])
    func aTemplateRendersTheSameCutOrWhole(body: String) throws {
        let text = String(repeating: body, count: 8)
        let sources = [
            "home": text, "list": "x", "article": "y", "partials/item": "<li>{{page.title}}</li>\n  <i>x</i>\n",
            "frame": "<main>\n{{$body}}默认{{/body}}\n</main>\n",
        ]
        let whole = try #require(TemplateLibrary.make(sources: sources, display: { $0 }, chunkBytes: Int.max).0)
        // Every shape is cut but a parent's block whose first line is indented, which is parsed whole.
        #expect((TemplateChunks.split(text, name: "home", chunkBytes: 1) == nil) == body.contains("  first indented"))
        for size in [1, 8, 40] {
            let cut = try #require(TemplateLibrary.make(sources: sources, display: { $0 }, chunkBytes: size).0)
            #expect(
                cut.renderDirectly(Self.context, withTemplate: "home")
                    == whole.renderDirectly(Self.context, withTemplate: "home"), "runs of \(size)")
        }
    }

    /// What is cut: runs of whole lines outside sections, nothing in a template that changes its delimiters.
    @Test func runsAreWholeLinesOutsideSections() throws {
        let text = "a\nb\n{{#x}}\nc\nd\n{{/x}}\ne\nf"
        let split = try #require(TemplateChunks.split(text, name: "home", chunkBytes: 1))
        #expect(split.parts.map(\.text) == ["a\n", "b\n", "{{#x}}\nc\nd\n{{/x}}\n", "e\n", "f"])
        #expect(
            split.main
                == "{{>(lanmu)/home/0}}\n{{>(lanmu)/home/1}}\n{{>(lanmu)/home/2}}\n{{>(lanmu)/home/3}}\n{{>(lanmu)/home/4}}"
        )
        #expect(
            TemplateChunks.split("{{=<% %>=}}\n" + String(repeating: "a\n", count: 50), name: "h", chunkBytes: 1) == nil
        )
    }

    /// 400 KB of tags took 29 s to parse (release build); now about as long as the text takes to read.
    @Test func aLongTemplateParsesInLinearTime() throws {
        let text = (0..<16_000).map { "<p>{{site.title}} \($0)</p>\n" }.joined()
        #expect(text.utf8.count > 400_000)
        let started = Date()
        let made = TemplateLibrary.make(sources: ["home": text, "list": "x", "article": "y"]) { $0 }
        #expect(made.0 != nil, "\(made.1)")
        #expect(Date().timeIntervalSince(started) < 5, "\(Date().timeIntervalSince(started)) s")
    }
}
