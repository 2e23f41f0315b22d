import Foundation
import Testing

@testable import LanmuCore

@Suite struct ArticleFrontMatterTests {
    let settings = SiteSettings()

    func read(_ yaml: String) -> (ArticleFrontMatter?, [String]) {
        let document = SplitDocument(yaml: yaml, yamlFirstLine: 2, body: "", bodyFirstLine: 3)
        switch FrontMatterFields.parse(document, file: "a.md") {
        case .failure(let diagnostic): return (nil, [diagnostic.description])
        case .success(var fields):
            let frontMatter = ArticleFrontMatter.read(&fields, settings: settings, file: "a.md")
            return (frontMatter, fields.diagnostics.map(\.description))
        }
    }

    @Test(arguments: ["2024", "no", "yes", "3.14", "null 值", "~ 波浪", "'单引号'", "\"双引号\""])
    func titlesStayTheTextTyped(title: String) {
        let (frontMatter, diagnostics) = read("title: \(title)\ndate: 2020-04-30")
        let expected = title.hasPrefix("'") || title.hasPrefix("\"") ? String(title.dropFirst().dropLast()) : title
        #expect(frontMatter?.title == expected)
        #expect(diagnostics.isEmpty)
    }

    @Test func readsEveryField() {
        let (frontMatter, diagnostics) = read(
            """
            title: 交流面对面
            date: 2020-04-30 09:17
            source: 省退役军人事务厅
            author: 王明
            editor: 李华
            summary: 摘要
            tags: [三服务, 走访]
            slug: jiaoliu
            draft: false
            pinned: 是
            """)
        #expect(diagnostics.isEmpty)
        #expect(frontMatter?.source == "省退役军人事务厅")
        #expect(frontMatter?.author == "王明")
        #expect(frontMatter?.editor == "李华")
        #expect(frontMatter?.tags == ["三服务", "走访"])
        #expect(frontMatter?.slug == "jiaoliu")
        #expect(frontMatter?.slugLocation == .init(file: "a.md", line: 9, column: 7))
        #expect(frontMatter?.pinned == true)
        #expect(frontMatter?.draft == false)
    }

    @Test func unknownKeysWarnWithASuggestion() {
        let (_, diagnostics) = read("title: a\ndate: 2020-04-30\nsoruce: 某局\n来源: 某局")
        #expect(
            diagnostics == [
                """
                a.md:4:1: 警告 W001: 未知字段“soruce”，它会被忽略
                    提示: 是否想写 source？
                """,
                """
                a.md:5:1: 警告 W001: 未知字段“来源”，它会被忽略
                    提示: 是否想写 source？
                """,
            ])
    }

    @Test func missingTitleAndDateAreBothReported() {
        let (frontMatter, diagnostics) = read("source: 某局")
        #expect(frontMatter == nil)
        #expect(
            diagnostics == [
                """
                a.md:2:1: 错误 E005: 文章缺少 title（标题）
                    提示: 在 front matter 里加一行，例如 title: 交流面对面，服务心连心
                """,
                """
                a.md:2:1: 错误 E005: 文章缺少 date（发布日期）
                    提示: 在 front matter 里加一行，例如 date: 2020-04-30 09:17
                """,
            ])
    }

    @Test func unrecognisedDateListsTheForms() {
        let (_, diagnostics) = read("title: a\ndate: 2020年4月30日")
        #expect(
            diagnostics == [
                """
                a.md:3:7: 错误 E006: 无法识别的日期“2020年4月30日”
                    提示: 可以写成：2020-04-30、2020-04-30 09:17、2020-04-30 09:17:05、2020-04-30T09:17:05+08:00（不写时区时按 Asia/Shanghai 时间）
                """
            ])
    }

    @Test func wrongTypesAreReportedAtTheValue() {
        let (_, diagnostics) = read("title:\n  - a\n  - b\ndate: 2020-04-30\ndraft: 也许")
        #expect(
            diagnostics == [
                """
                a.md:3:3: 错误 E007: 字段 title 应该是一段文字，这里却是一个列表
                    提示: 写在同一行，例如 title: 标题；文字里有冒号时用引号括起来
                """,
                """
                a.md:6:8: 错误 E007: 字段 draft 应该是true 或 false，这里却是“也许”
                    提示: 写 true（是）或 false（否），例如 draft: true
                """,
                """
                a.md:2:1: 错误 E005: 文章缺少 title（标题）
                    提示: 在 front matter 里加一行，例如 title: 交流面对面，服务心连心
                """,
            ])
    }

    @Test func yamlErrorsPointAtTheFileLine() {
        let (_, diagnostics) = read("title: 回应: 三点\ndate: 2020-04-30")
        #expect(
            diagnostics == [
                """
                a.md:2:10: 错误 E004: 这一行的值里有冒号“: ”，YAML 把它当成了新的字段
                    提示: 把整个值用引号括起来，例如 title: "回应: 三点"，或改用中文冒号“：”
                """
            ])
    }

    @Test func duplicateKeysAreReported() {
        let (_, diagnostics) = read("title: a\ndate: 2020-04-30\ntitle: b")
        #expect(
            diagnostics == [
                """
                a.md:2:1: 错误 E017: 字段 title 写了不止一次
                    提示: 每个字段只写一次：删除多余的那一行
                """
            ])
    }

    @Test func aListIsNotAFrontMatter() {
        let (_, diagnostics) = read("- title\n- date")
        #expect(
            diagnostics == [
                """
                a.md:2:1: 错误 E018: front matter 应该是一行一个“字段: 值”，这里却是一个列表
                    提示: 按“字段: 值”的形式书写，例如 title: 标题（冒号后面要有一个空格）
                """
            ])
    }
}
