import Testing

@testable import LanmuCore

@Suite struct FrontMatterSplitterTests {
    @Test func splitsAndKeepsLineNumbers() throws {
        let split = try FrontMatterSplitter.split("---\ntitle: 标题\ndate: 2020-04-30\n---\n\n正文\n", file: "a.md").get()
        #expect(
            split
                == SplitDocument(
                    yaml: "title: 标题\ndate: 2020-04-30", yamlFirstLine: 2, body: "\n正文\n", bodyFirstLine: 5))
    }

    @Test func acceptsTrailingSpacesOnFencesAndAnEmptyBody() throws {
        let split = try FrontMatterSplitter.split("---  \ntitle: a\n---", file: "a.md").get()
        #expect(split.yaml == "title: a")
        #expect(split.body == "")
    }

    @Test func reportsMissingFrontMatter() {
        let result = FrontMatterSplitter.split("# 标题\n", file: "content/a.md")
        #expect(
            result.failure?.description == """
                content/a.md:1:1: 错误 E002: 文件没有以 --- 开头的 front matter
                    提示: 在文件第一行写 ---，接着写 title: 标题 和 date: 2020-04-30 09:17 等字段，再用一行 --- 结束
                """)
    }

    @Test func explainsTOMLFences() {
        let result = FrontMatterSplitter.split("+++\ntitle = \"a\"\n+++\n", file: "a.md")
        #expect(result.failure?.hint == "Lanmu 只接受 YAML 格式的 front matter：把首尾的 +++ 换成 ---，并把 “键 = 值” 改成 “键: 值”")
    }

    @Test func reportsUnterminatedFrontMatter() {
        let result = FrontMatterSplitter.split("---\ntitle: a\n\n正文\n", file: "a.md")
        #expect(
            result.failure?.description == """
                a.md:1:1: 错误 E003: front matter 从第 1 行的 --- 开始，但没有结束的 ---
                    提示: 是否忘记了结尾的 ---？在最后一个字段（例如 date: …）的下一行单独写一行 ---，正文写在它的后面
                """)
    }
}
