import Foundation
import Testing

@testable import LanmuCore

@Suite struct DiagnosticTests {
    @Test func rendersCompilerStyleWithAHint() {
        let diagnostic = Diagnostic(
            .invalidDate, at: .init(file: "content/a.md", line: 3, column: 7), "无法识别的日期", hint: "改成 2020-04-30")
        #expect(diagnostic.description == "content/a.md:3:7: 错误 E006: 无法识别的日期\n    提示: 改成 2020-04-30")
        #expect(diagnostic.severity == .error)
        let warning = Diagnostic(.unknownKey, at: .init(file: "a.md"), "未知字段", hint: "删掉")
        #expect(warning.description == "a.md:1:1: 警告 W001: 未知字段\n    提示: 删掉")
    }

    @Test func sortsByFileThenPosition() {
        let diagnostics = [
            Diagnostic(.invalidDate, at: .init(file: "b.md", line: 1), "", hint: ""),
            Diagnostic(.missingField, at: .init(file: "a.md", line: 9), "", hint: ""),
            Diagnostic(.invalidYAML, at: .init(file: "a.md", line: 2, column: 5), "", hint: ""),
        ]
        #expect(diagnostics.sortedForDisplay().map(\.location.line) == [2, 9, 1])
    }

    @Test(arguments: DiagnosticCode.allCases)
    func everyCodeIsTabulatedInTheReadme(code: DiagnosticCode) throws {
        let readme = try String(contentsOf: repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("| \(code.rawValue) | \(code.chineseSummary) | \(code.englishSummary) |"))
    }

    @Test func suggestionsPreferTranspositions() {
        #expect(EditDistance.closest(to: "tilte", among: ["site", "title"]) == "title")
        #expect(EditDistance.closest(to: "soruce", among: ArticleFrontMatter.keys) == "source")
        #expect(EditDistance.closest(to: "完全不同", among: ArticleFrontMatter.keys) == nil)
    }
}
