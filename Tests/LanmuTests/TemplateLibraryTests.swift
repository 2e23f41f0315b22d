import Foundation
import Testing

@testable import LanmuCore

@Suite struct TemplateLibraryTests {
    static let minimal = ["home": "{{site.name}}", "list": "{{section.title}}", "article": "{{article.title}}"]

    func make(_ sources: [String: String]) -> [String] {
        TemplateLibrary.make(sources: Self.minimal.merging(sources) { $1 }) { "templates/\($0).mustache" }.1.map(
            \.description)
    }

    @Test func syntaxErrorsCarryTheTemplateLine() {
        #expect(
            make(["article": "<h1>{{article.title}}</h1>\n{{#prev}}\n<a>{{title}}</a>\n"]) == [
                """
                templates/article.mustache:4:1: 错误 E009: {{#…}} 或 {{^…}} 开始的段落没有对应的 {{/…}}
                    提示: 对照 README 里的“模板”一节检查这一处的 {{ }} 标签
                """
            ])
    }

    @Test func missingPartialsAndParentsAreErrors() {
        #expect(
            make([
                "list": "{{<bsae}}{{/bsae}}", "base": "x", "partials/header": "h",
                "article": "a\n  {{> partials/haeder}}",
            ]) == [
                """
                templates/article.mustache:2:3: 错误 E010: 局部模板“partials/haeder”不存在
                    提示: 是否想写 partials/header？
                """,
                """
                templates/list.mustache:1:1: 错误 E010: 父模板“bsae”不存在
                    提示: 是否想写 base？
                """,
            ])
    }

    @Test func unknownVariablesAreErrorsWithASuggestion() {
        #expect(
            make(["article": "<p>{{article.tilte}}</p>\n{{#artcles}}{{.}}{{/artcles}}"]) == [
                """
                templates/article.mustache:1:4: 错误 E011: 模板变量“tilte”不存在，它会显示为空
                    提示: 是否想写 title？README 的“模板变量”一节列出了所有变量
                """,
                """
                templates/article.mustache:2:1: 错误 E011: 模板变量“artcles”不存在，它会显示为空
                    提示: 是否想写 articles？README 的“模板变量”一节列出了所有变量
                """,
            ])
    }

    @Test func requiredTemplatesMustExist() {
        let diagnostics = TemplateLibrary.make(sources: ["home": "x"]) { "templates/\($0).mustache" }.1
        #expect(diagnostics.map(\.location.file) == ["templates/list.mustache", "templates/article.mustache"])
        #expect(diagnostics.allSatisfy { $0.code == .missingTemplate })
    }

    @Test func theDefaultThemeIsClean() throws {
        let site = try TestSite([:])
        let report = Generator(options: site.options).check(now: testNow)
        #expect(report.diagnostics.allSatisfy { $0.location.file.hasPrefix("templates") == false })
    }

    @Test func scannerFollowsDelimiterChanges() {
        let tags = TemplateScanner.tags(in: "{{a}}{{=<% %>=}}\n<%b%> {{c}} <%{d%>}<%={{ }}=%>{{e}}")
        #expect(tags.map(\.name) == ["a", "b", "d", "e"])
        #expect(tags.map(\.line) == [1, 2, 2, 2])
    }

    /// One error per cycle, named from its first template, wherever the search enters it.
    @Test func cyclesAreReportedOnceEach() {
        #expect(
            make([
                "partials/z": "{{> partials/y}}", "partials/y": "{{> partials/x}}", "partials/x": "\n{{> partials/z}}",
                "home": "{{> partials/y}}{{> partials/x}}",
            ]) == [
                """
                templates/partials/x.mustache:2:1: 错误 E021: 模板循环包含自己：partials/x → partials/z → partials/y → partials/x
                    提示: 渲染时会一层层无限展开下去；去掉这一处的 {{> …}} 或 {{< …}}，让包含关系不再绕回这个模板
                """
            ])
    }

    /// A partial included many times over, without a cycle, is fine.
    @Test func sharedPartialsAreNotCycles() {
        #expect(
            make([
                "partials/a": "{{> partials/c}}{{> partials/c}}", "partials/b": "{{> partials/c}}", "partials/c": "c",
                "home": "{{> partials/a}}{{> partials/b}}{{> partials/a}}",
            ]) == [])
    }

    @Test func nestingUpToTheLimitIsFine() {
        let limit = TemplateScanner.nestingLimit
        let nested = String(repeating: "{{#page}}", count: limit) + String(repeating: "{{/page}}", count: limit)
        #expect(make(["home": nested]) == [])
        #expect(make(["home": "{{#page}}" + nested + "{{/page}}"]).count == 1)
    }

    /// Partials nested in sections and including each other in a chain count together: three of 40 levels each
    /// (and one for each inclusion) pass the limit where the chain starts.
    @Test func nestingCountsThroughInclusions() {
        func partial(including next: String) -> String {
            String(repeating: "{{#page}}", count: 40) + "{{> \(next)}}" + String(repeating: "{{/page}}", count: 40)
        }
        #expect(
            make([
                "partials/p0": partial(including: "partials/p1"), "partials/p1": partial(including: "partials/p2"),
                "partials/p2": partial(including: "partials/p3"), "partials/p3": "{{page.title}}",
            ]) == [
                """
                templates/partials/p0.mustache:1:361: 错误 E022: 包含“partials/p1”后，{{#…}}、{{^…}}、{{<…}}、{{$…}} 和包含的模板一共套了 123 层，超过 100 层
                    提示: 缩短局部模板一层包含一层的链条，或减少嵌套；模板最多套 100 层，包含的模板也算在内
                """
            ])
        #expect(
            make(["partials/p0": partial(including: "partials/p1"), "partials/p1": partial(including: "home")]) == [])
    }

    @Test func scannerFindsTagsAcrossLines() {
        let tags = TemplateScanner.tags(in: "a\n {{#x}}{{{y.z}}}\n{{&w}}{{! note }}{{/x}}")
        #expect(tags.map(\.name) == ["x", "y.z", "w", "note", "x"])
        #expect(tags.map(\.line) == [2, 2, 3, 3, 3])
        #expect(tags.map(\.column) == [2, 8, 1, 7, 18])
        #expect(TemplateScanner.dataNames(of: tags[1]) == ["y", "z"])
    }
}
