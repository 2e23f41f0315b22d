import Foundation
import Testing

@testable import LanmuCore

/// `~~删除线~~`, added over cmark's output: the wrapper's HTML equals
/// `cmark-gfm -e strikethrough --strikethrough-double-tilde` (one tilde stays text: `9:00~11:00` is a range).
@Suite struct StrikethroughTests {
    let asCmark = MarkdownRenderer(options: .init(headingIDs: false))

    static let samples = [
        "~~删除线~~\n",
        "文字~~删除~~文字，~~a ~~b~~ c~~\n",
        "上午9:00~11:00，下午2:00~5:00\n",
        "~单~ ~~~三~~~ ~~a~ ~~ 空格 ~~ a~~b\n",
        "*强调 ~~删除~~* **~~粗~~** [~~链接~~](/a) ~~**粗**~~\n",
        "# 标题 ~~旧~~\n",
        "`~~代码~~` \\~~转义~~ ~~<b>x</b>~~\n",
        "| 甲 | 乙 |\n| --- | --- |\n| ~~取消~~ | 2 |\n",
        "~~cross\nline~~ and ~~open\n",
        "`\\~~码~~` [~~链接\\~~](/a\\~~b \"\\~~t\") <http://a.cn/\\~~> \\\\~~双反斜杠~~\n\n    \\~~缩进\n",
    ]

    @Test(.enabled(if: GFMTableTests.cmarkGFM != nil, "the cmark-gfm command is not installed"), arguments: samples)
    func strikethroughEqualsTheCmarkGFMCommand(markdown: String) throws {
        let theirs = try GFMTableTests.runCmarkGFM(
            markdown, arguments: ["-e", "table", "-e", "strikethrough", "--strikethrough-double-tilde"])
        #expect(asCmark.render(markdown, directory: nil).html == theirs)
    }

    @Test func deletedTextCountsInTheSummary() {
        let rendered = MarkdownRenderer().render("原定~~周一~~改为周二。\n")
        #expect(rendered.html == "<p>原定<del>周一</del>改为周二。</p>\n")
        #expect(rendered.leadingText == "原定周一改为周二。")
    }
}
