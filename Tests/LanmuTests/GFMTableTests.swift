import Foundation
import Testing

@testable import LanmuCore

/// GitHub's pipe tables, added over cmark's output: for table blocks the wrapper's HTML equals `cmark-gfm -e table`,
/// also where a table ends before cmark's paragraph does.
@Suite struct GFMTableTests {
    /// The wrapper as cmark renders: no heading ids, destinations as written.
    let asCmark = MarkdownRenderer(options: .init(headingIDs: false))

    /// The `cmark-gfm` command, when installed (CI installs it).
    static let cmarkGFM = ["/usr/bin/cmark-gfm", "/usr/local/bin/cmark-gfm"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    static let tables = [
        "| 项目 | 数量 |\n| --- | --- |\n| 上门体检 | 12 |\n| 走访慰问 | 80 |\n",
        "| 左 | 中 | 右 |\n| :-- | :-: | --: |\n| 中 | **粗体** |\n| 1 | 2 | 3 | 4 |\n",
        "| a | b \\| c | `d\\|e` |\n| --- | --- | --- |\n| [链接](https://example.com) | *强调* | \\\\|\n",
        "说明如下：\n| 项目 | 数量 |\n| --- | --- |\n| 体检 | 12 |\n\n后文。\n",
        "a | b\n--|--\nc | d\n",
        "| 只有表头 |\n| --- |\n",
        "> | a | b |\n> | - | - |\n> | 1 | 2 |\n",
        "- | a | b |\n  | - | - |\n  | 1 | 2 |\n",
        "| # 标题 | > 引用 | - 项 | 1. 一 |\n| --- | --- | --- | --- |\n| <b>x</b> | ![图](/a.png) | = | |\n",
        "| [ref] | 2 |\n| --- | --- |\n\n[ref]: /url \"t\"\n",
        "| a | b |\n| --- |\n| 1 | 2 |\n",
        "第一行\n第二行 | 列\n| --- | --- |\n| 甲 | 乙 |\n",
        "| a | b |\r\n| - | - |\r\n| 1 | 2 |\r\n",
    ]

    @Test(.enabled(if: cmarkGFM != nil, "the cmark-gfm command is not installed"), arguments: tables)
    func tablesEqualTheCmarkGFMCommand(markdown: String) throws {
        #expect(asCmark.render(markdown, directory: nil).html == (try Self.runCmarkGFM(markdown)))
    }

    /// Lines cmark keeps in the paragraph but `cmark-gfm` not in the table: lazy continuation lines (without the
    /// quote's `>`, or short of the list item's indent) and lines indented by four columns (spaces or a tab), as a
    /// delimiter row (then no table) or as a body row (the table ends there; the lines after are read anew, also when
    /// they hold another table that ends early).
    static let tableEnds = [
        "> | a | b |\n> | - | - |\n> | 1 | 2 |\n| 3 | 4 |\n| 5 | 6 |\n",
        "> | a | b |\n| - | - |\n> | 1 | 2 |\n",
        "| a | b |\n| - | - |\n    | 1 | 2 |\n| 3 | 4 |\n",
        "| a | b |\n    | - | - |\n| 1 | 2 |\n",
        "| a | b |\n| - | - |\n\t| 1 | 2 |\n",
        "- | a | b |\n  | - | - |\n  | 1 | 2 |\n| 3 | 4 |\n",
        "- | a | b |\n  | - | - |\n  | 1 | 2 |\n      | 3 | 4 |\n",
        "1. | a | b |\n   | - | - |\n   | 1 | 2 |\n  | 3 | 4 |\n",
        ">| a | b |\n>| - | - |\n>    | 1 | 2 |\n",
        "> - | a | b |\n>   | - | - |\n> | 1 | 2 |\n",
        "- x\n\n  | a |\n  | - |\n | 1 |\n",
        "> | a |\n> | - |\n| b |\n| - |\n| 1 |\n",
        "| a |\n| - |\n    x\n| b |\n| - |\n    y\n| c |\n",
        "- 甲\n- | 项目 | 数量 |\n  | --- | --: |\n  | 体检 | 12 |\n    | 走访 | 80 |\n- 乙\n",
    ]

    @Test(.enabled(if: cmarkGFM != nil, "the cmark-gfm command is not installed"), arguments: tableEnds)
    func tablesEndWhereTheCmarkGFMCommandEndsThem(markdown: String) throws {
        #expect(asCmark.render(markdown, directory: nil).html == (try Self.runCmarkGFM(markdown)))
    }

    /// The lines read anew after a table's end are still reported at the editor's lines.
    @Test func problemsAfterATablesEndKeepTheirLines() {
        let rendered = MarkdownRenderer().render("| a |\n| - |\n    代码\n| b |\n\n正文 <b>粗</b>\n\n![](x.png)\n")
        #expect(rendered.html.contains("<pre><code>代码\n</code></pre>"))
        #expect(rendered.droppedHTML == [.init(line: 6, column: 4), .init(line: 6, column: 8)])
        #expect(rendered.imagesWithoutAlt == [.init(line: 8, column: 1)])
    }

    /// A text made of tables that each end early inside the last one's paragraph is read in a bounded number of
    /// rounds; past them the tables run to their paragraph's end, and no text is lost.
    @Test func manyTablesEndingEarlyKeepEveryLine() {
        let markdown = (1...40).map { "| 表\($0) |\n| - |\n    行\($0)\n" }.joined()
        let html = asCmark.render(markdown, directory: nil).html
        for number in 1...40 {
            #expect(html.contains("表\(number)<") && html.contains("行\(number)"), "\(number)")
        }
        #expect(html.contains("<pre><code>行1\n</code></pre>"))
    }

    /// A lone carriage return is a line ending to cmark but not to the table's rows: such a table is left as cmark
    /// parsed it, whatever the cell holds (before the check, the renderer stopped on a broken invariant).
    @Test(arguments: ["| a | b |\n| - | - |\n| x\r# 标题 | 2 |\n", "| a\r- b | c |\n| - | - |\n"])
    func aLoneCarriageReturnNeverBreaksTheRenderer(markdown: String) {
        #expect(!asCmark.render(markdown, directory: nil).html.isEmpty)
    }

    @Test func rawHTMLStaysOffInsideCells() {
        let rendered = MarkdownRenderer().render("| 甲 | 乙 |\n| --- | --- |\n| 文字 <b>粗</b> | 2 |\n")
        #expect(rendered.html.contains("<b>") == false)
        #expect(rendered.droppedHTML == [.init(line: 3, column: 6), .init(line: 3, column: 10)])
    }

    @Test func linksInCellsAreCheckedLikeAnyOther() {
        let rendered = MarkdownRenderer().render("| 附件 |\n| --- |\n| [表格](a.pdf) |\n", directory: ["sanfuwu"])
        #expect(rendered.html.contains("<td><a href=\"/sanfuwu/a.pdf\">表格</a></td>"))
        #expect(rendered.references.map(\.position) == [.init(line: 3, column: 3)])
    }

    @Test func rowsAreSplitOnUnescapedPipes() {
        #expect(GFMTable.cells(of: "| a | b \\| c |  |").map(\.text) == ["a", "b | c", ""])
        #expect(GFMTable.cells(of: "a|b").map(\.text) == ["a", "b"])
        #expect(GFMTable.cells(of: "\\\\|x").map(\.text) == ["\\|x"])
        #expect(GFMTable.alignments(ofDelimiterRow: "| :-- | :-: | --: | - |") == [.left, .center, .right, .none])
        #expect(GFMTable.alignments(ofDelimiterRow: "| a | - |") == nil)
        #expect(GFMTable.alignments(ofDelimiterRow: "| : |") == nil)
    }

    static func runCmarkGFM(_ markdown: String, arguments: [String] = ["-e", "table"]) throws -> String {
        try MarkdownRendererTests.run(cmarkGFM!, arguments, on: markdown)
    }
}
