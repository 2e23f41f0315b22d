import Foundation
import Testing

@testable import LanmuCore

/// A page kind declares its data once, on a `TemplateDataSink`; the dictionaries swift-mustache renders and the
/// skeletons' shapes and strings both come from that declaration.
@Suite struct TemplateDataTests {
    /// A small page kind of its own, declared as `PageContexts` declares the real ones; `withSummary` is the one-line
    /// edit that adds a template variable.
    struct NoticePage {
        let title: String
        let url: String
        let summary: String
        let withSummary: Bool

        func write<Sink: TemplateDataSink>(into sink: inout Sink) {
            sink.objects(.articles, [1, 2]) { entry, number in
                entry.number(.number, number)
                entry.text(.title, "\(title)之\(number)")
            }
            sink.flag(.pinned, true)
            if withSummary { sink.text(.summary, summary) }  // the added variable
            sink.text(.title, title)
            sink.text(.url, url)
        }

        func dictionary(used: Set<String>?) -> [String: Any] {
            TemplateDictionary.make(used: used) { write(into: &$0) }
        }
    }

    static let template = """
        <h1>{{title}}</h1>{{#pinned}}<b>置顶</b>{{/pinned}}
        <p>{{summary}}</p>
        {{#articles}}<a href="{{url}}#{{number}}">{{title}}</a>
        {{/articles}}
        """

    func library(skeletons: Bool) throws -> TemplateLibrary {
        let sources = ["home": Self.template, "list": "{{title}}", "article": "{{title}}"]
        let made = try #require(TemplateLibrary.make(sources: sources) { $0 }.0)
        return skeletons ? made : TemplateLibrary(library: made.library, names: made.names, skeletons: nil)
    }

    func render(_ page: NoticePage, with library: TemplateLibrary) -> String {
        let used = library.skeletons?.used
        return library.render(withTemplate: "home", context: { page.dictionary(used: used) }) {
            page.write(into: &$0)
        }
    }

    /// Adding a variable is one line in the declaration: the new value is in the dictionary, in the skeleton's
    /// strings, and on the page, the same whether the page is rendered by skeleton or directly.
    @Test func aVariableAddedToTheDeclarationReachesEveryForm() throws {
        let fast = try library(skeletons: true)
        let direct = try library(skeletons: false)
        let before = NoticePage(title: "通知 & 公告", url: "/tzgg/", summary: "新增的摘要 <b>", withSummary: false)
        let after = NoticePage(title: before.title, url: before.url, summary: before.summary, withSummary: true)

        #expect(before.dictionary(used: nil)["summary"] == nil)
        #expect(after.dictionary(used: nil)["summary"] as? String == "新增的摘要 <b>")
        var writer = PageSkeletons.Writer(shape: [], used: nil)
        writer.page { after.write(into: &$0) }
        #expect(writer.leaves.contains("新增的摘要 <b>"))
        let flattened = try #require(PageSkeletons.flattened(after.dictionary(used: nil), used: nil))
        #expect(writer.shape == flattened.shape && writer.leaves == flattened.leaves)

        for _ in 0..<2 {  // the first page of a shape makes its skeleton, the second is filled from it
            #expect(render(before, with: fast) == render(before, with: direct))
            #expect(render(after, with: fast) == render(after, with: direct))
        }
        let page = render(after, with: fast)
        #expect(page.contains("<p>新增的摘要 &lt;b&gt;</p>"))
        #expect(page.contains(#"<a href="/tzgg/#2">通知 &amp; 公告之2</a>"#))
        #expect(render(before, with: fast).contains("<p></p>"))
    }

    /// Keys no template uses are neither put in the dictionaries nor in the shapes, and their values are not worked
    /// out at all.
    @Test func keysNoTemplateUsesAreLeftOutAndNotWorkedOut() {
        var worked = 0
        func counted(_ text: String) -> String {
            worked += 1
            return text
        }
        let used: Set<String> = ["title"]
        var dictionary = TemplateDictionary(used: used)
        dictionary.text(.title, counted("标题"))
        dictionary.text(.summary, counted("摘要"))
        #expect(dictionary.value.keys.sorted() == ["title"])
        var writer = PageSkeletons.Writer(shape: [], used: used)
        writer.page {
            $0.text(.summary, counted("摘要"))
            $0.text(.title, counted("标题"))
        }
        #expect(writer.leaves == ["标题"])
        #expect(worked == 2, "only the used key's value was made, once per form")
    }

    /// Every name templates can use is documented in the README's 模板变量 section.
    @Test func everyTemplateVariableIsDocumentedInTheReadme() throws {
        let readme = try String(contentsOf: repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let start = try #require(readme.range(of: "### 模板变量"))
        let section = readme[start.upperBound...]
        let text = section[..<(section.range(of: "\n## ")?.lowerBound ?? section.endIndex)]
        let undocumented = TemplateKey.allCases.map(\.rawValue).filter {
            !text.contains("`\($0)`") && !text.contains(".\($0)`") && !text.contains("`\($0).")
        }
        #expect(undocumented.isEmpty, "not in README's 模板变量: \(undocumented)")
    }
}
